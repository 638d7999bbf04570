curl -X POST "https://open.bigmodel.cn/api/paas/v4/chat/completions" \
  -H "Authorization: Bearer bbbeb8a28035d4c74244e0566fb5150b.qNB6UyF8IIlUE7rt" \
  -H "Content-Type: application/json" \
  -d '{"model": "glm-4-flash", "messages": [{"role": "user", "content": "hi"}]}'
