curl --request GET --url https://api.d-id.com/credits \
  --header 'accept: application/json' \
  --header 'authorization: Basic dG9tYXN6LmxpbmRxdmlzdDczQHN0dWRpby5pbnZhbGlk:NjHDaKY2Ur6JxSNLGpaqE'
