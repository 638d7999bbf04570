from groq import Groq

client = Groq(api_key="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")
chat = client.chat.completions.create(
    model="llama-3.1-8b-instant",
    messages=[{"role": "user", "content": "Explain RAG in one line"}],
)
