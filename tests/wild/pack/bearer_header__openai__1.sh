#!/usr/bin/env bash
curl https://api.openai.com/v1/chat/completions \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer 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" \
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "ping"}]}'
