from langchain_mistralai import ChatMistralAI

llm = ChatMistralAI(model="mistral-large-latest", mistral_api_key="dK9ktxcIoGdAfDoCDGftfHo0y6h10RPI", temperature=0)
