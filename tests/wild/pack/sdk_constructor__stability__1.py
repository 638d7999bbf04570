from stability_sdk import client

stability_api = client.StabilityInference(
    key="sk-Q1va3SfFmcL6U50JL4uecH7LDot0VpLzpTnw5j481VlZCxjW",
    host="grpc.stability.ai:443",
    engine="stable-diffusion-xl-1024-v1-0",
)
