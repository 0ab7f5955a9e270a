"""How the listener should hear the next answer, as the other side of the call wants it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListenPolicy:
    end_silence: float | None = None  # seconds of silence that end the next answer; None = the listener's default
    max_answer: float | None = None  # seconds before the listener cuts in (busy: ~25 s); None = its default
