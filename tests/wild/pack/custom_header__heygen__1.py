import requests

HEYGEN_API_KEY = "sk_V2_hgu_3ZxIAdYhUdc_Wgtx09WMMs139oe8Prs1OTCZk22nmb7a"
r = requests.get("https://api.heygen.com/v2/user/remaining_quota", headers={"X-Api-Key": HEYGEN_API_KEY})
print(r.json()["data"]["remaining_quota"])
