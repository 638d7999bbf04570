from langchain_fireworks import ChatFireworks

llm = ChatFireworks(model="accounts/fireworks/models/llama-v3p1-70b-instruct", api_key="fw_RICEfQRvXhyZxov809hHU5pY")
