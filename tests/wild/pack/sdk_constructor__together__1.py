from together import Together

client = Together(api_key="tgp_v1_p11oouEHECXAsfB7u611-TqFN_ja3LIBwvlsJR7rVQS")
img = client.images.generate(prompt="isometric city at night", model="black-forest-labs/FLUX.1-schnell-Free", steps=4)
