"""The other side of the call: responds to the acts of the last answer first, then nudges toward what is missing.

Every timing question is answered with the plan's timeframe, every time. A strength is acknowledged by naming
it (the first one is probed for an example). The concern (raises-a-concern) is raised once, when the call has a
purpose and the last answer was more than a pleasantry, and its follow-up depends on how specific the answer was.
The call ends when the candidate closes or says goodbye, or at the scenario's limits — a courtesy never ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from rehearse.dialogue.acts import Act, classify, concern_answer_quality, has, other_kind
from rehearse.dialogue.policy import ListenPolicy
from rehearse.dialogue.script import Line, Scenario
from rehearse.dialogue.state import CallState
from rehearse.dialogue.timeframe import spoken_timeframe
from rehearse.plan import TITLES, Plan
from rehearse.scoring.scorer import score_call
from rehearse.scoring.wording import fill

REPROMPT = "Sorry, I didn't catch that. Could you say it again?"  # the first phrasing in prompts/responses.toml
WORDS_PER_MINUTE = 150  # a typed answer is timed as if spoken at this rate
VOICEMAIL_END_SILENCE = 3.0  # seconds: thinking pauses of 1-2 s inside a message never end it
MAX_EMPTIES = 4  # this many empty answers in a row: the line seems dead, so the call ends
# What the interviewer says back to a question or request of the candidate's: never dropped from a reply.
ANSWER_KINDS = frozenset({"timing", "timing_again", "speaking", "hold_ack"})
QUESTION_KINDS = frozenset(
    {
        "who",
        "what_about",
        "strength_probe",
        "concern",
        "concern_generic",
        "concern_probe",
        "invite",
        "anything_more",
        "busy_more",
        "r_who",
        "r_whom",
        "r_what",
        "r_take_message",
        "reprompt",
    }
)  # after one of these the other side waits for the answer: no nudge on top
PLEASANTRIES = frozenset({"greeting", "courtesy", "unclear"})
CONCERN_ASKS = frozenset({"concern", "concern_generic", "concern_probe"})  # lines whose answer replies to the concern
SKILL_MATCH = 85
FIRST_PERSON = {"my": "your", "i": "you", "me": "you", "i'm": "you're", "am": "are", "i've": "you've", "mine": "yours"}
HOW_ARE_YOU = re.compile(r"\bhow\b.*\byou\b|\bhow\b.*\b(day|week)\b")
HEARD_WORDS = 8
# "I also wanted to mention that…" is how a strength is brought up, not part of it.
PREAMBLE = re.compile(
    r"^(?:(?:and|so|also|well|but|oh|um|plus)[\s,]+)*(?:i\s+)?(?:also\s+|just\s+|really\s+)*"
    r"(?:wanted|want|would like|meant|forgot)\s+to\s+(?:say|mention|add|tell you|let you know)(?:\s+that)?[\s,]*",
    re.IGNORECASE,
)
DANGLING = frozenset(
    {"and", "with", "to", "for", "of", "the", "a", "an", "in", "on", "at", "so", "which", "that"}
)  # a strength is named back in at most this many words


@dataclass
class Interviewer:
    """Plays one scenario for one plan."""

    scenario: Scenario
    plan: Plan | None
    state: CallState = field(init=False)
    ended: bool = False

    def __post_init__(self) -> None:
        self.state = CallState(self.scenario.first_stage)

    @property
    def last_acts(self) -> tuple[Act, ...]:
        return self.state.acts[-1] if self.state.acts else ()

    def opening(self) -> list[Line]:
        return self._remember([self._fill(line) for line in self.scenario.opening])

    def listen_policy(self) -> ListenPolicy:
        if self.state.stage == "voicemail":
            return ListenPolicy(end_silence=VOICEMAIL_END_SILENCE)
        return ListenPolicy(max_answer=self.scenario.max_answer)

    def warm(self) -> None:
        """Compile the plan's phrase lists now (~0.2 s), so the first live answer is not kept waiting for it."""
        classify("Hello, thank you.", self.plan, "")

    def respond(self, text: str, *, seconds: float | None = None, note: str = "") -> list[Line]:
        """The reply to one answer ([] = keep listening); after the last reply `ended` is True."""
        st = self.state
        text = text.strip()
        acts = classify(text, self.plan, st.expecting)
        st.acts.append(acts)
        st.answers += 1
        st.stage_answers += 1
        words = len(text.split())
        st.seconds += seconds if seconds is not None else words * 60.0 / WORDS_PER_MINUTE
        if st.stage == "voicemail":
            return self._voicemail(text, acts)
        if not text:
            return self._empty()
        st.empties = 0
        if st.stage == "reception":
            return self._reception(text, acts)
        rambling = "max" in note or (seconds is None and 0 < self.scenario.ramble_words < words)
        return self._interviewer(text, acts, rambling)

    # --- stages -------------------------------------------------------------------------------------------

    def _voicemail(self, text: str, acts: tuple[Act, ...]) -> list[Line]:
        st = self.state
        if text:
            st.message.append(text)
        if not text or has(acts, "closing", "goodbye"):
            return self._end("vm_saved")
        if len(st.message) >= self.scenario.message_lines:
            return self._end("vm_full")
        return []  # the message goes on: say nothing, keep listening

    def _empty(self) -> list[Line]:
        st = self.state
        st.empties += 1
        if st.empties >= MAX_EMPTIES:
            return self._end("lost")
        if st.empties % 2:
            # "Could you say it again?" puts the same question again: the answer still replies to the concern.
            topic = "concern" if st.last_kind in CONCERN_ASKS else ""
            return [replace(line, asked=topic) for line in self._say("reprompt")]
        return self._say(self._nudge(()))  # asked once already: move on as if nothing was said

    def _reception(self, text: str, acts: tuple[Act, ...]) -> list[Line]:
        st, known = self.state, self.state.known
        self._learn(text, acts)
        known.wants = known.wants or has(acts, "ask_for") or self._mentions_interviewer(text)
        if has(acts, "closing", "goodbye"):
            return self._end("r_goodbye")
        if st.expecting == "message":
            return self._end("r_message_taken")
        if has(acts, "call_back") and not has(acts, "ask_for"):
            return self._ask("r_take_message", "message")
        out = self._say("r_timing") if has(acts, "timing_question") else []
        ask = self._reception_question()
        if ask and st.stage_answers < 3:
            return out + self._ask(ask, ask)
        st.new_person("interviewer")
        return out + self._say("put_through")

    def _reception_question(self) -> str:
        known, said = self.state.known, self.state.said
        if not known.introduced and not said["r_who"]:
            return "r_who"
        if not known.wants and not known.purpose and not said["r_whom"]:
            return "r_whom"
        if not known.purpose and not said["r_what"]:
            return "r_what"
        return ""

    def _interviewer(self, text: str, acts: tuple[Act, ...], rambling: bool) -> list[Line]:
        st, style = self.state, self.scenario.style
        first_answer = st.stage_answers == 1
        self._learn(text, acts)
        if rambling and style == "busy":
            out = self._reactions(text, acts, only=("timing_question",))
            return out + self._end("busy_cut")
        out = self._reactions(text, acts, greeted=first_answer)
        if has(acts, "closing", "goodbye"):
            return out + self._end("goodbye")
        if style == "busy" and 0 < self.scenario.budget_seconds <= st.seconds:
            return out + self._end("busy_wrap")
        if st.answers >= self.scenario.max_turns:
            return out + self._end("wrap_up")
        if not out or not self._waiting():
            out += self._say(self._nudge(acts))
        return out

    # --- reacting to acts ---------------------------------------------------------------------------------

    def _reactions(self, text: str, acts: tuple[Act, ...], *, greeted: bool = False, only=()) -> list[Line]:
        """A response to the answer's acts, in their order: every question of the candidate's answered, but only
        the first acknowledgement ("That's a good example" and "Good to hear about SQL" back to back sound like a
        form letter), and a question of ours last, since a reply that asks and then says more leaves the candidate
        unsure whether to answer."""
        expecting, self.state.expecting = self.state.expecting, ""
        said: list[tuple[str, list[Line]]] = []
        asked: list[tuple[str, list[Line]]] = []
        acknowledged = False
        for label in dict.fromkeys(a.label for a in acts):
            if only and label not in only:
                continue
            act = next(a for a in acts if a.label == label)
            kind = self._react(label, act, text, expecting, acts)
            is_ack = _acknowledges(kind)
            if not kind or (is_ack and acknowledged):
                continue
            acknowledged = acknowledged or is_ack
            lines = self._say(kind, heard=self._heard(text, act))
            (asked if kind in QUESTION_KINDS else said).append((kind, lines))
        if said or asked:
            self.state.last_kind = (asked or said)[-1][0]
        return [line for _kind, lines in said + asked for line in lines]

    def _react(self, label: str, act: Act, text: str, expecting: str, acts: tuple[Act, ...]) -> str:
        st, known, busy = self.state, self.state.known, self.scenario.style == "busy"
        if label == "timing_question":
            return "timing_again" if st.said["timing"] + st.said["timing_again"] else "timing"
        if label == "other_question":
            kind = other_kind(act.text)
            if kind == "general" and (HOW_ARE_YOU.search(act.text.lower()) or has(acts, "timing_question")):
                return ""  # "How are you?" is a courtesy; "do you know, like, when..." is the timing question again
            return f"{kind}_reply"
        asks_after_me = any(a.label == "courtesy" and HOW_ARE_YOU.search(a.text.lower()) for a in acts)
        if label == "courtesy" and asks_after_me and not st.said["courtesy_reply"]:
            return "courtesy_reply"
        if label == "answer" and expecting in ("concern", "probe"):
            return self._concern_follow_up(text, expecting)
        if label == "answer" and expecting == "example":
            return "example_ack"
        if label == "strength" and expecting in ("concern", "probe"):
            return self._concern_follow_up(text, expecting)
        quiet = busy or known.probed_strength or has(acts, "timing_question")
        if label == "strength" and not quiet and concern_answer_quality(text, self.plan) != "specific":
            known.probed_strength = True
            return self._ask_kind("strength_probe", "example")
        if label == "strength":
            return "strength_ack"
        if label == "answer" and self._addresses_concern(text) and not known.concern:
            known.concern = "done"
            return "concern_proactive" if self.scenario.style == "concern" else ""
        if label == "answer" and self._addresses_concern(text) and not st.said["concern_good"]:
            return self._concern_follow_up(text, "probe")  # came back to the concern with more
        if label == "purpose" and not st.said["purpose_ack"] and not has(acts, "timing_question", "strength"):
            return "purpose_ack"
        if label == "ask_for":
            return "speaking"
        if label == "hold":
            return "hold_ack"
        if label == "call_back" and not has(acts, "closing", "goodbye"):
            return "call_back_reply"
        return ""

    def _concern_follow_up(self, text: str, expecting: str) -> str:
        known = self.state.known
        quality = concern_answer_quality(text, self.plan)
        if quality == "specific":
            known.concern = "done"
            return "concern_good"
        if expecting == "concern" and quality == "vague":
            known.concern = "probed"
            return self._ask_kind("concern_probe", "probe")
        known.concern = "done"
        return "concern_ok"

    def _nudge(self, acts: tuple[Act, ...]) -> str:
        """What is still missing, as the next thing to ask."""
        st, known, style = self.state, self.state.known, self.scenario.style
        if not known.introduced and not st.said["who"]:
            return self._ask_kind("who", "who")
        if not known.purpose and st.said["what_about"] < (1 if style == "busy" else 2):
            return self._ask_kind("what_about", "what_about")
        pleasantry = all(a.label in PLEASANTRIES for a in acts)
        if style == "concern" and not known.concern and (known.purpose or st.stage_answers >= 3) and not pleasantry:
            known.concern = "raised"
            return self._ask_kind("concern" if self.plan and self.plan.concern else "concern_generic", "concern")
        if style == "busy":
            return self._ask_kind("busy_more", "anything")
        if style == "receptive" and not known.strengths and st.stage_answers >= 2 and not st.said["invite"]:
            return self._ask_kind("invite", "anything")
        return self._ask_kind("anything_more", "anything")

    def _waiting(self) -> bool:
        return self.state.last_kind in QUESTION_KINDS

    # --- facts --------------------------------------------------------------------------------------------

    def _learn(self, text: str, acts: tuple[Act, ...]) -> None:
        known = self.state.known
        if has(acts, "greeting") and (self._self_introduced(text) or self.state.expecting == "who"):
            known.introduced = True
        if has(acts, "answer") and self.state.expecting in ("who", "r_who"):
            known.introduced = True
        if has(acts, "purpose", "timing_question") or (
            has(acts, "answer") and self.state.expecting in ("what_about", "r_what")
        ):
            known.purpose = True
        known.strengths = known.strengths or has(acts, "strength")

    def _self_introduced(self, text: str) -> bool:
        greeting = score_call([text], self.plan).sections[0]
        return any(m.matched and m.id == "self_introduction" for m in greeting.elements)

    def _mentions_interviewer(self, text: str) -> bool:
        names = self.plan.names("interviewer") if self.plan else ()
        return any(fuzz.partial_ratio(n.lower(), text.lower()) >= SKILL_MATCH for n in names if len(n) > 2)

    def _addresses_concern(self, text: str) -> bool:
        if not (self.plan and self.plan.concern):
            return False
        return fuzz.partial_ratio(self.plan.concern.lower(), text.lower()) >= SKILL_MATCH

    def _heard(self, text: str, act: Act) -> str:
        """The strength just named, said back: a plan skill, else the scorer's evidence in the second person."""
        for skill in self.plan.skills if self.plan else ():
            if fuzz.partial_ratio(skill.lower(), text.lower()) >= SKILL_MATCH:
                return skill
        strengths = next((s for s in score_call([text], self.plan).sections if s.id == "strengths"), None)
        evidence = next((m.evidence for m in strengths.elements if m.matched), "") if strengths else ""
        clause = act.text[act.text.find(evidence) :] if evidence and evidence in act.text else act.text
        words = PREAMBLE.sub("", clause).split()[:HEARD_WORDS]
        while words and words[-1].lower().strip(",.") in DANGLING:
            words.pop()
        return " ".join(FIRST_PERSON.get(w.lower(), w) for w in words).strip(" ,.") or "that"

    # --- saying lines -------------------------------------------------------------------------------------

    def _ask_kind(self, kind: str, expecting: str) -> str:
        self.state.expecting = expecting
        return kind

    def _ask(self, kind: str, expecting: str) -> list[Line]:
        return self._say(self._ask_kind(kind, expecting))

    def _end(self, kind: str) -> list[Line]:
        self.ended = True
        self.state.stage = "ended"
        return self._say(kind)

    def _say(self, kind: str, heard: str = "") -> list[Line]:
        """One phrasing of `kind`, rotating, never the line just said."""
        if not kind:
            return []
        variants = self.scenario.lines.get(kind) or self.scenario.lines["anything_more"]
        n = self.state.said[kind]
        self.state.said[kind] += 1
        self.state.last_kind = kind
        for i in range(len(variants)):
            lines = [self._fill(line, heard) for line in variants[(n + i) % len(variants)]]
            if lines[0].text != self.state.last_text:
                return self._remember(lines)
        return self._remember(lines)

    def _remember(self, lines: list[Line]) -> list[Line]:
        if lines:
            self.state.last_text = lines[-1].text
        return lines

    def _fill(self, line: Line, heard: str = "") -> Line:
        plan = self.plan
        extra = {
            "interviewer_first": _first(plan.interviewer) if plan and plan.interviewer else "",
            "candidate_first": plan.first_name if plan else "",
            "when": spoken_timeframe(plan.timeframe if plan else ""),
            "heard": heard,
        }
        text = fill(line.text, plan, {k: v for k, v in extra.items() if v} or None)
        # The report reads the answer to this line as a reply to the concern, which then needs no pointing back.
        asked = "concern" if self.state.last_kind in CONCERN_ASKS else ""
        return Line(line.role, _tidy(text), line.sound, asked)


def _acknowledges(kind: str) -> bool:
    """Whether a kind of line only acknowledges (it neither asks nor answers what the candidate asked)."""
    return bool(kind) and kind not in QUESTION_KINDS and kind not in ANSWER_KINDS and not kind.endswith("_reply")


def _first(name: str) -> str:
    # "Maribel Santos" answers as "Maribel"; "Ms. Smith" stays "Ms. Smith".
    words = name.split()
    return words[0] if len(words) > 1 and words[0].rstrip(".").lower() not in TITLES else name


def _tidy(text: str) -> str:
    # Placeholders the plan could not fill read as "[their name]"; a spoken line just leaves them out.
    text = re.sub(r"\s*\[[^\]]*\]", "", text)
    text = re.sub(r"\{\w+\}", "", text)
    text = re.sub(r"\s+([,.!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    text = re.sub(r",([.!?])", r"\1", text)  # "Thank you for calling, {name}." with no name to say
    text = re.sub(r"^[,.—\s]+", "", text)
    return text[:1].upper() + text[1:]
