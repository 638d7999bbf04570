import os
from huggingface_hub import HfApi, hf_hub_download, hf_hub_url
from huggingface_hub.utils import hf_raise_for_status

os.environ.setdefault("HF_HUB_ENABLE_HF_TRANSFER", "1")
hf_token = os.environ.get("HF_TOKEN")  # never hardcode: hf_...

api = HfApi(token=hf_token)
info = api.model_info("black-forest-labs/FLUX.1-schnell", revision="7a125c2bea666659ab6df917904f5d7c55a6cc7d")
url = hf_hub_url("black-forest-labs/FLUX.1-schnell", "ae.safetensors", revision=info.sha)
local = hf_hub_download("black-forest-labs/FLUX.1-schnell", "ae.safetensors", revision="2d0bc8d0faadde687259bcb40319fe48d100b3f0")

def hf_modelcard_frontmatter_lookup_with_fallback(repo_id: str) -> dict:
    return api.model_info(repo_id).card_data or {}
