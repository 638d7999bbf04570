import replicate

client = replicate.Client(api_token="r8_dTCtrdWll1llX9370wuSlDZa7sulz45GTE6g1")
output = client.run("black-forest-labs/flux-schnell", input={"prompt": "a lighthouse at dusk"})
print(output)
