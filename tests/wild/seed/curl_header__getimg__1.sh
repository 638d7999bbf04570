curl -X POST https://api.getimg.ai/v2/images/generations \
  -H "Authorization: Bearer sk_tHvEJBi3aLuRxqhFdwH0NwZfX95g5hQMWG13ivF2nlUmxzOA" \
  -H "Content-Type: application/json" \
  -d '{"model": "seedream-5-lite", "prompt": "A sunset over the ocean"}' \
  -o out.json
