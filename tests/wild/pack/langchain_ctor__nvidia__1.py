from langchain_nvidia_ai_endpoints import ChatNVIDIA

llm = ChatNVIDIA(model="meta/llama3-70b-instruct", nvidia_api_key="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")
