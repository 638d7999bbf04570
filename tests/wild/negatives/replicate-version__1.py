import os
import replicate

# Pinned model versions: the part after ":" is the version id on replicate.com,
# not a credential. The token itself comes from REPLICATE_API_TOKEN.
client = replicate.Client(api_token=os.environ["REPLICATE_API_TOKEN"])

SDXL = "stability-ai/sdxl:7cb830e4a9259cf06cfb4990f008ee322af8058aec47dfab01354eeeefe0a2e2"
REALVIS = "adirik/realvisxl-v3.0-turbo:2f07f3dabbbcdeccc7892a97b7068b23e1b1029c7290d2fe0fb133aecd457925"
UPSCALER = "nightmareai/real-esrgan:ae844ff3050fd15a8771a654ef3fd8e687deae8d40acae28dc274e593329f702"
REMBG = "cjwbw/rembg:c8aeb6111e003d85337e1c6b0ddbf4b9c18dce78f6fee8530fcc91e9b81259c2"

def render(prompt: str) -> list[str]:
    out = client.run(SDXL, input={"prompt": prompt, "width": 1024, "height": 1024})
    return [str(u) for u in out]
