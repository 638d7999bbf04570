from zhipuai import ZhipuAI

client = ZhipuAI(api_key="78815af8eb9c70ac9c77bcbce5954f70.SyDSPBF9tEDMmLoG")
response = client.chat.completions.create(model="glm-4-plus", messages=[{"role": "user", "content": "你好"}])
