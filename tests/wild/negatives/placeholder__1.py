import os
import requests

# Quick start from the ModelsLab docs, adapted.
API_KEY = os.environ.get("MODELSLAB_API_KEY", "your_api_key_here")

resp = requests.post(
    "https://modelslab.com/api/v6/images/text2img",
    json={
        "key": API_KEY,
        "prompt": "ultra realistic portrait of a lighthouse keeper",
        "negative_prompt": "blurry, lowres",
        "width": "1024",
        "height": "1024",
        "samples": "1",
        "seed": None,
        "webhook": None,
        "track_id": None,
    },
    timeout=60,
)
print(resp.json().get("output"))
