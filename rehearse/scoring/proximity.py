"""Co-occurrence rules: words from each group said close together in one sentence.

Phrase lists catch the ways people usually say a thing; they miss the many other ways. A rule such as
"(calling | ringing | checking in) near (interview | application | the position)" catches "I'm ringing about
that vacancy" and "giving you a call regarding my application" alike, without listing either.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from rehearse.scoring.placeholders import expand
from rehearse.scoring.text import NormText, WordMap, normalise_phrase

PROXIMITY_SCORE = 90.0  # a rule match is good evidence, though not as good as an exact phrase
TERM_SIMILARITY = 88  # a single word may be misheard by a letter or so ("aplication")
QUESTION_STARTS = frozenset(
    "when what whats is are do does did have has could can would will any how where whether may should might".split()
)
QUESTION_LOOKBACK = 5  # words before the matched words where a question word may stand (unpunctuated speech)


@dataclass(frozen=True)
class Together:
    """One co-occurrence rule, normalised and expanded for a plan."""

    groups: tuple[tuple[str, ...], ...]  # one term of each group must be said...
    within: int  # ...all inside a stretch of this many words
    question: bool  # ...in a question


def compile_together(raw: Iterable[dict], values: dict[str, tuple[str, ...]], words: WordMap) -> tuple[Together, ...]:
    out = []
    for rule in raw:
        groups = tuple(
            tuple(dict.fromkeys(n for t in group for v in expand(t, values) if (n := normalise_phrase(v, words))))
            for group in rule["groups"]
        )
        if all(groups):
            out.append(Together(groups, int(rule.get("within", 8)), bool(rule.get("question", False))))
    return tuple(out)


class TermIndex:
    """Where each term of the rubric's rules occurs in one call (token positions)."""

    def __init__(self, text: NormText, terms: Sequence[str]) -> None:
        singles, phrases, self.lengths = _term_forms(tuple(terms))
        self.positions: dict[str, list[int]] = {}
        tokens = [t.text for t in text.tokens]
        by_word: dict[str, list[int]] = {}
        for i, tok in enumerate(tokens):
            by_word.setdefault(tok, []).append(i)
        vocab = sorted(by_word)
        if singles and vocab:
            scores = process.cdist(singles, vocab, scorer=fuzz.ratio, score_cutoff=TERM_SIMILARITY, workers=1)
            found: dict[int, list[int]] = {}
            rows, cols = scores.nonzero()  # row-major: each term's words in vocabulary order
            for ti, vi in zip(rows.tolist(), cols.tolist(), strict=True):
                # short words must match exactly: "led" is not "let", "ran" is not "can"
                if len(singles[ti]) >= 5 or vocab[vi] == singles[ti]:
                    found.setdefault(ti, []).extend(by_word[vocab[vi]])
            for ti, term in enumerate(singles):
                self.positions[term] = sorted(found.get(ti, ()))
        for term, parts in phrases:
            # only where its first word stands: a slice compared at every token was most of this index's time
            self.positions[term] = [i for i in by_word.get(parts[0], ()) if tokens[i : i + len(parts)] == parts]

    def within(self, term: str, lo: int, hi: int) -> list[int]:
        pos = self.positions.get(term, [])
        return pos[bisect_left(pos, lo) : bisect_left(pos, hi)]


@lru_cache(maxsize=32)  # once per compiled rubric: the same terms are indexed in every call
def _term_forms(
    terms: tuple[str, ...],
) -> tuple[tuple[str, ...], tuple[tuple[str, list[str]], ...], Mapping[str, int]]:
    """The single words, the phrases with their words, and every term's length in words."""
    singles = tuple(t for t in terms if " " not in t)
    phrases = tuple((t, t.split()) for t in terms if " " in t)
    return singles, phrases, MappingProxyType({t: len(t.split()) for t in terms})


def _is_question(text: NormText, first: int, last: int) -> bool:
    tokens = text.tokens
    sentence = tokens[first].sentence
    after = tokens[last - 1].end
    nxt = next(
        (t.start for t in tokens[last:] if t.sentence != sentence or t.utterance != tokens[first].utterance), None
    )
    tail = text.source[after : nxt if nxt is not None else len(text.source)]
    if "?" in tail.split("\n")[0]:
        return True
    lo = max(first - QUESTION_LOOKBACK, 0)
    return any(t.text in QUESTION_STARTS and t.sentence == sentence for t in tokens[lo : first + 1])


def find(rule: Together, index: TermIndex, text: NormText) -> list[tuple[int, int]]:
    """Token spans (first, last) where the rule holds, one per sentence window."""
    spans: list[tuple[int, int]] = []
    # Every occurrence of each group, once per call; each window then takes its slice.
    groups = [
        sorted((p, p + index.lengths[t]) for t in group for p in index.positions.get(t, ())) for group in rule.groups
    ]
    if not all(groups):
        return spans
    for w in text.windows:
        found = [g[bisect_left(g, (w.first, -1)) : bisect_left(g, (w.last, -1))] for g in groups]
        if not all(found):
            continue
        span = _tightest(found)
        if span[1] - span[0] <= rule.within and (not rule.question or _is_question(text, *span)):
            spans.append(span)
    return spans


def _tightest(found: list[list[tuple[int, int]]]) -> tuple[int, int]:
    """The shortest stretch holding one occurrence from every group (groups are tiny, so brute force is fine)."""
    best = (0, 10**9)
    for anchor in found[0]:
        lo, hi = anchor
        for group in found[1:]:
            pick = min(group, key=lambda s: max(hi, s[1]) - min(lo, s[0]))
            lo, hi = min(lo, pick[0]), max(hi, pick[1])
        if hi - lo < best[1] - best[0]:
            best = (lo, hi)
    return best
