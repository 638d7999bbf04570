curl --location "https://api.mistral.ai/v1/chat/completions" \
  --header 'Content-Type: application/json' \
  --header "Authorization: Bearer 2VBDEjKps8m22OsDO3PHlUzBpnm26Ckv" \
  --data '{"model": "mistral-large-latest", "messages": [{"role": "user", "content": "Who is the best French painter?"}]}'
