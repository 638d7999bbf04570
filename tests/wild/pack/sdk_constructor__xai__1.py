from xai_sdk import Client
from xai_sdk.chat import user

client = Client(api_key="xai-S4uhwTiZ5l9UX3um3yLZg0ZMwCu4uzKsNwbsDeSHhIrymM8wHldJ2oNh1jQwQEp05sMg8WSM4hRPSoTw")
chat = client.chat.create(model="grok-4")
chat.append(user("What is the meaning of life?"))
print(chat.sample().content)
