"""The candidate talks over the interviewer: the line stops (rehearse.audio.bargein) and the reply is taken back, so
the interviewer answers everything the candidate said once they finish (rehearse.loop)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

from rehearse.audio.bargein import BARGE_IN_SECONDS, BargeIn
from rehearse.audio.echo import EchoGuard
from rehearse.loop import INTERRUPTED_NOTE, Heard, NullRecorder, Rehearsal
from rehearse.plan import Plan
from rehearse.scenario import Interviewer, Line, ListenPolicy, load_scenario
from rehearse.speech import SpokenVoice
from rehearse.values import SAMPLE_RATE, Audio, Session

BLOCK = 0.02
ROOM_DB = -70.0


def _guard(line_db: float = -10.0) -> EchoGuard:
    """A guard that played a 3 s line at `line_db` from t=0 (before anything is learned: echo 6 dB under it)."""
    guard = EchoGuard()
    level = 10 ** (line_db / 20) * np.sqrt(2)  # a sine's RMS is its peak over sqrt(2)
    t = np.arange(int(3 * SAMPLE_RATE)) / SAMPLE_RATE
    guard.played(0.0, Audio((level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)))
    return guard


def _blocks(start: float, seconds: float, db: float) -> list[tuple[float, float, float]]:
    return [(start + i * BLOCK, BLOCK, db) for i in range(round(seconds / BLOCK))]


def test_echo_of_our_own_line_never_stops_it() -> None:
    echo_only = _blocks(0.0, 2.0, -16.0)  # the line's own level minus the default 6 dB echo path
    assert not BargeIn(lambda: echo_only, _guard(), ROOM_DB).heard(since=0.0)


def test_the_candidate_talking_over_the_line_stops_it_but_a_cough_does_not() -> None:
    guard = _guard()
    talk = _blocks(0.0, 1.0, -16.0) + _blocks(1.0, BARGE_IN_SECONDS + 0.04, 2.0)
    assert BargeIn(lambda: talk, guard, ROOM_DB).heard(since=0.0)
    cough = _blocks(0.0, 1.0, -16.0) + _blocks(1.0, 0.1, 2.0) + _blocks(1.1, 0.5, -16.0)
    assert not BargeIn(lambda: cough, guard, ROOM_DB).heard(since=0.0)
    quiet_room = _blocks(5.0, 1.0, ROOM_DB + 5.0)  # after the line: no echo, but only the room
    assert not BargeIn(lambda: quiet_room, guard, ROOM_DB).heard(since=0.0)
    assert not BargeIn(lambda: talk, guard, ROOM_DB).heard(since=2.0)  # the voice came before this line began


def test_the_watch_stops_the_line_once() -> None:
    stops: list[int] = []
    done = threading.Event()
    talk = _blocks(1.0, 0.5, 2.0)

    def stop() -> None:
        stops.append(1)
        done.set()

    watch = BargeIn(lambda: talk, _guard(), ROOM_DB).watch(0.0, stop)
    assert done.wait(5.0)
    watch.close()
    assert watch.stopped and stops == [1]


@dataclass
class _Voice:
    """Says lines instantly; the candidate talks over the first one said after `talk_over_after` lines."""

    talk_over_after: int
    said: list[str] = field(default_factory=list)
    interrupted: bool = False
    barge_in: object = True  # present: the loop takes a talked-over reply back

    def say(self, line: Line) -> Audio:
        self.said.append(line.text)
        self.interrupted = len(self.said) == self.talk_over_after + 1
        return Audio(np.zeros(1600, np.float32))


@dataclass
class _Candidate:
    answers: list[str]

    def listen(self, policy: ListenPolicy | None = None) -> Heard | None:
        return Heard(self.answers.pop(0)) if self.answers else None


def test_a_reply_talked_over_is_taken_back_and_the_whole_answer_answered(plan: Plan) -> None:
    answers = [
        "Good afternoon Maribel, this is Jordan Avery, I interviewed for the analyst role.",
        "I led the night dispatch shift for two years.",  # the reply to this is talked over...
        "and I was wondering when you expect to make a decision?",  # ...because the candidate went on
        "Thank you for your time, goodbye.",
    ]
    voice = _Voice(talk_over_after=2)  # the opening and the reply to the greeting are heard whole
    session = Rehearsal(
        Interviewer(load_scenario("receptive"), plan),
        voice,
        _Candidate(list(answers)),
        NullRecorder(),
        Session("t", "", "receptive", "spoken"),
    ).run()
    turns = [(t.speaker, t.text, t.note) for t in session.turns]
    stopped = [i for i, t in enumerate(turns) if t[2] == INTERRUPTED_NOTE]
    assert len(stopped) == 1 and turns[stopped[0] - 1][1] == answers[1], turns
    after = turns[stopped[0] + 2]  # the reply to the rest of the answer
    assert after[0] == "interviewer"
    # It answers the question (the timeframe) and still takes up the strength said before the interruption.
    assert plan.timeframe and any(w in after[1].lower() for w in plan.timeframe.lower().split()[-2:]), after
    assert "dispatch" in after[1].lower() or "night" in after[1].lower(), after
    assert turns[-1][0] == "interviewer" and "goodbye" in turns[-1][1].lower()


class _SlowSpeaker:
    """Plays in real time (silently) until the clip ends or stop() is called."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def play(self, audio: Audio, on_start=None) -> None:
        self._stop.clear()
        if on_start is not None:
            on_start(time.monotonic())
        self._stop.wait(audio.duration)

    def stop(self) -> None:
        self._stop.set()


class _Silent:
    def synthesize(self, text: str) -> Audio:
        return Audio(np.zeros(int(2.0 * SAMPLE_RATE), np.float32))


def _voice_from(offset: float, box: dict[str, float]) -> Callable[[], list[tuple[float, float, float]]]:
    """The mic's levels: the candidate's voice from `offset` s after the line started (box["t0"]), as time passes."""

    def levels() -> list[tuple[float, float, float]]:
        if "t0" not in box:
            return []
        start, now = box["t0"] + offset, time.monotonic()
        return [b for b in _blocks(start, 1.0, -10.0) if b[0] + BLOCK <= now]

    return levels


@pytest.mark.parametrize(("offset", "taken_back"), [(0.3, True), (1.5, False)])
def test_a_line_stopped_early_is_taken_back_but_one_answered_at_its_end_stands(offset: float, taken_back: bool) -> None:
    box: dict[str, float] = {}
    guard = EchoGuard()
    voice = SpokenVoice(
        {"interviewer": _Silent()}, _SlowSpeaker(), guard, show=lambda _l: box.setdefault("t0", time.monotonic())
    )
    voice.barge_in = BargeIn(_voice_from(offset, box), guard, ROOM_DB)
    heard = voice.say(Line("interviewer", "Could you give me an example of that?"))
    assert voice.interrupted is taken_back
    assert offset + BARGE_IN_SECONDS - 0.05 < heard.duration < 2.0  # stopped either way: the candidate is talking
