curl -X POST "https://api.elevenlabs.io/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM" \
  -H "xi-api-key: sk_59ebf427d4d70d2cee54d72d97764fde55f49a30ae69263c" \
  -H "Content-Type: application/json" \
  -d '{"text": "Welcome aboard", "model_id": "eleven_turbo_v2_5"}' --output welcome.mp3
