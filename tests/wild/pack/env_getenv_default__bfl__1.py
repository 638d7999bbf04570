import os
import requests

BFL_KEY = os.environ.get("BFL_API_KEY", "445c778e-17da-4385-81fa-0081802f0395")
r = requests.post("https://api.bfl.ai/v1/flux-pro-1.1", headers={"x-key": BFL_KEY}, json={"prompt": "a fox"})
