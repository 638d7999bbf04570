from elevenlabs import generate, play, set_api_key

set_api_key("8be1cb0b1d8cf6b64862b645c70c7214")
audio = generate(text="Old SDK still works", voice="Bella")
play(audio)
