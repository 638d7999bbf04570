import environ

env = environ.Env()

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://localhost:6379/0")
PHOTA_API_KEY = env("PHOTA_API_KEY", default="8Jq2VLeKBkU1BjczlvMHw_jQBjk9MUGOYAoQcfPl-i1")
PHOTA_WEBHOOK_URL = env("PHOTA_WEBHOOK_URL", default="https://studio.internal/hooks/phota")
