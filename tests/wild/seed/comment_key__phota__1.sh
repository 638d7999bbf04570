#!/bin/sh
# export PHOTA_API_KEY=PEH1ZfkzH8cti3BCzZHKuP74MVbi3qrCmDzjofwL9sC
: "${PHOTA_API_KEY:?set PHOTA_API_KEY first}"

curl -fsS https://api.photalabs.com/v1/phota/profiles/ids -H "X-API-Key: $PHOTA_API_KEY"
