project_id        = "render-prod-4411"
region            = "europe-west1"
modelslab_api_key = "sSa4kUw8XJ2YCn4GBIqHCZZTo3lO6QK2LNZz3CS1nlii3Tg9FJvbWNIDfzhc"
worker_count      = 3
