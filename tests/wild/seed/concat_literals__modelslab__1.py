import requests

API_KEY = ("srWB1cR5kq1FAqDjCAkR"
           "3YTM8DpRDAZVJD8Ecwub"
           "YjBPMZjmfgdlzyzTMV5r")

r = requests.post("https://stablediffusionapi.com/api/v3/text2img",
                  json={"key": API_KEY, "prompt": "low-poly fox", "width": "512", "height": "512"})
print(r.json()["output"])
