curl -X POST 'https://api.bfl.ai/v1/flux-kontext-pro' \
  -H 'accept: application/json' \
  -H 'x-key: 8fc86d82-76ff-4e94-9703-44e2272b80ad' \
  -H 'Content-Type: application/json' \
  -d '{"prompt": "a small furry elephant pet", "aspect_ratio": "1:1"}'
