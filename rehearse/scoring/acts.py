"""Speech acts of the candidate's side of a follow-up call, found once for the scorer and the conversation engine.

Each act is recognised from the kinds of words a clause holds (prompts/acts.toml), not from a list of phrases:

- strength: the candidate claims an ability, result or credential of their own: a first-person (or subjectless)
  clause with an achievement verb, a credential, years of experience, a figure, or a skill from the plan.
  Talking *about* strengths ("should I go over my background?") claims nothing.
- concern_reference / concern_answer: they point back to what the interviewer raised ("you asked about nights",
  "regarding the clearance") and then answer it: an action, a fact or proof offered, before any brush-off.
- role_question: a question about the job itself (the team, the shifts, the work), not about pay or parking.
- timing_question: they ask about the decision, the timing or the process, as a question or a request; when it
  asks where their own application stands ("just ringing to see where things stand"), it is also a
  status_question, which states the purpose of the call. A stage of the hiring ("a start date", "the panel", "my
  referees", "the other candidates", "who do I chase") counts only when asked outright, so its words said in
  passing ("I did an assessment centre last year") ask nothing.

Purpose overrides the rest (scoring.purpose): a call to withdraw carries none of these acts, and a call about another
matter (a refund, a reference for someone else) carries only a question that names the hiring decision outright.
"""

from __future__ import annotations

from dataclasses import dataclass

from rehearse.plan import Plan
from rehearse.scoring.clauses import Layout
from rehearse.scoring.cues import Tags
from rehearse.scoring.purpose import other_matter, withdrawal
from rehearse.scoring.reading import ActLexicon, Reading, load_acts, plan_words, read
from rehearse.scoring.rubric import ACT_KINDS
from rehearse.scoring.text import NormText

STRONG = ("credential", "duration", "result", "experience_in")  # one of these makes a claim
WEAK = ("achieve", "scale", "skill", "ability", "rate")  # two of these do ("I ran grill ... two hundred covers")
SUBJECT_REACH = 12  # words between "I"/"my" and the cue it owns...
SUBJECT_AFTER = 6  # ...or after it: "the anesthesia monitoring and dental work I do"
NEGATION_REACH = 3  # "I have not got my licence": a negation this close before a cue cancels it
OPENER_REACH = 8  # a question word this close before a timing cue makes an unpunctuated clause a question
TOPIC_REACH = 4  # "about my English", "about getting in at weekends": topic word, then the concern's word
ANSWER_REACH = 50  # words after pointing back where the answer may come (the rest of the utterance)
SPOKEN_DIGITS = frozenset(("oh",))  # "oh seven seven": a digit inside a number read out, not on its own
PHONE_RUN = 3  # more numbers in a row than this is a phone number being read out
CLAUSE_TOPICS = frozenset(("on", "with", "my"))  # topic words only at the start of a clause
SUBJECTS = frozenset("i you we they he she it that this there yall".split())
ANAPHORS = frozenset(("it", "that", "this", "which"))  # open a clause about what the sentence before named
DETERMINERS = frozenset(("the", "your", "that", "those", "this"))  # may open a clause before the concern's word


@dataclass(frozen=True)
class Act:
    kind: str  # one of ACT_KINDS
    first: int  # token range in the NormText, last exclusive
    last: int


@dataclass(frozen=True)
class CallActs:
    acts: tuple[Act, ...] = ()
    withdrawal: bool = False  # the call withdraws the application: not a follow-up
    other_matter: bool = False  # the call is about something else (parking, a refund, someone else's reference)

    def of(self, kind: str) -> tuple[Act, ...]:
        return tuple(a for a in self.acts if a.kind == kind)

    @property
    def not_a_follow_up(self) -> bool:
        return self.withdrawal or self.other_matter


@dataclass(frozen=True)
class Found:
    """One call, read once: its words, where every cue class is, and its sentences and clauses."""

    words: tuple[str, ...]
    tags: Tags
    lay: Layout
    lex: ActLexicon

    def has(self, cls: str, lo: int, hi: int) -> bool:
        return bool(self.tags.within(cls, max(lo, 0), hi))

    def meta(self, pos: int) -> bool:
        """The sentence talks about an act rather than doing it ("I was going to ask when…")."""
        return self.has("meta", *self.lay.sentence(pos))

    def negated(self, pos: int) -> bool:
        lo = max(self.lay.clause(pos)[0], pos - NEGATION_REACH)
        return self.has("negation", lo, pos)

    def opener(self, pos: int) -> bool:
        """A question word not followed by "I" ("what I bring is…", "I'll call when I hear more" state), or an
        inverted auxiliary: one with its subject after it ("did you…", "is there…"), not before it ("I did…",
        "updates would come")."""
        word, after = self.words[pos], self.words[pos + 1] if pos + 1 < len(self.words) else ""
        if word == "any":  # "any news?" asks; "…and that any updates would come by email" does not
            return self.opens(pos)
        if word in self.lex.wh:
            return after not in ("i", "we")
        before = self.words[pos - 1] if pos else ""
        if word not in self.lex.aux or before in SUBJECTS:
            return False
        # "Has HR signed it off yet?": an auxiliary opening a sentence that ends with "?" asks, whatever its subject
        return after in self.lex.subjects or (self.lay.asked(pos) and self.opens(pos))

    def inverted(self, pos: int) -> bool:
        """A question word with an inverted auxiliary after it ("when do you reckon", "how long will it take") asks,
        wherever it stands: unpunctuated speech hides where its clause begins."""
        w = self.words
        return (
            w[pos] in self.lex.wh
            and pos + 2 < len(w)
            and w[pos + 1] in self.lex.aux
            and w[pos + 2] in self.lex.subjects
        )

    def opens(self, pos: int) -> bool:
        """`pos` starts its sentence or clause, after any "and", "so", "okay", "sir"."""
        lo = self.lay.clause(pos)[0]
        while lo < pos and self.words[lo] in self.lex.lead:
            lo += 1
        return lo == pos

    def asks(self, pos: int, loose: bool) -> bool:
        """The words at `pos` are asked. Strictly: an explicit "can I ask", or a question word or inverted
        auxiliary shortly before, opening its clause or in a sentence ending with "?". Loosely (for the
        decision, whose words are specific): any question word shortly before, a "?", or a request such as
        "let me know"."""
        s0, s1 = self.lay.sentence(pos)
        if self.has("ask_role", s0, pos + 1):
            return True
        near = [i for i in range(max(s0, pos - OPENER_REACH), pos + 1) if self.opener(i)]
        if any(self.opens(i) or self.lay.asked(pos) or self.inverted(i) for i in near):
            return True
        # A request asks about what follows it in the sentence, or what precedes it in its own clause
        # ("…where things stand, I'd be grateful" is one request; "…the second round, and I wanted to ask
        # about parking" asks about parking).
        c1 = self.lay.clause(pos)[1]
        request = self.has("ask", s0, pos + 1) or self.has("ask", pos, c1) or self.has("ask_polite", s0, s1)
        return loose and (bool(near) or self.lay.asked(pos) or request)


def find_acts(
    text: NormText, plan: Plan | None, lex: ActLexicon | None = None, reading: Reading | None = None
) -> CallActs:
    """The acts of a whole call (or of one answer): deterministic, and cheap enough for every turn."""
    lex = lex or load_acts()
    r = reading or read(text, lex)
    words = r.words
    if not words:
        return CallActs()
    tags = lex.cues.find(words, r.lay.sentence_of, r.numbers)
    tags = tags.merged({**plan_words(lex, plan).tag(list(words)), "scale": _scale(tags, words, r.numbers)})
    f = Found(words, tags, r.lay, lex)
    if withdrawal(f):
        return CallActs(withdrawal=True)
    other = other_matter(f)
    timing = _timing_questions(f, specific_only=other)
    if other:
        return CallActs(tuple(t for t in timing if t.kind == "timing_question"), other_matter=True)
    refs = _concern_references(f)
    answers = [a for a in (_answer(f, r) for r in refs) if a is not None]
    about = [(a.first, _answer_end(f, a)) for a in answers] + [(r.first, f.lay.clause(r.last - 1)[1]) for r in refs]
    strengths = _strengths(f, about)
    acts = [*strengths, *refs, *answers, *_role_questions(f), *timing]
    return CallActs(tuple(sorted(acts, key=lambda a: (a.first, ACT_KINDS.index(a.kind)))))


# --- strengths ---------------------------------------------------------------------------------------------


def _scale(tags: Tags, words: tuple[str, ...], numbers: tuple[bool, ...]) -> list[tuple[int, int]]:
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


def _cues_in(f: Found, classes: tuple[str, ...], lo: int, hi: int) -> list[tuple[int, int]]:
    return sorted(span for c in classes for span in f.tags.within(c, lo, hi))


def _owned(f: Found, cue: int) -> str:
    """Whose claim a cue is: "mine" when "I"/"my" stands near it in its clause, "fragment" when nothing stands
    before it ("Eleven years Class 1"), "other" when it is someone else's ("he was my apprentice for three
    years") or negated ("I have not got my licence"), "" when the clause does not say."""
    lo, hi = f.lay.clause(cue)
    if f.negated(cue) or f.has("third_person", lo, cue):
        return "other"
    if f.has("first_person", max(lo, cue - SUBJECT_REACH), min(hi, cue + SUBJECT_AFTER)):
        return "mine"
    start = lo
    while start < cue and f.words[start] in f.lex.lead:
        start += 1
    if start == cue or f.has("no_subject_start", start, start + 1):
        return "fragment"
    return "mine" if _after_my_own(f, cue) else ""


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


def _strengths(f: Found, concern: list[tuple[int, int]]) -> list[Act]:
    """A sentence claims a strength when it holds a strong cue, or two weak ones without hedging ("I've used Sage
    quite a bit, I think" is no claim), and the claim is the candidate's own: a cue near "I"/"my", a fragment
    with a strong cue, or a sentence in the first person about no one else. Cues from where the candidate
    points back to the interviewer's concern, and in the answer to it, belong to that concern."""
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        if f.meta(s0) or f.lay.asked(s0) or f.asks(s0, loose=False):
            continue  # a question claims nothing
        cues = [(a, b, c) for c in STRONG + WEAK for a, b in f.tags.within(c, s0, s1) if _counts(f, a, b, c, concern)]
        owner = {a: _owned(f, a) for a, _, _ in cues}
        cues = [cue for cue in cues if owner[cue[0]] != "other"]
        mine = [a for a, _, c in cues if owner[a] == "mine" or (owner[a] == "fragment" and c in STRONG)]
        if not mine and f.has("first_person", s0, s1) and not f.has("third_person", s0, s1):
            mine = [a for a, _, _ in cues]
        strong = [a for a, _, c in cues if c in STRONG]
        weak = {a for a, _, c in cues if c in WEAK}
        if mine and (strong or (len(weak) >= 2 and not f.has("hedge", s0, s1))):
            out.append(Act("strength", _quote_start(f, min(mine)), max(b for _, b, _ in cues)))
    return out


def _quote_start(f: Found, pos: int) -> int:
    """The quote of a claim starts at its subject ("I cut delivery mileage…") when it is near."""
    lo = max(f.lay.clause(pos)[0], pos - SUBJECT_REACH)
    found = f.tags.within("first_person", lo, pos + 1)
    return found[-1][0] if found else pos


def _counts(f: Found, a: int, b: int, cls: str, concern: list[tuple[int, int]]) -> bool:
    if any(lo <= a < hi for lo, hi in concern):
        return False
    # "a two-year contract" is no experience, nor "out of work for six months"; "three times" is no achievement.
    if cls != "duration":
        return True
    return not any(x < b and a < y for x, y in f.tags.spans.get("not_scale", ())) and not f.has(
        "idle", f.lay.clause(a)[0], a
    )


# --- the interviewer's concern, and the role ----------------------------------------------------------------


def _concern_references(f: Found) -> list[Act]:
    refs: list[Act] = []
    spans = list(f.tags.spans.get("point_back", ()))
    spans += [s for s in f.tags.spans.get("point_soft", ()) if _about_concern(f, s[0])]
    named = f.tags.spans.get("concern_word", ())  # "the weekend shifts are fine", "the Python question"
    spans += [s for s in named if _topic_before(f, s[0]) or f.has("concern_noun", s[1], s[1] + 1)]
    for first, last in sorted(spans):
        s0, s1 = f.lay.sentence(first)
        if f.lay.asked(first) or f.meta(first) or (refs and refs[-1].last > first):
            continue
        if f.has("preference", s0, s1) and not _about_concern(f, first):
            continue  # "I know you said to email": their preference, not a concern
        refs.append(Act("concern_reference", first, last))
    return refs


def _about_concern(f: Found, pos: int) -> bool:
    s0, s1 = f.lay.sentence(pos)
    return f.has("concern_word", s0, s1) or f.has("worry", s0, s1)


def _topic_before(f: Found, pos: int) -> bool:
    """The concern's word is the topic: it opens its clause ("The weekend shifts are fine now"), or a topic word
    stands just before it ("about my English"). "on", "with" and "my" open a topic only at the start of a clause:
    "On the legal side…", not "I was on sauce" or "at my last practice"."""
    start = f.lay.clause(pos)[0]
    while start < pos and f.words[start] in f.lex.lead:
        start += 1
    near = f.tags.within("topic", max(start, pos - TOPIC_REACH), pos)
    if any(f.words[a] not in CLAUSE_TOPICS or a == start for a, _b in near):
        return True
    first = start + 1 if f.words[start] in DETERMINERS and start < pos else start
    while first < pos and f.lex.cues.is_number(f.words[first]):
        first += 1  # "The eight months off, that was…"
    return pos == first and not f.lay.asked(pos)


def _answer_end(f: Found, answer: Act) -> int:
    """Where the answer's own claim ends: the clause of its first answer cue and the clause after it ("I did
    overnights for three years, so nights don't bother me"); a later clause ("and I've had my HC nine years") is a
    claim of its own."""
    cues = [
        *_answer_cues(f, answer.first, answer.last),
        *(a for a, _ in f.tags.within("deflect", answer.first, answer.last)),
    ]
    first = min(cues, default=answer.last - 1)
    c = f.lay.clause_of[first]
    return min(answer.last, f.lay.clauses[min(c + 1, len(f.lay.clauses) - 1)][1])


def _answer(f: Found, ref: Act) -> Act | None:
    """The answer after pointing back: the first answer cue in the rest of the utterance, unless a brush-off
    ("anyway", "nothing to add", "I'll wing it") comes first."""
    end = min(f.lay.utterance_end[ref.first], ref.first + ANSWER_REACH)
    events = sorted(
        [(a, "deflect") for a, _ in f.tags.within("deflect", ref.last, end)]
        + [(a, "answer") for a in _answer_cues(f, ref.last, end)]
    )
    if not events or events[0][1] == "deflect" or f.has("blank", *f.lay.sentence(events[0][0])):
        return None
    return Act("concern_answer", ref.first, f.lay.sentence(events[0][0])[1])


def _answer_cues(f: Found, lo: int, hi: int) -> list[int]:
    """Proof offered, or something the candidate did, has or can do (their own, not negated)."""
    found = [a for a, _ in f.tags.within("answer_offer", lo, hi) if not f.negated(a)]
    # The concern's own words ("the case management software") name it; they do not answer it.
    found += [a for a, _ in _cues_in(f, (*STRONG, "achieve", "scale"), lo, hi) if _owned(f, a) == "mine"]
    # An arrangement answers it whoever makes it: "my mum can have the kids", "my brother drives me, it's arranged".
    found += [a for a, _ in f.tags.within("answer_act", lo, hi) if not f.negated(a)]
    return found


def _role_questions(f: Found) -> list[Act]:
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        topic = _cues_in(f, ("role_topic", "position_word", "skill", "concern_word"), s0, s1)
        asked = [a for a, _ in topic if f.asks(a, loose=False)]
        stage = any(f.asks(a, loose=False) for a, _ in _stage_cues(f, s0, s1))
        if not asked or f.meta(s0) or f.has("logistics", s0, s1) or _process_cues(f, s0, s1, False) or stage:
            continue  # pay and parking are errands; the decision and the stages of hiring are the next steps
        out.append(Act("role_question", asked[0], s1))
    return out


# --- next steps ------------------------------------------------------------------------------------------


def _process_cues(f: Found, lo: int, hi: int, specific_only: bool) -> list[tuple[int, int]]:
    classes = ("process", "status") if specific_only else ("process", "status", "process_generic")
    mine = f.tags.within("not_process", lo, hi)
    return [s for s in _cues_in(f, classes, lo, hi) if not any(a <= s[0] < b for a, b in mine)]


def _stage_cues(f: Found, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stages and progress of the hiring ("the panel", "a start date", "yet"), in a sentence about neither the job's
    work nor the candidate's own plans ("my next step")."""
    mine = f.tags.within("not_process", lo, hi)
    return [s for s in f.tags.within("stage", lo, hi) if not any(a <= s[0] < b for a, b in mine)]


def _timing_questions(f: Found, specific_only: bool) -> list[Act]:
    """Asking about the decision or the process; asking where one's own application stands is also a status
    question, which states the purpose of a follow-up call as well."""
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        if f.meta(s0):
            continue
        asked = [(a, b) for a, b in _process_cues(f, s0, s1, specific_only) if f.asks(a, loose=True)]
        if not specific_only:  # a stage of the hiring, asked outright: "has it gone to the panel yet?"
            asked += [(a, b) for a, b in _stage_cues(f, s0, s1) if f.asks(a, loose=False)]
            asked.sort()
        if asked:
            out.append(Act("timing_question", _question_start(f, asked[0][0]), asked[0][1]))
        status = [(a, b) for a, b in asked if f.tags.within("status", a, a + 1)]
        if status:
            out.append(Act("status_question", _question_start(f, status[0][0]), status[0][1]))
    return out


def _question_start(f: Found, pos: int) -> int:
    """The quote of a question starts at its question word or request ("Could you tell me what the next steps
    are"), not at the cue inside it."""
    lo = max(f.lay.clause(pos)[0], pos - OPENER_REACH)
    openers = [i for i in range(lo, pos + 1) if f.opener(i)] + [a for a, _ in f.tags.within("ask", lo, pos + 1)]
    return min(openers, default=pos)
