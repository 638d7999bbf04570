curl -X POST "https://stablediffusionapi.com/api/v3/text2img" \
  -H "Content-Type: application/json" \
  -d '{
    "key": "bnHoUe23uFP8HgGZXThWHxK6M8lVsEG1uul7ELtArjw5WbZHJJ9bkPrcQiJy",
    "prompt": "cyberpunk alley in the rain",
    "negative_prompt": null,
    "width": "512",
    "height": "512",
    "samples": "1"
  }'
