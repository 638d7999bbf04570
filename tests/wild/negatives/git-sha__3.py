from huggingface_hub import hf_hub_download, snapshot_download
from diffusers import StableDiffusionXLPipeline
import os

# Pin every download to a commit so CI is reproducible.
SDXL_REVISION = "eaa1480f5a1935a276f0b97fd4a1ee13f20f705e"
VAE_REVISION = "5712e6c7a2b3298d01f2302215714f37c73463e7"

path = snapshot_download(
    "stabilityai/stable-diffusion-xl-base-1.0",
    revision=SDXL_REVISION,
    token=os.environ.get("HF_TOKEN"),
    allow_patterns=["*.json", "*.safetensors"],
)
vae = hf_hub_download("madebyollin/sdxl-vae-fp16-fix", "diffusion_pytorch_model.safetensors", revision=VAE_REVISION)
pipe = StableDiffusionXLPipeline.from_pretrained(path, variant="fp16")
