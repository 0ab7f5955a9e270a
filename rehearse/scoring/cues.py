"""Cue patterns: small word patterns, kept as data in prompts/acts.toml, found in a call's normalised words once.

A speech act is recognised from the kinds of words a clause holds (a first-person subject, an achievement verb, a
number of years), not from whole phrases: "I ran grill four years at Buffalo Jack's" and "eleven years Class 1,
clean licence" share no phrase, yet both are a candidate claiming a strength. A pattern is a few slots:

    word          that word             ("led")
    a|b|c         any of them           ("called|rang|phoned")
    prefix*       any word starting so  ("certif*": certified, certificate, certification)
    #             a number              ("4", "four", "2016", "forty")
    _             any one word          ("my _ skills": "my SQL skills", not "my skills")
    ..            up to three words     ("brought .. down")

Patterns are indexed by their first slot, so finding every class in a call costs one dictionary lookup per word.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

GAP = ".."
ANY = "_"
GAP_MAX = 3  # words a ".." may skip: "brought our close .. down" spans a short object, not a sentence
NUMBER = "#"
PREFIX_KEY = 3  # prefix slots are indexed by their first three letters


@dataclass(frozen=True)
class Slot:
    """One position of a pattern: exact words, word prefixes, a number, or a gap."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    number: bool = False
    gap: bool = False
    any: bool = False

    def accepts(self, word: str, number: bool) -> bool:
        return (
            self.any
            or word in self.words
            or (bool(self.prefixes) and word.startswith(self.prefixes))
            or (self.number and number)
        )


@dataclass(frozen=True)
class Pattern:
    cls: str  # the class it marks ("achieve", "withdraw")
    slots: tuple[Slot, ...]
    text: str  # as written in the data, for error messages and debugging
    second: frozenset[str] | None = None  # the only words the second slot takes, when it is that simple


def parse(text: str, cls: str) -> Pattern:
    slots: list[Slot] = []
    for raw in text.split():
        if raw in (GAP, ANY):
            slots.append(Slot(gap=raw == GAP, any=raw == ANY))
            continue
        alts = raw.split("|")
        slots.append(
            Slot(
                words=frozenset(a for a in alts if not a.endswith("*") and a != NUMBER),
                prefixes=tuple(a[:-1] for a in alts if a.endswith("*")),
                number=NUMBER in alts,
            )
        )
    if not slots or slots[0].gap or slots[0].any or slots[-1].gap:
        raise ValueError(f"cue {text!r} in [{cls}]: a pattern may not start with '..' or '_', nor end with '..'")
    nxt = slots[1] if len(slots) > 1 else None
    simple = nxt is not None and not (nxt.gap or nxt.any or nxt.number or nxt.prefixes)
    return Pattern(cls, tuple(slots), text, nxt.words if simple and nxt else None)


def _keys(slot: Slot) -> list[str]:
    keys = list(slot.words) + [f"<{p[:PREFIX_KEY]}" for p in slot.prefixes]
    return [*keys, NUMBER] if slot.number else keys


def _match(slots: Sequence[Slot], k: int, words: Sequence[str], i: int, numbers: Sequence[bool]) -> int:
    """End (exclusive) of slots[k:] matched at words[i], or -1. Gaps try the shortest skip first."""
    n = len(words)
    while k < len(slots):
        slot = slots[k]
        if slot.gap:
            after = slots[k + 1]  # a pattern never ends with a gap
            for j in range(i, i + min(GAP_MAX, n - i) + 1):
                # the slot after the gap must take words[j]: asked here, it spares a call for most skips
                if after.gap or (j < n and after.accepts(words[j], numbers[j])):
                    end = _match(slots, k + 1, words, j, numbers)
                    if end >= 0:
                        return end
            return -1
        if i >= n or not slot.accepts(words[i], numbers[i]):
            return -1
        k, i = k + 1, i + 1
    return i


@dataclass(frozen=True)
class Starts:
    """The patterns whose first slot takes one key: those whose second slot is a few plain words, by each of those
    words, so the word after rules most of them out in one lookup; and the rest, to be matched in full."""

    by_second: dict[str, tuple[Pattern, ...]]
    rest: tuple[Pattern, ...]

    @classmethod
    def build(cls, patterns: Iterable[Pattern]) -> Starts:
        by_second: dict[str, list[Pattern]] = {}
        rest: list[Pattern] = []
        for p in patterns:
            if p.second is None:
                rest.append(p)
            for word in p.second or ():
                by_second.setdefault(word, []).append(p)
        return cls({k: tuple(v) for k, v in by_second.items()}, tuple(rest))


@dataclass(frozen=True)
class CueSet:
    """Every pattern of every class, indexed by what its first slot accepts (and its second, when plain words)."""

    by_key: dict[str, Starts]
    numbers: frozenset[str]
    classes: frozenset[str]

    @classmethod
    def build(cls, table: Mapping[str, Iterable[str]], numbers: Iterable[str]) -> CueSet:
        index: dict[str, list[Pattern]] = {}
        for name, texts in table.items():
            for text in texts:
                pattern = parse(text, name)
                for key in _keys(pattern.slots[0]):
                    index.setdefault(key, []).append(pattern)
        return cls({k: Starts.build(v) for k, v in index.items()}, frozenset(numbers), frozenset(table))

    def candidates(self, word: str, number: bool, after: str | None) -> list[Pattern]:
        """The patterns that may start at `word`, given the word `after` it (None at the end)."""
        found: list[Pattern] = []
        for key in (word, f"<{word[:PREFIX_KEY]}", NUMBER) if number else (word, f"<{word[:PREFIX_KEY]}"):
            starts = self.by_key.get(key)
            if starts is not None:
                found += starts.rest
                found += starts.by_second.get(after, ()) if after is not None else ()
        return found

    def is_number(self, word: str) -> bool:
        return word in self.numbers or word.isdigit()

    def find(self, words: Sequence[str], segment: Sequence[int] = (), numbers: Sequence[bool] = ()) -> Tags:
        """Every class in the words. `segment` (a sentence number per word) keeps a match inside a sentence;
        `numbers` says which words are numbers when normalising hid it ("four" is folded into "for")."""
        numbers = numbers or [self.is_number(w) for w in words]
        spans: dict[str, list[tuple[int, int]]] = {}
        n = len(words)
        for i, word in enumerate(words):
            for pattern in self.candidates(word, numbers[i], words[i + 1] if i + 1 < n else None):
                end = _match(pattern.slots, 0, words, i, numbers)
                if end > i and (not segment or segment[i] == segment[end - 1]):
                    spans.setdefault(pattern.cls, []).append((i, end))
        return Tags({k: tuple(sorted(set(v))) for k, v in spans.items()})


@dataclass(frozen=True)
class Tags:
    """Where each class was found in one call: sorted (first, last) word spans, last exclusive."""

    spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def within(self, cls: str, lo: int, hi: int) -> tuple[tuple[int, int], ...]:
        """Spans of `cls` that start in lo..hi-1."""
        found = self.spans.get(cls, ())
        return found[bisect_left(found, (lo, -1)) : bisect_left(found, (hi, -1))]

    def has(self, cls: str, lo: int, hi: int) -> bool:
        """Whether `within` finds any, without building the slice: the act rules ask this hundreds of times a call."""
        found = self.spans.get(cls, ())
        i = bisect_left(found, (lo, -1))
        return i < len(found) and found[i] < (hi, -1)

    def first(self, cls: str, lo: int, hi: int) -> tuple[int, int] | None:
        found = self.within(cls, lo, hi)
        return found[0] if found else None

    def any(self, classes: Iterable[str], lo: int, hi: int) -> bool:
        return any(self.within(c, lo, hi) for c in classes)

    def merged(self, extra: Mapping[str, Iterable[tuple[int, int]]]) -> Tags:
        spans = dict(self.spans)
        for cls, found in extra.items():
            spans[cls] = tuple(sorted({*spans.get(cls, ()), *found}))
        return Tags(spans)
