"""The spoken side of a rehearsal: a Voice that speaks, a Listener that hears, and the demo's synthetic candidate.

These adapt the device, endpoint and transcription modules to the loop's two Protocols, so the same Rehearsal
runs typed, live, on the virtual microphone in CI, and in the demo.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rehearse.audio.devices import EMPTY_BLOCK, FileMicrophone, Microphone, Speaker
from rehearse.audio.endpoint import (
    Calibrated,
    EndpointOptions,
    Event,
    Level,
    SpeechEnded,
    SpeechPaused,
    SpeechStarted,
    listen,
)
from rehearse.audio.tts import Synthesizer
from rehearse.loop import Heard
from rehearse.scenario import Line
from rehearse.stt import IncrementalTranscriber
from rehearse.values import SAMPLE_RATE, Audio

HOLD_OFF = 0.25  # after the interviewer stops, the room's echo of the speakers dies away before we listen
BEEP_HZ, BEEP_SECONDS = 1000.0, 0.4  # the voicemail tone
DEMO_LEAD_SILENCE = 0.8  # the synthetic candidate waits a beat (and lets the endpointer calibrate) before answering
DEMO_PEAK = 0.5  # the synthetic candidate's loudest sample, a healthy microphone level
DEMO_NOISE_DBFS = -62.0  # a quiet room rather than digital silence, so the endpointer calibrates on real noise
Status = Callable[[str], None]


def beep() -> Audio:
    t = np.arange(int(BEEP_SECONDS * SAMPLE_RATE)) / SAMPLE_RATE
    tone = 0.3 * np.sin(2 * np.pi * BEEP_HZ * t) * np.minimum(1.0, np.minimum(t, BEEP_SECONDS - t) / 0.02)
    return Audio(tone.astype(np.float32), SAMPLE_RATE)


def drain(mic: Microphone) -> int:
    """Throw away what the microphone heard while we were talking (half-duplex: laptop speakers echo into it)."""
    dropped = 0
    while True:
        block = mic.read(0.0)
        if block is None or len(block) == 0:
            return dropped
        dropped += len(block)


@dataclass
class SpokenVoice:
    """Synthesises each line in its role's voice and plays it; returns the audio for the saved rehearsal."""

    voices: dict[str, Synthesizer]  # role -> synthesizer; "interviewer" is the fallback
    speaker: Speaker
    mic: Microphone | None = None  # drained after speaking, so the interviewer is never heard as the candidate
    status: Status = lambda _text: None
    show: Callable[[Line], None] = lambda _line: None
    played: Callable[[float], None] = lambda _seconds: None  # told how long each line lasted (the demo's clock)

    def say(self, line: Line) -> Audio:
        synth = self.voices.get(line.role) or self.voices["interviewer"]
        audio = synth.synthesize(line.text)
        if line.sound == "beep":
            gap = np.zeros(int(0.3 * SAMPLE_RATE), dtype=np.float32)
            audio = Audio(np.concatenate([audio.samples, gap, beep().samples]), SAMPLE_RATE)
        self.show(line)
        self.status("interviewer speaking…")
        self.speaker.play(audio)
        self.played(audio.duration)
        if self.mic is not None:
            time.sleep(HOLD_OFF)
            drain(self.mic)
        return audio


class TeeMicrophone:
    """Passes blocks through, counting them, and appends each to a growing WAV when given one: an answer is on
    disk while it is being said."""

    def __init__(self, mic: Microphone, sink: Any = None) -> None:
        self.mic, self.sink = mic, sink
        self.sample_rate = mic.sample_rate
        self.samples = 0  # how much audio went through

    def read(self, timeout: float) -> np.ndarray | None:
        block = self.mic.read(timeout)
        if block is not None and len(block):
            self.samples += len(block)
            if self.sink is not None:
                self.sink.append(block)
        return block


@dataclass
class SpokenListener:
    """Hears one answer: endpointing on the microphone, transcribing at pauses, finishing the tail at the end."""

    mic: Microphone
    stt: IncrementalTranscriber
    options: EndpointOptions = field(default_factory=EndpointOptions)
    status: Status = lambda _text: None
    warn: Status = lambda _text: None
    begin_answer: Callable[[], Any] | None = None  # returns an open WavAppender for the partial answer
    before_listen: Callable[[], bool] = lambda: True  # False: nobody is left to answer (the demo's script ran out)
    heard: Callable[[float], None] = lambda _seconds: None  # told how much audio each listen consumed

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Calibrated):
            self.status("listening… (speak when ready)")
        elif isinstance(event, SpeechStarted):
            self.status("hearing you…")
        elif isinstance(event, SpeechPaused):
            self.stt.feed_prefix(event.audio_so_far, event.pause_start)
        elif isinstance(event, Level):
            self.status(f"listening  {meter(event.dbfs)}")
        elif isinstance(event, SpeechEnded):
            self.status("heard you — thinking…")

    def listen(self) -> Heard | None:
        if not self.before_listen():
            return None
        sink = self.begin_answer() if self.begin_answer else None
        tee = TeeMicrophone(self.mic, sink)
        started = time.monotonic()
        try:
            capture = listen(tee, self.options, self._on_event)  # type: ignore[arg-type]
        finally:
            if sink is not None:
                sink.close()
        self.heard(tee.samples / SAMPLE_RATE)
        if capture.ended_by == "end_of_stream" and not len(capture.audio.samples):
            self.stt.reset()
            return None
        if capture.clipped:
            self.warn("your microphone is clipping: move back a little or turn its input level down")
        if capture.too_quiet and len(capture.audio.samples):
            self.warn("you are very quiet: move closer to the microphone or turn its input level up")
        if not len(capture.audio.samples):
            self.stt.reset()
            return Heard("", note="no speech", started=started)
        self.status("transcribing…")
        transcript = self.stt.finish(capture.audio)
        note = {"max_length": "cut at the maximum answer length"}.get(capture.ended_by, "")
        return Heard(transcript.text, transcript.words, capture.audio, note, started=None)


def meter(dbfs: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, (dbfs + 60.0) / 60.0)) * width)
    return "▮" * filled + "▯" * (width - filled)


class ScriptedMicrophone:
    """The demo's candidate: each answer is synthesised in another voice and served like live audio."""

    def __init__(self, voice: Synthesizer, lines: list[str], *, realtime: bool = False, speaker: Speaker | None = None):
        self.voice, self.lines, self.realtime, self.speaker = voice, list(lines), realtime, speaker
        self.sample_rate = SAMPLE_RATE
        self._current: FileMicrophone | None = None
        self._rng = np.random.default_rng(7)

    def next_answer(self, text: str | None = None) -> bool:
        """Load the next scripted line (or `text`); False when the script is finished."""
        if text is None:
            if not self.lines:
                self._current = None
                return False
            text = self.lines.pop(0)
        spoken = self.voice.synthesize(text)
        peak = float(np.max(np.abs(spoken.samples))) if len(spoken.samples) else 0.0
        level = DEMO_PEAK / peak if peak > 0 else 1.0  # espeak renders at full scale; a real mic sits well below
        lead = np.zeros(int(DEMO_LEAD_SILENCE * SAMPLE_RATE), dtype=np.float32)
        samples = np.concatenate([lead, spoken.samples * level])
        noise = self._rng.normal(0.0, 10 ** (DEMO_NOISE_DBFS / 20), len(samples)).astype(np.float32)
        clip = Audio(samples + noise, SAMPLE_RATE)
        if self.speaker is not None:
            self.speaker.play(spoken)  # so a person watching the demo hears the candidate too
        self._current = FileMicrophone(clip, realtime=self.realtime and self.speaker is None)
        self._current.__enter__()
        return True

    def read(self, timeout: float) -> np.ndarray | None:
        if self._current is None:
            return None
        block = self._current.read(timeout)
        if block is None:
            # After the answer the room stays quiet until the next one: the endpointer sees silence, not the end.
            noise = self._rng.normal(0.0, 10 ** (DEMO_NOISE_DBFS / 20), int(0.02 * SAMPLE_RATE))
            return noise.astype(np.float32)
        return block if len(block) else EMPTY_BLOCK


class AudioClock:
    """Session time counted in audio, for the demo: it runs faster than real time, yet turn times stay true."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += max(0.0, seconds)
