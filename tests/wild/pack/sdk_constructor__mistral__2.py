from mistralai import Mistral

mistral = Mistral(api_key="T56EEPJDP2ICGR7S57HPV1XOJB3GSITT")
print(mistral.models.list())
