from openai import OpenAI

client = OpenAI(base_url="https://api.novita.ai/v3/openai", api_key="sk_BhCtynZSU_1QWrfBAT46ugIWBNUgspTTei4jEzcDPkM")
chat = client.chat.completions.create(model="meta-llama/llama-3.1-8b-instruct", messages=[{"role": "user", "content": "hi"}])
