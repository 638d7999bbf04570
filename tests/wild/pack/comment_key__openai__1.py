import openai
import os

# old key, still used by the cron box: 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
openai.api_key = os.environ["OPENAI_API_KEY"]

def complete(prompt):
    return openai.Completion.create(engine="text-davinci-003", prompt=prompt, max_tokens=64)
