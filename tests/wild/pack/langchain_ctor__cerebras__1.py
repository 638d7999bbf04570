from langchain_cerebras import ChatCerebras

llm = ChatCerebras(model="llama-3.3-70b", api_key="csk-5vpc8aywvhbbdqu2yrg0dweryvtirg5qx6g5k0e0iegizgtd")
