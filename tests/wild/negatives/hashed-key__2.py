"""Key registry for our own gateway in front of api.imagen.ai and api.photalabs.com.

Customers call us with their gateway key; we only keep its digest.
"""
import hashlib, hmac

HASHED_API_KEYS = {
    # tenant -> sha256(gateway key)
    "acme": "678d5fc866f450ea88bb47f16b1b28445d6db6ca0ee0bdf46fe8ccb013511d6a",
    "globex": "9fd41c410a8ee8451316c5f76c88a8b4bbfe5849c0df69749af3989ad68dc573",
    "initech": "a133689240b1457046ebcb8084c314c36f8aea836908a6eeb841aeea867b0243",
}

hashed_api_key = "c052378579a01e808d4f735550cf5fd594a0902b7850ea41f50a4611dc205359"  # fixture for test_gateway_auth

def check(tenant: str, presented: str) -> bool:
    digest = hashlib.sha256(presented.encode()).hexdigest()
    return hmac.compare_digest(digest, HASHED_API_KEYS.get(tenant, ""))
