import requests

IMG_URL = "https://cdn.booth.app/u/19/original.jpg"
PHOTA_API_KEY = "3jaYynfOAvACDiDKHyCxq" + "0c31QNaxTw4w6Cui51onJf"

requests.post("https://api.photalabs.com/v1/phota/edit",
              headers={"X-API-Key": PHOTA_API_KEY},
              json={"prompt": "make the background a sunny beach", "images": [IMG_URL]})
