"""Measuring the scorer against labelled corpora: whole calls (tests/corpus/, tests/corpus_blind/,
tests/corpus_questions/) with a writer's judgement per section and pitfall, and excerpts labelled for one part of a
call (tests/corpus_concern/: the concern answered; tests/corpus_openings/: greeting, purpose, next steps;
tests/corpus_strengths/: a strength stated)."""

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


# What an excerpt corpus labels (a key of its [[item]]s) -> the section that label is about
OPENING_LABELS = {"greeting": "greeting", "purpose": "purpose", "next_steps": "next_steps"}  # tests/corpus_openings
STRENGTH_LABELS = {"states_strength": "strengths"}  # tests/corpus_strengths
CONCERN_LABELS = {"answers_concern": "clarifies"}  # tests/corpus_concern: an element of the questions section


@dataclass(frozen=True)
class ExcerptItem:
    """A few turns of a call (its opening, or from its middle), labelled by which sections the candidate performs."""

    name: str  # "l03-slug#2": the file and the item's place in it, from 1
    split: str  # the file's split: "tune" or "heldout"
    plan: Plan
    utterances: tuple[str, ...]
    sections: dict[str, bool]  # section id (or, for the concern, the element "clarifies") -> the writer's judgement


def load_excerpts(folder: Path, labels: dict[str, str]) -> list[ExcerptItem]:
    items = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        plan = plan_from_dict(data["plan"], path=path)
        for k, item in enumerate(data["item"], start=1):
            said = {section: bool(item[key]) for key, section in labels.items()}
            items.append(ExcerptItem(f"{path.stem}#{k}", data["split"], plan, tuple(item["candidate"]), said))
    return items


def evaluate_excerpts(items: Iterable[ExcerptItem], sections: Iterable[str]) -> Evaluation:
    """Each labelled section of each excerpt, scored as the whole of a (short) call."""
    ids = tuple(sections)
    counts = {s: Counts() for s in ids}
    errors: list[str] = []
    for item in items:
        result = score_call(list(item.utterances), item.plan)
        for s in ids:
            got = result.section(s).present
            counts[s] = counts[s].add(item.sections[s], got)
            if got != item.sections[s]:
                errors.append(f"{item.name}: {s} expected {item.sections[s]}, got {got}")
    return Evaluation(counts, {}, tuple(errors))


def load_concern_items(folder: Path) -> list[ExcerptItem]:
    """tests/corpus_concern: each excerpt labelled by whether it answers the concern (`sections["clarifies"]`, the
    questions section's answered-concern element)."""
    return load_excerpts(folder, CONCERN_LABELS)


def evaluate_concern(items: Iterable[ExcerptItem]) -> tuple[Counts, tuple[str, ...]]:
    """How often the questions section's answered-concern element agrees with the writer, and where it did not."""
    counts, errors = Counts(), []
    for item in items:
        questions = score_call(list(item.utterances), item.plan).section("questions")
        got = any(e.id == "clarifies" and e.matched for e in questions.elements)
        answered = item.sections["clarifies"]
        counts = counts.add(answered, got)
        if got != answered:
            errors.append(f"{item.name}: answers the concern expected {answered}, got {got}")
    return counts, tuple(errors)


def heldout_hash(folder: Path) -> str:
    """What `sha256sum $(grep -l 'split = "heldout"' *.toml | sort) | sha256sum` prints when run in the folder:
    proof that the frozen held-out files are the ones measured. Hashing reads the bytes; nothing is shown."""
    lines = []
    for path in sorted(folder.glob("*.toml"), key=lambda p: p.name):
        data = path.read_bytes()
        if b'split = "heldout"' in data:
            lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.name}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()
