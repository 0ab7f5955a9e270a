"""Speech acts of the candidate's side of a follow-up call, found once for the scorer and the conversation engine.

Each act is recognised from the kinds of words a clause holds (prompts/acts.toml), not from a list of phrases:

- strength: the candidate claims an ability, result or credential of their own: a first-person (or subjectless)
  clause with an achievement verb, a credential, years of experience, a figure, or a skill from the plan.
  Talking *about* strengths ("should I go over my background?") claims nothing; a record given in answer to the
  interviewer's concern claims it as well as answering.
- concern_reference / concern_answer: they point back to what the interviewer raised ("you asked about nights",
  "regarding the clearance") and then answer it: an action, a fact or proof offered, before any brush-off. They
  may point back in their own words: a word of the concern's family ("the travel" for reaching the site), a title
  word as its side of the work ("the sales side"), or, when the plan has a concern, any topic opened at the start
  of a clause ("About getting in for seven, ..."), which in a short follow-up call is mostly that concern.
- role_question: a question about the job itself (the team, the shifts, the work), not about pay or parking.
- timing_question: they ask about the decision, the timing or the process, as a question or a request; when it
  asks where their own application stands ("just ringing to see where things stand"), it is also a
  status_question, which states the purpose of the call. A stage of the hiring ("a start date", "the panel", "my
  referees", "the other candidates", "who do I chase") counts only when asked outright, so its words said in
  passing ("I did an assessment centre last year") ask nothing.

The rules for strengths are in scoring.claims, those for the concern in scoring.concern, and what both read a call
through (its words, cues, sentences and questions) in scoring.found. Purpose overrides the rest (scoring.purpose): a
call to withdraw carries none of these acts, and a call about another matter (a refund, a reference for someone else)
carries only a question that names the hiring decision outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rehearse.plan import Plan
from rehearse.scoring.claims import cues_in, scale, strengths
from rehearse.scoring.clauses import PlanWords
from rehearse.scoring.concern import answer, concern_references, naming, since_closed
from rehearse.scoring.found import OPENER_REACH, Act, Found
from rehearse.scoring.purpose import other_matter, withdrawal
from rehearse.scoring.reading import ActLexicon, Reading, load_acts, plan_words, read
from rehearse.scoring.rubric import ACT_KINDS
from rehearse.scoring.text import NormText, normalise_phrase

OPENING_TURNS = 3  # a call's reason comes in its first turns: a hello, a "yes, it's me", then why they rang

__all__ = ["Act", "CallActs", "Found", "concern_reply", "find_acts"]


@dataclass(frozen=True)
class CallActs:
    acts: tuple[Act, ...] = ()
    withdrawal: bool = False  # the call withdraws the application: not a follow-up
    other_matter: bool = False  # the call is about something else (parking, a refund, someone else's reference)

    def of(self, kind: str) -> tuple[Act, ...]:
        """The acts of one kind, or of alternatives ("status_question|news_for_them")."""
        kinds = kind.split("|")
        return tuple(a for a in self.acts if a.kind in kinds)

    @property
    def not_a_follow_up(self) -> bool:
        return self.withdrawal or self.other_matter


def find_acts(
    text: NormText,
    plan: Plan | None,
    lex: ActLexicon | None = None,
    reading: Reading | None = None,
    opening: int = OPENING_TURNS,
    replies: frozenset[int] = frozenset(),
) -> CallActs:
    """The acts of a whole call (or of one answer): deterministic, and cheap enough for every turn. `opening` is how
    many of its first turns give the call's reason; 0 for one answer read on its own, whose place is not known.
    `replies` are the utterances (by index) that answer the interviewer's question about the concern."""
    f = _found(text, plan, lex, reading)
    if f is None:
        return CallActs()
    if withdrawal(f):
        return CallActs(withdrawal=True)
    other = other_matter(f)
    timing = _timing_questions(f, specific_only=other, opening=opening)
    if other:
        return CallActs(tuple(t for t in timing if t.kind == "timing_question"), other_matter=True)
    starts = text.utterance_starts() if replies else {}
    refs, answers, offers = _concern_acts(f, plan, [starts[u] for u in sorted(replies) if u in starts])
    about = [naming(f, r) for r in refs] + since_closed(f, answers)
    claims = strengths(f, about)
    news = _news_for_them(f, [*claims, *answers], opening)
    acts = [*claims, *refs, *answers, *offers, *news, *_role_questions(f), *timing]
    return CallActs(tuple(sorted(acts, key=lambda a: (a.first, ACT_KINDS.index(a.kind)))))


def _found(text: NormText, plan: Plan | None, lex: ActLexicon | None, reading: Reading | None) -> Found | None:
    """The call's words with every cue, the plan's words and the title's tagged; None when nothing was said."""
    lex = lex or load_acts()
    r = reading or read(text, lex)
    words = r.words
    if not words:
        return None
    tags = lex.cues.find(words, r.lay.sentence_of, r.numbers)
    inflected: dict[str, tuple[str, ...]] = {}  # each word's inflections once, for the plan's words and the title's
    found = {**plan_words(lex, plan).tag(list(words), inflected), **_title_words(lex, plan).tag(list(words), inflected)}
    left = tags.spans.get("message_left", ())  # "left a message" is no word of a concern about leaving a job
    found["concern_word"] = [s for s in found.get("concern_word", ()) if not any(a <= s[0] < b for a, b in left)]
    tags = tags.merged({**found, "scale": scale(tags, words, r.numbers)})
    return Found(words, tags, r.lay, lex)


def concern_reply(text: NormText, plan: Plan | None, lex: ActLexicon | None = None) -> str:
    """How one answer given straight after the interviewer asked about the concern answers it, by the same rules
    as an answer after the candidate points back: "answer" (a fact, a record, an arrangement, proof), "offer"
    (only an offer to say more) or "none" (a brush-off, a promise for after hiring, a hollow self-assessment)."""
    f = _found(text, plan, lex, None)
    if f is None or withdrawal(f):
        return "none"
    reply, only_offer = answer(f, Act("concern_reference", 0, 0))
    if reply is None:
        return "none"
    return "offer" if only_offer else "answer"


def _news_for_them(f: Found, told: list[Act], opening: int) -> list[Act]:
    """Ringing to tell them something new for the application says why they rang: "I only wanted to say I've booked
    the exam you asked about", "just to let you know my references are lined up". The frame must open the call's
    business (its first turns) and what it tells must be about the candidate: a claim, an answer, news since the
    interview, or anything said in the first person after it ("...let you know I've got my references lined up")."""
    out: list[Act] = []
    for a, b in f.tags.spans.get("reason_frame", ()):
        if _turn(f, a) >= opening:
            continue
        s0, s1 = f.lay.sentence(a)
        about_me = f.has("since_interview", s0, s1) or f.has("first_person", b, s1)
        if about_me or any(s0 <= act.first < s1 for act in told):
            out.append(Act("news_for_them", a, max(b, s1)))
    return out[:1]


def _concern_acts(f: Found, plan: Plan | None, replies: list[int]) -> tuple[list[Act], list[Act], list[Act]]:
    """Where the candidate points back to the concern, their answers, and the answers that only offer to say more
    (they count; the report says a fact would land better). An utterance that replies to the interviewer's question
    about the concern is pointed back to by the question itself: an empty reference at its first word."""
    framed = bool(plan and plan.concern)
    refs = concern_references(f, framed=framed)
    ends = {f.lay.utterance_end[r.first] for r in refs}
    asked = [Act("concern_reference", p, p) for p in replies if f.lay.utterance_end[p] not in ends]
    refs = sorted([*refs, *asked], key=lambda a: a.first)
    # What a pointer names ("you were worried about me being overqualified") holds no answer to any reference; a
    # concern's word said in a sentence of its own ("I covered weekends for two years") may be the answer itself.
    names = [naming(f, r) for r in refs if not f.has("concern_word", r.first, r.first + 1)]
    answered = [reply for r in refs if (reply := answer(f, r, names))[0] is not None]
    for ref in concern_references(f, asked=True, framed=framed):
        reply = answer(f, ref, names)
        if reply[0] is not None:  # "Was the gap a problem? Only, I was doing bank shifts the whole time."
            refs, answered = sorted([*refs, ref], key=lambda a: a.first), [*answered, reply]
    offers = [Act("concern_offer", a.first, a.last) for a, only in answered if a and only]
    return refs, [a for a, _ in answered if a], offers


@lru_cache(maxsize=64)
def _title_words(lex: ActLexicon, plan: Plan | None) -> PlanWords:
    """The job title's own words ("supervisor", "operator") as position words. reading.plan_words keeps them out of
    every class so that a skill word in the title names no skill, which left a question about "the supervisor" or
    "an operator" with no word of the role. A title word the concern holds ("no sales experience" for a sales job)
    is also a concern_title word: it names the concern only as "the sales side" or "my sales background"."""
    if plan is None:
        return PlanWords({}, {})
    title = set(normalise_phrase(plan.position, lex.words).split())
    shared = " ".join(w for w in normalise_phrase(plan.concern, lex.words).split() if w in title)
    fields = {"position_word": (plan.position,), "concern_title": (shared,)}
    return PlanWords.build(fields, lex.words, lex.generic, lex.min_word)


# --- the role ---------------------------------------------------------------------------------------------


def _role_questions(f: Found) -> list[Act]:
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        topic = cues_in(f, ("role_topic", "position_word", "skill", "concern_word"), s0, s1)
        # Pay and parking are errands, in the clause they are asked in: "is there a pension, and what shifts would
        # I be on?" still asks about the shifts.
        asked = [a for a, _ in topic if f.asks(a, loose=False) and not f.has("logistics", *_asked_in(f, a))]
        asked = [a for a in asked if not (f.meta(a) or f.aside(a))]
        if not asked or _process_cues(f, s0, s1, False):
            continue  # messages ask nothing; the decision and the stages of hiring are the next steps
        if not any(f.asks(a, loose=False) for a, _ in _stage_cues(f, s0, s1)):
            out.append(Act("role_question", asked[0], s1))
    return out


def _asked_in(f: Found, pos: int) -> tuple[int, int]:
    """The clause a topic is asked in; when that clause only announces the question ("can I ask something about
    the job — is there staff parking?"), the whole sentence, whose question is what the topic is."""
    c0, c1 = f.lay.clause(pos)
    return f.lay.sentence(pos) if f.has("ask_role", c0, c1) else (c0, c1)


# --- next steps ------------------------------------------------------------------------------------------


def _process_cues(f: Found, lo: int, hi: int, specific_only: bool) -> list[tuple[int, int]]:
    classes = ("process", "status") if specific_only else ("process", "status", "process_generic")
    mine = f.tags.within("not_process", lo, hi)
    return [s for s in cues_in(f, classes, lo, hi) if not any(a <= s[0] < b for a, b in mine)]


def _stage_cues(f: Found, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stages and progress of the hiring ("the panel", "a start date", "yet"), in a sentence about neither the job's
    work nor the candidate's own plans ("my next step")."""
    mine = f.tags.within("not_process", lo, hi)
    return [s for s in f.tags.within("stage", lo, hi) if not any(a <= s[0] < b for a, b in mine)]


def _timing_questions(f: Found, specific_only: bool, opening: int) -> list[Act]:
    """Asking about the decision or the process; asking where one's own application stands is also a status
    question, which states the purpose of a follow-up call as well."""
    out: list[Act] = []
    for s0, s1 in f.lay.sentences:
        asked = [(a, b) for a, b in _process_cues(f, s0, s1, specific_only) if f.asks(a, loose=True)]
        if not specific_only:  # a stage of the hiring, asked outright: "has it gone to the panel yet?"
            asked += [(a, b) for a, b in _stage_cues(f, s0, s1) if f.asks(a, loose=False)]
            asked.sort()
        # "could you let her know I rang?" leaves word, "I was going to ask…" talks: neither asks about the process
        asked = [(a, b) for a, b in asked if not (f.meta(a) or f.aside(a))]
        if asked:
            out.append(Act("timing_question", _question_start(f, asked[0][0]), asked[0][1]))
        status = [(a, b) for a, b in asked if f.tags.within("status", a, a + 1) or _turn(f, a) < opening]
        if status:
            out.append(Act("status_question", _question_start(f, status[0][0]), status[0][1]))
    return out


def _turn(f: Found, pos: int) -> int:
    """Which of the candidate's turns `pos` is in, from 0. In the first few the call's reason is given: a decision
    asked about there ("is the driver job still going?", "have you decided yet?") is why they rang, as much as
    "I'm ringing to see where things stand"."""
    ends = f.lay.utterance_end
    return sum(ends[i] == i + 1 for i in range(pos))


def _question_start(f: Found, pos: int) -> int:
    """The quote of a question starts at its question word or request ("Could you tell me what the next steps
    are"), not at the cue inside it."""
    lo = max(f.lay.clause(pos)[0], pos - OPENER_REACH)
    openers = [i for i in range(lo, pos + 1) if f.opener(i)] + [a for a, _ in f.tags.within("ask", lo, pos + 1)]
    return min(openers, default=pos)
