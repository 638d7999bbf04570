import os
from openai import OpenAI

client = OpenAI(api_key=os.getenv("ZAI_API_KEY", "85a1d4fe8ace937f49bbd693df32eaba.4V8ZFZ0uoFHCM89M"), base_url="https://api.z.ai/api/paas/v4/")
