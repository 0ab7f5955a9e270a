"""Strengths: the candidate claims an ability, result or credential of their own (see rehearse/scoring/acts.py)."""

from __future__ import annotations

from rehearse.scoring.cues import Tags
from rehearse.scoring.found import Act, Found

STRONG = ("credential", "duration", "result", "experience_in")  # one of these makes a claim
WEAK = ("achieve", "scale", "skill", "ability", "rate")  # two of these do ("I ran grill ... two hundred covers")
SUBJECT_REACH = 12  # words between "I"/"my" and the cue it owns...
SUBJECT_AFTER = 6  # ...or after it: "the anesthesia monitoring and dental work I do"
SPOKEN_DIGITS = frozenset(("oh", "zero"))  # "oh seven seven": a digit inside a number read out, not on its own
PHONE_RUN = 3  # more numbers in a row than this is a phone number being read out
ANAPHORS = frozenset(("it", "that", "this", "which"))  # open a clause about what the sentence before named
DENIAL_REACH = 3  # "my diploma is not...": a "not" this close after a cue, behind a verb of being, denies it
DENIAL_VERBS = frozenset(("is", "was", "are", "were", "has", "have", "had"))


def scale(tags: Tags, words: tuple[str, ...], numbers: tuple[bool, ...]) -> list[tuple[int, int]]:
    """Figures of work done ("two hundred covers", "forty test cases"): the last number of a short run of
    numbers, not a time, a count of calls, or a phone number (a long run, "oh" counting as a digit)."""
    skip = [s for c in ("not_scale", "duration") for s in tags.spans.get(c, ())]

    def digit(i: int) -> bool:
        return 0 <= i < len(words) and (numbers[i] or words[i] in SPOKEN_DIGITS)

    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not digit(i) or words[i] in SPOKEN_DIGITS:
            i += 1
            continue
        end = i
        while digit(end + 1):
            end += 1
        last = end
        while words[last] in SPOKEN_DIGITS:
            last -= 1
        if end - i + 1 <= PHONE_RUN and not any(a <= last < b for a, b in skip):
            out.append((last, last + 1))
        i = end + 1
    return out


def cues_in(f: Found, classes: tuple[str, ...], lo: int, hi: int) -> list[tuple[int, int]]:
    return sorted(span for c in classes for span in f.tags.within(c, lo, hi))


def owned(f: Found, cue: int) -> str:
    """Whose claim a cue is: "mine" when "I"/"my" stands near it in its clause, "fragment" when nothing stands
    before it ("Eleven years Class 1"), "other" when it is someone else's ("he was my apprentice for three
    years": the nearest person before it is someone else, where "my supervisor signed it off and I wrote the
    audit plan" is mine) or negated ("I have not got my licence"), "" when the clause does not say."""
    lo, hi = f.lay.clause(cue)
    if f.negated(cue) or f.subject(lo, cue) == "other" or _denied(f, cue, hi) or _collective(f, lo, cue):
        return "other"
    if f.has("first_person", max(lo, cue - SUBJECT_REACH), min(hi, cue + SUBJECT_AFTER)):
        return "mine"
    start = lo
    while start < cue and f.words[start] in f.lex.lead:
        start += 1
    if start == cue or f.has("no_subject_start", start, start + 1):
        return "fragment"
    return "mine" if _after_my_own(f, cue) else ""


def _collective(f: Found, lo: int, cue: int) -> bool:
    """The clause's subject is a group or a place ("our branch won…", "my old crew built…") and the candidate
    neither stands before the cue nor says in the sentence what they did in it ("…, and I led it"): its record,
    not theirs."""
    start = lo
    while start < cue and f.words[start] in f.lex.lead:
        start += 1
    s0, s1 = f.lay.sentence(cue)
    # "Our branch won store of the year, and we got shrink under one per cent": the "we" is the branch
    group_we = f.words[start] == "we" and _group_subject(f, s0, start)
    if not (group_we or f.has("collective", start, start + 1)) or f.has("first_person", start + 2, cue):
        return False
    return not any(f.has("achieve", a + 1, a + 3) for a, _ in f.tags.within("first_person", cue, s1))


def _group_subject(f: Found, s0: int, pos: int) -> bool:
    """An earlier clause of the sentence opens with a group as its subject, and the candidate is not in it."""
    for a, _ in f.tags.within("collective", s0, pos):
        c0 = f.lay.clause(a)[0]
        while c0 < a and f.words[c0] in f.lex.lead:
            c0 += 1
        groups = f.tags.within("collective", s0, pos)
        me = [m for m, _ in f.tags.within("first_person", s0, pos) if not any(g0 <= m < g1 for g0, g1 in groups)]
        if c0 == a and not me:  # "our" in "our branch" is the group's
            return True
    return False


def _denied(f: Found, cue: int, hi: int) -> bool:
    """The cue is denied right after it: "my diploma is not recognised here", "the licence isn't valid"."""
    after = f.words[cue + 1 : min(hi, cue + 1 + DENIAL_REACH)]
    return "not" in after and any(w in DENIAL_VERBS for w in after[: after.index("not")])


def _after_my_own(f: Found, pos: int) -> bool:
    """The sentence opens with "it", "that" and the sentence before, in the same answer, is the candidate's own:
    "I rebuilt the rota. It cut overtime by a fifth." — not "My manager rebuilt the rota. It cut…"."""
    s = f.lay.sentence_of[pos]
    start = f.lay.sentences[s][0]
    while start < pos and f.words[start] in f.lex.lead:
        start += 1
    if s == 0 or f.words[start] not in ANAPHORS:
        return False
    p0, p1 = f.lay.sentences[s - 1]
    own = f.has("first_person", p0, p1) and not f.has("third_person", p0, p1)
    return own and f.lay.utterance_end[p0] == f.lay.utterance_end[pos]


def strengths(f: Found, concern: list[tuple[int, int]]) -> list[Act]:
    """A sentence claims a strength when it holds a strong cue, or two weak ones without hedging ("I've used Sage
    quite a bit, I think" is no claim), and the claim is the candidate's own: a cue near "I"/"my", a fragment
    with a strong cue, or a sentence in the first person about no one else. `concern` holds the words that
    name the interviewer's concern, and what was done since the interview to close it: they claim nothing. A
    record given as the answer to it ("you asked about nights: I did three years of rotation") is a claim too."""
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        cues = [(a, b, c) for c in STRONG + WEAK for a, b in f.tags.within(c, s0, s1) if _counts(f, a, b, c, concern)]
        # A question claims nothing, nor a promise for after hiring ("I'll get the licence once I start"), nor the
        # interview's own task told back ("I taught the Year 9 lesson as part of the interview").
        promised = f.has("defer", s0, s1) or f.has("hypothetical", s0, s1) or f.has("interview_task", s0, s1)
        cues = [cue for cue in cues if not f.meta(cue[0])]
        if not cues or f.lay.asked(s0) or f.asks(s0, loose=False) or promised:
            continue
        owner = {a: owned(f, a) for a, _, _ in cues}
        cues = [cue for cue in cues if owner[cue[0]] != "other"]
        mine = [a for a, _, c in cues if owner[a] == "mine" or (owner[a] == "fragment" and c in STRONG)]
        if not mine and f.has("first_person", s0, s1) and not f.has("third_person", s0, s1):
            mine = [a for a, _, _ in cues]
        strong = [a for a, _, c in cues if c in STRONG]
        # one skill named in two words ("SQL reporting") is one cue, not two
        weak = {a for a, _, c in cues if c in WEAK and not (c == "skill" and f.has("skill", a - 1, a))}
        if mine and (strong or (len(weak) >= 2 and not f.hedged(s0))):
            out.append(Act("strength", _quote_start(f, min(mine)), max(b for _, b, _ in cues)))
    return out


def _quote_start(f: Found, pos: int) -> int:
    """The quote of a claim starts at its subject ("I cut delivery mileage…") when it is near."""
    lo = max(f.lay.clause(pos)[0], pos - SUBJECT_REACH)
    found = f.tags.within("first_person", lo, pos + 1)
    return found[-1][0] if found else pos


def _counts(f: Found, a: int, b: int, cls: str, concern: list[tuple[int, int]]) -> bool:
    if any(lo <= a < hi for lo, hi in concern) or f.named(a):
        return False
    # "a two-year contract" is no experience, nor "out of work for six months"; "three times" is no achievement.
    if cls != "duration":
        return True
    return not any(x < b and a < y for x, y in f.tags.spans.get("not_scale", ())) and not f.has(
        "idle", f.lay.clause(a)[0], a
    )
