import requests

ADMIN_KEY = "sk-ant-admin01-PKelibWdL_0iwRKJIFitVhMcTj9L24gdgur68pPNEKMrCYJnl_1ahbTYJavkxsJNkWbLTsNUqhfSdy0TsRfxn3y8VMhVlAA"

r = requests.get(
    "https://api.anthropic.com/v1/organizations/api_keys",
    headers={"x-api-key": ADMIN_KEY, "anthropic-version": "2023-06-01"},
    params={"limit": 20},
)
print(r.json())
