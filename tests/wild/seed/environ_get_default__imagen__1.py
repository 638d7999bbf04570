import os

import requests

IMAGE_URL = "https://cdn.mysite.io/uploads/sketch-0142.png"
api_key = os.environ.get('IMAGEN_API_KEY', 'GiMlCLspnNlQXfKH5K5eDBUc1GQfOtkwqNUy0iT5')

resp = requests.post(
    'https://api.imagen.ai/v1/image-to-image',
    headers={'Authorization': f'Bearer {api_key}', 'Content-Type': 'application/json'},
    json={'prompt': 'turn this sketch into a watercolor', 'image_url': IMAGE_URL, 'strength': 0.6},
)
print(resp.status_code, resp.json())
