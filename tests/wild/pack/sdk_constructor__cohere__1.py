import cohere

co = cohere.ClientV2(api_key="N5Ma3LF3rLH487lvR2YdCbqOzvRRPAkLn1ODfZOp")
res = co.rerank(model="rerank-v3.5", query="refund policy", documents=["a", "b"])
