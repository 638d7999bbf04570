curl --request POST --url https://fal.run/fal-ai/flux/schnell \
  --header "Authorization: Key 82bac992-100a-4633-9e29-7c0998c2533a:4ccad1d7cf3df71879420c8a69e23f51" \
  --header "Content-Type: application/json" \
  --data '{"prompt": "a koi pond, watercolor"}'
