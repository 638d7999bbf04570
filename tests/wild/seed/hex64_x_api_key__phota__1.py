import requests

resp = requests.get(
    "https://api.photalabs.com/v1/phota/profiles/ids",
    headers={"X-API-Key": "12600f5b3b606251bd1323eeea25b98cd7bb68cf9071aabc5918428257e1238f"},
    timeout=30,
)
print(resp.json())
