from langchain_xai import ChatXAI

llm = ChatXAI(model="grok-3", xai_api_key="xai-NwMxO99dlaGX5plORURViuEFvi214BHuC3feT70amXqXukL2UG2OKVZOClKQQopEHLZocXFGRbGCyvX2", temperature=0.3)
print(llm.invoke("Two facts about Mars").content)
