"""The one online engine: Google's free web speech API through SpeechRecognition, used only when asked for."""

from __future__ import annotations

import logging

from rehearse.audio.wav import to_pcm16
from rehearse.errors import EngineError
from rehearse.values import Audio, Hints, Transcript

log = logging.getLogger(__name__)

ONLINE_WARNING = (
    "online recognition sends the recording of your answers to Google's speech service; "
    "leave --online out to keep audio on this machine"
)


class OnlineTranscriber:
    """Google's free web speech API through SpeechRecognition. Audio leaves the machine, so it must be asked for."""

    name = "google-web-speech"

    def __init__(self, *, allow_online: bool = False, language: str = "en-US") -> None:
        if not allow_online:
            raise EngineError(f"online recognition is off: {ONLINE_WARNING}; pass --online to accept that")
        self.language = language  # BCP-47 tag for the service
        self.warning = ONLINE_WARNING  # for the UI to show before the first turn
        log.warning(ONLINE_WARNING)

    def transcribe(self, audio: Audio, *, hints: Hints | None = None) -> Transcript:
        """Hints are ignored: the free endpoint takes no phrase list."""
        try:
            import speech_recognition as sr
        except ImportError as exc:
            raise EngineError("online recognition needs SpeechRecognition: pip install 'rehearse[online]'") from exc
        pcm = to_pcm16(audio.samples).tobytes()
        data = sr.AudioData(pcm, audio.sample_rate, 2)
        try:
            text = sr.Recognizer().recognize_google(data, language=self.language)
        except sr.UnknownValueError:  # the service heard no words
            text = ""
        except sr.RequestError as exc:
            raise EngineError(
                f"online recognition failed ({exc}); check the internet connection or leave --online out"
            ) from exc
        return Transcript(str(text).strip(), (), self.name, audio.duration)
