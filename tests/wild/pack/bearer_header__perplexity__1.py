import requests

resp = requests.post(
    "https://api.perplexity.ai/chat/completions",
    headers={"Authorization": "Bearer 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", "Content-Type": "application/json"},
    json={"model": "sonar", "messages": [{"role": "user", "content": "weather in Lagos"}]},
)
