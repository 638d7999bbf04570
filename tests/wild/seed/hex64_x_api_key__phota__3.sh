#!/bin/sh
curl -s https://api.photalabs.com/v1/phota/jobs/"$1" \
  -H 'X-API-Key: 6499477e671eb88f13f1f61945a808d1a7cb2e2677488e45eab9652e3cea07a1' | jq -r .status
