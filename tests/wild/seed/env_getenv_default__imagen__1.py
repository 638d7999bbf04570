import os

import httpx

IMAGEN_API_KEY = os.getenv("IMAGEN_API_KEY", "M38haBUVQsPKnZZl1TKoMmtap91xy62LOuckGSl4")
BASE = "https://api.imagen.ai/v1"


async def render(prompt: str) -> dict:
    async with httpx.AsyncClient(base_url=BASE, timeout=90) as c:
        r = await c.post("/text-to-image",
                         headers={"Authorization": "Bearer " + IMAGEN_API_KEY},
                         json={"prompt": prompt, "model": "imagen-v2"})
        return r.json()
