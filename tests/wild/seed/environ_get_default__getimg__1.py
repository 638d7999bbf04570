import os

from getimg import GetimgAI

client = GetimgAI(api_key=os.environ.get("GETIMG_API_KEY", "sk_YmGPndgCqBbbN189a6y7a9oXkIwGbIalEW29rWfGf4zjy55K"))

result = client.images.generate(
    model="seedream-5-lite",
    prompt="a lighthouse at dusk, film grain",
)
print(result)
