import environ

env = environ.Env(DEBUG=(bool, False))

IMAGEN = {
    "BASE_URL": "https://api.imagen.ai/v1",
    "API_KEY": env("IMAGEN_API_KEY", default="3BxV4181qJABeHauTnZGQEDqV9Gg9bZpYIUfRdER"),
    "MODEL": "imagen-v2",
}
