"""Small pieces every report format shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rehearse.values import Contour, ElementMatch, SectionScore, Session

BAR_FULL, BAR_EMPTY = "█", "░"
# Reading a section score: a rehearsal is a practice run, so the words encourage as much as they judge.
VERDICTS = ((90, "ready to call"), (75, "nearly there"), (50, "getting there"), (0, "keep practising"))


@dataclass(frozen=True)
class ReportContext:
    """What a report may show beyond the score and the plan, when it is the report of a saved rehearsal."""

    session: Session | None = None  # its turns (the transcript turn by turn) and its id
    audio: Mapping[int, bytes] = field(default_factory=dict)  # turn index -> WAV bytes, for the HTML audio players
    partial: str = ""  # a notice that the rehearsal stopped while an answer was being recorded
    contours: Mapping[int, Contour] = field(default_factory=dict)  # turn index -> pitch and loudness, for HTML


def bar(score: int, width: int = 20) -> str:
    filled = round(max(0, min(100, score)) * width / 100)
    return BAR_FULL * filled + BAR_EMPTY * (width - filled)


def verdict(score: int) -> str:
    return next(text for floor, text in VERDICTS if score >= floor)


def unique_evidence(section: SectionScore) -> list[ElementMatch]:
    """Matched elements with distinct quotes; one phrase often shows two elements at once. An element met by what
    the interviewer said (they raised the concern, so the candidate need not) has no quote."""
    seen: set[tuple[int, int]] = set()
    out = []
    for e in sorted(section.evidence, key=lambda e: e.start):
        if e.start >= e.end or any(e.start >= a and e.end <= b for a, b in seen):
            continue
        seen.add((e.start, e.end))
        out.append(e)
    return out
