from openai import OpenAI

client = OpenAI(
    base_url="https://integrate.api.nvidia.com/v1",
    api_key="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",
)
completion = client.chat.completions.create(model="meta/llama-3.1-405b-instruct", messages=[{"role": "user", "content": "hi"}])
