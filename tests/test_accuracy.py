"""The scorer against the three labelled corpora (the writers' judgement). Guards the tuning figures bench/accuracy.py
prints; the held-out parts are measured by the bench only, and their mistakes are never shown here."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehearse.scoring.accuracy import (
    OPENING_LABELS,
    STRENGTH_LABELS,
    evaluate,
    evaluate_concern,
    evaluate_excerpts,
    heldout_hash,
    load_concern_items,
    load_corpus,
    load_excerpts,
    pooled,
)
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
BLIND = ROOT / "tests" / "corpus_blind"
QUESTIONS = ROOT / "tests" / "corpus_questions"
BLIND_HELDOUT_SHA256 = "6e0f3db05416423dc6d844ab21156522bd52ca2ef8d00cfb4ba67fb151dadbb8"  # see bench/accuracy.py
QUESTIONS_HELDOUT_SHA256 = "ef3c7027a1e1fc148c8bb0151ffe350d284b09d057440568a6f352a6bd74b545"
CONCERN = ROOT / "tests" / "corpus_concern"
OPENINGS = ROOT / "tests" / "corpus_openings"
STRENGTHS = ROOT / "tests" / "corpus_strengths"
STRENGTHS_HELDOUT_SHA256 = "13f0fc25203a50429577f03f2b71c853a1f9b32c06c50d59d56e04ddfb5eeb79"
CONCERN_HELDOUT_SHA256 = "2f099afd139d2c1d17b52970f80fe11f77361cd545d044b6638aaa47a4cdfb33"
OPENINGS_HELDOUT_SHA256 = "37c332687e941f344b49d5dc9cbbafab19a7ddbb52fb562c966c381b612601c5"
CALLS = ROOT / "tests" / "corpus_calls"
CALLS_HELDOUT_SHA256 = "e5113b6a60ad62e10a5afffa3b33f39477b105043083f0e4744da7ce2bbd8c2a"

# Per corpus, the lowest tuning figures allowed: (section macro F1, lowest section F1, pooled pitfall precision and
# recall, lowest per-pitfall precision and recall). Measured when last tuned:
# - first: macro 0.996 (strengths 0.986: 42-librarian, whose writer keeps a record given in answer to the concern
#   out of strengths, which the questions corpus's writer counts in; lowest other section greeting 0.991),
#   pitfalls 1.00 / 1.00.
# - blind: macro 0.996 (159 calls; lowest section strengths 0.991), pitfalls 0.97 / 0.96 (1.00 / 1.00 on the 144
#   first tuned on, unprepared 26/26; with d31-d45, kept back and measured once, unprepared 0.93 / 0.93).
# - questions: macro 0.981 on its 30 tuning calls (strengths 18/0/0, questions 20/0/0; lowest section closing 0.941,
#   a bare "Thanks" judged no closing), pitfalls 0.88 / 0.88 on only 8 labelled pitfalls, so no per-pitfall bound.
#   Since the guide's own "I'd be happy to provide further details" counts as an answer again, and a concern named
#   beside a word of doubt ("Kubernetes came up as a bit of a gap") counts as pointing back: macro 0.969, questions
#   20/3/0 (e03 and e30 offer to say more, as the guide does; e15 asks about parking).
# The bounds leave room for a few mistakes, not a regression.
BOUNDS = {
    "first": (0.98, 0.95, 0.95, 0.85),
    "blind": (0.98, 0.95, 0.95, 0.85),
    "questions": (0.96, 0.92, 0.85, 0.0),
}
FOLDERS = {"first": CORPUS, "blind": BLIND, "questions": QUESTIONS}

# The held-out parts are measured by bench/accuracy.py only: a test that failed on them would show their mistakes,
# and whoever fixed it would be tuning on them.


def test_corpora_are_labelled_and_split() -> None:
    first, blind, questions = load_corpus(CORPUS), load_corpus(BLIND), load_corpus(QUESTIONS)
    assert len(first) >= 40 and len([c for c in first if c.split == "heldout"]) >= 12
    assert len(blind) >= 100 and len([c for c in blind if c.split == "heldout"]) >= 30
    assert len(questions) >= 45 and len([c for c in questions if c.split == "heldout"]) >= 15
    assert {c.kind for c in first} == {c.kind for c in blind} == {c.kind for c in questions} == {"call", "voicemail"}


@pytest.mark.parametrize(
    ("folder", "digest"),
    [
        (BLIND, BLIND_HELDOUT_SHA256),
        (QUESTIONS, QUESTIONS_HELDOUT_SHA256),
        (CONCERN, CONCERN_HELDOUT_SHA256),
        (OPENINGS, OPENINGS_HELDOUT_SHA256),
        (STRENGTHS, STRENGTHS_HELDOUT_SHA256),
        (CALLS, CALLS_HELDOUT_SHA256),
    ],
)
def test_the_held_out_files_are_the_frozen_ones(folder: Path, digest: str) -> None:
    assert heldout_hash(folder) == digest


@pytest.mark.parametrize("name", list(FOLDERS))
def test_section_detection_on_tuning_calls(name: str) -> None:
    tune = evaluate(c for c in load_corpus(FOLDERS[name]) if c.split == "tune")
    macro, lowest, _, _ = BOUNDS[name]
    assert tune.macro_f1 >= macro, tune.errors
    assert min(c.f1 for c in tune.sections.values()) >= lowest, tune.errors


@pytest.mark.parametrize("name", list(FOLDERS))
def test_pitfalls_on_tuning_calls(name: str) -> None:
    tune = evaluate(c for c in load_corpus(FOLDERS[name]) if c.split == "tune")
    total = pooled(tune.pitfalls)
    _, _, pooled_bound, each = BOUNDS[name]
    assert total.precision >= pooled_bound and total.recall >= pooled_bound, tune.errors
    assert all(c.precision >= each and c.recall >= each for c in tune.pitfalls.values()), tune.errors


def test_concern_answers_on_tuning_excerpts() -> None:
    """The answered-concern element against tests/corpus_concern's tuning part (296 excerpts by six writers).
    Measured when last tuned: precision 0.93, recall 0.89 (139/11/17/129). The misses need meaning the cue classes
    do not hold (a salary counter-offer, a technical answer with no verb of its own, a gap named only as "them two
    years"); so do the false alarms (a strength that changes the subject after "I know you were worried")."""
    items = load_concern_items(CONCERN)
    tune = [i for i in items if i.split == "tune"]
    assert len(items) >= 480 and len(tune) >= 290 and {i.sections["clarifies"] for i in tune} == {True, False}
    counts, errors = evaluate_concern(tune)
    assert counts.precision >= 0.90 and counts.recall >= 0.86, errors


def test_call_openings_on_tuning_excerpts() -> None:
    """Greeting, purpose and next steps against tests/corpus_openings's tuning part (144 openings by four writers).
    Measured when last tuned: greeting 0.99, purpose 0.96, next steps 0.97 (macro 0.974). Before, a question about
    the decision that opened the call ("any word on the driver job?") did not say why they rang: purpose 0.75."""
    items = load_excerpts(OPENINGS, OPENING_LABELS)
    tune = [i for i in items if i.split == "tune"]
    assert len(items) >= 240 and len(tune) >= 140
    ev = evaluate_excerpts(tune, OPENING_LABELS.values())
    assert ev.macro_f1 >= 0.96 and min(c.f1 for c in ev.sections.values()) >= 0.95, ev.errors


def test_strengths_on_tuning_excerpts() -> None:
    """The strengths section against tests/corpus_strengths's tuning part (144 excerpts by four writers). Measured
    when last tuned: precision 0.93, recall 0.87 (0.86 / 0.76 at the first run). What is left needs a story read as
    one ("I started getting her to help me lay the tables, and she ate every night after that") or tells a
    collective record from one's own ("our practice got voted best vet in the county")."""
    tune = [i for i in load_excerpts(STRENGTHS, STRENGTH_LABELS) if i.split == "tune"]
    assert len(tune) >= 140 and {i.sections["strengths"] for i in tune} == {True, False}
    counts = evaluate_excerpts(tune, STRENGTH_LABELS.values()).sections["strengths"]
    assert counts.precision >= 0.90 and counts.recall >= 0.85, counts
