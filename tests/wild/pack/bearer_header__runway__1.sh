curl -X POST https://api.dev.runwayml.com/v1/image_to_video \
  -H "Authorization: Bearer key_afcc4b42a416c4cbd31d6e7e4ecf7063f63176afe906910946a4e90d82c8ae38d8e898b11bd9fa851ca9dc140beef75a4d3c8cdff7095995e4d06b5454d07dde" \
  -H "X-Runway-Version: 2024-11-06" \
  -H "Content-Type: application/json" \
  -d '{"model": "gen4_turbo", "promptImage": "https://acme.dev/cat.png", "ratio": "1280:720"}'
