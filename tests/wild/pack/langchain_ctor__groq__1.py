from langchain_groq import ChatGroq

llm = ChatGroq(
    model_name="llama3-8b-8192",
    groq_api_key="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",
    temperature=0,
)
