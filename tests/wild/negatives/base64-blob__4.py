"""Tiny images used by the imagen.ai client tests (no network)."""
import base64

IMAGEN_ENDPOINT = "https://api.imagen.ai/v1/text-to-image"

# 1x1 transparent PNG, the usual placeholder
ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
# 4x4 noise tile returned by the fake server
NOISE_TILE = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAP0lEQVR42gE0AMv/AKoa5Vyc7VHsT3ePgwDbu7C3cH5LF7M2/ZYAjSShpuwwCpLxAfagAEMKRPkOyqv0QNB2wKfBGexeveYZAAAAAElFTkSuQmCC"
MASK_TILE = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAP0lEQVR42gE0AMv/AIBrJpMESEvbgOlBPgAcGRFBvXgZOytViMoAqqjLc3usTKhM8faGANe322r5Ib4+UiBpkxmJFpwfTBH7AAAAAElFTkSuQmCC"

def fake_response(seed: int) -> dict:
    return {"id": "88a7a038-2ef4-46fd-a0c0-607b5ee9484b", "seed": seed, "images": [{"b64": NOISE_TILE}]}

assert base64.b64decode(ONE_PIXEL_PNG)[:8] == b"\x89PNG\r\n\x1a\n"
