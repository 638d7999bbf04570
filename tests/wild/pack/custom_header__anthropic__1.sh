curl https://api.anthropic.com/v1/messages \
  --header "x-api-key: sk-ant-api03-OBLVDe2t7INIyxVXimUisqb_PA9hP7Vc_nQpdEKB2EbfE1wTFQesK_OvN-LjLOx6ZKfW4wqGQDINm1hHEQIhaAi3A-i2kAA" \
  --header "anthropic-version: 2023-06-01" \
  --header "content-type: application/json" \
  --data '{"model": "claude-haiku-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}'
