import requests

CHUNK_SIZE = 1024
url = "https://api.elevenlabs.io/v1/text-to-speech/EXAVITQu4vr4xnSDxMaL"
headers = {"Accept": "audio/mpeg", "Content-Type": "application/json", "xi-api-key": "3a42e6078988071d5ce4a346f4348804"}
data = {"text": "Hi!", "model_id": "eleven_monolingual_v1"}
response = requests.post(url, json=data, headers=headers)
