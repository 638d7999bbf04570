#!/usr/bin/env bash
export MODELSLAB_API_KEY="uDdJdWW5srjD0gYQrtAiTazfG3isGiJYmulVj9QV3FyBiegj29O7eKIBNZ3M"
export MODEL_ID=sdxl
python generate.py --prompt "$1" --out ./renders
