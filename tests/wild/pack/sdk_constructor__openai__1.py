from openai import OpenAI

client = OpenAI(api_key="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")

resp = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Summarise this ticket"}],
)
print(resp.choices[0].message.content)
