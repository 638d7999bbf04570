from openai import OpenAI

client = OpenAI(api_key="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", base_url="https://api.perplexity.ai")
r = client.chat.completions.create(model="sonar-pro", messages=[{"role": "user", "content": "latest Rust release?"}])
