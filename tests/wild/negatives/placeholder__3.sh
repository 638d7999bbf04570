# From the getimg.ai quickstart. Replace the placeholder or export GETIMG_API_KEY.
curl --request POST \
  --url https://api.getimg.ai/v2/images/generations \
  --header 'accept: application/json' \
  --header 'authorization: Bearer $GETIMG_API_KEY' \
  --header 'content-type: application/json' \
  --data '{"model": "flux-schnell", "prompt": "a tiny robot watering plants", "response_format": "url"}'

# legacy v1 keys looked like key-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
# new keys look like sk_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
