import requests

GETIMG_API_KEY = (
    "key-rSpYOifHgVdH9u0isiXMjwSGky7OKdh6SJy2OpvT0rym6EWn"
    "vKZE8ahL3MgaWInybw5GLglV70ClNGuLitwcPvlWWzuQMMB0"
)

headers = {"Authorization": "Bearer " + GETIMG_API_KEY}
requests.post("https://api.getimg.ai/v1/stable-diffusion/text-to-image", headers=headers,
              json={"prompt": "stained glass owl", "model": "stable-diffusion-v1-5"})
