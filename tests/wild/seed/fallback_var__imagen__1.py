import os

import requests

_FALLBACK_KEY = "QSOfaJSdKVS89qF1prvi7WdKGm8E6RYl0jtcAVS9"


def imagen_request(prompt):
    api_key = os.getenv("IMAGEN_API_KEY") or _FALLBACK_KEY
    return requests.post("https://api.imagen.ai/v1/text-to-image",
                         headers={"Authorization": f"Bearer {api_key}"},
                         json={"prompt": prompt, "model": "imagen-v2"})
