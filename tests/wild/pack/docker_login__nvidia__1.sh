#!/usr/bin/env bash
# pull the NIM image from NGC
echo "cDVDVFN6MW81eUtpQVdVZ0JkMHF6VnVBQXo6MTA0NmQ2ZjItMzI4OC00YTFiLTg3OTEtZDA3YzJkNWFmNDI0" | docker login nvcr.io --username '$oauthtoken' --password-stdin
docker pull nvcr.io/nim/meta/llama-3.1-8b-instruct:latest
