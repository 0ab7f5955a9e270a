"""Normalising speech text so typed answers, recogniser output and rubric phrases read alike.

Every normalised word remembers the character span of the original word it came from, so evidence found in the
normalised text can be quoted from (and highlighted in) the transcript exactly as the user sees it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

# A word may end in an apostrophe only where it stands for a dropped g ("ringin'", "lettin' folk know")
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:(?<=in)['’])?")
G_DROPPED = 5  # "goin'" and longer; "in'" alone is a word before a closing quote
SENTENCE_BREAK_RE = re.compile(r"[.!?;\n…]")
MAX_WINDOW_WORDS = 28  # long unpunctuated stretches (speech recognisers) are cut into overlapping windows
WINDOW_STEP = 14


@dataclass(frozen=True)
class WordMap:
    """The lookups that make different spellings of the same word equal; built from prompts/words.toml."""

    replacements: dict[str, str]  # bare lowercase word (no apostrophes) -> one or more normalised words
    abbreviations: frozenset[str] = frozenset()  # "mr", "dr": their full stop ends no sentence ("Mr. Alvarez")

    def normalise_word(self, word: str) -> list[str]:
        low = word.lower().replace("’", "'")
        bare = low.replace("'", "")
        if low[-1:] == "'" and low.endswith("in'") and len(low) >= G_DROPPED:
            bare += "g"
        if bare in self.replacements:
            return self.replacements[bare].split()
        if low.endswith("'s"):  # "decision's been made", "Riverbend's team": the 's carries nothing to match on
            return [low[:-2].replace("'", "")]
        return [bare]


@dataclass(frozen=True)
class Token:
    """One normalised word and where its original word sits in the source text."""

    text: str
    start: int  # character span of the ORIGINAL word in the source text
    end: int
    utterance: int  # which utterance of the call it belongs to
    sentence: int = 0  # which sentence of the call it belongs to


@dataclass(frozen=True)
class Window:
    """A sentence-sized stretch of normalised words the matcher searches phrases in."""

    first: int  # index of the first token
    last: int  # index one past the last token
    text: str  # the tokens' normalised text joined by single spaces
    offsets: tuple[int, ...]  # start of each token inside `text`


@dataclass(frozen=True)
class NormText:
    """A call's text, normalised, with windows to search."""

    source: str
    tokens: tuple[Token, ...]
    windows: tuple[Window, ...]
    utterance_count: int
    fillers: tuple[str, ...] = ()  # hesitation words taken out of the tokens, in order ("um", "uh")

    def utterance_starts(self) -> dict[int, int]:
        """Each utterance's first token (an utterance left with no words after normalising has none)."""
        starts: dict[int, int] = {}
        for k, tok in enumerate(self.tokens):
            starts.setdefault(tok.utterance, k)
        return starts

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Source character span covering tokens first..last-1; empty, at token `first`, when last <= first (the
        reference of an answer to the interviewer's question, which the candidate did not say)."""
        if last <= first:
            return self.tokens[first].start, self.tokens[first].start
        return self.tokens[first].start, self.tokens[last - 1].end


def normalise_phrase(phrase: str, words: WordMap) -> str:
    return " ".join(w for raw in WORD_RE.findall(phrase) for w in words.normalise_word(raw))


def tokenise(
    source: str, utterance_bounds: list[tuple[int, int]], words: WordMap, drop: frozenset[str] = frozenset()
) -> tuple[list[Token], list[int], list[str]]:
    """Return tokens, the token indices where a new sentence starts, and the dropped hesitation words.

    Hesitations are dropped so that "it's, um, Jesse" reads as "it is jesse" to the matcher.
    """
    tokens: list[Token] = []
    breaks: list[int] = []
    dropped: list[str] = []
    forms: dict[str, list[str]] = {}  # each spelling normalised once per call: "I", "the", "to" come back often
    for u, (lo, hi) in enumerate(utterance_bounds):
        breaks.append(len(tokens))
        prev_end, prev = lo, ""
        for m in WORD_RE.finditer(source, lo, hi):
            start, end = m.span()
            word = m.group()
            stop = SENTENCE_BREAK_RE.search(source, prev_end, start) and len(tokens) != breaks[-1]
            if stop and not (prev.lower() in words.abbreviations and source[prev_end:start].strip() == "."):
                breaks.append(len(tokens))
            prev_end, prev = end, word
            normal = forms.get(word)
            if normal is None:
                normal = forms[word] = words.normalise_word(word)
            for w in normal:
                if w in drop:
                    dropped.append(w)
                else:
                    tokens.append(Token(w, start, end, u, len(breaks) - 1))
    return tokens, breaks, dropped


def build_windows(tokens: list[Token], breaks: list[int]) -> list[Window]:
    bounds = [*sorted(set(breaks)), len(tokens)]
    windows: list[Window] = []
    for lo, hi in itertools.pairwise(bounds):
        if hi <= lo:
            continue
        start = lo
        while True:
            end = min(hi, start + MAX_WINDOW_WORDS)
            windows.append(_window(tokens, start, end))
            if end >= hi:
                break
            start += WINDOW_STEP
    return windows


def _window(tokens: list[Token], first: int, last: int) -> Window:
    offsets: list[int] = []
    pos = 0
    for t in tokens[first:last]:
        offsets.append(pos)
        pos += len(t.text) + 1
    return Window(first, last, " ".join(t.text for t in tokens[first:last]), tuple(offsets))


def normalise_call(utterances: list[str], words: WordMap, drop: frozenset[str] = frozenset()) -> NormText:
    """Join the utterances with newlines (the offsets CallScore reports refer to that text) and normalise."""
    source = "\n".join(u.strip() for u in utterances)
    bounds: list[tuple[int, int]] = []
    pos = 0
    for u in utterances:
        n = len(u.strip())
        bounds.append((pos, pos + n))
        pos += n + 1
    tokens, breaks, dropped = tokenise(source, bounds, words, drop)
    return NormText(source, tuple(tokens), tuple(build_windows(tokens, breaks)), len(utterances), tuple(dropped))
