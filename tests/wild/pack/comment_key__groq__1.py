import os
from groq import Groq

# GROQ_API_KEY=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
client = Groq(api_key=os.environ.get("GROQ_API_KEY"))
