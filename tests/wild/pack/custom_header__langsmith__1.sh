#!/usr/bin/env bash
set -euo pipefail
curl -s "https://api.smith.langchain.com/api/v1/sessions?limit=5" \
  -H "x-api-key: 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"
