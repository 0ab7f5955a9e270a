"""The state of the call: what has been said, what the other side is waiting for, and where the call is.

Coverage alone (which rubric sections were said) cannot tell "thank you" from a closing, or a question asked for
the second time from one already answered; so the interviewer keeps these facts, per stage, as the call goes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rehearse.dialogue.acts import Act


@dataclass
class Known:
    """What the person on the line has heard so far (a receptionist's knowledge does not pass to the interviewer)."""

    introduced: bool = False  # the candidate said who they are
    purpose: bool = False  # ... and why they are calling
    strengths: bool = False
    wants: bool = False  # reception: who or which role they want
    concern: str = ""  # "", "raised", "probed", "done"
    probed_strength: bool = False


@dataclass
class CallState:
    """Not frozen: it is the one record that changes with every answer."""

    stage: str  # "reception", "interviewer", "voicemail", "ended"
    known: Known = field(default_factory=Known)
    answers: int = 0  # in the whole call
    stage_answers: int = 0  # since the current person came on the line
    seconds: float = 0.0  # candidate speech so far (typed: estimated at 150 words a minute)
    empties: int = 0  # empty answers in a row
    expecting: str = ""  # what the other side last asked for: "who", "what_about", "concern", "example", ...
    said: Counter[str] = field(default_factory=Counter)  # kinds of line said, for rotating phrasings
    last_text: str = ""  # the last line said, never said again straight away
    last_kind: str = ""  # the kind of line said last: a question waits for its answer
    acts: list[tuple[Act, ...]] = field(default_factory=list)  # every answer's acts, in order
    open_questions: list[str] = field(default_factory=list)  # the candidate's questions not yet answered
    message: list[str] = field(default_factory=list)  # voicemail: the message so far

    def new_person(self, stage: str) -> None:
        """Someone else picks up: they have heard nothing yet."""
        self.stage, self.known, self.stage_answers, self.expecting = stage, Known(), 0, ""
