#!/usr/bin/env bash
set -e
export PHOTA_API_KEY=SsUFtZq4yzuzx76WkTc-P9EpNHlKDshCeE8zjrHNJiq
for f in ./inputs/*.jpg; do
  python enhance.py "$f"
done
