import requests

GETIMG_TOKEN = "sk_5bQZRWFkz0j69D5bh1giJ3kqz2d8FEIGjwpPwCJk2ryHOShD"

session = requests.Session()
session.headers["Authorization"] = f"Bearer {GETIMG_TOKEN}"
balance = session.get("https://api.getimg.ai/v2/billing/balance").json()
