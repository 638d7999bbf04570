from langchain_community.embeddings import DashScopeEmbeddings

embeddings = DashScopeEmbeddings(model="text-embedding-v1", dashscope_api_key="sk-9b88565dbacdcf59b4316dfc6cd512e2")
