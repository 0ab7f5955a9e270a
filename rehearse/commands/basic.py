"""score, practice --text, scenarios."""

from __future__ import annotations

import argparse
from pathlib import Path

from rehearse import app
from rehearse.commands.output import make_prompter, maybe_plan, open_recorder, print_report, saved_note, show_timing
from rehearse.environment import Environment
from rehearse.errors import ExitStatus


def cmd_score(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan = maybe_plan(args.plan)
    score = app.score_file(Path(args.file), plan, env, model=getattr(args, "model", None))
    print_report(score, plan, args.format, env)
    return ExitStatus.OK


def cmd_practice(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan = maybe_plan(args.plan)
    if not args.text:
        from rehearse.commands.spoken import practice_spoken

        return practice_spoken(args, env, plan)
    if plan is not None and not args.no_timing:
        show_timing(plan, env, Path(args.plan))
        env.console().print()
    prompter = make_prompter(args.cues, plan, env)
    env.console().print("[dim]Type each answer and press Enter; Ctrl-D ends the call, Ctrl-C stops.[/]")
    recorder = open_recorder(env)
    try:
        session = app.practice_typed(plan, args.scenario, env, recorder, prompter)
    except KeyboardInterrupt:
        env.console().print("\n[yellow]Stopped — scoring what you said so far.[/]")
        session = recorder.session
        if session.score is None:
            return ExitStatus.INTERRUPTED
    env.console().print()
    assert session.score is not None
    print_report(session.score, plan, args.format, env)
    saved_note(session, env)
    return ExitStatus.OK


def cmd_scenarios(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.scenario import load_scenario, scenario_names

    console = env.console()
    for name in scenario_names():
        sc = load_scenario(name)
        console.print(f"[bold]{name:<18}[/] {sc.title}: [dim]{sc.description}[/]")
    return ExitStatus.OK
