"""Use cases before the call: the script read aloud, the cues a rehearsal shows (chosen from saved history), the
timing verdict with the calls already made, and the progress history itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rehearse import store
from rehearse.errors import SessionError
from rehearse.history import History, HistoryPoint, delivery_measures
from rehearse.plan import Plan
from rehearse.prep import cues as cue_rules
from rehearse.prep.callscript import Script, build
from rehearse.timing import TimingAdvice, advise
from rehearse.values import Cues

if TYPE_CHECKING:
    from rehearse.audio.devices import Speaker
    from rehearse.audio.tts import Synthesizer
    from rehearse.environment import Environment
    from rehearse.prep.calllog import CallMade
    from rehearse.scenario import Interviewer
    from rehearse.values import Session

SLOT_RE = re.compile(r"\[fill in:\s*([^\]]*)\]")


# --- history -------------------------------------------------------------------------------------------------------


def load_history(root: Path, position: str | None = None) -> History:
    """Every saved, scored rehearsal (oldest first), optionally only those for positions containing `position`.
    An unreadable session is left out: `rehearse sessions` names it."""
    points: list[HistoryPoint] = []
    for sid in store.session_ids(root):
        try:
            s = store.load(root, sid)
        except SessionError:
            continue
        pos = str(s.session.plan.get("position", ""))
        if position and position.lower() not in pos.lower():
            continue
        report = s.latest
        if report is None:
            continue
        sections = tuple((sec["id"], int(sec["score"])) for sec in report["sections"])
        started, scenario, complete = s.session.started, s.session.scenario, s.session.complete
        delivery = delivery_measures(report.get("delivery") or {})
        overall = int(report["overall"])
        points.append(HistoryPoint(sid, started, pos, scenario, overall, sections, complete, s.session.cues, delivery))
    return History(tuple(sorted(points, key=lambda p: p.started)))


# --- cues ----------------------------------------------------------------------------------------------------------


def choose_cues(mode: str, plan: Plan | None, root: Path) -> tuple[Cues, tuple[str, ...]]:
    """The cue level per section, and why. `auto` reads the history of rehearsals for the same position (all of
    them without a plan), since each plan's script is learned on its own."""
    if mode != "auto":
        return cue_rules.fixed(mode), ()
    position = plan.position if plan is not None and plan.position else None
    points = [p for p in load_history(root, position).points if not position or p.position.lower() == position.lower()]
    return cue_rules.auto(points)


@dataclass
class Prompter:
    """Shows the next section's cue before each answer; the rehearsal gives it the call so far and the interviewer.

    Typed practice calls it before reading a line, spoken practice before it listens (practice.py's `cue` hook):
    the loop and the listener need to know nothing about cues."""

    plan: Plan | None
    cues: Cues
    show: Callable[[cue_rules.Cue], None]
    scripts: dict[str, Script] = field(init=False)

    def __post_init__(self) -> None:
        plan = self.plan or Plan("[your name]")  # without a plan the script keeps visible slots
        self.scripts = {kind: build(kind, plan) for kind in ("call", "voicemail", "gatekeeper")}

    def __call__(self, session: Session, interviewer: Interviewer) -> None:
        said = [u.text for u in session.candidate_utterances()]
        state = interviewer.state
        stage = "ended" if interviewer.ended else state.stage
        cue = cue_rules.next_cue(self.scripts, self.cues, said, self.plan, stage, state.expecting)
        if cue is not None and cue.text:
            self.show(cue)


# --- the script aloud ----------------------------------------------------------------------------------------------


def spoken_lines(script: Script) -> list[str]:
    """What is read aloud: each part's line, a [fill in: ...] slot said as what belongs there."""
    lines = [s.line.replace("\n", ". ") for s in script.sections]
    if script.kind == "email" and script.subject:
        lines.insert(0, script.subject)
    return [SLOT_RE.sub(lambda m: m.group(1), line) for line in lines]


def speak_script(
    script: Script, voice: Synthesizer, speaker: Speaker, show: Callable[[str], None] = lambda _line: None
) -> int:
    """Read the script aloud, line by line (each shown as it starts); returns the number of lines played."""
    lines = spoken_lines(script)
    for line in lines:
        audio = voice.synthesize(line)
        show(line)
        speaker.play(audio)
    return len(lines)


def candidate_voice(env: Environment) -> Synthesizer:
    """The demo candidate's voice: another speaker than the interviewer's, so listening first sounds like you."""
    from rehearse.audio.tts import CANDIDATE_VOICE, Pyttsx3Synthesizer

    return Pyttsx3Synthesizer.from_settings(CANDIDATE_VOICE, env.cache / "tts")


# --- timing --------------------------------------------------------------------------------------------------------


def timing_advice(plan: Plan, env: Environment, plan_path: Path | None = None) -> TimingAdvice:
    """The verdict for now (the hour when known), with the calls recorded beside the plan."""
    from rehearse.prep.calllog import read_calls

    calls = read_calls(plan_path) if plan_path is not None else ()
    return advise(plan, env.today, at=env.time_of_day, calls=calls)


def record_call(plan_path: Path, env: Environment) -> tuple[Path, tuple[CallMade, ...]]:
    from rehearse.prep.calllog import CallMade, record_call

    return record_call(plan_path, CallMade(env.today, env.time_of_day))
