"""Sentences and clauses of a normalised call, and the plan's own words, for the speech-act rules.

Normalised tokens lose their punctuation; the clause and question structure is read back from the source text
between them. A sentence ends at . ! ? ; or a new utterance; a clause also ends at a comma, colon or dash.
Speech-recognition transcripts have no punctuation, so there a whole utterance is one sentence and one clause, and
the rules in acts.py fall back on how close their cue words stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rehearse.scoring.text import NormText, WordMap, normalise_phrase

CLAUSE_BREAK_RE = re.compile(r"[,;:—–]|\s-+\s|\.\.")
PLAN_PREFIX = 5  # plan words of five letters or more also match other forms of the same word:
SUFFIX_MAX = 3  # the word plus an ending ("shift" -> "shifts", "junior" -> "juniors")...
SHARED_STEM = 7  # ...or the same first seven letters ("supervised" -> "supervising")


@dataclass(frozen=True)
class Layout:
    """Token ranges of the call's sentences and clauses (last index exclusive)."""

    sentences: tuple[tuple[int, int], ...]
    asks: tuple[bool, ...]  # per sentence: it ends with a question mark
    clauses: tuple[tuple[int, int], ...]
    sentence_of: tuple[int, ...]  # per token
    clause_of: tuple[int, ...]  # per token
    utterance_end: tuple[int, ...]  # per token: where its utterance ends

    def sentence(self, token: int) -> tuple[int, int]:
        return self.sentences[self.sentence_of[token]]

    def clause(self, token: int) -> tuple[int, int]:
        return self.clauses[self.clause_of[token]]

    def asked(self, token: int) -> bool:
        return self.asks[self.sentence_of[token]]


def _ranges(starts: list[int], n: int) -> tuple[tuple[int, int], ...]:
    bounds = [*starts, n]
    return tuple((bounds[i], bounds[i + 1]) for i in range(len(starts)))


def layout(text: NormText) -> Layout:
    tokens = text.tokens
    sentence_starts: list[int] = []
    clause_starts: list[int] = []
    ends = [len(tokens)] * len(tokens)
    for i in range(len(tokens) - 2, -1, -1):
        ends[i] = i + 1 if tokens[i].utterance != tokens[i + 1].utterance else ends[i + 1]
    for i, tok in enumerate(tokens):
        new_sentence = i == 0 or tok.sentence != tokens[i - 1].sentence or tok.utterance != tokens[i - 1].utterance
        if new_sentence:
            sentence_starts.append(i)
        if new_sentence or CLAUSE_BREAK_RE.search(text.source, tokens[i - 1].end, tok.start):
            clause_starts.append(i)
    sentences = _ranges(sentence_starts, len(tokens))
    clauses = _ranges(clause_starts, len(tokens))
    asks = tuple(_ends_with_question(text, lo, hi) for lo, hi in sentences)
    n = len(tokens)
    return Layout(sentences, asks, clauses, _owner(sentences, n), _owner(clauses, n), tuple(ends))


def _owner(ranges: tuple[tuple[int, int], ...], n: int) -> tuple[int, ...]:
    out = [0] * n
    for k, (lo, hi) in enumerate(ranges):
        out[lo:hi] = [k] * (hi - lo)
    return tuple(out)


def _ends_with_question(text: NormText, lo: int, hi: int) -> bool:
    tokens = text.tokens
    stop = tokens[hi].start if hi < len(tokens) else len(text.source)
    tail = text.source[tokens[hi - 1].end : stop]
    return "?" in tail.split("\n")[0]


def number_flags(text: NormText, is_number: Callable[[str], bool], units: frozenset[str]) -> tuple[bool, ...]:
    """Which words are numbers. Normalising folds "four" into "for" for the phrase matcher, and a recogniser
    writes "four" for "for" too, so a folded number counts only before a unit: "four times", "four years"."""
    tokens = text.tokens
    plain = [is_number(t.text) for t in tokens]  # each word asked once, not up to three times
    plain.append(is_number(""))  # what follows the last word
    flags = []
    for i, t in enumerate(tokens):
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        # the word as said is read only before a unit or a number, where a folded number would count
        folded = (after in units or plain[i + 1]) and is_number(text.source[t.start : t.end].lower())
        flags.append(plain[i] or folded)
    return tuple(flags)


@dataclass(frozen=True)
class PlanWords:
    """The distinctive words of a plan's skills, concern and position, for matching what the candidate says."""

    exact: dict[str, frozenset[str]]  # word -> the classes it belongs to ("skill", "concern_word", ...)
    by_prefix: dict[str, tuple[str, ...]]  # first five letters -> the long plan words starting so

    @classmethod
    def build(
        cls, fields: Mapping[str, Iterable[str]], words: WordMap, generic: frozenset[str], min_len: int
    ) -> PlanWords:
        exact: dict[str, set[str]] = {}
        for name, texts in fields.items():
            for text in texts:
                for word in normalise_phrase(text, words).split():
                    if len(word) >= min_len and word not in generic and not word.isdigit():
                        exact.setdefault(word, set()).add(name)
        by_prefix: dict[str, list[str]] = {}
        for word in exact:
            if len(word) >= PLAN_PREFIX:
                by_prefix.setdefault(word[:PLAN_PREFIX], []).append(word)
        return cls({k: frozenset(v) for k, v in exact.items()}, {k: tuple(v) for k, v in by_prefix.items()})

    def classes(self, word: str, forms: tuple[str, ...] | None = None) -> frozenset[str]:
        """`forms` are the word's inflections when the caller has them already."""
        found = self.exact.get(word, frozenset())
        for form in _inflections(word) if forms is None else forms:
            if form in self.exact:  # a plan has a few words: most forms are none of them, and need no new set
                found = found | self.exact[form]
        for known in self.by_prefix.get(word[:PLAN_PREFIX], ()) if len(word) >= PLAN_PREFIX else ():
            if known != word and _same_stem(known, word):
                found = found | self.exact[known]
        return found

    def tag(
        self, tokens: list[str], inflected: dict[str, tuple[str, ...]] | None = None
    ) -> dict[str, list[tuple[int, int]]]:
        """Each word's classes, once per distinct word. `inflected` keeps each word's inflections for the call, so
        the plan's words and the title's share them."""
        inflected = {} if inflected is None else inflected
        found: dict[str, list[tuple[int, int]]] = {}
        known: dict[str, frozenset[str]] = {}
        for i, word in enumerate(tokens):
            names = known.get(word)
            if names is None:
                forms = inflected.get(word)
                if forms is None:
                    forms = inflected[word] = _inflections(word)
                names = known[word] = self.classes(word, forms)
            for name in names:
                found.setdefault(name, []).append((i, i + 1))
        return found


def _inflections(word: str) -> tuple[str, ...]:
    """The same word with or without a plural or past ending, for words too short to share a stem: "pace" and
    "paced", "rota" and "rotas", "peaks" and "peak" (not "car" and "card")."""
    if len(word) >= PLAN_PREFIX + 1:
        return ()
    grown = [word + "s", word + "es", word + ("d" if word.endswith("e") else "ed")]
    cut = [word[: -len(end)] for end in ("s", "es", "ed") if word.endswith(end)]
    if word.endswith("ed") or (word.endswith("d") and word[:-1].endswith("e")):
        cut.append(word[:-1])
    return tuple(w for w in (*grown, *cut) if len(w) >= 3)


def _same_stem(a: str, b: str) -> bool:
    """Same word: "juniors" and "junior", "supervising" and "supervised"; not "interview" and
    "intervention", not "suppose" and "support"."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short):
        return len(long) - len(short) <= SUFFIX_MAX
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(short))
    return shared >= SHARED_STEM
