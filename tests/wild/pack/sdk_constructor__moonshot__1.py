from openai import OpenAI

client = OpenAI(api_key="sk-uJLVQ67AWHLTdrL5MQjehGhQTWaa6hnn0EdH3PzrFzCE5AQX", base_url="https://api.moonshot.ai/v1")
completion = client.chat.completions.create(model="kimi-k2-0905-preview", messages=[{"role": "user", "content": "hi"}])
