#!/bin/bash
curl -sS https://api.imagen.ai/v1/image-to-image \
  -H 'Authorization: Bearer uMggfrZKZUWx3B61CqQnGBwy49EM5PUFywp4wcVS' \
  -H 'Content-Type: application/json' \
  --data-binary @request.json > response.json
