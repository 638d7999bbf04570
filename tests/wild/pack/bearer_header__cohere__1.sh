curl --request POST --url https://api.cohere.com/v2/embed \
  --header 'accept: application/json' \
  --header 'content-type: application/json' \
  --header "Authorization: bearer 21zDbosllunzAn7woDOwFLtyWxTdiySyefQTH0Jm" \
  --data '{"model": "embed-v4.0", "texts": ["hello"], "input_type": "search_query", "embedding_types": ["float"]}'
