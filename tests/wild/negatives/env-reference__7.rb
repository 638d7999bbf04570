# config/initializers/image_providers.rb
Rails.application.configure do
  config.x.modelslab.api_key = ENV.fetch("MODELSLAB_API_KEY", nil)
  config.x.modelslab.endpoint = "https://modelslab.com/api/v6/images/text2img"
  config.x.phota.api_key = Rails.application.credentials.dig(:phota, :api_key)
  config.x.phota.endpoint = "https://api.photalabs.com/v1/phota"
  # asset host fingerprint for the generated thumbnails
  config.x.thumb_digest = "7d58f2e6482625b9ce55d9dbee49a2e9"
end
