from modelslab_py.core.apis.community import Community
from modelslab_py.core.client import Client
from modelslab_py.schemas.community import Text2Image

client = Client("RMBQ0QAHk0hF8bM2dZqptgXpV5RpyNLkom6LdSMACsH12AksnFU8Z02F5Fei")
api = Community(client=client, enterprise=False)
print(api.text_to_image(schema=Text2Image(prompt="brutalist library, dusk", model_id="midjourney")))
