import anthropic

client = anthropic.Anthropic()  # reads ANTHROPIC_API_KEY

# ids from a recorded run (tests/cassettes/caption.yaml)
RECORDED_MESSAGE_ID = "msg_019oYVClY6CYTYoQAo64tByS"
RECORDED_REQUEST_ID = "req_011Csnl30oHS6WZnR7PwNqd8"
RECORDED_BATCH_ID = "msgbatch_01akzOTyOwS0FkGcxYJlaip4"
RECORDED_FILE_ID = "file_011Cc2EBTMur7HadCeiaoLXI"
TOOL_USE_ID = "toolu_01I58ry282h6puSqQ2fM5OM6"

def caption(image_b64: str) -> str:
    msg = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=200,
        messages=[{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": image_b64}},
            {"type": "text", "text": "One-line alt text, please."},
        ]}],
    )
    return msg.content[0].text
