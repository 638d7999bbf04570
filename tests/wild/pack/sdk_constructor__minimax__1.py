from openai import OpenAI

client = OpenAI(api_key="sk-api-iDVNNsM7vR5brTIPB0Xr6mFmj2T3D9hQWy_vSSGU1pvZGmLqFCIanqaCeAlrIqLeDmqUyvaHE4Q-phgZfT2dIpXhXJFbEAQHffAUrtfh-1Rv2N7X36nkGt", base_url="https://api.minimax.io/v1")
r = client.chat.completions.create(model="MiniMax-M2", messages=[{"role": "user", "content": "hi"}])
