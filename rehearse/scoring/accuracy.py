"""Measuring the scorer against a labelled corpus (tests/corpus/, tests/corpus_blind/): a writer's judgement per
section and pitfall."""

from __future__ import annotations

import hashlib
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


def pooled(counts: dict[str, Counts]) -> Counts:
    """Several tallies as one (all pitfalls together)."""
    total = Counts()
    for c in counts.values():
        total = Counts(total.tp + c.tp, total.fp + c.fp, total.fn + c.fn, total.tn + c.tn)
    return total


def heldout_hash(folder: Path) -> str:
    """What `sha256sum $(grep -l 'split = "heldout"' *.toml | sort) | sha256sum` prints when run in the folder:
    proof that the frozen held-out files are the ones measured. Hashing reads the bytes; nothing is shown."""
    lines = []
    for path in sorted(folder.glob("*.toml"), key=lambda p: p.name):
        data = path.read_bytes()
        if b'split = "heldout"' in data:
            lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.name}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()
