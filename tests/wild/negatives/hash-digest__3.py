import hashlib, json

GETIMG_URL = "https://api.getimg.ai/v2/images/generations"

def cache_key(payload: dict) -> str:
    blob = json.dumps(payload, sort_keys=True).encode()
    return "getimg:" + hashlib.sha256(blob).hexdigest()

# warm entries shipped with the demo so the gallery loads offline
WARM_CACHE = {
    "getimg:0244456985998f06625ed6f4ef86cf5371765be9cbb38ae3309a8789494f53fc": "static/demo/otter.jpeg",
    "getimg:dd73cfbdefd862c21d9bbfd92c9f79fd6838bb326c28620a2c4c7b7b6e671e30": "static/demo/lantern.jpeg",
    "getimg:3f82c06e44390dcd1ab4c7448eccfa2d1999cf9f7f974536e599a8cac3948561": "static/demo/bonsai.jpeg",
}
cache_key_example = "f624c422b36e9dfdb2eb4bf1c92263bc28ff4a591147ed27d60b54fbf0616a9f"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
