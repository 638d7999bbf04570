curl --request GET --url 'https://api.synthesia.io/v2/videos?limit=5' \
  --header 'accept: application/json' \
  --header 'Authorization: 972b7efd8b61408d25eb87ab2ee218f1'
