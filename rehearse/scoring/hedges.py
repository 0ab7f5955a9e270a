"""Hedges and weak words in the transcript, and whether a sentence is a question: the delivery measures that are
read from the words alone (prompts/delivery.toml), so typed calls get them too.

Hedges are found on the normalised tokens (the same ones the rubric is matched on) and quoted back from the
transcript by character offsets, like every other piece of evidence. Longer phrases win ("just wanted to" is one
hedge, not "just" plus another), and each hedge may name the words around it that make it something else
("what kind of role" asks about a kind; "just in time" is not hedging).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rehearse.errors import InputFileError
from rehearse.resources import prompts_dir, resolved
from rehearse.scoring.rubric import Rubric
from rehearse.scoring.text import WORD_RE, NormText, WordMap, normalise_phrase
from rehearse.textfiles import read_toml
from rehearse.values import HedgeHit

TimedSpan = tuple[int, int, float, float]  # source chars start, end; seconds start, end (from call start)


@dataclass(frozen=True)
class HedgeSpec:
    """One hedge of prompts/delivery.toml, normalised."""

    words: tuple[str, ...]  # the phrase as normalised tokens
    not_after: tuple[tuple[str, ...], ...] = ()  # preceding words that make it something else
    not_before: tuple[tuple[str, ...], ...] = ()  # following words that make it something else


@dataclass(frozen=True)
class QuestionRules:
    """How the words tell a question from a statement (prompts/delivery.toml [questions])."""

    openers: tuple[tuple[str, ...], ...]  # skipped at the start ("so", "and", "um"), longest first
    starts: tuple[tuple[str, ...], ...]  # a sentence starting with one of these asks something
    tags: tuple[tuple[str, ...], ...]  # "..., right?": a tag with a question mark at the end


@dataclass(frozen=True)
class DeliveryWords:
    hedges: tuple[HedgeSpec, ...]  # longest first, so the longest phrase at a position wins
    questions: QuestionRules


def _phrases(value: Any, words: WordMap, where: str, path: Path) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputFileError(f"{where} must be a list of strings", path=path)
    out = (tuple(normalise_phrase(v, words).split()) for v in value)
    return tuple(p for p in out if p)


def load_delivery_words(rubric: Rubric, path: Path | None = None) -> DeliveryWords:
    """Read and check prompts/delivery.toml (or `path`); phrases are normalised with the rubric's word map."""
    return _load_cached(rubric, resolved(path or prompts_dir() / "delivery.toml"))


@lru_cache(maxsize=8)
def _load_cached(rubric: Rubric, path: Path) -> DeliveryWords:  # a Rubric hashes by identity: loaded once
    words = rubric.words
    data = read_toml(path, "delivery word list")
    specs: list[HedgeSpec] = []
    for i, entry in enumerate(data.get("hedge", [])):
        phrase = entry.get("phrase") if isinstance(entry, dict) else None
        if not isinstance(phrase, str) or not normalise_phrase(phrase, words):
            raise InputFileError(f'hedge #{i + 1} needs phrase = "..."', path=path)
        where = f"hedge {phrase!r}"
        specs.append(
            HedgeSpec(
                tuple(normalise_phrase(phrase, words).split()),
                _phrases(entry.get("not_after", []), words, f"{where}: not_after", path),
                _phrases(entry.get("not_before", []), words, f"{where}: not_before", path),
            )
        )
    q = data.get("questions", {})
    openers = _phrases(q.get("openers", []), words, "questions.openers", path)
    rules = QuestionRules(
        tuple(sorted(openers, key=len, reverse=True)),
        _phrases(q.get("starts", []), words, "questions.starts", path),
        _phrases(q.get("tags", []), words, "questions.tags", path),
    )
    return DeliveryWords(tuple(sorted(specs, key=lambda s: -len(s.words))), rules)


def _fits(spec: HedgeSpec, tokens: Sequence[str], i: int) -> bool:
    n = len(spec.words)
    if tuple(tokens[i : i + n]) != spec.words:
        return False
    if any(i >= len(p) and tuple(tokens[i - len(p) : i]) == p for p in spec.not_after):
        return False
    return not any(tuple(tokens[i + n : i + n + len(p)]) == p for p in spec.not_before)


def find_hedges(text: NormText, specs: Sequence[HedgeSpec], timed: Sequence[TimedSpan] = ()) -> tuple[HedgeHit, ...]:
    """Every hedge in the call, quoted from the transcript with its character span and, when known, its time."""
    tokens = [t.text for t in text.tokens]
    # Only the specs that start with the word at hand are tried (longest first, as given): trying every spec at
    # every word was a fifth of the time to score a call.
    by_first: dict[str, list[HedgeSpec]] = {}
    for s in specs:
        by_first.setdefault(s.words[0], []).append(s)
    found: list[HedgeHit] = []
    i = 0
    while i < len(tokens):
        tried = by_first.get(tokens[i])
        spec = _first_fit(tried, text, tokens, i) if tried else None
        if spec is None:
            i += 1
            continue
        start, end = text.span(i, i + len(spec.words))
        found.append(HedgeHit(text.source[start:end], start, end, _time_at(start, timed)))
        i += len(spec.words)
    return tuple(found)


def _first_fit(tried: Sequence[HedgeSpec], text: NormText, tokens: Sequence[str], i: int) -> HedgeSpec | None:
    # Asked only of the words that start a hedge: a generator built for every word was most of find_hedges' time.
    for spec in tried:
        if _fits(spec, tokens, i) and _one_sentence(text, i, len(spec.words)):
            return spec
    return None


def _one_sentence(text: NormText, i: int, n: int) -> bool:
    return text.tokens[i].sentence == text.tokens[i + n - 1].sentence


def _time_at(char: int, timed: Sequence[TimedSpan]) -> float | None:
    """The start time of the timed word at (or just after) a character offset."""
    starts = [s[0] for s in timed]
    k = bisect_right(starts, char) - 1
    if k >= 0 and timed[k][0] <= char < timed[k][1]:
        return round(timed[k][2], 2)
    if k + 1 < len(timed):
        return round(timed[k + 1][2], 2)
    return None


def is_question(sentence: str, words: WordMap, rules: QuestionRules) -> bool:
    """A question by its words: a question word or an auxiliary first ("could you tell me"), or a tag with a
    question mark ("that is Friday, right?"). A recogniser's question mark alone does not make a question."""
    tokens = [w for raw in WORD_RE.findall(sentence) for w in words.normalise_word(raw)]
    i = 0
    while True:  # skip openers, longest first, as often as they come ("so um")
        opener = next((o for o in rules.openers if tuple(tokens[i : i + len(o)]) == o), None)
        if opener is None:
            break
        i += len(opener)
    if any(tuple(tokens[i : i + len(s)]) == s for s in rules.starts):
        return True
    asks = sentence.rstrip().endswith("?")
    return asks and any(len(tokens) >= len(t) and tuple(tokens[-len(t) :]) == t for t in rules.tags)
