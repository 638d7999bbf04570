curl -X POST "https://api.together.xyz/v1/chat/completions" \
  -H "Authorization: Bearer tgp_v1_kFsgnRtO5eIR7AqjN6astO7-WhFZCfQbQFixxaWfzuc" \
  -H "Content-Type: application/json" \
  -d '{"model": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "messages": [{"role": "user", "content": "hi"}]}'
