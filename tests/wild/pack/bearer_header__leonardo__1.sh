curl --request POST --url https://cloud.leonardo.ai/api/rest/v1/generations \
  --header 'accept: application/json' \
  --header 'authorization: Bearer c28e1ff4-5600-4ef6-b7ea-bf24107af85c' \
  --header 'content-type: application/json' \
  --data '{"prompt": "a medieval market", "modelId": "b24e16ff-06e3-43eb-8d33-4416c2d75876", "num_images": 1}'
