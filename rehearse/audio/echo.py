"""Our own voice in the microphone: on a laptop the mic hears the speakers, so the interviewer's line comes back
as "speech". The guard remembers every clip we played and when it was heard, learns how loud that echo arrives in
the microphone, and lets the endpointer count a frame as the candidate only when it is clearly louder than the echo
expected at that moment. Stretches of an answer's clip that hold only echo are muted before transcription, so the
interviewer's words are never transcribed as the candidate's.

This is a level gate on our own playback, not an echo canceller: the input stays open for the whole call (an answer
that starts 0.1 s after the interviewer stops, or overlaps its end, is kept from its first word) and needs nothing
installed. The figures behind the constants are in bench/bench_conversation.py's docstring.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rehearse.audio.levels import SILENT_DB, rms_db
from rehearse.values import SAMPLE_RATE, Audio

REF_FRAME = 0.01  # seconds per level of the played clip
# The echo arrives this long after we think a sample was heard: output and input latencies we cannot see, the
# room's reverberation, PulseAudio's loopback (measured 20-60 ms on the virtual microphone). A mic frame is compared
# with the loudest played frame within this window before it.
ECHO_WINDOW = 0.25
ECHO_TAIL = 0.3  # after a clip ends its echo may ring this long
DEFAULT_GAIN_DB = -6.0  # before anything is learned: assume a loud laptop, echo only 6 dB below what we played
MARGIN_DB = 9.0  # a frame must be this far above the expected echo to be the candidate
LOUD_REF_DB = -40.0  # only played frames this loud teach the echo gain (quiet ones are dominated by room noise)
MIN_OBSERVATIONS = 10  # frames needed before the learned gain replaces the default
# The gain is learned only over the first second of each line: people rarely talk over the start of a sentence,
# whereas a candidate who talks over its end would otherwise teach the guard that their own voice is echo.
LEARN_SECONDS = 1.0
KEEP_OBSERVATIONS = 400  # the gain follows the last ~13 s of playback (32 ms frames)
MIN_GAIN_DB = -80.0
GAIN_PERCENTILE = 90


@dataclass(frozen=True)
class Played:
    """One clip we played: when its first sample was heard, and its level envelope."""

    start: float  # monotonic seconds
    levels: np.ndarray  # dBFS per REF_FRAME of the clip

    @property
    def end(self) -> float:
        return self.start + len(self.levels) * REF_FRAME


def envelope(audio: Audio) -> np.ndarray:
    """dBFS per REF_FRAME of a clip."""
    hop = max(1, round(REF_FRAME * audio.sample_rate))
    n = len(audio.samples) // hop
    frames = np.asarray(audio.samples[: n * hop], dtype=np.float64).reshape(n, hop)
    power = np.mean(frames * frames, axis=1)
    with np.errstate(divide="ignore"):
        return np.maximum(SILENT_DB, 10.0 * np.log10(power)).astype(np.float32)


class EchoGuard:
    """For one call: what was played and how loud its echo is. Thread-safe: the speaker registers clips from the
    playing thread while the listener reads."""

    def __init__(self, margin_db: float = MARGIN_DB, default_gain_db: float = DEFAULT_GAIN_DB) -> None:
        self.margin_db, self.default_gain_db = margin_db, default_gain_db
        self._played: deque[Played] = deque(maxlen=8)
        self._gains: deque[float] = deque(maxlen=KEEP_OBSERVATIONS)
        self._lock = threading.Lock()

    def played(self, start: float, audio: Audio) -> None:
        with self._lock:
            self._played.append(Played(start, envelope(audio)))

    def stopped(self, at: float) -> None:
        """The newest clip was cut off at `at`: nothing after that can echo."""
        with self._lock:
            if self._played and self._played[-1].end > at:
                p = self._played[-1]
                self._played[-1] = Played(p.start, p.levels[: max(0, int((at - p.start) / REF_FRAME))])

    @property
    def gain_db(self) -> float:
        """Echo level relative to what was played, learned from frames heard during playback."""
        with self._lock:
            gains = list(self._gains)
        if len(gains) < MIN_OBSERVATIONS:
            return self.default_gain_db
        # A high percentile, not the median: the quiet gaps between words pull the median far below the echo of
        # the words themselves, and then the loudest echo passes for the candidate.
        return max(MIN_GAIN_DB, float(np.percentile(gains, GAIN_PERCENTILE)))

    def _reference(self, t0: float, t1: float) -> tuple[float, float] | None:
        """(loudest played level that can echo into [t0, t1], seconds since that clip started); None: silence."""
        with self._lock:
            played = list(self._played)
        best: tuple[float, float] | None = None
        for p in played:
            lo, hi = t0 - ECHO_WINDOW, t1
            if hi < p.start or lo > p.end + ECHO_TAIL:
                continue
            a = max(0, int((lo - p.start) / REF_FRAME))
            b = min(len(p.levels), int((hi - p.start) / REF_FRAME) + 1)
            level = float(p.levels[a:b].max()) if b > a else SILENT_DB
            if best is None or level > best[0]:
                best = (level, t0 - p.start)
        return best

    def reference_db(self, t0: float, t1: float) -> float | None:
        """The loudest played level that can echo into [t0, t1]; None when nothing played could be heard then."""
        ref = self._reference(t0, t1)
        return None if ref is None else ref[0]

    def is_echo(self, t0: float, t1: float, level_db: float, *, learn: bool = True) -> bool:
        """Whether a mic frame heard over [t0, t1] at level_db is explained by our playback; learns the echo gain
        (not when asked by the barge-in watch, which sees the same frames as the endpointer)."""
        found = self._reference(t0, t1)
        if found is None:
            return False
        ref, into_clip = found
        if learn and ref >= LOUD_REF_DB and 0.0 <= into_clip <= LEARN_SECONDS:
            with self._lock:
                self._gains.append(level_db - ref)
        return level_db <= ref + self.gain_db + self.margin_db

    def view(self, time_at: Callable[[int], float | None]) -> StreamEcho:
        """The EchoCheck for one listen(): `time_at` maps its stream positions to monotonic time."""
        return StreamEcho(self, time_at)


@dataclass
class StreamEcho:
    """An EchoGuard seen through one stream's clock (rehearse.audio.endpoint.EchoCheck)."""

    guard: EchoGuard
    time_at: Callable[[int], float | None]  # stream sample index -> monotonic seconds (None: no wall clock)

    def is_echo(self, start: int, frame: np.ndarray) -> bool:
        t0 = self.time_at(start)
        if t0 is None:
            return False
        return self.guard.is_echo(t0, t0 + len(frame) / SAMPLE_RATE, rms_db(frame))

    def clean(self, start: int, samples: np.ndarray) -> np.ndarray:
        t0 = self.time_at(start)
        if t0 is None or self.guard.reference_db(t0, t0 + len(samples) / SAMPLE_RATE) is None:
            return samples
        out = samples.copy()
        hop = round(REF_FRAME * SAMPLE_RATE)
        gain = self.guard.gain_db
        for i in range(0, len(out), hop):
            frame = out[i : i + hop]
            a = t0 + i / SAMPLE_RATE
            ref = self.guard.reference_db(a, a + len(frame) / SAMPLE_RATE)
            if ref is not None and rms_db(frame) <= ref + gain + self.guard.margin_db:
                out[i : i + hop] = 0.0
        return out
