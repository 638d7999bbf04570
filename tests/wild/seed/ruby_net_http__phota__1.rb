require "net/http"

uri = URI("https://api.photalabs.com/v1/phota/profiles/ids")
req = Net::HTTP::Get.new(uri)
req["X-API-Key"] = "QFPGV-q7YMnM3lMqCwtwrfjNO3anF2u5887UIH257wG"
res = Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(req) }
puts res.body
