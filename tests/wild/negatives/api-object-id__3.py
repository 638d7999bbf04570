import os
from elevenlabs.client import ElevenLabs

client = ElevenLabs(api_key=os.getenv("ELEVENLABS_API_KEY"))

# premade voices from the ElevenLabs voice library (public ids)
VOICES = {
    "george": "JBFqnCBsd6RMkjVDRZzb",
    "rachel": "21m00Tcm4TlvDq8ikWAM",
    "sarah": "EXAVITQu4vr4xnSDxMaL",
    "narrator_clone": "Fm9kKocEGq5dY61ZcV1T",  # our instant clone, id only
}

audio = client.text_to_speech.convert(
    voice_id=VOICES["george"],
    model_id="eleven_multilingual_v2",
    output_format="mp3_44100_128",
    text="Your sticker pack is ready.",
    previous_request_ids=["2O7POBZxvu67wtw2ErYx", "hQYaj5mr8GlpTvxC5UNx"],
)
