import uuid
import requests

url = "https://ngw.devices.sberbank.ru:9443/api/v2/oauth"
headers = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
    "RqUID": str(uuid.uuid4()),
    "Authorization": "Basic ZjNlZTk5YTktNGE1ZS00N2JlLTk1MGMtYTRkYTdjZTZhYzBmOmM3MGU1NjE4LWM3YTYtNDA5YS05MmVjLTk1NjlkZWZkNWM2ZQ==",
}
print(requests.post(url, headers=headers, data={"scope": "GIGACHAT_API_PERS"}, verify=False).json())
