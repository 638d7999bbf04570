import requests

HEADERS = {
    "Authorization": "Bearer 44a4871f947464976f0b4c62801a817d66dfbfb13981570f9ad4345f8ed5fa51",
    "Content-Type": "application/json",
}

r = requests.post("https://api.imagen.ai/v1/text-to-image", headers=HEADERS,
                  json={"prompt": "watercolor map of Lisbon", "model": "imagen-v2"})
