from langchain_together import ChatTogether

llm = ChatTogether(model="mistralai/Mixtral-8x7B-Instruct-v0.1", together_api_key="tgp_v1_aJgnMcjLeIF2cnEv-R-3cigQhcJRyPSGA14RA0of3Qu")
