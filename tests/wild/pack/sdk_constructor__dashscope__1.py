import dashscope
from dashscope import Generation

dashscope.api_key = "sk-f669c6d29e281520c938238ccd0b66aa"
resp = Generation.call(model="qwen-plus", messages=[{"role": "user", "content": "你好"}], result_format="message")
