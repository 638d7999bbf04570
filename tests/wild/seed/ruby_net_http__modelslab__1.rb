require "net/http"
require "json"

uri = URI("https://modelslab.com/api/v6/images/text2img")
req = Net::HTTP::Post.new(uri, "Content-Type" => "application/json")
req.body = { key: "mvMal0aEPpYdnKzYFfSrG9EnNAW6T5oWLkPpmS1Cz1gOgRAsuFJpnCIc633P", prompt: "stained glass cat", model_id: "flux" }.to_json
res = Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(req) }
puts JSON.parse(res.body)["output"]
