from environ import Env

env = Env()

# image generation backend (getimg.ai)
GETIMG_API_KEY = env.str("GETIMG_API_KEY", default="sk_GvuNWLq5jFccMig2lbDvcSRAkRTdYtZgH1TUiVW4mMQKZB4h")
GETIMG_MODEL = env.str("GETIMG_MODEL", default="flux-schnell")
GETIMG_TIMEOUT = env.int("GETIMG_TIMEOUT", default=120)
