from openai import OpenAI

client = OpenAI(api_key="xai-xqmPRJ_Kqbqaz8A1AALSSU1gmYhEq6Q8aIuV1Ox25En6F7vd5TNrArH1eBMRkVmaTSlTCOaflkmyC73HGWEBE-F21nXDsbp1v0OO7zzLnJ8V3sq5EFtitv4i", base_url="https://api.x.ai/v1")
print(client.models.list())
