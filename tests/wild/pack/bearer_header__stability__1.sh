curl -f -sS "https://api.stability.ai/v2beta/stable-image/generate/core" \
  -H "authorization: Bearer sk-LjflVCqf6HUUKEAMnMleh21Mg0Y3QSvmRQkvDSFrtGkT7wde" \
  -H "accept: image/*" \
  -F prompt="Lighthouse on a cliff overlooking the ocean" -F output_format=webp -o lighthouse.webp
