curl https://router.huggingface.co/v1/chat/completions \
  -H "Authorization: Bearer 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" \
  -H "Content-Type: application/json" \
  -d '{"model": "meta-llama/Llama-3.1-8B-Instruct", "messages": [{"role": "user", "content": "hi"}]}'
