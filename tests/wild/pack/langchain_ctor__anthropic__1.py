from langchain_anthropic import ChatAnthropic

llm = ChatAnthropic(
    model="claude-sonnet-4-5",
    anthropic_api_key="sk-ant-api03-RL8xrPTkXqfNQwjVpyiKXqsnmXDcKxkJz75vw6kubvLq27VwPFTi24P1-PEfhoTg6hrC0gKqOolrSJpMBiM7JiTN9_pCkAA",
    max_tokens=1024,
)
print(llm.invoke("Name three rivers in Poland").content)
