#!/usr/bin/env bash
# quick smoke test against the Imagen Image Generation API
curl -X POST https://api.imagen.ai/v1/text-to-image \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer 6c39ce7c5fc7f27e48da61eb117f35b2deb49be68c94be2bb762a23e33f9440e" \
  -d '{"prompt": "a glass chess set", "model": "imagen-v2", "steps": 30}'
