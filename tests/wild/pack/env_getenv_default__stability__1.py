import os
import requests

STABILITY_KEY = os.getenv("STABILITY_API_KEY", "sk-8ABhNhWMTJDiGpPjVyXyXKeqhbqYSnINmYqxQ9ZjUUXZUzFs")
r = requests.get("https://api.stability.ai/v1/user/balance", headers={"Authorization": f"Bearer {STABILITY_KEY}"})
