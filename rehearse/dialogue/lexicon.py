"""The act lexicon in prompts/dialogue.toml, loaded once and normalised like the rubric's phrases."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.matcher import expand, plan_values
from rehearse.scoring.rubric import load_rubric
from rehearse.scoring.text import WordMap, normalise_phrase

FUZZY_MIN_CHARS = 12  # shorter phrases must match exactly: "hi" is not "his", "when" is not "then"
FUZZY_SCORE = 90  # recogniser slips ("follwing up") still count; different words do not
FUZZY_LAST_WORD = 70  # a fuzzy match's last word against the phrase's ("Marabel" ~ "Maribel" 86, "plan" ~ "talk" 25)


@dataclass(frozen=True)
class Lexicon:
    acts: dict[str, tuple[str, ...]]  # act label -> phrases (with plan placeholders)
    evidence: dict[str, str]  # "section.element" -> act label
    act_evidence: dict[str, str]  # scorer speech act (scoring/acts.py) -> act label
    fillers: frozenset[str]
    question_starts: tuple[str, ...]
    asking: tuple[str, ...]
    timing_words: tuple[str, ...]
    other_kinds: dict[str, tuple[str, ...]]
    words: WordMap


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = tomllib.loads((prompts_dir() / "dialogue.toml").read_text(encoding="utf-8"))
    words = load_rubric().words
    return Lexicon(
        acts={k: tuple(v) for k, v in data["acts"].items()},
        evidence=dict(data["evidence"]),
        act_evidence=dict(data["act_evidence"]),
        fillers=frozenset(data["clauses"]["fillers"]),
        question_starts=tuple(normalise_phrase(w, words) for w in data["clauses"]["question_starts"]),
        asking=tuple(normalise_phrase(w, words) for w in data["clauses"]["asking"]),
        timing_words=tuple(normalise_phrase(w, words) for w in data["clauses"]["timing_words"]),
        other_kinds={k: tuple(v) for k, v in data["other_kinds"].items()},
        words=words,
    )


@lru_cache(maxsize=64)
def compiled(phrases: tuple[str, ...], plan: Plan | None) -> tuple[str, ...]:
    """Phrases with the plan filled in and normalised; placeholders the plan cannot fill are dropped."""
    words = load_lexicon().words
    values = plan_values(plan)
    out: list[str] = []
    for phrase in phrases:
        for variant in expand(phrase, values):
            if "{" not in variant and (norm := normalise_phrase(variant, words)):
                out.append(norm)
    return tuple(dict.fromkeys(out))


def find(phrase: str, text: str) -> int:
    """Where a normalised phrase starts in normalised text, on whole words; -1 when it is not there."""
    m = re.search(rf"(?<!\S){re.escape(phrase)}(?!\S)", text)
    if m:
        return m.start()
    if len(phrase) >= FUZZY_MIN_CHARS and len(text) >= len(phrase) - 2:
        al = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=FUZZY_SCORE)
        # The first word must be right: "is this Maribel Santos" is not "with Maribel Santos", however long the name.
        # The last must be close: "I would like to plan around it" is not "I would like to talk" (one word in five
        # differs, and a partial ratio of 90 forgives that), while "speak with Marabel" still finds Maribel.
        if al is not None and text[al.dest_start :].split()[:1] == phrase.split()[:1]:
            tail = text[al.dest_start : al.dest_end].split()
            if tail and fuzz.ratio(tail[-1], phrase.rsplit(maxsplit=1)[-1]) >= FUZZY_LAST_WORD:
                return al.dest_start
    return -1


def first_hit(phrases: tuple[str, ...], text: str) -> int:
    """The earliest position any phrase is found at, or -1."""
    hits = [p for p in (find(ph, text) for ph in phrases) if p >= 0]
    return min(hits, default=-1)


def norm(text: str) -> str:
    return normalise_phrase(text, load_lexicon().words)
