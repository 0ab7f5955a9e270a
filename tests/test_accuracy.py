"""The scorer against both labelled corpora (the writers' judgement). Guards the tuning figures bench/accuracy.py
prints; the held-out parts are measured by the bench only, and their mistakes are never shown here."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehearse.scoring.accuracy import evaluate, heldout_hash, load_corpus, pooled
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
BLIND = ROOT / "tests" / "corpus_blind"
BLIND_HELDOUT_SHA256 = "6e0f3db05416423dc6d844ab21156522bd52ca2ef8d00cfb4ba67fb151dadbb8"  # see bench/accuracy.py

# The held-out parts are measured by bench/accuracy.py only: a test that failed on them would show their mistakes,
# and whoever fixed it would be tuning on them.


def test_corpora_are_labelled_and_split() -> None:
    first, blind = load_corpus(CORPUS), load_corpus(BLIND)
    assert len(first) >= 40 and len([c for c in first if c.split == "heldout"]) >= 12
    assert len(blind) >= 100 and len([c for c in blind if c.split == "heldout"]) >= 30
    assert {c.kind for c in first} == {c.kind for c in blind} == {"call", "voicemail"}


def test_the_blind_held_out_files_are_the_frozen_ones() -> None:
    assert heldout_hash(BLIND) == BLIND_HELDOUT_SHA256


@pytest.mark.parametrize("folder", [CORPUS, BLIND], ids=["first", "blind"])
def test_section_detection_on_tuning_calls(folder: Path) -> None:
    tune = evaluate(c for c in load_corpus(folder) if c.split == "tune")
    # Measured 0.999 (first) and 0.993 (blind, 159 calls with the 45 d* calls: 0.999 on the 144 tuned on, lowest
    # section questions 0.98 with d31-d45, which were kept back and measured once) when last tuned; the bound
    # leaves room for a few mistakes, not a regression.
    assert tune.macro_f1 >= 0.98, tune.errors
    assert min(c.f1 for c in tune.sections.values()) >= 0.95, tune.errors


@pytest.mark.parametrize("folder", [CORPUS, BLIND], ids=["first", "blind"])
def test_pitfalls_on_tuning_calls(folder: Path) -> None:
    tune = evaluate(c for c in load_corpus(folder) if c.split == "tune")
    total = pooled(tune.pitfalls)
    # Measured precision / recall 1.00 / 1.00 (first) and 0.97 / 0.96 (blind: 1.00 / 1.00 on the 144 tuned on,
    # unprepared 26/26; with d31-d45, kept back and measured once, unprepared 0.93 / 0.93) when last tuned.
    assert total.precision >= 0.95 and total.recall >= 0.95, tune.errors
    assert all(c.precision >= 0.85 and c.recall >= 0.85 for c in tune.pitfalls.values()), tune.errors
