"""Text to speech: the interviewer's voice (and the synthetic candidate's in the demo).

pyttsx3 drives libespeak-ng in-process. It can only synthesise to a file (22,050 Hz, 16-bit), so each line is
rendered to a temporary WAV, read back at 16 kHz and kept in a disk cache: an interview repeats its lines, and a
cached line costs one file read.

Three pyttsx3 2.99 / espeak-ng 1.51 quirks shape `_render` (each measured here):
- runAndWait() returns ~10 ms after the line was queued, not when the WAV is written (espeak's own thread writes
  it later, so a long line was read before it existed). We wait for pyttsx3's "finished-utterance" notice, which
  comes after the write.
- espeak runs asynchronously, and rate and pitch changes wait in its queue: a changed rate took effect up to ten
  lines late. After setting them we ask espeak to drain its queue and poll until its current values match.
- save_to_file prints "Audio saved to ..." from espeak's thread, so stdout stays redirected until the line is done.

Private API, on purpose: the second quirk has no public cure. pyttsx3's setProperty only queues a change until
runAndWait, and its GetParameter binding drops espeak's `current` flag, so we call libespeak-ng through pyttsx3's
own binding (`pyttsx3.drivers._espeak`: SetVoiceByName, SetParameter, Synchronize, Info, and
`dll.espeak_GetParameter`). A second ctypes binding of our own would load the library twice in one process and
fight pyttsx3 over espeak's global state. So pyttsx3 is pinned to the 2.x line these were read from (>=2.99,<3),
and tests/test_tts.py::test_private_espeak_binding_is_still_there fails loudly, naming the attribute, if an
upgrade moves one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rehearse.audio.wav import read_wav, write_wav
from rehearse.errors import EngineError, InputFileError
from rehearse.values import SAMPLE_RATE, Audio

INSTALL_ESPEAK = "install it with `sudo apt-get install espeak-ng`"
CACHE_FORMAT = 1  # bump to invalidate every cached line after a change to how lines are rendered
WAV_HEADER_BYTES = 44  # a file no bigger than this holds no samples
RENDER_TIMEOUT_SECONDS = 30.0  # espeak renders a sentence in ~10 ms; this only stops a wedged engine hanging us
SETTINGS_TIMEOUT_SECONDS = 2.0  # how long espeak may take to apply a rate or pitch change
SETTINGS_POLL_SECONDS = 0.001
DEFAULT_VOICE = "gmw/en"  # espeak-ng's own default voice, used when none is asked for
DEFAULT_RATE = 200  # espeak-ng's default words per minute
DEFAULT_PITCH = 50  # espeak-ng's neutral pitch


class Synthesizer(Protocol):
    def synthesize(self, text: str) -> Audio: ...


@dataclass(frozen=True)
class VoiceSettings:
    """One speaking voice."""

    voice: str | None  # espeak voice id ("gmw/en-us") or part of its name ("America"); None = engine default
    rate: int | None  # words per minute; None = engine default (200, brisk)
    pitch: int | None = None  # espeak pitch 0..100, 50 is the voice's own


# Two clearly different English speakers for the demo: an American interviewer at an unhurried interview pace and
# a higher-pitched British candidate a little slower, so a listener can always tell who is talking.
INTERVIEWER_VOICE = VoiceSettings(voice="gmw/en-us", rate=165, pitch=40)
CANDIDATE_VOICE = VoiceSettings(voice="gmw/en-gb-x-rp", rate=150, pitch=65)

# pyttsx3 keeps one espeak instance per process and its property setters are global, so two synthesizers (the two
# demo voices) must not interleave their set-properties-then-render sequences.
_ENGINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Engine:
    """The process's one pyttsx3 engine, and what we need around it."""

    engine: Any
    version: str  # part of every cache key
    finished: threading.Event  # set by pyttsx3 once a line's WAV has been written
    espeak: Any  # pyttsx3's ctypes binding of libespeak-ng


@functools.lru_cache(maxsize=1)
def _shared_engine() -> _Engine:
    try:
        import pyttsx3
    except ImportError as exc:
        raise EngineError(
            f"the text-to-speech package pyttsx3 is missing; `pip install pyttsx3`, and {INSTALL_ESPEAK}"
        ) from exc
    try:
        engine = pyttsx3.init()
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError, RuntimeError) as exc:  # pyttsx3 raises RuntimeError when libespeak-ng is absent
        raise EngineError(f"the speech synthesizer espeak-ng is not installed; {INSTALL_ESPEAK}") from exc
    finished = threading.Event()
    engine.connect("finished-utterance", lambda **_info: finished.set())
    raw = _espeak.Info()
    espeak_version = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    version = f"pyttsx3 {importlib.metadata.version('pyttsx3')} espeak {espeak_version}"
    return _Engine(engine, version, finished, _espeak)


def _resolve_voice(engine: Any, spec: str | None) -> str | None:
    """An espeak voice id from an id, an id's last part ("en-us") or a case-insensitive part of the name."""
    if spec is None or not spec.strip():
        return None
    voices = engine.getProperty("voices")
    needle = spec.strip().lower()
    for v in voices:
        if needle in (v.id.lower(), v.id.lower().rsplit("/", 1)[-1]):
            return str(v.id)
    named = [v for v in voices if needle in str(v.name).lower()]
    if named:
        # "english" or "america" match several voices; the shortest name is the plain one, not a regional variant.
        return str(min(named, key=lambda v: len(str(v.name))).id)
    english = ", ".join(f"{v.id} ({v.name})" for v in voices if "english" in str(v.name).lower())
    raise EngineError(f"no text-to-speech voice matches '{spec}'; choose one of: {english}")


class Pyttsx3Synthesizer:
    """espeak-ng through pyttsx3, with a disk cache."""

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        cache_dir: Path | None = None,
        *,
        pitch: int | None = None,
    ) -> None:
        self._shared = _shared_engine()
        self._engine, self.engine_version = self._shared.engine, self._shared.version
        self.voice = _resolve_voice(self._engine, voice) or DEFAULT_VOICE
        self.rate = DEFAULT_RATE if rate is None else int(rate)
        self.pitch = DEFAULT_PITCH if pitch is None else int(pitch)
        self.cache_dir = cache_dir
        self.renders = 0  # lines actually synthesised (cache misses), for tests and diagnostics
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_settings(cls, settings: VoiceSettings, cache_dir: Path | None = None) -> Pyttsx3Synthesizer:
        return cls(settings.voice, settings.rate, cache_dir, pitch=settings.pitch)

    def cache_key(self, text: str) -> str:
        parts = [CACHE_FORMAT, text.strip(), self.voice, self.rate, self.pitch, self.engine_version, SAMPLE_RATE]
        return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()

    def synthesize(self, text: str) -> Audio:
        text = text.strip()
        if not any(ch.isalnum() for ch in text):  # nothing to say ("", "...")
            return Audio(np.zeros(0, dtype=np.float32), SAMPLE_RATE)
        cached = self._cache_path(text)
        if cached is not None and cached.exists():
            with contextlib.suppress(InputFileError):  # a damaged cache entry is simply rendered again
                return read_wav(cached)
        audio = self._render(text)
        if cached is None:
            return audio
        write_wav(cached, audio)
        return read_wav(cached)  # 16-bit, exactly what a later cache hit returns

    def _cache_path(self, text: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{self.cache_key(text)}.wav"

    def _render(self, text: str) -> Audio:
        fd, name = tempfile.mkstemp(prefix="rehearse-tts-", suffix=".wav")
        os.close(fd)
        try:
            with _ENGINE_LOCK:
                self._apply_settings()
                self._shared.finished.clear()
                with contextlib.redirect_stdout(io.StringIO()):
                    self._engine.save_to_file(text, name)
                    self._engine.runAndWait()
                    done = self._shared.finished.wait(RENDER_TIMEOUT_SECONDS)
            self.renders += 1
            if not done or os.path.getsize(name) <= WAV_HEADER_BYTES:
                raise EngineError(f"espeak-ng produced no audio for {text[:40]!r}; check that `espeak-ng hello` works")
            return read_wav(name)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)

    def _apply_settings(self) -> None:
        # Straight to libespeak-ng, every time and all three: another synthesizer may have changed the shared
        # engine, and pyttsx3's own setProperty queues the change until runAndWait on a fresh engine.
        espeak = self._shared.espeak
        # espeak-ng changes the voice at once, not through its queue, so a voice swapped while its own thread is
        # still finishing the last line (the "finished" notice comes from inside that line's last callback) swaps
        # the tables under it: one CI run crashed in Synth just after the candidate voice replaced the
        # interviewer's. Let that thread go idle first.
        espeak.Synchronize()
        if espeak.SetVoiceByName(self.voice.encode("utf-8")) != 0:
            raise EngineError(f"espeak-ng cannot load the voice {self.voice!r}; reinstall espeak-ng-data")
        espeak.SetParameter(espeak.RATE, self.rate, 0)
        espeak.SetParameter(espeak.PITCH, self.pitch, 0)
        espeak.Synchronize()
        # Wait until espeak's queue has really applied them. pyttsx3's GetParameter binding drops the `current`
        # flag, so ask the library directly.
        current = espeak.dll.espeak_GetParameter
        deadline = time.monotonic() + SETTINGS_TIMEOUT_SECONDS
        wanted = ((espeak.RATE, self.rate), (espeak.PITCH, self.pitch))
        while any(current(param, 1) != value for param, value in wanted):
            if time.monotonic() > deadline:
                raise EngineError("espeak-ng did not take the voice settings; check that `espeak-ng hello` works")
            time.sleep(SETTINGS_POLL_SECONDS)
