from langchain_deepseek import ChatDeepSeek

llm = ChatDeepSeek(model="deepseek-chat", api_key="sk-73a43bdfb289af79d7f0c8225ebd6bbe", temperature=0)
