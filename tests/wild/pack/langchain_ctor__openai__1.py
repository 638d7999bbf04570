from langchain_openai import ChatOpenAI
from langchain_core.prompts import ChatPromptTemplate

llm = ChatOpenAI(model="gpt-4o", temperature=0, api_key="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")
prompt = ChatPromptTemplate.from_messages([("system", "You are terse."), ("human", "{question}")])
chain = prompt | llm
