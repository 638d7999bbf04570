invoke_url='https://ai.api.nvidia.com/v1/genai/stabilityai/stable-diffusion-3-medium'
curl -s -X POST "$invoke_url" \
  -H "Authorization: Bearer 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" \
  -H "Accept: application/json" \
  -d '{"prompt": "a snowy cabin", "steps": 30}'
