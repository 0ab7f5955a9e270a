"""Measuring the scorer against the labelled corpus in tests/corpus/ (a coach's judgement per section and pitfall)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rehearse.plan import Plan, plan_from_dict
from rehearse.scoring.scorer import score_call
from rehearse.values import PITFALL_IDS, SECTION_IDS, CallScore


@dataclass(frozen=True)
class LabelledCall:
    name: str
    split: str  # "tune" (rubric may be adjusted on it) or "heldout" (never tuned on)
    kind: str  # "call" or "voicemail"
    plan: Plan | None
    utterances: tuple[str, ...]
    sections: dict[str, bool]
    pitfalls: frozenset[str]


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, guess: bool) -> Counts:
        return Counts(
            self.tp + (truth and guess),
            self.fp + (guess and not truth),
            self.fn + (truth and not guess),
            self.tn + (not truth and not guess),
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_corpus(folder: Path) -> list[LabelledCall]:
    calls = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        labels = data["labels"]
        utterances = labels.get("candidate", data.get("candidate", []))
        plan = plan_from_dict(data["plan"], path=path) if "plan" in data else None
        calls.append(
            LabelledCall(
                path.stem,
                data["split"],
                data.get("kind", "call"),
                plan,
                tuple(utterances),
                {s: bool(labels[s]) for s in SECTION_IDS},
                frozenset(labels.get("pitfalls", [])),
            )
        )
    return calls


@dataclass(frozen=True)
class Evaluation:
    sections: dict[str, Counts]
    pitfalls: dict[str, Counts]
    errors: tuple[str, ...]  # "file: section expected/got" lines, for tuning

    @property
    def macro_f1(self) -> float:
        return sum(c.f1 for c in self.sections.values()) / len(self.sections)


def evaluate(calls: Iterable[LabelledCall]) -> Evaluation:
    sections = {s: Counts() for s in SECTION_IDS}
    pitfalls = {p: Counts() for p in PITFALL_IDS}
    errors: list[str] = []
    for call in calls:
        result: CallScore = score_call(list(call.utterances), call.plan)
        found = {p.id for p in result.pitfalls}
        for s in SECTION_IDS:
            got = result.section(s).present
            sections[s] = sections[s].add(call.sections[s], got)
            if got != call.sections[s]:
                errors.append(f"{call.name}: {s} expected {call.sections[s]}, got {got}")
        for p in PITFALL_IDS:
            pitfalls[p] = pitfalls[p].add(p in call.pitfalls, p in found)
            if (p in call.pitfalls) != (p in found):
                errors.append(f"{call.name}: pitfall {p} expected {p in call.pitfalls}, got {p in found}")
    return Evaluation(sections, pitfalls, tuple(errors))
