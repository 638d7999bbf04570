from openai import OpenAI

client = OpenAI(api_key="sk-f0dcf85f86d3ad6ac1e46337d51731c8", base_url="https://api.deepseek.com")
response = client.chat.completions.create(model="deepseek-chat", messages=[{"role": "user", "content": "Hello"}])
