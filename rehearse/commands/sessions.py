"""Commands on saved rehearsals: sessions, show, replay, report, rescore, retranscribe, history, export, import."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rehearse import store
from rehearse.commands.output import emit, print_report, recover_interrupted, score_stored, session_plan
from rehearse.commands.session_tools import cmd_history, cmd_retranscribe
from rehearse.environment import Environment
from rehearse.errors import ExitStatus, SessionError
from rehearse.report import FORMATS, ReportContext, writer_for
from rehearse.report.plain import line


def add_session_commands(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("sessions", help="list saved rehearsals")
    common(p)
    p = sub.add_parser("show", help="one saved rehearsal: details, timed transcript, scores")
    p.add_argument("id", help="session id, a unique start of it, or 'last'")
    common(p)
    p = sub.add_parser("replay", help="play a saved rehearsal back, both sides, transcript in step")
    p.add_argument("id")
    p.add_argument("--turn", type=int, metavar="N", help="only turn N")
    p.add_argument("--no-audio", action="store_true", help="print the timed transcript without playing")
    p.add_argument("--output", metavar="NAME|INDEX", help="speaker to play on")
    common(p)
    p = sub.add_parser("report", help="a saved rehearsal's report (text, json, markdown or html)")
    p.add_argument("id")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of the terminal")
    common(p)
    p = sub.add_parser("rescore", help="score a saved rehearsal again with the current rubric (kept beside the old)")
    p.add_argument("id")
    common(p)
    p = sub.add_parser("retranscribe", help="transcribe a saved rehearsal's answers again (kept beside the old)")
    p.add_argument("id")
    p.add_argument("--model", metavar="PATH_OR_NAME")
    common(p)
    p = sub.add_parser("history", help="per-section progress over your rehearsals")
    p.add_argument("--position", metavar="TEXT", help="only rehearsals for positions containing TEXT")
    p.add_argument("--format", choices=("text", "html"), default="text")
    p.add_argument("--output", metavar="FILE")
    common(p)
    p = sub.add_parser("export", help="one zip of a rehearsal, for a coach")
    p.add_argument("id")
    p.add_argument("--output", metavar="ZIP")
    common(p)
    p = sub.add_parser("import", help="take in a rehearsal zip (validated)")
    p.add_argument("zip")
    common(p)


def current_score(stored: store.Stored, fresh: bool = False) -> Any:
    """The latest stored result; a session that never finished, or `fresh` (an answer was just recovered into it),
    is scored now from what it holds."""
    from rehearse.codec import score_from_report

    transcript = "\n".join(u.text.strip() for u in stored.session.candidate_utterances())
    if stored.latest is not None and not fresh:
        return score_from_report(stored.latest, transcript)
    return score_stored(stored)


def _fmt_time(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"


def cmd_sessions(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rich.table import Table
    from rich.text import Text

    console = env.console()
    ids = store.session_ids(env.recordings)
    if not ids:
        console.print(f"No rehearsals saved in {env.recordings} yet. Try [bold]rehearse demo[/].")
        return ExitStatus.OK
    table = Table(title=f"Rehearsals in {env.recordings}", title_justify="left")
    # The id starts with the date and time, so it doubles as the date column on a narrow terminal.
    for col in ("id (date-time)", "scenario", "position", "score", "length", "state"):
        table.add_column(col, justify="right" if col in ("score", "length") else "left", no_wrap=col != "position")
    unreadable: list[str] = []
    for sid in ids:
        try:
            s = store.load(env.recordings, sid)
        except SessionError as exc:  # listed as unreadable; the others still list
            table.add_row(sid, "", "", "", "", "[red]unreadable[/]")
            unreadable.append(str(exc))
            continue
        latest = s.latest
        score = str(latest["overall"]) if latest else "—"
        state = "✓" if s.session.complete else "[yellow]incomplete[/]"
        table.add_row(
            sid, s.session.scenario, str(s.session.plan.get("position", "")), score, _fmt_time(s.duration), state
        )
    console.print(table)
    for reason in unreadable:  # the reason quotes the manifest, so it is printed as plain text, never as markup
        console.print(Text(reason, style="red"), soft_wrap=True)
    return ExitStatus.OK


def cmd_show(args: argparse.Namespace, env: Environment) -> ExitStatus:
    s = store.load(env.recordings, args.id)
    console = env.console()
    sess = s.session
    console.print(
        line(
            (sess.id, "bold"),
            f"  {sess.started}  scenario {sess.scenario}  mode {sess.mode}"
            f"{'  engine ' + sess.engine if sess.engine else ''}",
        )
    )
    if sess.plan:
        console.print(
            line(
                f"plan: {sess.plan.get('candidate', '')} → {sess.plan.get('interviewer', '')}, "
                f"{sess.plan.get('position', '')}"
            )
        )
    console.print("complete" if sess.complete else "[yellow]incomplete: the rehearsal stopped before its end[/]")
    _print_turns(console, s.session.turns, s.partial)
    for entry in s.scores:
        rep = entry["report"]
        console.print(
            f"score {rep['overall']}/100  ({entry['why']}, {entry['scored_at']}, rubric {rep.get('rubric_version')})"
        )
    return ExitStatus.OK


def _print_turns(console: Any, turns: Any, partial: str = "") -> None:
    for t in turns:
        # Transcripts and notes come from the session file: printed as text, never read as markup.
        who = ("Interviewer", "bold cyan") if t.speaker == "interviewer" else ("You", "bold green")
        said: str | tuple[str, str] = t.text or ("(silence)", "dim")
        note = (f" ({t.note})", "dim") if t.note else ""
        console.print(line((_fmt_time(t.start), "dim"), " ", who, ": ", said, note), highlight=False)
    if partial:
        console.print(f"[yellow]… interrupted while answering: {partial} holds the unfinished answer[/]")


def cmd_replay(args: argparse.Namespace, env: Environment) -> ExitStatus:
    s = store.load(env.recordings, args.id)
    turns = [t for t in s.session.turns if args.turn is None or t.index == args.turn]
    if args.turn is not None and not turns:
        raise SessionError(f"session {s.session.id} has no turn {args.turn}; it has 0..{len(s.session.turns) - 1}")
    console = env.console()
    speaker = None if args.no_audio else _speaker(args)
    for t in turns:
        _print_turns(console, [t])
        if speaker is not None and t.audio:
            _play(speaker, s.folder / t.audio)
    if s.partial and args.turn is None:
        console.print(f"[yellow]… the answer that was being recorded when the rehearsal stopped ({s.partial})[/]")
        if speaker is not None:
            _play(speaker, s.folder / s.partial)
    return ExitStatus.OK


def _speaker(args: argparse.Namespace) -> Any:
    from rehearse.audio.playback import SoundDeviceSpeaker

    return SoundDeviceSpeaker(args.output)


def _play(speaker: Any, path: Path) -> None:
    from rehearse.audio.wav import read_wav

    if not path.is_file():
        raise SessionError(
            f"the recording of this turn ({path.name}) is missing from {path.parent}; "
            "`rehearse replay --no-audio` still shows the transcript"
        )
    speaker.play(read_wav(path))


def cmd_report(args: argparse.Namespace, env: Environment) -> ExitStatus:
    loaded = store.load(env.recordings, args.id)
    s = recover_interrupted(loaded, env)
    score = current_score(s, fresh=len(s.session.turns) > len(loaded.session.turns))
    plan = session_plan(s.session)
    context = ReportContext(session=s.session)
    if args.format == "html":
        # Only plain files in the session folder, by the names the codec allowed: never a link out of it.
        clips = {t.index: store.read_session_file(s, t.audio) for t in s.session.turns if t.audio}
        audio = {i: data for i, data in clips.items() if data is not None}
        partial = f"The rehearsal stopped while an answer was being recorded ({s.partial})." if s.partial else ""
        context = ReportContext(s.session, audio, partial, _contours(s))
    if args.format == "text" and not args.output:
        print_report(score, plan, "text", env, context)
        return ExitStatus.OK
    return emit(writer_for(args.format).render(score, plan, context), args.output, env)


def _contours(s: store.Stored) -> dict[int, Any]:
    """Pitch and loudness of every recorded answer, for the HTML report's drawings (worked out, never stored)."""
    from rehearse.scoring.prosody import contour

    read = store.audio_reader(s.folder)
    out = {}
    for t in s.session.turns:
        clip = read(t) if t.speaker == "candidate" and t.audio else None
        if clip is not None:
            out[t.index] = contour(clip)
    return out


def cmd_rescore(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.codec import report_dict

    s = recover_interrupted(store.load(env.recordings, args.id), env)
    old = s.latest["overall"] if s.latest else None
    new = score_stored(s)
    store.add_score(s, report_dict(new, None), "rescored")
    env.console().print(
        f"{s.session.id}: {old if old is not None else '—'} → {new.overall} (rubric {new.rubric_version}); "
        "the earlier result is kept"
    )
    return ExitStatus.OK


def cmd_export(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.archive import export_session

    s = store.load(env.recordings, args.id)
    path = export_session(s, Path(args.output) if args.output else Path(f"{s.session.id}.zip"))
    env.console().print(f"Wrote {path} — send it to your coach; they can `rehearse import {path.name}`.")
    return ExitStatus.OK


def cmd_import(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.archive import import_session

    sid = import_session(Path(args.zip), env.recordings)
    env.console().print(f"Imported as {sid}. `rehearse report {sid}` shows it.")
    return ExitStatus.OK


HANDLERS = {
    "sessions": cmd_sessions,
    "show": cmd_show,
    "replay": cmd_replay,
    "report": cmd_report,
    "rescore": cmd_rescore,
    "retranscribe": cmd_retranscribe,
    "history": cmd_history,
    "export": cmd_export,
    "import": cmd_import,
}
