#!/usr/bin/env bash
set -euo pipefail
curl https://api.moonshot.cn/v1/users/me/balance \
  -H "Authorization: Bearer sk-vqF80CTFpCPNAGaXIkQjEtQeyipBRcyiUnkctr4XggxMm37r"
