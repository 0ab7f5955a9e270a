"""Progress over time: per-section scores across saved rehearsals."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from rehearse.values import SECTION_IDS, Cues

# The delivery measures history follows: (key, name, unit, what is fine). The norms are the reports' (see
# report.delivery_view); history sits beside the reports, so they are only named here.
DELIVERY_TRENDS: tuple[tuple[str, str, str, str], ...] = (
    ("wpm", "Pace", " wpm", "100-165"),
    ("fillers_per_minute", "Fillers", "/min", "up to 5"),
    ("hedges_per_minute", "Hedges", "/min", "under 2"),
    ("range_semitones", "Pitch range", " st", "4 or more"),
    ("uptalk", "Uptalk", "", "none"),
    ("median_dbfs", "Volume", " dBFS", "above −40"),
    ("snr_db", "Above the room", " dB", "15 or more"),
    ("trailing_off", "Trailing off", "", "none"),
    ("response_delay", "Response delay", " s", "under 1"),
    ("overlaps", "Overlaps", "", "none"),
)


def format_measure(value: float | None, unit: str) -> str:
    """A trend's value for a table: counts (no unit) as whole numbers, the rest to one decimal."""
    if value is None:
        return "—"
    return f"{value:.0f}" if not unit else f"{value:.1f}{unit}"


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def delivery_measures(d: dict[str, Any]) -> tuple[tuple[str, float | None], ...]:
    """The measures of DELIVERY_TRENDS from a stored report's `delivery` object; None where it has none (typed
    calls, reports from before a measure existed)."""
    pitch: dict[str, Any] = d["pitch"] if isinstance(d.get("pitch"), dict) else {}
    volume: dict[str, Any] = d["volume"] if isinstance(d.get("volume"), dict) else {}
    delays = [x for x in d.get("response_delay") or [] if _num(x) is not None]
    uptalk, trailing = d.get("uptalk"), volume.get("trailing_off")
    values = {
        "wpm": _num(d.get("wpm")),
        "fillers_per_minute": _num(d.get("fillers_per_minute")),
        "hedges_per_minute": _num(d.get("hedges_per_minute")),
        "range_semitones": _num(pitch.get("range_semitones")),
        "uptalk": float(len(uptalk)) if isinstance(uptalk, list) else None,
        "median_dbfs": _num(volume.get("median_dbfs")),
        "snr_db": _num(volume.get("snr_db")),
        "trailing_off": float(len(trailing)) if isinstance(trailing, list) else None,
        "response_delay": round(statistics.median(delays), 2) if delays else None,
        "overlaps": _num(d.get("overlaps")),
    }
    return tuple((key, values[key]) for key, _, _, _ in DELIVERY_TRENDS)


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
    delivery: tuple[tuple[str, float | None], ...] = ()  # DELIVERY_TRENDS measures, None where not measured

    def section(self, section_id: str) -> int:
        return dict(self.sections).get(section_id, 0)

    def measure(self, key: str) -> float | None:
        return dict(self.delivery).get(key)


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
