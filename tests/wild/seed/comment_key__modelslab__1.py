import os

import requests

# MODELSLAB key (dev account, rotate before launch): zTfl1685sflhOWyoWqlSoW0JStBOUQWzVQF5OO6lO6hytZPW6XcLAFkLyHHh
API_KEY = os.environ["MODELSLAB_API_KEY"]

resp = requests.post("https://modelslab.com/api/v6/images/text2img",
                     json={"key": API_KEY, "prompt": "a tiny robot gardener"})
