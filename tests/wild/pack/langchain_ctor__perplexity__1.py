from langchain_perplexity import ChatPerplexity

chat = ChatPerplexity(model="sonar", pplx_api_key="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", temperature=0)
