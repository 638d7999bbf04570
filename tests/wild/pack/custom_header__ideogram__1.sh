curl -X POST https://api.ideogram.ai/v1/ideogram-v3/generate \
  -H "Api-Key: aGeR57kcH5cfcVAbYblzJmUrw9o0etMQfkR4YjQjh_BrtrOIsUJi2niXiLKa6ekkfA2lEBjYyHAHUaXM79VfD1" \
  -H "Content-Type: multipart/form-data" \
  -F prompt="A poster that says 'Open late'" -F rendering_speed="TURBO"
