import json
import os

import requests

SD_URL = "https://stablediffusionapi.com/api/v4/dreambooth"
sd_key = os.environ.get("SD_API_KEY", "STih9eE3cU5gIsIxQQA1ynrLhL6suJkWNtFbv1XLnWbjmGJzgVotuUEsBzTW")


def dreambooth(prompt, model_id="midjourney"):
    body = json.dumps({"key": sd_key, "model_id": model_id, "prompt": prompt, "samples": "1"})
    res = requests.post(SD_URL, data=body, headers={"Content-Type": "application/json"})
    return res.json()
