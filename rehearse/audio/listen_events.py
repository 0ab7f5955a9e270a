"""What listen() reports while it listens (rehearse.audio.endpoint): the events a status line, the incremental
transcriber and the loop follow, and how an answer ended."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rehearse.values import Audio

EndedBy = Literal["silence", "max_length", "no_speech", "end_of_stream", "interrupted"]


# Events for on_event. Times called `at` are seconds since listen() began.
@dataclass(frozen=True)
class Listening:
    """listen() has begun; calibration comes first."""


@dataclass(frozen=True)
class Calibrated:
    noise_floor_db: float  # the room's level; detection starts now


@dataclass(frozen=True)
class SpeechStarted:
    at: float


@dataclass(frozen=True)
class SpeechPaused:
    """Silent for pause_event seconds; the candidate may go on. A chance to transcribe the answer so far."""

    audio_so_far: Audio  # the answer up to the pause, plus post_roll
    pause_start: float  # seconds within audio_so_far where the pause began


@dataclass(frozen=True)
class SpeechGap:
    """The candidate is still talking, with no pause yet (every gap_event seconds): a chance to transcribe the
    answer so far in pieces, so the words at the final pause are few and quick to decode."""

    audio_so_far: Audio  # the answer so far
    at: float  # seconds within audio_so_far around which a quiet moment (between words) may be cut


@dataclass(frozen=True)
class SpeechEnded:
    ended_by: EndedBy
    at: float


@dataclass(frozen=True)
class Level:
    dbfs: float  # RMS level over the last level_interval, for a meter


Event = Listening | Calibrated | SpeechStarted | SpeechPaused | SpeechGap | SpeechEnded | Level
EventHandler = Callable[[Event], None]
