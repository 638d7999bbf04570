from langchain_cohere import ChatCohere

chat = ChatCohere(model="command-r-plus", cohere_api_key="9RgbwGwy3WtThY3cUj6YMx24DzGAtPzn9endfkYq")
