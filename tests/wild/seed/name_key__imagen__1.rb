require "net/http"
require "json"

IMAGEN_KEY = "u2HK7aufYnvQEsxbfbFJIk8npSiz3S4ymdeiztVY".freeze
IMAGEN_URL = URI("https://api.imagen.ai/v1/text-to-image")
