MODELSLAB_KEY = "kIXN9PUULgHILz9ZDc6hjJqkl1dNbYCMEnUwrSZwEnN7BhL1yloKGzRfZSV5"
MODEL_ID = "sdxl"


def build_payload(prompt, seed=None):
    return {
        "key": MODELSLAB_KEY,
        "model_id": MODEL_ID,
        "prompt": prompt,
        "negative_prompt": "blurry, lowres",
        "samples": "1",
        "seed": seed,
    }
