from langchain_huggingface import HuggingFaceEndpoint

llm = HuggingFaceEndpoint(
    repo_id="HuggingFaceH4/zephyr-7b-beta",
    huggingfacehub_api_token="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",
    max_new_tokens=256,
)
