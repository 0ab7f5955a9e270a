"""Use cases: what each command does, as functions the CLI and the tests call with an Environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rehearse.environment import Environment
from rehearse.errors import InputFileError
from rehearse.plan import Plan, load_plan
from rehearse.scenario import Interviewer, Line, load_scenario
from rehearse.scoring.scorer import score_call
from rehearse.timing import TimingAdvice, advise
from rehearse.transcript import read_transcript
from rehearse.values import CallScore, Session

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif"})


def maybe_plan(path: str | None) -> Plan | None:
    return load_plan(Path(path)) if path else None


def score_file(path: Path, plan: Plan | None, env: Environment, *, model: str | None = None) -> CallScore:
    """Score a transcript (.txt) or a recording (audio: transcribed offline first)."""
    if path.suffix.lower() in AUDIO_SUFFIXES:
        from rehearse.practice import transcribe_file

        transcript = transcribe_file(path, plan, env, model=model)
        from rehearse.values import Utterance

        return score_call([Utterance(transcript.text, 0.0, transcript.duration, transcript.words)], plan)
    if path.suffix.lower() not in {".txt", ".text", ".md", ""} and path.is_file() and _looks_binary(path):
        raise InputFileError("is not a transcript; give a .txt file, or a .wav recording", path=path)
    return score_call(read_transcript(path), plan)


def _looks_binary(path: Path) -> bool:
    with path.open("rb") as fh:
        return b"\x00" in fh.read(4096)


@dataclass
class TypedVoice:
    """The interviewer's lines, printed."""

    env: Environment

    def say(self, line: Line) -> None:
        console = self.env.console()
        who = {"interviewer": "Interviewer", "receptionist": "Receptionist", "voicemail": "Voicemail"}.get(
            line.role, line.role.title()
        )
        beep = " [dim](beep)[/]" if line.sound == "beep" else ""
        console.print(f"[bold cyan]{who}:[/] {line.text}{beep}")


@dataclass
class TypedListener:
    """The candidate's answers, typed one per line. End of input ends the rehearsal."""

    env: Environment

    def listen(self, policy=None):  # (ListenPolicy | None) -> Heard | None; typing needs no silence policy
        from rehearse.loop import Heard

        if self.env.stdin_isatty:
            self.env.stdout.write("You: ")
            self.env.stdout.flush()
        line = self.env.stdin.readline()
        if not line:
            return None
        text = line.strip()
        if not self.env.stdin_isatty:  # echo piped answers so the printed call reads as a transcript
            self.env.console().print(f"[bold green]You:[/] {text or '(silence)'}")
        return Heard(text)


def practice_typed(plan: Plan | None, scenario_name: str, env: Environment, recorder=None) -> Session:
    from rehearse.loop import NullRecorder, Rehearsal

    scenario = load_scenario(scenario_name)
    session = new_session(scenario.name, "typed", plan)
    if recorder is not None:
        recorder.start(session)
        session = recorder.session
    rehearsal = Rehearsal(
        Interviewer(scenario, plan), TypedVoice(env), TypedListener(env), recorder or NullRecorder(), session
    )
    return rehearsal.run()


def new_session(scenario: str, mode: str, plan: Plan | None, engine: str = "", session_id: str = "") -> Session:
    import datetime as dt

    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    plan_dict = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in (plan.to_dict() if plan else {}).items()
    }
    return Session(session_id, started, scenario, mode, plan=plan_dict, engine=engine)  # type: ignore[arg-type]


def timing_advice(plan: Plan, env: Environment) -> TimingAdvice:
    return advise(plan, env.today)
