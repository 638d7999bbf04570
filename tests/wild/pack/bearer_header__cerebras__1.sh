curl --location 'https://api.cerebras.ai/v1/chat/completions' \
  --header 'Content-Type: application/json' \
  --header 'Authorization: Bearer csk-v1m3gl3c08fufslnr7sodx3t51u0uirysawxnukhn15yan9l' \
  --data '{"model": "llama3.1-8b", "messages": [{"role": "user", "content": "hi"}]}'
