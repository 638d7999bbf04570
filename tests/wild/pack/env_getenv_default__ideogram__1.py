import os
import requests

IDEOGRAM_KEY = os.getenv("IDEOGRAM_API_KEY", "w5JFGJyYGyMAOKgrY0LOHWh6Hj8juphNzic-h3gIncwfhXvJMFs6j7_OdVgQHF5xrKNtHeMg73db7yw7R_KZiK")
resp = requests.post("https://api.ideogram.ai/v1/ideogram-v3/generate", headers={"Api-Key": IDEOGRAM_KEY}, files={"prompt": (None, "a cat")})
