#!/bin/sh
export HUGGINGFACEHUB_API_TOKEN=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
huggingface-cli download mistralai/Mistral-7B-v0.1 --local-dir ./models/mistral
