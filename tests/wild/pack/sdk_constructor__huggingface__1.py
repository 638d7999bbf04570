from huggingface_hub import InferenceClient

client = InferenceClient(provider="hf-inference", token="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")
image = client.text_to_image("an astronaut riding a horse", model="black-forest-labs/FLUX.1-schnell")
image.save("out.png")
