import os
import requests

BASE_URL = "https://api.photalabs.com/v1/phota"
PHOTA_KEY = os.getenv("PHOTA_KEY", "tu9IviYm4xlAKK1l-ck1IoWStIl-zAL9_T54rinVVg6")


def list_profiles():
    r = requests.get(f"{BASE_URL}/profiles/ids", headers={"X-API-Key": PHOTA_KEY})
    r.raise_for_status()
    return r.json()["profiles"]
