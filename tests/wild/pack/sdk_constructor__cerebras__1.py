from cerebras.cloud.sdk import Cerebras

client = Cerebras(api_key="csk-afn6wxe6t3vheqf1ggt4g3f8uh5wjodfpwpx3e801eeyx0t3")
completion = client.chat.completions.create(
    messages=[{"role": "user", "content": "Why is fast inference important?"}],
    model="llama3.1-8b",
)
