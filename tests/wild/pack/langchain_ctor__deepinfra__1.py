from langchain_community.chat_models import ChatDeepInfra

chat = ChatDeepInfra(model="meta-llama/Meta-Llama-3-70B-Instruct", deepinfra_api_token="vXXWDBgKMZlxktAGqEbbrJ5fOHnZr4MV")
