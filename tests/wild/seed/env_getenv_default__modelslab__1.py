import os
import requests

API_KEY = os.getenv("MODELSLAB_API_KEY", "PqonAgT167mBYF44rCI6hCQ08Oj316ZeEqA1r011TeEaSmn1xKaTgbmLQers")
URL = "https://modelslab.com/api/v6/images/text2img"


def generate(prompt: str) -> list:
    payload = {"key": API_KEY, "prompt": prompt, "model_id": "flux", "width": 768, "height": 768}
    r = requests.post(URL, json=payload, timeout=60)
    r.raise_for_status()
    return r.json().get("output", [])
