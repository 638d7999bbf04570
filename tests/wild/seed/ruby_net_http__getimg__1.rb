require 'net/http'
require 'json'

uri = URI('https://api.getimg.ai/v1/essential-v2/text-to-image')
request = Net::HTTP::Post.new(uri)
request['Authorization'] = 'Bearer key-JPsDE2bp1zo0Nf6erN2nFVf05VdFtKp0zrFtz3l5e2d17NgoU0gF04LRM1kFQ5nodJ0FjU5sRhoJJuBGWf5MMBgtV94vg7CD'
request['Content-Type'] = 'application/json'
request.body = { prompt: 'vintage travel poster of Mars', style: 'art' }.to_json
response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: true) { |h| h.request(request) }
