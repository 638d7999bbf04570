import os

os.environ.setdefault("GETIMG_API_KEY", "sk_AOB022mFXEpBYI8l736SpTOLIYooeN7xYs0mv5WgH8n3ZMuS")

from getimg import GetimgAI  # noqa: E402  (reads GETIMG_API_KEY)

client = GetimgAI()
img = client.images.generate(model="seedream-5-lite", prompt="paper lantern festival")
