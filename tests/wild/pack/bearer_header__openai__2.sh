# list the org's project API keys (admin key)
curl "https://api.openai.com/v1/organization/projects/proj_abc/api_keys?limit=20" \
  -H "Authorization: Bearer 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" \
  -H "Content-Type: application/json"
