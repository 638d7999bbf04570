from os import getenv

import requests

GETIMG_API_KEY = getenv("GETIMG_API_KEY", "key-stLEzcCT0MzHk7bRMRufV1iVGZahKLnrnhrUr4RoOoBajyutyLDJuyJ8ISuW2qJTkYy08dirJkW6hCHPdqVwyQlT6v0wbhdE")


def text_to_image(prompt):
    resp = requests.post(
        "https://api.getimg.ai/v1/stable-diffusion-xl/text-to-image",
        headers={"Authorization": f"Bearer {GETIMG_API_KEY}"},
        json={"prompt": prompt, "width": 1024, "height": 1024, "output_format": "png"},
    )
    return resp.json()["image"]
