from fireworks.client import Fireworks

client = Fireworks(api_key="fw_VYD6XnwYswednSjdNk3hUSHd")
response = client.chat.completions.create(model="accounts/fireworks/models/llama-v3p1-8b-instruct", messages=[{"role": "user", "content": "hi"}])
