"""Output and input types of the audio tasks (audio_classification, audio_to_audio,
automatic_speech_recognition, text_to_speech)."""

__all__: list[str] = []
