require "net/http"

http = Net::HTTP.new("api.imagen.ai", 443)
http.use_ssl = true
req = Net::HTTP::Post.new("/v1/text-to-image",
                          "Authorization" => "Bearer nCjqPc5InR8rK93edcQHzDHm3GFBJWvnkis8Ou9U",
                          "Content-Type" => "application/json")
req.body = '{"prompt":"paper cut forest","model":"imagen-v2"}'
puts http.request(req).body
