"""retranscribe and history: the heavier session commands."""

from __future__ import annotations

import argparse
from typing import Any

from rehearse import store
from rehearse.commands.output import emit, recover_interrupted, score_stored, session_plan
from rehearse.environment import Environment
from rehearse.errors import ExitStatus, SessionError
from rehearse.history import DELIVERY_TRENDS, History, format_measure
from rehearse.report.plain import line
from rehearse.values import SECTION_IDS, section_label

SPARKS = "▁▂▃▄▅▆▇█"


def cmd_retranscribe(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from dataclasses import replace

    from rehearse.audio.wav import read_wav
    from rehearse.codec import report_dict
    from rehearse.stt import Hints, WhisperTranscriber

    s = recover_interrupted(store.load(env.recordings, args.id), env, args.model)
    plan = session_plan(s.session)
    turns = [t for t in s.session.turns if t.speaker == "candidate" and t.audio]
    if not turns:
        raise SessionError(f"session {s.session.id} has no recorded answers to transcribe (a typed rehearsal?)")
    stt = WhisperTranscriber(args.model)
    console = env.console()
    with console.status("[cyan]loading the speech model…[/]"):
        stt.load()
    hints = Hints.from_plan(plan) if plan else None
    texts: dict[int, Any] = {}
    for t in turns:
        with console.status(f"[cyan]transcribing turn {t.index}…[/]"):
            tr = stt.transcribe(read_wav(s.folder / t.audio), hints=hints)
        texts[t.index] = (tr.text, tr.words)
        if tr.text != t.text:
            console.print(line(f"turn {t.index}: ", (f"- {t.text}", "red")), highlight=False)
            console.print(line("         ", (f"+ {tr.text}", "green")), highlight=False)
    store.add_transcription(s, texts, stt.name)
    new_turns = tuple(
        replace(t, text=texts[t.index][0], words=texts[t.index][1]) if t.index in texts else t for t in s.session.turns
    )
    score = score_stored(s, replace(s.session, turns=new_turns))
    store.add_score(
        store.load(env.recordings, s.session.id), report_dict(score, None), f"retranscribed with {stt.name}"
    )
    console.print(f"Scored {score.overall}/100 with the new transcript; the original recording and text are kept.")
    return ExitStatus.OK


def build_history(env: Environment, position: str | None) -> History:
    from rehearse.coach import load_history

    return load_history(env.recordings, position)


def sparkline(values: list[int]) -> str:
    return "".join(SPARKS[min(len(SPARKS) - 1, v * len(SPARKS) // 101)] for v in values)


def trend_line(values: list[float | None]) -> str:
    """A sparkline scaled to the measure's own range; a rehearsal without it is a space."""
    known = [v for v in values if v is not None]
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(
        " " if v is None else SPARKS[min(len(SPARKS) - 1, int((v - low) / span * len(SPARKS)))] for v in values
    )


def _delivery_trends(console: Any, points: Any) -> None:
    from rich.table import Table

    table = Table(title="Delivery, oldest → newest", title_justify="left")
    for col in ("measure", "trend", "latest", "fine"):
        table.add_column(col, justify="right" if col == "latest" else "left")
    for key, name, unit, norm in DELIVERY_TRENDS:
        values = [p.measure(key) for p in points]
        if all(v is None for v in values):
            continue
        latest = next((v for v in reversed(values) if v is not None), None)
        table.add_row(name, trend_line(values), format_measure(latest, unit), norm)
    if table.row_count:
        console.print(table)


def cmd_history(args: argparse.Namespace, env: Environment) -> ExitStatus:
    history = build_history(env, args.position)
    if args.format == "html":
        from rehearse.report.html import render_history

        return emit(render_history(history), args.output, env)
    console = env.console()
    if not history.points:
        console.print(
            "No scored rehearsals yet"
            + (f" for positions matching {args.position!r}" if args.position else "")
            + ". Try [bold]rehearse demo[/]."
        )
        return ExitStatus.OK
    from rich.table import Table

    from rehearse.report.terminal import colour

    recent = history.points[-30:]
    table = Table(
        title=f"{len(history.points)} rehearsals, oldest → newest (last {len(recent)} shown)", title_justify="left"
    )
    for col in ("section", "trend", "best", "latest", "cue"):
        table.add_column(col, justify="right" if col in ("best", "latest") else "left")
    last_cues = recent[-1].cues
    for sid in (*SECTION_IDS, "overall"):
        values = [p.overall if sid == "overall" else p.section(sid) for p in recent]
        best = max(values)
        latest = values[-1]
        cue = (last_cues.mode if sid == "overall" else last_cues.level(sid)) if last_cues.mode else "—"
        table.add_row(
            section_label(sid) if sid != "overall" else "Overall",
            f"[{colour(latest)}]{sparkline(values)}[/]",
            str(best),
            f"[{colour(latest)}]{latest}[/]",
            f"[dim]{cue}[/]",
        )
    console.print(table)
    _delivery_trends(console, recent)
    console.print(
        "[dim]cue: what the latest rehearsal showed while you answered (practice --cues); — for none chosen.[/]"
    )
    nxt = history.practise_next()
    if nxt:
        console.print(f"Practise next: [bold]{section_label(nxt)}[/] (lowest in your latest rehearsal).")
    _auto_next(history, console)
    return ExitStatus.OK


def _auto_next(history: History, console: Any) -> None:
    """What `practice --cues auto` would show next, section by section (the same rule, from this history)."""
    from rehearse.prep.cues import auto

    cues, _reasons = auto(history.points)
    by_level: dict[str, list[str]] = {}
    for sid, level in cues.levels:
        by_level.setdefault(level, []).append(section_label(sid))
    parts = [f"{level} for {', '.join(names)}" for level, names in by_level.items()]
    console.print(f"Next [bold]--cues auto[/]: {'; '.join(parts)}.")


__all__ = ["build_history", "cmd_history", "cmd_retranscribe"]
