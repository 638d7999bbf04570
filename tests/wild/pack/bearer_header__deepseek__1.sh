curl https://api.deepseek.com/chat/completions \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer sk-3a1c2cb727c5e22cefa33b9a99daa507" \
  -d '{"model": "deepseek-reasoner", "messages": [{"role": "user", "content": "9.11 or 9.8?"}]}'
