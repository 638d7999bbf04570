import os
from cerebras.cloud.sdk import Cerebras

client = Cerebras(api_key=os.getenv("CEREBRAS_API_KEY", "csk-xsgc2lr4piosl8y1s2qs6c94n0e54phjg3d0zwzspyjrlwnn"))
