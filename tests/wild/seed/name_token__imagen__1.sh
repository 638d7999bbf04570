#!/usr/bin/env bash
set -euo pipefail

IMAGEN_TOKEN="l1GqaSotTWqAWA1ReP4VTZ4QLrSQ3vRGjvJARjW2"

curl -s -X POST https://api.imagen.ai/v1/text-to-image \
  -H "Authorization: Bearer ${IMAGEN_TOKEN}" \
  -H "Content-Type: application/json" \
  -d "{\"prompt\": \"$1\", \"model\": \"imagen-v2\"}" | jq .
