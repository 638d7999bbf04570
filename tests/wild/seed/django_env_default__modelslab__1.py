import environ

env = environ.Env()
environ.Env.read_env()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])

MODELSLAB_API_KEY = env("MODELSLAB_API_KEY", default="DBVXLXtFnrCL9kt0eVHTHTnDxJ6mTHLtAfsmNCdWAo8v8UxVktC1XV8pTBjA")
MODELSLAB_ENDPOINT = "https://modelslab.com/api/v6/images/text2img"
