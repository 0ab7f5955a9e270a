"""Progress over time: per-section scores across saved rehearsals."""

from __future__ import annotations

from dataclasses import dataclass, field

from rehearse.values import SECTION_IDS, Cues


@dataclass(frozen=True)
class HistoryPoint:
    """One saved rehearsal's latest scores."""

    session_id: str
    started: str  # ISO 8601
    position: str  # from the plan, "" when none
    scenario: str
    overall: int
    sections: tuple[tuple[str, int], ...]  # (section id, score) in guide order
    complete: bool = True
    cues: Cues = field(default_factory=Cues)  # what was shown while answering; empty before cues existed

    def section(self, section_id: str) -> int:
        return dict(self.sections).get(section_id, 0)


@dataclass(frozen=True)
class History:
    points: tuple[HistoryPoint, ...]  # oldest first

    def best(self, section_id: str) -> int:
        return max((p.section(section_id) for p in self.points), default=0)

    def latest(self, section_id: str) -> int:
        return self.points[-1].section(section_id) if self.points else 0

    def practise_next(self) -> str | None:
        """The section to work on: lowest in the latest rehearsal, ties broken by the lowest best."""
        if not self.points:
            return None
        return min(SECTION_IDS, key=lambda s: (self.latest(s), self.best(s), SECTION_IDS.index(s)))
