import os

import requests

API = "https://api.photalabs.com/v1/phota"
KEY = os.environ.get("PHOTA_API_KEY", "pa6Xxt6jOnPWmH7OS_UzBA93w3PGVJLvGeSLIHe-uQ-")


def enhance(url: str) -> dict:
    return requests.post(f"{API}/enhance", headers={"X-API-Key": KEY},
                         json={"image": url, "output_format": "jpg"}).json()
