"""Has the candidate finished? The end of a turn judged from the words as well as the silence.

A fixed silence cannot serve both ends: long enough not to cut a thinking pause (1.2 s and more) is far too slow
for a reply after a finished sentence (people answer within ~0.2-0.5 s). The answer so far is already being
transcribed at every pause (stt.IncrementalTranscriber), so its last words are known a few hundred milliseconds
into the pause: a complete sentence or a question ends the turn after a short silence; a thought left hanging on
"and", "because", "the", "um" or a comma waits much longer; while the words are not known yet, the middle value
applies. The word list lives in prompts/turn_end.toml.

Measured by bench/bench_conversation.py (robot candidate through the virtual microphone, see its docstring) and
the offline comparison recorded there; the thresholds below are those figures' choice.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rehearse.resources import prompts_dir
from rehearse.values import Transcript

Verdict = Literal["complete", "hanging", "unknown"]

COMPLETE_SILENCE = 0.55  # seconds of silence that end a turn whose words are a finished sentence or a question
HANGING_SILENCE = 1.8  # ... whose words are left hanging: thinking pauses of 1.2 s and more are kept whole
UNKNOWN_SILENCE = 1.0  # ... while the words are not known yet (the transcription of the pause is still running)
# A prefix transcription belongs to the current pause when its cut lies no earlier than this before the pause.
CUT_TOLERANCE = 0.2
_FINAL = re.compile(r"[.!?]['\")\]]*$")
_WORD = re.compile(r"[\w']+")


@functools.lru_cache(maxsize=1)
def hanging_words() -> frozenset[str]:
    data = tomllib.loads((prompts_dir() / "turn_end.toml").read_text("utf-8"))
    return frozenset(str(w).lower() for w in data["hanging"])


def verdict(text: str) -> Verdict:
    """Whether the words so far end a thought: final punctuation, and a last word that needs nothing after it."""
    text = text.strip()
    if not text:
        return "unknown"
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not words or words[-1] in hanging_words() or text.endswith((",", "-", "—", "…", "...", ":")):
        return "hanging"
    return "complete" if _FINAL.search(text) else "hanging"


@dataclass(frozen=True)
class TurnEndTimes:
    """Seconds of silence that end a turn, by what the words say."""

    complete: float = COMPLETE_SILENCE
    hanging: float = HANGING_SILENCE
    unknown: float = UNKNOWN_SILENCE

    def of(self, v: Verdict) -> float:
        return {"complete": self.complete, "hanging": self.hanging, "unknown": self.unknown}[v]


PrefixLookup = Callable[[float], "Transcript | None"]


class TurnEndJudge:
    """The endpointer's TurnJudge for one answer: asks the transcriber what was said up to the current pause.

    `prefix_at(pause_start)` returns the finished transcript of the answer up to a cut inside that pause, or None
    while it is still being decoded (IncrementalTranscriber.prefix_at). `on_complete` hears the words once per
    pause when they end a thought, so the reply can be prepared while the silence runs out.
    """

    def __init__(
        self,
        prefix_at: PrefixLookup,
        times: TurnEndTimes | None = None,
        on_complete: Callable[[str], None] | None = None,
    ) -> None:
        self.prefix_at, self.times, self.on_complete = prefix_at, times or TurnEndTimes(), on_complete
        self._judged: tuple[float, Verdict] | None = None  # (pause start, verdict) once the words are known
        self.verdicts: list[tuple[float, Verdict]] = []  # every pause's final verdict, for tests and benches

    def end_silence(self, pause_start: float) -> float:
        if self._judged is not None and self._judged[0] == pause_start:
            return self.times.of(self._judged[1])
        prefix = self.prefix_at(pause_start - CUT_TOLERANCE)
        if prefix is None:
            return self.times.unknown
        v = verdict(prefix.text)
        self._judged = (pause_start, v)
        self.verdicts.append(self._judged)
        if v == "complete" and self.on_complete is not None:
            self.on_complete(prefix.text)
        return self.times.of(v)
