"""Idempotency and tracing for ModelsLab calls."""
import uuid

MODELSLAB_TEXT2IMG = "https://modelslab.com/api/v6/images/text2img"

# deterministic ids for the replay tests (uuid5 over the prompt)
NAMESPACE = uuid.UUID("3c719f71-5361-49fb-a0a6-72bd14b6d7bf")
KNOWN_TRACK_IDS = {
    "fox-in-snow": "7c0a9aa5-3f6a-440f-a643-e20697b1ef70",
    "koi-pond": "b8d739f6-4d57-48d8-8b96-9a111a157033",
    "lighthouse": "67580301-af62-4125-952b-dab461b66247",
}
WEBHOOK_PATH = "/hooks/modelslab/3dea51b00d698273a67a9f8d"

def track_id(prompt: str) -> str:
    return str(uuid.uuid5(NAMESPACE, prompt))
