#!/bin/sh
# deploy/smoke.sh — quick check that every provider key is wired up
: "${MODELSLAB_API_KEY:?missing}"
: "${IMAGEN_API_KEY:?missing}"

curl -fsS https://modelslab.com/api/wallet_balance \
  -H 'Content-Type: application/json' \
  -d "{\"key\": \"${MODELSLAB_API_KEY}\"}" | jq .

curl -fsS https://api.imagen.ai/v1/text-to-image \
  -H "Authorization: Bearer ${IMAGEN_API_KEY}" -d '{}' -o /dev/null -w '%{http_code}\n'

curl -fsS https://api.photalabs.com/v1/phota/profiles/ids -H "X-API-Key: $PHOTA_API_KEY"
curl -fsS https://api.getimg.ai/v2/billing/balance -H "Authorization: Bearer $GETIMG_API_KEY"
