import os
import fal_client

os.environ["FAL_KEY"] = os.getenv("FAL_KEY", "2f3a240d-b8dd-49d7-b327-c7e1b9bd9f11:d1af525dcd9ce6aeca2bed52cf21723a")
result = fal_client.subscribe("fal-ai/flux/dev", arguments={"prompt": "a snow leopard"})
