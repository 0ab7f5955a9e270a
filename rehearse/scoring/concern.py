"""The interviewer's concern: the candidate points back to it and answers it (see rehearse/scoring/acts.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.scoring.claims import STRONG, cues_in, owned
from rehearse.scoring.found import Act, Found

FRAGMENT = 6  # words of a sentence that only announces a topic
TOPIC_REACH = 4  # "about my English", "about getting in at weekends": topic word, then the concern's word
NAMED_LAST = 6  # words from the end of a turn within which the concern is "named last", to be answered next turn
ANSWER_REACH = 90  # words after pointing back where the answer may come (the rest of the turn, or the next one)
CLAUSE_TOPICS = frozenset(("on", "with", "my", "for"))  # topic words only at the start of a clause
# "follow up on SAP", "one more thing on Excel": "on" opens a topic right after these, determiner or not
ON_AFTER = frozenset(("up", "back", "point", "thing", "word", "news", "note", "more", "quickly", "briefly"))
DETERMINERS = frozenset(("the", "your", "that", "those", "this"))  # may open a clause before the concern's word
NEW_SUBJECTS = frozenset(("i", "we"))  # "...about my driving i passed in may": the candidate starts telling
TITLE_CONCERN_NOUNS = frozenset(("side", "experience", "background", "point", "question", "thing", "gap", "part"))
OBJECT_WORDS = DETERMINERS | {"my", "a", "an", "our"}
THANKS = frozenset(("thank", "thanks", "cheers"))
PRO_VERBS = frozenset(("did", "do", "does"))  # standing for a verb said before them, at the end of a clause
NOT_AFTER = frozenset(("not", "never"))  # "did not", "have never": the cue's own verb negated
NEXT_TURN_ANSWERS = ("answer_offer", "talk_offer")  # proof or more offered: answers in the turn after pointing back
COMPLEMENTS = frozenset(("if", "whether", "that", "when", "how", "what", "why"))  # "...asked if i had": still naming


def concern_references(f: Found, asked: bool = False, framed: bool = True) -> list[Act]:
    """Where the candidate points back to the concern. Pointing back in a question ("was the gap a problem, do you
    think?") is kept apart (`asked=True`): it counts only when an answer follows it. A topic opened in the
    candidate's own words ("On the travel, ...") counts when `framed`: when the plan says there was a concern."""
    refs: list[Act] = []
    spans = list(f.tags.spans.get("point_back", ()))
    spans += list(f.tags.spans.get("point_after", ()))  # "...given what we discussed": the answer came first
    spans += [s for s in f.tags.spans.get("point_soft", ()) if _about_concern(f, s[0])]
    named = f.tags.spans.get("concern_word", ())  # "the weekend shifts are fine", "the Python question"
    spans += [s for s in named if _topic_before(f, s[0]) or f.has("concern_noun", s[1], s[1] + 1) or _worried(f, s[0])]
    spans += [s for s in named if _fragment(f, s[0])]
    # a word of the job title names the concern only as its side of the work: "on the sales side", "my sales background"
    titled = f.tags.spans.get("concern_title", ())
    spans += [s for s in titled if s[1] < len(f.words) and f.words[s[1]] in TITLE_CONCERN_NOUNS]
    frames = set(_frames(f)) if framed else set()
    spans += frames
    if framed:  # "since we spoke I've signed up for the course": what was done since is mostly done about the concern
        # ...but not what was only thought about since: "since we spoke I've been thinking about what you said about
        # the waste figures" points to whatever comes next, which names the concern or not by its own words
        since = f.tags.spans.get("since_interview", ())
        spans += [
            s for s in since if f.has("first_person", *f.lay.sentence(s[0])) and not f.has("reflect", s[1], s[1] + 4)
        ]
    for first, last in sorted(spans):
        if f.lay.asked(first) != asked or f.meta(first) or (refs and refs[-1].last > first):
            continue
        again = refs and f.lay.sentence_of[refs[-1].first] == f.lay.sentence_of[first]
        if again and f.has("concern_word", first, last):
            continue  # the concern's words said again after pointing back: they name it, they claim nothing
        # in a long unpunctuated turn, only the words near the pointer: "...i will have the card in the end of the
        # month" thirty words on is no preference of theirs
        p0, p1 = f.lay.clause(first) if (first, last) in frames else f.near(first)
        if f.has("preference", p0, p1) and not _about_concern(f, first):
            continue  # "I know you said to email": their preference, not a concern
        refs.append(Act("concern_reference", first, last))
    return refs


def _frames(f: Found) -> list[tuple[int, int]]:
    """Topics opened at the start of a clause ("On the travel, I've done the drive twice"): the words after the
    frame need not be the plan's, as candidates name the concern in their own."""
    out = []
    for a, b in f.tags.spans.get("topic_frame", ()):
        c0 = f.lay.clause(a)[0]
        thanks = any(w in THANKS for w in f.words[c0:a])  # "thank you for your time"
        if f.lead_end(c0, a) == a and not thanks and not f.tags.within("not_topic", a, a + 1):
            out.append((a, b))
    return out


def _fragment(f: Found, pos: int) -> bool:
    """The concern's word in a few words of their own, a topic announced: "The Year 9 scenario.", "The pay:",
    "So, the managing folk thing." """
    s0, s1 = f.lay.sentence(pos)
    opens = f.lead_end(s0, pos)  # a noun phrase opens on a determiner or the word: "It cut overtime" is no topic
    noun = opens == pos or f.words[opens] in DETERMINERS
    return noun and s1 - s0 <= FRAGMENT and not f.has("first_person", s0, s1) and not f.lay.asked(pos)


def _worried(f: Found, pos: int) -> bool:
    """The concern's word said with a word of doubt: "the typing test may have given you some pause"."""
    return f.has("worry", *f.lay.sentence(pos))


def _about_concern(f: Found, pos: int) -> bool:
    """A word of the concern, or of doubt, near a soft pointer: in a long unpunctuated voicemail, "the travel is no
    problem" sixty words on says nothing of what "you said" was about."""
    s0, s1 = f.near(pos)
    return f.has("concern_word", s0, s1) or f.has("worry", s0, s1)


def _topic_before(f: Found, pos: int) -> bool:
    """The concern's word is the topic: it opens its clause ("The weekend shifts are fine now"), or a topic word
    stands just before it ("about my English"). "on", "with" and "my" open a topic only at the start of a clause:
    "On the legal side…", not "I was on sauce" or "at my last practice"."""
    start = f.lay.clause(pos)[0]
    while start < pos and f.words[start] in f.lex.lead:
        start += 1
    near = f.tags.within("topic", max(start, pos - TOPIC_REACH), pos)
    if any(f.words[a] not in CLAUSE_TOPICS or a == start or _opens_topic(f, a, pos) for a, _b in near):
        return True
    first = start + 1 if f.words[start] in DETERMINERS and start < pos else start
    while first < pos and f.lex.cues.is_number(f.words[first]):
        first += 1  # "The eight months off, that was…"
    return pos == first and not f.lay.asked(pos)


def _opens_topic(f: Found, at: int, pos: int) -> bool:
    """Inside a clause, "on", "with" and "my" open a topic only right before the concern's word: "good news on the
    notice period", "that my German is not quite there", not "I was on sauce"."""
    if f.words[at] == "my":
        return at == pos - 1
    if f.words[at] == "for":  # "ready for the nights" is no topic; "For the system, ..." opens a clause
        return False
    if at == pos - 1:
        return f.words[at] == "on" and at > 0 and f.words[at - 1] in ON_AFTER
    return at + 1 < pos and f.words[at + 1] in DETERMINERS | {"my"} and at + 2 == pos


def answer(f: Found, ref: Act, names: Sequence[tuple[int, int]] = ()) -> tuple[Act | None, bool]:
    """The answer after pointing back: the first answer cue in the rest of the turn, unless a brush-off
    ("anyway", "nothing to add", "I'll wing it") comes first. `names` are the words of every reference that name
    the concern ("you were a bit worried about me being overqualified"): no answer is found inside them.

    Also whether the answer only offers to say more ("I'd be happy to go into that"): it counts, as in the guide's
    own example, but a coach would ask for a fact first."""
    cues = _answered(f, ref, names)
    if not cues:
        return None, False
    offers = {a for a, _ in f.tags.within("talk_offer", cues[0], cues[-1] + 1)}
    return Act("concern_answer", ref.first, f.lay.sentence(cues[0])[1]), all(c in offers for c in cues)


def _answered(f: Found, ref: Act, names: Sequence[tuple[int, int]]) -> list[int]:
    """Where the answer cues are, up to any brush-off: none when a brush-off comes first or the answer is not to
    hand ("I just can't find it on this page"), or the sentence puts it off until hired."""
    end = min(_answer_end(f, ref), ref.first + ANSWER_REACH)
    start = f.lay.sentence(ref.first)[1] if f.lay.asked(ref.first) else ref.last  # a question answers nothing
    if f.has("point_after", ref.first, ref.first + 1):  # "...I thought you'd want to know, given what we discussed"
        start, end = _utterance_start(f, ref.first), f.lay.sentence(ref.first)[0]
    events = _events(f, ref, names, start, end)
    if not events and end == f.lay.utterance_end[ref.first] < len(f.words) and f.has("point_back", ref.first, ref.last):
        # "that thing you asked about the gap, I fumbled it in the room": pointed back in so many words, with nothing
        # said to it before the turn ends, so the answer may come in the next one, after the interviewer's "go on".
        # (A concern's word said in passing, "following up on the supervisor job", opens no such wait.)
        # There only proof or more words offered answer: a record told next may be a new topic ("I remember you
        # asked about the gap. Yes." then "In Amman I worked five years in an office": strengths, not the gap).
        later = _events(f, ref, names, start, min(f.lay.utterance_end[end], ref.first + ANSWER_REACH))
        events = [e for e in later if e[1] == "deflect" or any(f.has(c, e[0], e[0] + 1) for c in NEXT_TURN_ANSWERS)]
    if not events or events[0][1] == "deflect" or f.has("blank", *f.lay.sentence(events[0][0])):
        return []
    events = [e for e in events if not f.has("defer", *f.lay.sentence(e[0]))]
    stop = next((k for k, e in enumerate(events) if e[1] == "deflect"), len(events))
    return [a for a, _ in events[:stop]]


def _events(f: Found, ref: Act, names: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, str]]:
    """Brush-offs and answer cues between start and end, in order."""
    return sorted(
        [(a, "deflect") for a, _ in f.tags.within("deflect", start, end)]
        + [(a, "answer") for a in _answer_cues(f, (start, end), naming(f, ref), names)]
    )


def _utterance_start(f: Found, pos: int) -> int:
    ends = f.lay.utterance_end
    while pos > 0 and ends[pos - 1] == ends[pos]:
        pos -= 1
    return pos


def _answer_end(f: Found, ref: Act) -> int:
    """The rest of the utterance; when the concern is named last ("...there was the bit about my certificate."),
    the answer may come in the next turn, after the interviewer's "go on"."""
    end = f.lay.utterance_end[ref.first]
    if f.lay.sentence(ref.first)[1] < end or end >= len(f.words) or ref.last < end - NAMED_LAST:
        return end
    return f.lay.utterance_end[end]


def _answer_cues(
    f: Found, window: tuple[int, int], named: tuple[int, int], names: Sequence[tuple[int, int]] = ()
) -> list[int]:
    """Proof offered, or something the candidate did, has or can do (their own, not negated). A sentence hedged
    ("I'm pretty good with it and stuff") answers only with a credential, a duration, a result or a figure."""
    # An offer to say more counts, the candidate's own as well as a referee's: the guide's own model of this section
    # is "I'd be happy to provide further details if needed", and the product teaches the guide. (Two blind
    # writers judged that offer no answer; their calls are scored against the guide here.)
    lo, hi = window
    found = [a for a, _ in f.tags.within("answer_offer", lo, hi)]
    found += [a for a, _ in f.tags.within("talk_offer", lo, hi)]
    # The concern's own words ("you were unsure about my forklift licence") name it; they do not answer it.
    claim = max(lo, named[1])
    claims = [a for a, _ in cues_in(f, STRONG, claim, hi) if owned(f, a) == "mine"]
    if f.has("concern_word", named[0], named[0] + 1):  # "I passed my driving test": the concern is what was done
        clause = f.lay.clause(named[0])[0]
        claims += [
            a for a, b in cues_in(f, STRONG, clause, named[0]) if owned(f, a) == "mine" and _object(f, b, named[0])
        ]
    weak = [a for a, _ in cues_in(f, ("achieve", "scale"), claim, hi) if owned(f, a) == "mine"]
    claims, weak = [[a for a in cues if not any(n0 <= a < n1 for n0, n1 in names)] for cues in (claims, weak)]
    claims = [a for a in claims if not f.asks(a, loose=True)]  # "...when you'll have finished interviewing"
    found += claims
    # An arrangement answers it whoever makes it: "my mum can have the kids", "my brother drives me, it's arranged".
    # An action asked about is no answer: "would I be doing that day to day?"
    weak += [a for a, _ in f.tags.within("answer_act", lo, hi) if not f.asks(a, loose=False)]
    found += [a for a in weak if not f.hedged(a) and not _in_thanks(f, a)]
    return [a for a in found if _told(f, a)]


def _in_thanks(f: Found, pos: int) -> bool:
    """Said in thanks: "thank you again for showing me round" answers nothing."""
    return f.has("courtesy", f.lay.sentence(pos)[0], pos)


def _object(f: Found, cue_end: int, pos: int) -> bool:
    """The concern's word is the cue's object: only "my", "the" or "a" stand between ("passed my driving test"),
    not "certificate on the weekend"."""
    return all(w in OBJECT_WORDS for w in f.words[cue_end:pos])


def _told(f: Found, pos: int) -> bool:
    """Said as done or had: not negated ("I didn't do it justice"), not a verb echoed ("I know I did"), nor named
    ("on top of what I've done", "about my experience with")."""
    after = f.words[pos + 1] if pos + 1 < len(f.words) else ""
    echo = f.words[pos] in PRO_VERBS and f.lay.clause(pos)[1] == pos + 1  # "I waffled, I know I did."
    return not f.negated(pos) and after not in NOT_AFTER and not echo and not f.named(pos)


def since_closed(f: Found, answers: list[Act]) -> list[tuple[int, int]]:
    """Sentences of an answer that tell what was done since the interview to close the gap ("Since we spoke I've
    added two case studies"): they answer the concern and claim no record."""
    out: list[tuple[int, int]] = []
    for ans in answers:
        first, last = f.lay.sentence_of[ans.first], f.lay.sentence_of[ans.last - 1]
        out += [s for s in f.lay.sentences[first : last + 1] if f.has("since_interview", *s)]
    return out


def naming(f: Found, ref: Act) -> tuple[int, int]:
    """The words that point back and name the concern: the rest of the reference's clause, up to where the
    candidate starts telling ("you asked about my reading i did two years of phonics groups" in a transcript
    without commas). "You asked whether I had my licence" still names it."""
    if ref.last <= ref.first:  # asked by the interviewer: nothing the candidate said names it
        return ref.first, ref.first
    end = f.lay.clause(ref.last - 1)[1]
    for k in range(ref.last + 1, end):
        if f.words[k] in NEW_SUBJECTS and f.words[k - 1] not in COMPLEMENTS:
            return ref.first, k
    return ref.first, end
