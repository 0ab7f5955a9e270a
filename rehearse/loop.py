"""The turn-taking loop: the scenario speaks, the candidate answers, the store keeps every turn as it happens.

The loop knows nothing about devices. A Voice gives the other side's lines (printed, or synthesised and played);
a Listener returns what the candidate said (typed, or captured, ended and transcribed). Tests drive it with
fixture audio or fakes; CI drives it through a virtual microphone; nothing here changes.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Protocol

from rehearse.dialogue.interviewer import REPROMPT
from rehearse.plan import Plan
from rehearse.scenario import Interviewer, Line, ListenPolicy
from rehearse.scoring.scorer import score_call
from rehearse.values import Audio, Session, Transcript, Turn, Word

__all__ = ["REPROMPT", "Heard", "Listener", "NullRecorder", "Recorder", "Rehearsal", "Voice", "finish"]

log = logging.getLogger(__name__)

INTERRUPTED_NOTE = "talked over"  # an interviewer line stopped because the candidate went on talking


@dataclass(frozen=True)
class Heard:
    """One answer from the candidate."""

    text: str
    words: tuple[Word, ...] = ()  # times relative to the answer's start
    audio: Audio | None = None  # the captured answer, for the saved rehearsal
    note: str = ""  # "no speech", "max length", "interrupted"
    started: float | None = None  # monotonic time the answer's audio starts (None: now minus its duration)
    # The full transcription when `text` is a quick draft: the reply is chosen on the draft, the saved turn is
    # corrected to this once it is decoded (while the interviewer speaks).
    final: Future[Transcript] | None = None
    speech_offset: float | None = None  # seconds into `audio` where speech was first detected (live answers)


class Voice(Protocol):
    """The other side of the call: says a line and returns the audio it played (None when printed)."""

    def say(self, line: Line) -> Audio | None: ...


class Listener(Protocol):
    """The candidate: returns the next answer, or None when the candidate ends the rehearsal."""

    def listen(self, policy: ListenPolicy | None = None) -> Heard | None: ...


class Recorder(Protocol):
    """Keeps turns as they happen so an interrupted rehearsal is never lost."""

    def add_turn(self, turn: Turn, audio: Audio | None) -> Turn: ...

    def replace_turn(self, turn: Turn) -> None: ...

    def finish(self, session: Session) -> None: ...


class NullRecorder:
    def add_turn(self, turn: Turn, audio: Audio | None) -> Turn:
        return turn

    def replace_turn(self, turn: Turn) -> None:
        return None

    def finish(self, session: Session) -> None:
        return None


@dataclass
class Rehearsal:
    """One run of the loop. `session` is always up to date, so Ctrl-C at any point still has everything said."""

    interviewer: Interviewer
    voice: Voice
    listener: Listener
    recorder: Recorder
    session: Session
    clock: Callable[[], float] = time.monotonic
    on_turn: Callable[[Turn], None] = lambda _turn: None

    def __post_init__(self) -> None:
        self._t0 = self.clock()
        self._answer_index = -1  # the latest candidate turn
        self._prepared: tuple[str, Interviewer, list[Line]] | None = None  # preview(): words, interviewer, reply
        # What the candidate said before talking over our reply: the reply was taken back, so the interviewer
        # answers it together with what follows.
        self._carried = ""

    def preview(self, text: str) -> None:
        """Prepare the reply to `text` before the answer is over (the words so far end a thought): the
        interviewer's reply is worked out on a copy and synthesised. If the answer ends with these words, the copy
        becomes the interviewer and the reply is said at once; otherwise it is thrown away."""
        prepare = getattr(self.voice, "prepare", None)
        if prepare is None or self.interviewer.ended:
            return
        trial = self._copy()
        lines = trial.respond(_joined(self._carried, text))
        prepare(utterances(lines))
        self._prepared = (text, trial, lines)

    def _reply(self, heard: Heard) -> list[Line]:
        prepared, self._prepared = self._prepared, None
        log.debug(
            "answer ended: %r (reply %s)",
            heard.text[-60:],
            "prepared" if prepared and prepared[0] == heard.text else "now",
        )
        if prepared is not None and prepared[0] == heard.text and not heard.note:
            self.interviewer = prepared[1]
            return prepared[2]
        seconds = heard.audio.duration if heard.audio else None
        return self.interviewer.respond(_joined(self._carried, heard.text), seconds=seconds, note=heard.note)

    def _copy(self) -> Interviewer:
        return copy.deepcopy(self.interviewer, memo=_immutable_parts(self.interviewer))

    def _add(self, speaker: str, text: str, start: float, end: float, audio: Audio | None, **kw: object) -> None:
        turn = Turn(len(self.session.turns), speaker, text, round(start, 3), round(end, 3), **kw)  # type: ignore[arg-type]
        turn = self.recorder.add_turn(turn, audio)
        self.session = replace(self.session, turns=(*self.session.turns, turn))
        self.on_turn(turn)

    def _speak(self, lines: list[Line]) -> bool:
        """Say the lines; False when the candidate talked over one and it was stopped (the rest is not said)."""
        for line in utterances(lines):
            start = self.clock() - self._t0
            audio = self.voice.say(line)
            end = max(self.clock() - self._t0, start + (audio.duration if audio else 0.0))
            stopped = bool(getattr(self.voice, "interrupted", False))
            role = line.role if line.role != "interviewer" else ""
            note = ", ".join(n for n in (role, INTERRUPTED_NOTE if stopped else "") if n)
            # A Voice returns once its audio has been heard, so `end` is when the line finished playing.
            self._add(
                "interviewer",
                line.text,
                start,
                end,
                audio,
                note=note,
                audio_end=round(end, 3) if audio else None,
                asked=line.asked,
            )
            if stopped:
                return False
        return True

    def _answer(self, heard: Heard) -> None:
        """Reply to an answer. A reply the candidate talks over is taken back (unless it ended the call): they had
        not finished, so the interviewer answers all of it once they have."""
        before = self._copy() if getattr(self.voice, "barge_in", None) is not None else None
        if self._speak(self._reply(heard)) or before is None or self.interviewer.ended:
            self._carried = ""
        else:
            self.interviewer, self._carried = before, _joined(self._carried, heard.text)

    def _hear(self) -> Heard | None:
        # Every answer, empty ones included, goes to the interviewer: it decides whether to re-prompt.
        heard = self.listener.listen(self.interviewer.listen_policy())
        if heard is None:
            return None
        self._add_heard(heard)
        return heard

    def _add_heard(self, heard: Heard) -> None:
        self._answer_index = len(self.session.turns)
        end = self.clock() - self._t0
        duration = heard.audio.duration if heard.audio else 0.0
        start = (heard.started - self._t0) if heard.started is not None else max(end - duration, 0.0)
        spoke = round(start + heard.speech_offset, 3) if heard.speech_offset is not None else None
        self._add(
            "candidate",
            heard.text,
            start,
            max(end, start + duration),
            heard.audio,
            words=heard.words,
            note=heard.note,
            speech_start=spoke,
        )

    def _settle(self, heard: Heard) -> None:
        """Put the full transcription in place of the draft the reply was chosen on."""
        if heard.final is None:
            return
        try:
            final = heard.final.result()
        except Exception:  # the draft stands; the recording is kept, so `rehearse retranscribe` can redo it
            log.warning("the full transcription of an answer failed; keeping the quick draft", exc_info=True)
            return
        i = self._answer_index
        fixed = replace(self.session.turns[i], text=final.text, words=final.words)
        self.session = replace(self.session, turns=(*self.session.turns[:i], fixed, *self.session.turns[i + 1 :]))
        self.recorder.replace_turn(fixed)

    def run(self) -> Session:
        """Play the scenario to its end, or until the candidate stops; returns the scored session."""
        try:
            self._speak(self.interviewer.opening())
            while not self.interviewer.ended:
                heard = self._hear()
                if heard is None:
                    break
                self._answer(heard)
                self._settle(heard)
        except KeyboardInterrupt as stop:
            kept = getattr(stop, "heard", None)  # speech.AnswerInterrupted: the answer being given, transcribed
            if isinstance(kept, Heard):
                self._add_heard(kept)
            self.session = replace(self.session, complete=False)
            raise
        else:
            self.session = replace(self.session, complete=True)
        finally:
            self.session = finish(self.session, self.interviewer.plan)
            self.recorder.finish(self.session)
        return self.session


def _joined(before: str, text: str) -> str:
    return f"{before} {text}".strip() if before else text


def utterances(lines: list[Line]) -> list[Line]:
    """One reply's lines as the other side says them: consecutive lines of the same person run together.

    People hear "Of course, I remember. Is there anything you wanted to add?" as one turn; said as two clips with a
    gap between them, the candidate answers the first and talks over the second.
    """
    out: list[Line] = []
    for line in lines:
        if out and out[-1].role == line.role and not out[-1].sound:
            out[-1] = Line(line.role, f"{out[-1].text} {line.text}".strip(), line.sound, line.asked or out[-1].asked)
        else:
            out.append(line)
    return out


def _immutable_parts(obj: object) -> dict[int, object]:
    """deepcopy memo that shares an object's frozen dataclass attributes (rubric, plan, scenario) instead of
    copying them: they cannot change, and copying the rubric would cost more than the reply it prepares."""
    shared: dict[int, object] = {}
    for value in vars(obj).values():
        params = getattr(type(value), "__dataclass_params__", None)
        if params is not None and params.frozen:
            shared[id(value)] = value
    return shared


def finish(session: Session, plan: Plan | None) -> Session:
    """Score what the candidate said so far (all of it, or up to an interruption)."""
    return replace(session, score=score_call(session.candidate_utterances(), plan))
