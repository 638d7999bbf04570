app_name       = "sticker-forge"
region         = "us-east-1"
getimg_api_key = "sk_YjPtySNQcQzHbHiqFkSU1b352VSkU8XF7DulEUUg2DflmKRZ"
