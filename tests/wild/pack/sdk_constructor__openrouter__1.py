from openai import OpenAI

client = OpenAI(
    base_url="https://openrouter.ai/api/v1",
    api_key="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",
)
r = client.chat.completions.create(model="deepseek/deepseek-chat", messages=[{"role": "user", "content": "hi"}])
