"""Judging a call against the guide: sections with evidence, order, pitfalls, delivery and an overall score."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rehearse.plan import Plan
from rehearse.scoring import delivery as delivery_mod
from rehearse.scoring.acts import OPENING_TURNS, CallActs, concern_reply, find_acts
from rehearse.scoring.grid import Ranked, VariantIndex, score_matrix
from rehearse.scoring.hedges import load_delivery_words
from rehearse.scoring.matcher import Hit, PhraseSet, best_hit, compile_phrases, plan_values
from rehearse.scoring.pitfalls import find_pitfalls
from rehearse.scoring.proximity import TermIndex
from rehearse.scoring.reading import Reading, read
from rehearse.scoring.rubric import Rubric, SectionSpec, load_rubric
from rehearse.scoring.text import NormText, normalise_call
from rehearse.scoring.wording import section_feedback
from rehearse.values import (
    CallScore,
    ElementMatch,
    OrderCheck,
    PitfallHit,
    SectionScore,
    Utterance,
)

START_SHARE = 0.4  # a greeting must come in the first 40 % of the words, or early in the first two utterances...
START_WORDS = 30  # ...within this many words of the turn's start: not a name left at the end of a long voicemail
END_SHARE = 0.6  # a closing must come after 60 % of the words (or in the last utterance)...
AFTER_CLOSE_WORDS = 8  # ...and only short turns may follow it ("You too, bye"), not a question or new business
ABSENT_SECTION_CAP = 35  # a section whose required element is missing scores at most this
MATRIX_CUTOFF = 80  # below every element's threshold: scores under it are stored as 0
ACT_SCORE = 90.0  # a recognised speech act is good evidence, as good as a co-occurrence rule


@dataclass(frozen=True)
class CompiledRubric:
    """A rubric with every phrase expanded for one plan: built once per (rubric, plan), reused for every turn."""

    rubric: Rubric
    plan: Plan | None
    index: VariantIndex  # all phrase variants, indexed by their words
    elements: tuple[tuple[tuple[PhraseSet, range], ...], ...]  # per section, per element
    pitfalls: tuple[tuple[PhraseSet, range], ...]
    terms: tuple[str, ...] = ()  # every word of every co-occurrence rule


@lru_cache(maxsize=32)
def compile_rubric(rubric: Rubric, plan: Plan | None) -> CompiledRubric:
    values = plan_values(plan)
    variants: list[str] = []

    def add(ps: PhraseSet) -> tuple[PhraseSet, range]:
        start = len(variants)
        variants.extend(ps.variants)
        return ps, range(start, len(variants))

    prefixes = rubric.name_prefixes
    sections = tuple(
        tuple(
            add(compile_phrases(e.phrases, e.unless, e.threshold, values, rubric.words, prefixes, e.together))
            for e in s.elements
        )
        for s in rubric.sections
    )
    pitfalls = tuple(
        add(compile_phrases(p.phrases, p.unless, p.threshold, values, rubric.words)) for p in rubric.pitfalls
    )
    terms = tuple(
        dict.fromkeys(t for sec in sections for ps, _ in sec for rule in ps.together for g in rule.groups for t in g)
    )
    return CompiledRubric(rubric, plan, VariantIndex.build(tuple(variants)), sections, pitfalls, terms)


@dataclass(frozen=True)
class Scored:
    """A call's score with the speech acts that earned it, for callers that want both (the conversation engine)."""

    score: CallScore
    text: NormText  # the normalised words the acts' token ranges refer to
    acts: CallActs


def score_call(
    utterances: Sequence[Utterance | str],
    plan: Plan | None = None,
    rubric: Rubric | None = None,
) -> CallScore:
    """Score the candidate's side of a call. Deterministic: the same input always gives the same CallScore."""
    return score_with_acts(utterances, plan, rubric).score


def score_with_acts(
    utterances: Sequence[Utterance | str],
    plan: Plan | None = None,
    rubric: Rubric | None = None,
    opening: int = OPENING_TURNS,
) -> Scored:
    """score_call, with the acts found; `opening` as in find_acts (0 scores one answer whose place is unknown)."""
    rubric = rubric or load_rubric()
    utts = [u if isinstance(u, Utterance) else Utterance(str(u)) for u in utterances]
    compiled = compile_rubric(rubric, plan)
    drop = frozenset(f for f in rubric.fillers if " " not in f)
    text = normalise_call([u.text for u in utts], rubric.words, drop)
    ranked = Ranked(score_matrix(compiled.index, text, cutoff=MATRIX_CUTOFF))
    terms = TermIndex(text, compiled.terms)
    reading = read(text)
    replies = frozenset(i for i, u in enumerate(utts) if u.reply_to == "concern")
    acts = find_acts(text, plan, reading=reading, opening=opening, replies=replies)
    done = {
        spec.id: _score_section(spec, compiled.elements[i], ranked, (text, terms, acts), compiled)
        for i, spec in enumerate(rubric.sections)
    }
    sections = tuple(done[s.id] for s in rubric.sections)
    order = check_order(sections, _led(text, acts, sections))
    hedges = load_delivery_words(rubric).hedges
    delivery = delivery_mod.measure(utts, text, sections, rubric.fillers, hedges)
    pitfalls = _find_pitfalls(compiled, ranked, text, acts, reading)
    overall = _overall(rubric, plan, sections, order, pitfalls)
    score = CallScore(overall, sections, order, pitfalls, delivery, text.source, rubric.version)
    return Scored(score, text, acts)


def reply_to_concern(answer: str, plan: Plan | None = None, rubric: Rubric | None = None) -> str:
    """How an answer given right after the interviewer raised the concern answers it ("answer", "offer" or "none"),
    by the rules that credit the questions section. The report reads that answer the same way when its Utterance is
    marked `reply_to="concern"` (Session.candidate_utterances marks the answer after the interviewer's question)."""
    rubric = rubric or load_rubric()
    drop = frozenset(f for f in rubric.fillers if " " not in f)
    return concern_reply(normalise_call([answer], rubric.words, drop), plan)


def _led(text: NormText, acts: CallActs, sections: Sequence[SectionScore]) -> frozenset[str]:
    """Sections that start in a reply to the interviewer's question about the concern (its reference is empty):
    the interviewer chose where they came."""
    toks = text.tokens
    replies = {toks[a.first].utterance for a in acts.of("concern_reference") if a.first == a.last}
    spans = [(t.start, t.end) for t in toks if t.utterance in replies]
    return frozenset(s.id for s in sections if s.present and any(a <= s.start < b for a, b in spans))


def _allowed(spec: SectionSpec, text: NormText) -> Callable[[Hit], bool]:
    """Where in the call a section's hits may stand; most sections may stand anywhere, so nothing is built for them."""
    if spec.position == "start":
        return _start_ok(text)
    if spec.position == "end":
        return _end_ok(text)
    return lambda _hit: True


def _start_ok(text: NormText) -> Callable[[Hit], bool]:
    n, opens = len(text.tokens), text.utterance_starts()

    def start_ok(hit: Hit) -> bool:
        utt = text.tokens[hit.first].utterance
        early_turn = utt <= 1 and hit.first - opens[utt] < START_WORDS
        return hit.first < max(START_SHARE * n, 1) or early_turn

    return start_ok


def _end_ok(text: NormText) -> Callable[[Hit], bool]:
    n, last_utt = len(text.tokens), text.utterance_count - 1
    sizes = [0] * (last_utt + 1)
    for tok in text.tokens:
        sizes[tok.utterance] += 1

    def end_ok(hit: Hit) -> bool:
        utt = text.tokens[hit.first].utterance
        late = hit.first >= END_SHARE * n
        if last_utt == 0:  # one message: "thank you again for seeing me" opening a voicemail closes nothing
            return late
        return utt == last_utt or (late and max(sizes[utt + 1 :]) <= AFTER_CLOSE_WORDS)

    return end_ok


def _score_section(
    spec: SectionSpec,
    elems,
    ranked: Ranked,
    found: tuple[NormText, TermIndex, CallActs],
    compiled: CompiledRubric,
) -> SectionScore:
    text, terms, acts = found
    allowed = _allowed(spec, text)
    void = spec.follow_up_only and acts.not_a_follow_up  # a withdrawal is not a follow-up, however it is worded
    matches: list[ElementMatch] = []
    for espec, (phrases, rows) in zip(spec.elements, elems, strict=True):
        hit, seen = best_hit(
            phrases, rows, ranked, text, allowed=allowed, not_names=compiled.rubric.not_names, terms=terms
        )
        act_hit = _act_hit(espec.act, acts, allowed)
        if act_hit is not None and (hit is None or act_hit.first < hit.first):
            hit, seen = act_hit, max(seen, act_hit.score)
        if hit is not None and not void:
            start, end = text.span(hit.first, hit.last)
            matches.append(
                ElementMatch(
                    espec.id,
                    True,
                    round(hit.score, 1),
                    text.source[start:end],
                    start,
                    end,
                    espec.required,
                    espec.description,
                )
            )
        else:
            matches.append(
                ElementMatch(espec.id, False, round(seen, 1), required=espec.required, description=espec.description)
            )
    return _section_score(spec, matches, compiled.plan, _thin(spec, matches, acts))


def _thin(spec: SectionSpec, matches: list[ElementMatch], acts: CallActs) -> frozenset[str]:
    """Elements realised only thinly: every act that realised it is also its thin act (an answer to the concern
    that only offers to say more)."""
    out = set()
    for espec, m in zip(spec.elements, matches, strict=True):
        done = acts.of(espec.act) if espec.thin_act and m.matched else ()
        thin = {(a.first, a.last) for a in acts.of(espec.thin_act)} if done else set()
        if done and all((a.first, a.last) in thin for a in done):
            out.add(espec.id)
    return frozenset(out)


def _act_hit(kind: str, acts: CallActs, allowed) -> Hit | None:
    """The earliest act of that kind where the section may be said, as a hit the report can quote."""
    if not kind:
        return None
    hits = (Hit(ACT_SCORE, a.first, a.last, kind) for a in acts.of(kind))
    return next((h for h in hits if allowed(h)), None)


def _section_score(
    spec: SectionSpec, matches: list[ElementMatch], plan: Plan | None, thin: frozenset[str] = frozenset()
) -> SectionScore:
    named = [m for m in matches if m.id in spec.present_with] or matches
    # Alternatives (an answered concern, or a question about the role): one realised, the others are not owed.
    owed = [
        (e, m)
        for e, m in zip(spec.elements, matches, strict=True)
        if m.matched or m.id not in spec.present_with or not any(n.matched for n in named)
    ]
    total = sum(e.weight for e, _ in owed) or 1.0
    got = sum(e.weight for e, m in owed if m.matched)
    present = all(m.matched for m in matches if m.required) and any(m.matched for m in named)
    score = round(100 * got / total)
    if not present:
        score = min(score, ABSENT_SECTION_CAP)
    starts = [m.start for m in matches if m.matched and m.required] or [m.start for m in named if m.matched]
    feedback, suggestion = section_feedback(spec, matches, present, plan, thin)
    return SectionScore(
        spec.id, spec.title, score, present, tuple(matches), feedback, suggestion, min(starts, default=-1)
    )


def check_order(sections: Sequence[SectionScore], led: frozenset[str] = frozenset()) -> OrderCheck:
    """Which present sections broke the guide's order: those outside the longest run that keeps it. Sections in
    `led` were said when the interviewer asked for them, so their place was the interviewer's choice."""
    guide = {s.id: i for i, s in enumerate(sections)}
    said = sorted((s for s in sections if s.present), key=lambda s: (s.start, guide[s.id]))
    own = [s for s in said if s.id not in led]
    keep = _longest_increasing([guide[s.id] for s in own])
    out = tuple(s.id for i, s in enumerate(own) if i not in keep)
    seq = tuple(s.id for s in said)
    if not out:
        return OrderCheck(True, seq)
    titles = {s.id: s.title.lower() for s in sections}
    names = ", ".join(titles[o] for o in out)
    return OrderCheck(
        False, seq, out, f"Out of the guide's order: {names}. The guide's order helps the listener follow you."
    )


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (n is at most 6, so O(n^2) is plenty)."""
    n = len(values)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if values[j] < values[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    if not n:
        return set()
    i = max(range(n), key=lambda k: (best[k], -k))
    keep: set[int] = set()
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def _find_pitfalls(
    compiled: CompiledRubric, ranked: Ranked, text: NormText, acts: CallActs, reading: Reading
) -> tuple[PitfallHit, ...]:
    """A phrase of the rubric's, or the pitfall rules' own judgement (scoring/pitfalls.py)."""
    specs = compiled.rubric.pitfalls
    judged = find_pitfalls(text, compiled.plan, acts, specs, reading)
    found: list[PitfallHit] = []
    for spec, (phrases, rows) in zip(specs, compiled.pitfalls, strict=True):
        hit, _seen = best_hit(phrases, rows, ranked, text)
        if hit is not None:
            start, end = text.span(hit.first, hit.last)
            found.append(PitfallHit(spec.id, spec.title, text.source[start:end], start, end, spec.advice))
        elif spec.id in judged:
            found.append(judged[spec.id])
    return tuple(found)


def _overall(rubric: Rubric, plan: Plan | None, sections, order: OrderCheck, pitfalls) -> int:
    weighted = total = 0.0
    for spec, s in zip(rubric.sections, sections, strict=True):
        weight = spec.weight
        if spec.optional_without and not s.present and not getattr(plan, spec.optional_without, ""):
            weight = 0.0  # nothing was raised in the interview, so there was nothing to address
        weighted += weight * s.score
        total += weight
    score = weighted / total if total else 0.0
    score -= rubric.pitfall_penalty * len(pitfalls) + rubric.order_penalty * len(order.out_of_place)
    return int(max(0, min(100, round(score))))
