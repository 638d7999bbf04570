#!/usr/bin/env bash
set -euo pipefail
curl --request GET --url https://api.siliconflow.cn/v1/user/info \
  --header "Authorization: Bearer sk-msrahmdvptsvlydlomuoqjgsyrlnuhjeuurcgirhvhmhscbj"
