from leonardo_ai_sdk import LeonardoAiSDK

s = LeonardoAiSDK(bearer_auth="a66746fb-4652-4096-aa2f-81f35a7aa9e7")
res = s.user.get_user_self()
