#!/usr/bin/env bash
# Kick off a prediction and poll it. Needs REPLICATE_API_TOKEN in the environment.
set -euo pipefail

VERSION="a434af007a2d4c06f2f6dcaa89d0b91469d1ffc590b8915f335fa0867c6637ff"

curl -s -X POST https://api.replicate.com/v1/predictions \
  -H "Authorization: Bearer $REPLICATE_API_TOKEN" \
  -H "Content-Type: application/json" \
  -H "Prefer: wait" \
  -d "{\"version\": \"$VERSION\", \"input\": {\"prompt\": \"isometric cabin, snow\"}}"

# previous pins, kept for rollback
# VERSION="e2dbf204451308015e8b244e0689bdeac4d5427697d5f3ccfcc703237fd70120"
# VERSION="18e63911857eb30509afea01fb51d922e77d574a743b8027d15865bc48d5bd36"
