from runwayml import RunwayML

client = RunwayML(api_key="key_fb8b440b0828db82a963ec1a9272514008913612e7c4061024bf00e2c4b838f64a204d3f75d2460dc22e4101ee30be93813ff34b859fd8d85e908c737e002b1d")
task = client.image_to_video.create(model="gen4_turbo", prompt_image="https://acme.dev/cat.png", ratio="1280:720")
