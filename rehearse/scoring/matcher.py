"""Finding the rubric's phrases in a call, fuzzily, and only where they are really said.

One pass of rapidfuzz's `cdist` scores every phrase variant against every sentence window with `partial_ratio`
(the phrase against its best-aligned stretch of the window; scoring/grid.py). The few best candidates per element
are then re-scored on whole words — a phrase must not match half of a longer word ("man" inside "manager") — and
checked against the element's `unless` context ("thanks to my last job" is not a thank-you).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rehearse.plan import Plan
from rehearse.scoring.grid import Ranked
from rehearse.scoring.placeholders import expand
from rehearse.scoring.proximity import PROXIMITY_SCORE, TermIndex, Together, compile_together, find
from rehearse.scoring.text import NormText, Token, Window, WordMap, normalise_phrase

GENERIC_POSITIONS = ("role", "position", "job", "opening")
CONCERN_GENERIC = frozenset(
    {
        "experience",
        "experienced",
        "limited",
        "knowledge",
        "background",
        "ability",
        "skills",
        "about",
        "little",
        "whether",
        "because",
        "really",
        "enough",
        "without",
        "concern",
        "worried",
        "question",
        "with",
        "some",
        "that",
        "have",
        "from",
        "your",
        "their",
        "they",
        "much",
        "more",
        "less",
        "lack",
        "being",
        "been",
        "only",
        "very",
        "work",
        "working",
        "time",
        "able",
        "whom",
        "what",
        "when",
        "were",
        "will",
        "would",
        "could",
        "should",
        "years",
    }
)
CONCERN_WORD_MIN = 4  # "Epic" is a concern worth finding; "with" and "some" are in CONCERN_GENERIC
CANDIDATES_PER_ELEMENT = 10  # cdist shortlist re-scored on whole words; more costs time, rarely changes a result
WILDCARD_SCORE = 95.0  # "this is <some name>" is good evidence, but an exact plan name is better
CONTEXT_WORDS = 4  # how far around a match `unless` phrases are looked for
NEAR_MISS = 3  # a cell this far under its threshold may still re-score above it on whole words
VETO_THRESHOLD = 92.0  # an `unless` phrase counts when its words are this alike (fuzz.ratio) to words around the hit
# A veto at ratio T >= 92 with some stretch of the context keeps partial_ratio(veto, context) at (3T - 200) / T or
# more, 82.6 for T = 92: a window of the veto's length around the stretch (or inside it) loses at most the
# difference in length. So a veto whose partial_ratio is under this floor cannot count, and is not searched.
VETO_FLOOR = 80.0


@dataclass(frozen=True)
class Hit:
    """Where a phrase was found."""

    score: float
    first: int  # token range in the NormText
    last: int
    variant: str


@dataclass(frozen=True)
class PhraseSet:
    """An element's (or pitfall's) phrases, expanded for one plan and normalised."""

    variants: tuple[str, ...]
    thresholds: tuple[float, ...]  # per variant: short ones must match (nearly) exactly
    wildcard_prefixes: tuple[str, ...]  # "this is" etc.: followed by any word that can be a name
    unless: tuple[str, ...]
    together: tuple[Together, ...] = ()  # co-occurrence rules, for ways of saying it no phrase lists


def plan_values(plan: Plan | None) -> dict[str, tuple[str, ...]]:
    """What each placeholder may be replaced with, given the plan (or nothing)."""
    if plan is None:
        return {"position": GENERIC_POSITIONS}
    positions = [plan.position] if plan.position else []
    if plan.position:
        last = plan.position.split()[-1]
        if len(last) >= 5 and last.lower() != plan.position.lower():
            positions.append(last)
    # The concern's distinctive words ("cold-chain"), minus any that merely repeat the job title or company.
    elsewhere = set(re.findall(r"[\w-]+", f"{plan.position} {plan.company}".lower())) | CONCERN_GENERIC
    concern_words = tuple(
        w
        for w in dict.fromkeys(re.findall(r"[\w-]+", plan.concern.lower()))
        if len(w) >= CONCERN_WORD_MIN and w not in elsewhere
    )
    return {
        # Full and first name only: a surname alone ("Avery") is too easily heard inside other words ("very").
        "candidate": tuple(dict.fromkeys((plan.candidate, plan.first_name))),
        "interviewer": plan.names("interviewer"),
        "position": tuple(positions) or GENERIC_POSITIONS,
        "company": (plan.company,) if plan.company else (),
        "skill": plan.skills,
        "concern": (plan.concern,) if plan.concern else (),
        "concern_word": concern_words,
    }


def variant_threshold(variant: str, threshold: float) -> float:
    # Roughly one wrong letter in `len` letters scores 100 * (1 - 1/len); short phrases may not miss a letter.
    return max(threshold, 100.0 * (1.0 - 1.0 / max(len(variant), 1)) + 0.01)


def compile_phrases(
    phrases: Iterable[str],
    unless: Iterable[str],
    threshold: float,
    values: dict[str, tuple[str, ...]],
    words: WordMap,
    name_prefixes: Iterable[str] = (),
    together: Iterable[dict] = (),
) -> PhraseSet:
    variants: dict[str, None] = {}
    wildcards: dict[str, None] = {}
    prefixes = set(name_prefixes)
    for phrase in phrases:
        head, sep, tail = phrase.partition("{candidate}")
        if sep and not tail.strip() and head.strip() in prefixes:
            wildcards.setdefault(normalise_phrase(head, words), None)
        for v in expand(phrase, values):
            norm = normalise_phrase(v, words)
            if norm:
                variants.setdefault(norm, None)
    vetoes = {normalise_phrase(v, words): None for u in unless for v in expand(u, values)}
    texts = tuple(variants)
    rules = compile_together(together, values, words)
    thresholds = tuple(variant_threshold(t, threshold) for t in texts)
    return PhraseSet(texts, thresholds, tuple(wildcards), tuple(vetoes), rules)


def _snap(window: Window, variant: str, dest_start: int, dest_end: int) -> tuple[float, int, int]:
    """Re-score an alignment on whole words; returns (score, first token, last token) relative to the window."""
    offs = window.offsets
    i = max(bisect_right(offs, dest_start) - 1, 0)
    j = max(bisect_right(offs, max(dest_end - 1, dest_start)) - 1, i)
    starts = {i} | ({i + 1} if offs[i] != dest_start and i + 1 <= j else set())
    ends = {j + 1} | ({j} if j > i else set())
    best = (0.0, i, j + 1)
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            stop = offs[e] - 1 if e < len(offs) else len(window.text)
            score = fuzz.ratio(variant, window.text[offs[s] : stop])
            if score > best[0]:
                best = (score, s, e)
    return best


def locate(variant: str, window: Window) -> Hit | None:
    alignment = fuzz.partial_ratio_alignment(variant, window.text)
    if alignment is None or alignment.score == 0:
        return None
    score, s, e = _snap(window, variant, alignment.dest_start, alignment.dest_end)
    return Hit(score, window.first + s, window.first + e, variant)


def _context_window(tokens: tuple[Token, ...], first: int, last: int) -> Window:
    lo, hi = max(first - CONTEXT_WORDS, 0), min(last + CONTEXT_WORDS, len(tokens))
    texts = [t.text for t in tokens[lo:hi]]
    offsets, pos = [], 0
    for t in texts:
        offsets.append(pos)
        pos += len(t) + 1
    return Window(lo, hi, " ".join(texts), tuple(offsets))


def vetoed(hit: Hit, phrases: PhraseSet, text: NormText) -> bool:
    if not phrases.unless:
        return False
    context = _context_window(text.tokens, hit.first, hit.last)
    # One cdist rules out the vetoes that cannot reach VETO_THRESHOLD on whole words (see VETO_FLOOR), so the
    # word-by-word search runs for the few that might.
    near = process.cdist(phrases.unless, [context.text], scorer=fuzz.partial_ratio, score_cutoff=VETO_FLOOR, workers=1)[
        :, 0
    ]
    for veto, score in zip(phrases.unless, near, strict=True):
        if not score:
            continue
        found = locate(veto, context)
        # Anywhere in the few words around the match: "following up on... never mind" and "thanks to my job" alike.
        if found and found.score >= variant_threshold(veto, VETO_THRESHOLD):
            return True
    return False


def _said_after(prefix: str, text: str) -> Iterator[tuple[int, int]]:
    """Character spans of `prefix` and the word after it in a window's text, not overlapping: what the pattern
    `(?:^| )prefix ([^ ]+)` finds, found with str.find (the pattern, having no literal start, was tried at every
    position of every window)."""
    lead = prefix + " "
    at = text.find(lead)
    while at >= 0:
        end = text.find(" ", at + len(lead))
        end = len(text) if end < 0 else end
        if (at == 0 or text[at - 1] == " ") and end > at + len(lead):
            yield at, end
            at = text.find(lead, end)
        else:
            at = text.find(lead, at + 1)


# A capital letter that is not the pronoun "I" ("I", "I'm", "I've"): the writer, or recogniser, uses capitals.
CAPITAL_RE = re.compile(r"(?!I\b)[A-Z]")


def _capitalises_names(source: str) -> bool:
    """Whether a lower-case word after "it's" is no name. Typed or recognised text with capitals capitalises names
    ("it's gone out twice" introduces nobody); all-lower-case text may not, even with its pronoun "I" written as
    such ("hi its robin, I interviewed last week")."""
    return CAPITAL_RE.search(source) is not None


def wildcard_hits(phrases: PhraseSet, text: NormText, not_names: frozenset[str]) -> list[Hit]:
    hits: list[Hit] = []
    cased = _capitalises_names(text.source)
    for prefix in phrases.wildcard_prefixes:
        for w in text.windows:
            for start, end in _said_after(prefix, w.text):
                name = w.text[start + len(prefix) + 1 : end]
                if name in not_names or len(name) < 2:
                    continue
                first = w.first + bisect_right(w.offsets, start) - 1
                last = w.first + bisect_right(w.offsets, end - 1)
                if cased and not text.source[text.tokens[last - 1].start].isupper():
                    continue  # "it's gone out twice": in cased text a lower-case word is no name
                hits.append(Hit(WILDCARD_SCORE, first, last, f"{prefix} {name}"))
    return hits


def best_hit(
    phrases: PhraseSet,
    rows: range,
    ranked: Ranked,
    text: NormText,
    *,
    allowed: Callable[[Hit], bool] = lambda _hit: True,
    not_names: frozenset[str] = frozenset(),
    terms: TermIndex | None = None,
) -> tuple[Hit | None, float]:
    """The best accepted hit for a phrase set, and the best score seen at all (for reporting near misses)."""
    found: list[Hit] = []  # every hit above its threshold, in the order the search meets them
    best_seen = 0.0
    if len(rows) and ranked.windows:
        best_seen = ranked.best(rows)
        zeros = min(phrases.thresholds) - NEAR_MISS <= 0
        for score, v, w in ranked.top(rows, CANDIDATES_PER_ELEMENT, zeros):
            if score < phrases.thresholds[v] - NEAR_MISS:
                continue
            hit = locate(phrases.variants[v], text.windows[w])
            if hit is not None and hit.score >= phrases.thresholds[v]:
                found.append(hit)
    found += wildcard_hits(phrases, text, not_names)
    if terms is not None:
        found += [
            Hit(PROXIMITY_SCORE, a, b, "together") for rule in phrases.together for a, b in find(rule, terms, text)
        ]
    # The veto (a fuzzy search per `unless` phrase) is asked of the best hits only, best first, until one stands.
    ranked_hits = sorted(found, key=_rank, reverse=True)  # stable: of equal hits the first met wins
    best = next((h for h in ranked_hits if allowed(h) and not vetoed(h, phrases, text)), None)
    if best is not None:
        best_seen = max(best_seen, best.score)
    return best, best_seen


def _rank(hit: Hit) -> tuple[float, int, int]:
    # Higher score wins; on a tie the earlier evidence (order checks want where a section first appears), then the
    # longer one (the most specific phrase makes the best quote).
    return hit.score, -hit.first, hit.last


def _better(hit: Hit, best: Hit | None) -> bool:
    return best is None or _rank(hit) > _rank(best)


def all_hits(phrases: PhraseSet, rows: range, matrix, text: NormText) -> list[Hit]:
    """Every accepted, non-vetoed hit (the best per window), for counting how often something was said."""
    import numpy as np

    sub = matrix[rows.start : rows.stop]
    best: dict[int, Hit] = {}
    for v, w in zip(*np.nonzero(sub), strict=True):
        if sub[v, w] < phrases.thresholds[v] - NEAR_MISS:
            continue
        hit = locate(phrases.variants[v], text.windows[w])
        if hit and hit.score >= phrases.thresholds[v] and _better(hit, best.get(w)) and not vetoed(hit, phrases, text):
            best[int(w)] = hit
    return [best[w] for w in sorted(best)]
