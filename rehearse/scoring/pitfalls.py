"""The guide's four pitfalls, judged from cue patterns (prompts/pitfalls.toml), the call's acts and the plan.

- informal: the call is thick with slang, casual fillers, hedges or pet names, for its length; one "hey" or a
  regional "y'all" is not enough, nor a few casual words in a long, chatty call.
- pushy: calling again and again, promising to keep calling, demanding an answer now, or asking about the
  decision in several separate sentences.
- unprepared: not knowing the interviewer's name, the role, the company or the date; asking for them; mixing the
  call up with another application; no reason of their own for calling; losing their own thread. Names said are
  checked against the plan: a wrong title and surname asking for the interviewer, a wrong company after the role,
  or a correction onto the plan's own role or company ("at Greenfield, sorry, Greenway"). Nerves alone ("sorry,
  I'm nervous, I wrote notes") are not unprepared.
- ignores_preferences: the plan says they prefer email (or no calls), so the call itself ignores it; or the
  candidate recalls what was asked ("I know you said two weeks") and overrides it ("but…").
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.acts import CallActs
from rehearse.scoring.clauses import Layout
from rehearse.scoring.cues import CueSet, Tags
from rehearse.scoring.reading import Reading, load_acts, read
from rehearse.scoring.rubric import PitfallSpec
from rehearse.scoring.text import NormText, normalise_phrase
from rehearse.values import PitfallHit

SAME_NAME = 0.6  # how alike a name said and the plan's must be: "kovalchik" (speech recognition) for Kowalczyk
CORRECTION_REACH = 2  # sentences after a wrong name in which the right one may come
OWN_REACH = 3  # words before "role at" in which "my", "current" make it the candidate's own job
STRONG_POINTS = 2  # a strong casual marker ("yo", "bro", "lol") counts as two mild ones ("gonna", "cool")
WEAK_SIGNS = 2  # distinct weak signs of being unprepared that together count as one
OVERRIDE_REACH = 1  # sentences after acknowledging a preference in which the "but…" may come
FIX_REACH = 2  # words after "no", "sorry" in which the plan's fact may come ("no, the assistant manager")
APOLOGISING = frozenset(("i", "am", "so", "really", "very", "terribly"))  # "I'm so sorry, Janet": no correction
FOLLOW_UP_RUN = 2  # two turns in a row asking about the decision: a question and one follow-up on its answer


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once
class PitfallLexicon:
    cues: CueSet  # every class below, found in the call in one pass
    plan: CueSet  # plan_no_call, plan_phone, plan_other: read in the plan's contact preference
    informal_points: int
    informal_density: float  # points per hundred words
    pushy_repeats: int
    titles: frozenset[str]  # "mrs", "dr": a name follows
    address: frozenset[str]  # words before a title that make it address ("speak with Mrs Patel")
    company_before: frozenset[str]  # "the role at Harlow", "joining the Harlow team"
    role_words: frozenset[str]  # "role", "job": "the role at …" names the company
    not_company: frozenset[str]  # "at the Leeds branch" names a place, not the company
    own: frozenset[str]  # "my role at Tata", "my current job with": the candidate's own job, not this company
    fix_skip: frozenset[str]  # words between a correction and the fact it gives ("sorry, yes, receptionist")
    fix_open: frozenset[str]  # corrections that may open a sentence: "Sorry, Greenway", not "No, Greenway is…"


@lru_cache(maxsize=4)
def load_pitfalls(path: Path | None = None) -> PitfallLexicon:
    data = tomllib.loads((path or prompts_dir() / "pitfalls.toml").read_text(encoding="utf-8"))
    pref = data["ignores_preferences"]
    classes = {
        "informal_strong": data["informal"]["strong"],
        "informal_mild": data["informal"]["mild"],
        "pushy": data["pushy"]["cues"],
        "unprepared": data["unprepared"]["cues"],
        "unprepared_weak": data["unprepared"]["weak"],
        "unprepared_fix": data["unprepared"]["corrections"],
        "pref_acknowledge": pref["acknowledge"],
        "pref_topic": pref["topic"],
        "pref_override": pref["override"],
        "pref_early": pref["early"],
        "pref_waited": pref["waited"],
    }
    numbers = load_acts().cues.numbers
    plan = {k: pref[k] for k in ("plan_no_call", "plan_phone", "plan_other")}
    return PitfallLexicon(
        CueSet.build(classes, numbers),
        CueSet.build(plan, numbers),
        int(data["informal"]["points"]),
        float(data["informal"]["per_hundred"]),
        int(data["pushy"]["repeats"]),
        frozenset(data["unprepared"]["titles"]),
        frozenset(data["unprepared"]["address"]),
        frozenset(data["unprepared"]["company_before"]),
        frozenset(data["unprepared"]["role_words"]),
        frozenset(data["unprepared"]["not_company"]),
        frozenset(data["unprepared"]["own"]),
        frozenset(data["unprepared"]["correction_skip"]),
        frozenset(data["unprepared"]["correction_open"]),
    )


@dataclass(frozen=True)
class Call:
    """What the pitfall rules look at: the call's words and cues, its acts and its plan."""

    text: NormText
    tags: Tags
    lay: Layout
    acts: CallActs
    plan: Plan | None
    lex: PitfallLexicon

    def quote(self, first: int, last: int) -> tuple[str, int, int]:
        start, end = self.text.span(first, last)
        return self.text.source[start:end], start, end


Evidence = tuple[str, int, int]  # the quote (or a figure), and its character span (-1, -1 for a figure)


def find_pitfalls(
    text: NormText,
    plan: Plan | None,
    acts: CallActs,
    specs: Sequence[PitfallSpec],
    reading: Reading | None = None,
    lex: PitfallLexicon | None = None,
) -> dict[str, PitfallHit]:
    """The pitfalls the call falls into, by id, each with its evidence."""
    lex = lex or load_pitfalls()
    r = reading or read(text)
    words = r.words
    call = Call(text, lex.cues.find(words, r.lay.sentence_of, r.numbers), r.lay, acts, plan, lex)
    found: dict[str, PitfallHit] = {}
    for spec in specs:
        rule = RULES.get(spec.id)
        evidence = rule(call) if rule and words else None
        if evidence is not None:
            found[spec.id] = PitfallHit(spec.id, spec.title, evidence[0], evidence[1], evidence[2], spec.advice)
    return found


def _informal(call: Call) -> Evidence | None:
    words = [t.text for t in call.text.tokens]
    markers: dict[str, tuple[int, int, int]] = {}  # marker words -> (points, first, last) of its first use
    strong: list[str] = []
    for cls, points in (("informal_strong", STRONG_POINTS), ("informal_mild", 1)):
        for a, b in call.tags.spans.get(cls, ()):
            markers.setdefault(" ".join(words[a:b]), (points, a, b))
            strong += [" ".join(words[a:b])] if points == STRONG_POINTS else []
    # A strong marker said again counts once more: "mate" three times to an interviewer is more than once.
    again = sum(strong.count(m) > 1 for m in set(strong))
    points = sum(p for p, _, _ in markers.values()) + STRONG_POINTS * again
    if points < call.lex.informal_points or points * 100 < call.lex.informal_density * len(words):
        return None
    points, a, b = max(markers.values(), key=lambda m: (m[0], -m[1]))  # the first of the strongest markers
    return call.quote(a, b)


def _pushy(call: Call) -> Evidence | None:
    spans = call.tags.spans.get("pushy", ())
    if spans:
        return call.quote(*spans[0])
    times = _times_asked(call)
    if times >= call.lex.pushy_repeats:
        return f"asked for an update {times} times", -1, -1
    return None


def _times_asked(call: Call) -> int:
    """How often the call comes back to the decision: turns that ask about it (a turn asking in several sentences
    asks once). One follow-up on the answer just given ("is there another interview?" then "when would that
    be?") is the same asking; a third turn in a row asking again is not."""
    turns = sorted({call.text.tokens[a.first].utterance for a in call.acts.of("timing_question")})
    runs: list[int] = []  # lengths of runs of consecutive turns that ask
    for k, t in enumerate(turns):
        if k and t - turns[k - 1] == 1:
            runs[-1] += 1
        else:
            runs.append(1)
    return sum(1 if run == FOLLOW_UP_RUN else run for run in runs)


def _unprepared(call: Call) -> Evidence | None:
    spans = call.tags.spans.get("unprepared", ())
    weak = call.tags.spans.get("unprepared_weak", ())
    if spans:
        return call.quote(*spans[0])
    misnamed = _misnamed(call) or _corrected_to_plan(call)
    if misnamed is not None:
        return misnamed
    words = [t.text for t in call.text.tokens]
    signs: set[str] = set()  # distinct signs; two patterns over the same words are one sign
    end = -1
    for a, b in weak:
        if a >= end:
            signs.add(" ".join(words[a:b]))
        end = max(end, b)
    if len(signs) >= WEAK_SIGNS:
        return call.quote(*weak[0])
    return None


def _corrected(call: Call, pos: int, people: frozenset[str]) -> bool:
    """A wrong name is a mix-up when it asks for the interviewer at the start of the call, or the right name
    follows it soon ("Mrs Patel, please? ... Oh. Pillai."); a wrong name mid-call may be someone else's."""
    s = call.lay.sentence_of[pos]
    if s == 0:
        return True
    hi = call.lay.sentences[min(s + CORRECTION_REACH, len(call.lay.sentences) - 1)][1]
    return any(t.text in people for t in call.text.tokens[pos + 2 : hi])


def _alike(said: str, known: frozenset[str]) -> bool:
    return any(SequenceMatcher(None, said, k).ratio() >= SAME_NAME for k in known)


def _plan_words(text: str) -> set[str]:
    return set(normalise_phrase(text, load_acts().words).split())


def _misnamed(call: Call) -> Evidence | None:
    """The interviewer or the company named wrongly, against the plan: a title and a surname said in address that
    are not the interviewer's ("may I speak with Mrs Patel" for Mrs Pillai), or a capitalised name after the role
    that is not the company's ("the dispatcher role at Harlow Logistics" for Penrose Freight)."""
    plan, lex, toks = call.plan, call.lex, call.text.tokens
    if plan is None:
        return None
    words = [t.text for t in toks]
    function = _function_words()
    people, company = _named_words(plan, lex)
    sentence_of = call.lay.sentence_of
    for i in range(len(words) - 1):
        w, name = words[i], words[i + 1]
        if name in function or name in lex.titles or sentence_of[i] != sentence_of[i + 1]:
            continue
        if people and w in lex.titles and _capitalised(call, i + 1):  # not a garbled transcript
            start = call.lay.sentence(i)[0] == i
            beside = words[i - 1] == "and" and i >= 2 and (words[i - 2] == "you" or words[i - 2] in people)
            if beside:
                continue  # "I interviewed with you and Ms Desjarlais": another panel member, not a mix-up
            if (start or words[i - 1] in lex.address) and not _alike(name, people) and _corrected(call, i, people):
                return call.quote(i, i + 2)
        at_role = company and w in lex.company_before and (w.startswith("join") or words[i - 1] in lex.role_words)
        if at_role and not _own_job(words, i, lex):
            j = i + 2 if name == "the" else i + 1
            if j >= len(words) or words[j] in function or words[j] in people:
                continue
            after = words[j + 1] if j + 1 < len(words) else ""
            if _capitalised(call, j) and after not in lex.not_company and not _alike(words[j], company):
                return call.quote(i, j + 1)
    return None


def _own_job(words: list[str], i: int, lex: PitfallLexicon) -> bool:
    """The candidate's own last job is named, not this company: "my role at Tata", "my current job with"."""
    return any(x in lex.own for x in words[max(i - OWN_REACH, 0) : i])


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    acts = load_acts()
    return acts.lead | acts.subjects | acts.aux | acts.wh


@lru_cache(maxsize=64)  # once per plan: normalising the plan's names on every call cost more than the rule
def _named_words(plan: Plan, lex: PitfallLexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The interviewer's name words (not their title) and the company's words (not "the", "and")."""
    people = frozenset(w for v in plan.names("interviewer") for w in _plan_words(v)) - lex.titles
    return people, frozenset(_plan_words(plan.company) - _function_words())


@lru_cache(maxsize=64)  # once per plan, like the acts' plan words
def _identity_words(plan: Plan, lex: PitfallLexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The words that name this application: the interviewer's name, and the company's and the role's words
    (not "the", "senior", "5")."""
    acts = load_acts()
    common = acts.lead | acts.subjects | acts.aux | acts.wh | acts.generic | acts.cues.numbers | lex.titles

    def named(text: str) -> frozenset[str]:
        return frozenset(w for w in _plan_words(text) - common if len(w) >= acts.min_word and not w.isdigit())

    people = named(plan.interviewer)
    return people, named(f"{plan.company} {plan.position}") - people


def _corrected_to_plan(call: Call) -> Evidence | None:
    """The candidate corrects themself onto the plan's own fact: "the chef de partie, no, sous chef", "the
    position at Greenfield. Sorry, Greenway.", or, once the interviewer has put them right, "Sorry, receptionist".
    What came before the correction was another name, company or role: their notes, or another application, spoke
    first. A person's name counts only corrected mid-sentence, after another name: "Sorry, Janet, I'll be quick"
    and "thanks so much, sorry, Janet" only address her. At a sentence's start only an apology followed by the
    fact alone corrects: "No, Kestrel is my first choice" answers a question."""
    if call.plan is None:
        return None
    words = [t.text for t in call.text.tokens]
    people, things = _identity_words(call.plan, call.lex)
    lead = load_acts().lead
    for a, b in call.tags.spans.get("unprepared_fix", ()):
        lo, hi = call.lay.sentence(a)
        said = [i for i in range(lo, a) if words[i] not in lead]
        j = b
        while j < min(hi, b + FIX_REACH) and (words[j] in call.lex.fix_skip or words[j] in call.lex.titles):
            j += 1
        if j >= hi or words[j] not in people | things or (said and words[said[-1]] in people | things):
            continue  # no fact of the plan's after it, or the same fact just before it ("Victor, sorry, Victor")
        if said and words[said[-1]] in APOLOGISING:
            continue  # "I'm sorry, Gráinne, that's the fire alarm": an apology to her, no correction
        if said and (words[j] in things or (said[-1] > lo and _capitalised(call, said[-1]))):
            return call.quote(said[-1], j + 1)
        if not said and words[j] in things and words[b - 1] in call.lex.fix_open and _alone(call, j, things):
            return call.quote(a, j + 1)
    return None


def _capitalised(call: Call, i: int) -> bool:
    """Another name was said before the right one ("Mrs Okoro, sorry, Okafor"), not a word ("thanks so much,
    sorry, Priya"); a transcript without capitals shows no names."""
    said = call.text.source[call.text.tokens[i].start : call.text.tokens[i].end]
    return said[:1].isupper() and not said.isupper()


def _alone(call: Call, j: int, things: frozenset[str]) -> bool:
    """The plan's fact is all its clause says: "Sorry, Greenway." corrects; "Sorry, Acme was my first choice" goes
    on to say something of its own."""
    end = call.lay.clause(j)[1]
    while j < end and call.text.tokens[j].text in things:
        j += 1
    return j == end


def _ignores_preferences(call: Call) -> Evidence | None:
    early = call.tags.spans.get("pref_early", ())
    if early:
        return call.quote(*early[0])
    for a, _b in call.tags.spans.get("pref_acknowledge", ()):
        s = call.lay.sentence_of[a]
        lo, hi = call.lay.sentences[s]
        last = call.lay.sentences[min(s + OVERRIDE_REACH, len(call.lay.sentences) - 1)][1]
        if call.tags.within("pref_topic", lo, hi) and call.tags.within("pref_override", a, last):
            return call.quote(a, hi)
    pref = call.plan.contact_preference if call.plan else ""
    waited = "before" in pref.lower().split() and call.tags.spans.get("pref_waited")
    if pref and _rules_out_a_call(pref, call.lex) and not waited:
        return f'the plan says they prefer "{pref}", and this is a phone call', -1, -1
    return None


@lru_cache(maxsize=64)  # once per plan's preference, not on every call scored
def _rules_out_a_call(preference: str, lex: PitfallLexicon) -> bool:
    tags = lex.plan.find(normalise_phrase(preference, load_acts().words).split())
    if tags.spans.get("plan_no_call"):
        return True
    return bool(tags.spans.get("plan_other")) and not tags.spans.get("plan_phone")


RULES: dict[str, Callable[[Call], Evidence | None]] = {
    "informal": _informal,
    "pushy": _pushy,
    "unprepared": _unprepared,
    "ignores_preferences": _ignores_preferences,
}
