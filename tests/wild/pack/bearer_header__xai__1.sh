curl https://api.x.ai/v1/chat/completions \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer xai-pKTbyzvsto3B9PTqthq8K2tu0XvqYX4hy3TK6gHwTIkdNjbUmPW9zaOfj8IPt77oR1AUYxb9xFdGxjpH" \
  -d '{"model": "grok-3-mini", "messages": [{"role": "user", "content": "ping"}]}'
