curl -s -X POST https://api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions \
  -H "Authorization: Bearer r8_A7JYemwXzu93yp2fKywftwwcspfjt8gco1XmL" \
  -H "Content-Type: application/json" \
  -H "Prefer: wait" \
  -d '{"input": {"prompt": "a red fox in snow"}}'
