from studio.clients.imagen import ImagenClient  # thin wrapper around https://api.imagen.ai/v1

imagen = ImagenClient("PgUy0Mo2zSnFT8Ndcf7145vxrscgguYodowp8RQ2")

result = imagen.text_to_image(prompt="ceramic teapot, studio light", model="imagen-v2", steps=30)
result.save("teapot.png")
