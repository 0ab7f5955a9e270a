"""What several commands share: printing a report, the timing advice, the session recorder, the saved-as note,
recovering an answer a crash interrupted, writing --output files and loading the plan. It sits under every command
module, so none imports another's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rehearse.errors import ExitStatus
from rehearse.plan import Plan, load_plan, plan_from_dict
from rehearse.report import ReportContext, writer_for
from rehearse.report.plain import line
from rehearse.store import SessionRecorder, Stored, audio_reader, recover_partial

if TYPE_CHECKING:
    from rehearse.coach import Prompter
    from rehearse.environment import Environment
    from rehearse.prep.cues import Cue
    from rehearse.values import CallScore, Session

TIMING_STYLES = {
    "call_now": "green",
    "call_now_late": "yellow",
    "call_later": "yellow",
    "wait": "yellow",
    "thank_you_first": "yellow",
    "write": "yellow",
    "called_recently": "red",
}


def maybe_plan(path: str | None) -> Plan | None:
    """The --plan given, read and checked; None when none was given."""
    return load_plan(Path(path)) if path else None


def session_plan(session: Session) -> Plan | None:
    """The plan a saved session was rehearsed with, or None when it had none."""
    return plan_from_dict(dict(session.plan)) if session.plan.get("candidate") else None


def score_stored(stored: Stored, session: Session | None = None) -> CallScore:
    """Score a saved rehearsal now (or `session`, its turns corrected), with its voice measured from the folder's
    recordings: what the recorder saves at the end of a call, so a rescore means the same thing."""
    from rehearse.scoring.scorer import score_call
    from rehearse.scoring.spoken import with_session_voice

    session = session or stored.session
    score = score_call(session.candidate_utterances(), session_plan(session))
    return with_session_voice(score, session, audio_reader(stored.folder))


def print_report(
    score: CallScore, plan: Plan | None, fmt: str, env: Environment, context: ReportContext | None = None
) -> None:
    """The report on stdout: rich on the console for text (colour on a terminal), the writer's text otherwise."""
    if fmt == "text":
        from rehearse.report.terminal import TerminalWriter

        TerminalWriter().print(env.console(), score, plan, context)
    else:
        env.stdout.write(writer_for(fmt).render(score, plan, context))


def show_timing(plan: Plan, env: Environment, plan_path: Path | None = None) -> None:
    """The one timing verdict and its reasons; with the plan's path, the calls recorded beside it count too."""
    from rehearse.coach import timing_advice  # the timing rules load only for the commands that show them

    advice = timing_advice(plan, env, plan_path)
    console = env.console()
    console.print(line((advice.headline, f"bold {TIMING_STYLES.get(advice.verdict, 'cyan')}")))
    for reason in advice.reasons:  # they quote the plan's timeframe
        console.print(line("  • ", reason))
    if advice.command:
        command = f"rehearse {advice.command}" + (f" --plan {plan_path}" if plan_path else "")
        console.print(line("  Try: ", (command, "bold")))


def make_prompter(mode: str, plan: Plan | None, env: Environment) -> Prompter | None:
    """`practice --cues`: None for none; otherwise the prompter, with `auto`'s choice printed and why."""
    if mode == "none":
        return None
    from rehearse.coach import Prompter, choose_cues

    cues, reasons = choose_cues(mode, plan, env.recordings)
    console = env.console()
    if reasons:
        console.print(
            line(
                ("Cues (auto, per section):", "bold"),
                " full until a section scores 80+ twice, then key words, then none.",
            )
        )
        for reason in reasons:
            console.print(line("  • ", reason))

    def show(cue: Cue) -> None:
        console.print(line(("  ▸ ", "magenta"), (f"{cue.title}: ", "bold magenta"), (cue.text, "magenta")))

    return Prompter(plan, cues, show)


def open_recorder(env: Environment) -> SessionRecorder:
    """A new session folder under the recordings directory, written as the rehearsal goes."""
    return SessionRecorder.create(env.recordings)


def recover_interrupted(stored: Stored, env: Environment, model: str | None = None) -> Stored:
    """The session with the answer a crash interrupted transcribed into its last turn; the speech model loads only
    when there is such an answer. Report, rescore and retranscribe call this first, so nothing said is lost."""
    if not stored.partial:
        return stored
    from rehearse.stt import Hints, WhisperTranscriber

    plan = session_plan(stored.session)
    hints = Hints.from_plan(plan) if plan else None
    stt = WhisperTranscriber(model)
    console = env.console(stderr=True)

    def warn(text: str) -> None:
        console.print(line((f"⚠ {text}", "yellow")), soft_wrap=True)

    with console.status("[cyan]transcribing the answer that was interrupted…[/]"):
        stt.load()
        recovered = recover_partial(stored, lambda audio: stt.transcribe(audio, hints=hints), warn)
    if len(recovered.session.turns) > len(stored.session.turns):
        console.print(f"[dim]The answer the crash interrupted is kept as turn {recovered.session.turns[-1].index}.[/]")
    return recovered


def saved_note(session: Session, env: Environment) -> None:
    if session.id:
        env.console(stderr=True).print(
            f"[dim]Saved as {session.id} — `rehearse report {session.id}` to see it again.[/]"
        )


def emit(text: str, output: str | None, env: Environment) -> ExitStatus:
    """Print `text`, or write it atomically to the --output file: a new name or a regular file, never through a
    symbolic link and never over a device or a FIFO (one line, exit 2)."""
    from rehearse.textfiles import atomic_write_text, output_target

    if not output:
        env.stdout.write(text)
        return ExitStatus.OK
    path = output_target(Path(output))
    atomic_write_text(path, text)
    env.console(stderr=True).print(f"Wrote {path}")
    return ExitStatus.OK
