"""A call as the speech-act rules read it: its words, where each cue class is, its sentences and clauses, and the
questions it asks. Shared by the act detectors (acts, claims, concern) and by the purpose rules."""

from __future__ import annotations

from dataclasses import dataclass

from rehearse.scoring.clauses import Layout
from rehearse.scoring.cues import Tags
from rehearse.scoring.reading import ActLexicon

NEGATION_REACH = 3  # "I have not got my licence": a negation this close before a cue cancels it
OPENER_REACH = 8  # a question word this close before a timing cue makes an unpunctuated clause a question
LONG_SENTENCE = 40  # words: longer than this, a "sentence" is a recogniser's unpunctuated run...
NEAR_REACH = 20  # ...and talk about an act, or an aside, reaches only this many words from it
SUBJECTS = frozenset("i you we they he she it that this there yall".split())
INVERTED_PRONOUNS = frozenset("you it there they we he she".split())  # "is it…", "are they…": not "am I" or "is the"


@dataclass(frozen=True)
class Act:
    kind: str  # one of ACT_KINDS
    first: int  # token range in the NormText, last exclusive
    last: int


@dataclass(frozen=True)
class Found:
    """One call, read once: its words, where every cue class is, and its sentences and clauses."""

    words: tuple[str, ...]
    tags: Tags
    lay: Layout
    lex: ActLexicon

    def has(self, cls: str, lo: int, hi: int) -> bool:
        return self.tags.has(cls, max(lo, 0), hi)

    def meta(self, pos: int) -> bool:
        """The sentence talks about an act rather than doing it ("I was going to ask when…")."""
        return self.has("meta", *self.near(pos))

    def aside(self, pos: int) -> bool:
        """The sentence leaves word or checks who is on the line ("could you let her know I rang?")."""
        return self.has("aside", *self.near(pos))

    def near(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`; in a long unpunctuated run (a recogniser's voicemail) only the words within
        NEAR_REACH of it, so "I was going to say something" early on does not make a later question talk."""
        s0, s1 = self.lay.sentence(pos)
        if s1 - s0 <= LONG_SENTENCE:
            return s0, s1
        return max(s0, pos - NEAR_REACH), min(s1, pos + NEAR_REACH)

    def subject(self, lo: int, pos: int) -> str:
        """Who the nearest person named before `pos` (from `lo`) is: "other" ("she said", "my manager"), "mine"
        ("I", "my"), or "" when none is. "My manager" is someone else though it starts with "my"."""
        others = [o for o in self.tags.within("third_person", max(lo, 0), pos) if not self._with_me(o[0])]
        mine = self.tags.within("first_person", max(lo, 0), pos)
        if others and (not mine or others[-1][0] >= mine[-1][0]):
            return "other"
        return "mine" if mine else ""

    def _with_me(self, pos: int) -> bool:
        """Someone named beside "me" shares the candidate's claim: "me and my uncle rebuilt the engine"."""
        return pos >= 2 and self.words[pos - 2 : pos] == ("me", "and")

    def hedged(self, pos: int) -> bool:
        """The sentence is hedged ("I guess", "and stuff") and gives no figure to stand on."""
        s0, s1 = self.lay.sentence(pos)
        return self.has("hedge", s0, s1) and not self.has("scale", s0, s1)

    def named(self, pos: int) -> bool:
        """The words at `pos` are named, not told: "on top of what I've done", "about my experience with",
        "how my background in sales fits". "About" before a figure only rounds it ("fixed about forty issues")."""
        if pos and self.words[pos - 1] == "about" and any(self.has(c, pos, pos + 1) for c in ("scale", "duration")):
            return False
        return any(b == pos for _, b in self.tags.within("nominal", pos - 4, pos))

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
        if word == "when" and after in self.lex.subjects and after not in ("i", "we") and not self.lay.asked(pos):
            # "When you've decided, an email's best": a time clause before its main clause states, it asks nothing
            return self.lay.clause(pos)[1] >= self.lay.sentence(pos)[1]
        if word in self.lex.wh:
            return after not in ("i", "we")
        before = self.words[pos - 1] if pos else ""
        if word not in self.lex.aux or before in SUBJECTS or before == "to":
            return False  # "I wanted you to have that before you decide": an infinitive, not an inverted auxiliary
        if word == "have" and after in ("a", "an") and not self.lay.asked(pos):
            return False  # "Have a good day": a wish, not "have you…"
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
        return self.lead_end(self.lay.clause(pos)[0], pos) == pos

    def lead_end(self, lo: int, pos: int) -> int:
        """The first word from `lo` that is not an "and", "so", "okay" or "sir" (at most `pos`)."""
        while lo < pos and self.words[lo] in self.lex.lead:
            lo += 1
        return lo

    def _asks_them(self, start: int) -> bool:
        """An opener that puts its question to the listener ("could you tell me…") or, an auxiliary, has a pronoun
        for its subject ("is it still after half term that you'll be letting people know"): in unpunctuated speech,
        a sentence opening so is a question however long it runs."""
        after = self.words[start + 1] if start + 1 < len(self.words) else ""
        return after == "you" or (self.words[start] in self.lex.aux and after in INVERTED_PRONOUNS)

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
        # "Does the packing line still run on two days, two nights, then four days off as its shift pattern?": a
        # sentence that opens asking asks the whole of it, however long, when it ends with "?" or, unpunctuated,
        # asks the listener ("could you tell me if the uniform is provided").
        start = self.lead_end(s0, pos)
        if self.opener(start) and (self.lay.asked(pos) or self._asks_them(start)):
            return True
        # A request asks about what follows it in the sentence, or what precedes it in its own clause
        # ("…where things stand, I'd be grateful" is one request; "…the second round, and I wanted to ask
        # about parking" asks about parking).
        c1 = self.lay.clause(pos)[1]
        request = self.has("ask", s0, pos + 1) or self.has("ask", pos, c1) or self.has("ask_polite", s0, s1)
        return loose and (bool(near) or self.lay.asked(pos) or request)
