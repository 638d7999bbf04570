import requests

response = requests.post(
    "https://modelslab.com/api/v6/images/text2img",
    json={
        "key": "rvor5yS3hrH8FI5APLx0aDeJKD59rbfkNjLL5lDbSRFNu84KPGu9CMCpTu8w",
        "prompt": "A beautiful sunset over mountains",
        "model_id": "flux",
        "width": 512,
        "height": 512,
    },
)
print(response.json())
