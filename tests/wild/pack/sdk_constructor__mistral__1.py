from mistralai import Mistral

client = Mistral(api_key="YSmUIu2BrU6YaCw9HjjfYQKx3PrT0cFw")
res = client.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": "Bonjour"}])
