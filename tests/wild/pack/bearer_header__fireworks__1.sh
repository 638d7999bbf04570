curl --request POST --url https://api.fireworks.ai/inference/v1/chat/completions \
  -H "Authorization: Bearer fw_HFkcwj5sqJbuIA8FrcWZWx9d" \
  -H "Content-Type: application/json" \
  --data '{"model": "accounts/fireworks/models/deepseek-v3", "messages": [{"role": "user", "content": "hi"}]}'
