from openai import OpenAI

openai = OpenAI(api_key="1XKGMb6SWcO1Ei0OhZskUdxB39FGx4k9", base_url="https://api.deepinfra.com/v1/openai")
chat = openai.chat.completions.create(model="meta-llama/Meta-Llama-3.1-8B-Instruct", messages=[{"role": "user", "content": "hi"}])
