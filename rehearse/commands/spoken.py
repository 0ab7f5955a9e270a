"""practice (spoken), demo, devices, mic-check."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehearse.commands.output import make_prompter, maybe_plan, open_recorder, print_report, saved_note, show_timing
from rehearse.environment import Environment
from rehearse.errors import ExitStatus
from rehearse.plan import Plan, sample_plan
from rehearse.report.plain import line

if TYPE_CHECKING:
    from rehearse.store import SessionRecorder
    from rehearse.values import Session


def _settings(args: argparse.Namespace) -> Any:
    from rehearse.practice import SpeechSettings

    return SpeechSettings(
        model=getattr(args, "model", None),
        input=getattr(args, "input", None),
        output=getattr(args, "output", None),
        voice=getattr(args, "voice", None),
        rate=getattr(args, "rate", None),
        end_silence=getattr(args, "end_silence", None),
        online=getattr(args, "online", None),
    )


class _Opened:
    """Opens the session recorder when the rehearsal asks for it, once its devices and model are ready, and
    remembers it, so Ctrl-C can still report what was said; a rehearsal stopped before that has no session."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.recorder: SessionRecorder | None = None

    def __call__(self) -> SessionRecorder:
        self.recorder = open_recorder(self.env)
        return self.recorder

    @property
    def session(self) -> Session | None:
        return self.recorder.session if self.recorder is not None else None


def _finish(session: Any, plan: Plan | None, fmt: str, env: Environment, interrupted: bool) -> ExitStatus:
    console = env.console()
    if interrupted:
        console.print("\n[yellow]Stopped — here is what you said so far.[/]")
    console.print()
    if session is not None and session.score is not None:
        print_report(session.score, plan, fmt, env)
        saved_note(session, env)
    return ExitStatus.INTERRUPTED if interrupted else ExitStatus.OK


def practice_spoken(args: argparse.Namespace, env: Environment, plan: Plan | None) -> ExitStatus:
    from rehearse.practice import run_spoken

    console = env.console()
    if plan is not None and not args.no_timing:
        show_timing(plan, env, Path(args.plan))
        console.print()
    prompter = make_prompter(args.cues, plan, env)
    console.print(
        "[dim]Answer when you're ready, even straight away. A short pause after a finished sentence ends your "
        "answer; mid-thought you can pause longer. Ctrl-C stops and keeps what you said.[/]"
    )
    opened = _Opened(env)
    try:
        session = run_spoken(plan, args.scenario, env, _settings(args), opened, console, prompter)
    except KeyboardInterrupt:
        return _finish(opened.session, plan, args.format, env, interrupted=True)
    return _finish(session, plan, args.format, env, interrupted=False)


def cmd_demo(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.practice import run_demo

    plan = maybe_plan(args.plan) or sample_plan()
    console = env.console()
    console.print(
        line(
            ("Demo:", "bold"),
            f" {plan.candidate} calls {plan.interviewer or 'the interviewer'} about the {plan.position} role. "
            "A synthetic candidate answers through the real capture, end-of-turn and offline transcription path.",
        )
    )
    opened = _Opened(env)
    try:
        session = run_demo(plan, args.scenario, env, _settings(args), opened, console, play=args.play)
    except KeyboardInterrupt:
        return _finish(opened.session, plan, args.format, env, interrupted=True)
    return _finish(session, plan, args.format, env, interrupted=False)


def cmd_devices(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rich.table import Table

    from rehearse.audio.devices import list_devices

    rows = list_devices()
    console = env.console()
    if not rows:
        console.print(
            "No audio devices found. On a laptop, check the sound settings; on a server, start PulseAudio "
            "(see .ci/pulse.sh for a virtual microphone)."
        )
        return ExitStatus.OK
    table = Table(title="Audio devices", title_justify="left")
    for col in ("#", "name", "in", "out", "rate", "default"):
        table.add_column(col)
    for d in rows:
        mark = " ".join(m for m, on in (("input", d.default_in), ("output", d.default_out)) if on)
        table.add_row(str(d.index), d.name, str(d.inputs), str(d.outputs), f"{d.default_samplerate:.0f}", mark)
    console.print(table)
    return ExitStatus.OK


def cmd_mic_check(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.mic_check import mic_check

    return mic_check(args, env)


HANDLERS = {"demo": cmd_demo, "devices": cmd_devices, "mic-check": cmd_mic_check}
