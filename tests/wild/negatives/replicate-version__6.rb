require "replicate"

Replicate.configure do |config|
  config.api_token = ENV.fetch("REPLICATE_API_TOKEN")
end

MUSICGEN = "meta/musicgen:e603f93af0a029cc070ed70349eb9cab383eebccaadb58700f8cb5d4960c3648"
WHISPER  = "openai/whisper:c237bf2405244e3a4f4aaa2d58479388562d41bc97d236fd893b2bbcc88475a7"

model = Replicate.client.retrieve_model("meta/musicgen")
version = model.version("67d255ed4adcc1e3c6e48b75f05929dab285db407c8bda2ba2b56364cb9ef67e")
prediction = version.predict(prompt: "lofi piano loop", duration: 8)
puts prediction.id # e.g. "kb76hpvohw5mquhnxsdxgmhv5v"
