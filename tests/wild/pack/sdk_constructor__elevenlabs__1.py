from elevenlabs.client import ElevenLabs
from elevenlabs import play

client = ElevenLabs(api_key="sk_38053d2fb962e2b42f27f6bd39d67bb932e03879e4a4b36a")
audio = client.text_to_speech.convert(text="Hello there", voice_id="JBFqnCBsd6RMkjVDRZzb", model_id="eleven_multilingual_v2")
play(audio)
