"""score, practice --text, timing, plan init, scenarios."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from rehearse import app
from rehearse.commands.output import maybe_plan, open_recorder, print_report, saved_note, show_timing
from rehearse.environment import Environment
from rehearse.errors import ExitStatus, InputFileError, RehearseError
from rehearse.plan import PLAN_FIELDS, load_plan, plan_from_dict, save_plan
from rehearse.report.plain import line


def cmd_score(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan = maybe_plan(args.plan)
    score = app.score_file(Path(args.file), plan, env, model=getattr(args, "model", None))
    print_report(score, plan, args.format, env)
    return ExitStatus.OK


def cmd_timing(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan = load_plan(Path(args.plan))  # --plan is required for timing
    if args.today:
        try:
            env.today = dt.date.fromisoformat(args.today)
        except ValueError:
            raise RehearseError(f"--today {args.today!r} is not a date; use YYYY-MM-DD") from None
    show_timing(plan, env)
    return ExitStatus.OK


def cmd_practice(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan = maybe_plan(args.plan)
    if not args.text:
        from rehearse.commands.spoken import practice_spoken

        return practice_spoken(args, env, plan)
    if plan is not None and not args.no_timing:
        show_timing(plan, env)
        env.console().print()
    env.console().print("[dim]Type each answer and press Enter; Ctrl-D ends the call, Ctrl-C stops.[/]")
    recorder = open_recorder(env)
    try:
        session = app.practice_typed(plan, args.scenario, env, recorder)
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


def cmd_plan(args: argparse.Namespace, env: Environment) -> ExitStatus:
    path = Path(args.path)
    if path.exists() and not args.force:
        raise InputFileError("already exists; pass --force to overwrite it, or name another file", path=path)
    values = {f: getattr(args, f, None) for f in PLAN_FIELDS}
    if not values["candidate"]:
        values = _ask_plan(env, values)
    data = {k: v for k, v in values.items() if v not in (None, "", [])}
    plan = plan_from_dict(data, path="(plan init)")
    save_plan(plan, path)
    env.console().print(line(f"Wrote {path}. Try: ", (f"rehearse practice --text --plan {path}", "bold")))
    return ExitStatus.OK


PROMPTS = {
    "candidate": "Your name, as you'd say it on the phone",
    "interviewer": "Who interviewed you",
    "position": "The position",
    "company": "The company",
    "interview_date": "Interview date (YYYY-MM-DD)",
    "timeframe": "When did they say you'd hear back (e.g. '10 days')",
    "skills": "Two or three skills to remind them of (comma-separated)",
    "concern": "Any concern or question they raised",
    "contact_preference": "How they prefer to be contacted (phone/email)",
    "phone": "Your call-back number",
    "thank_you_sent": "When you sent the thank-you email (YYYY-MM-DD, blank if not yet)",
}


def _ask_plan(env: Environment, values: dict) -> dict:
    if not env.stdin_isatty:
        raise RehearseError("plan init needs --candidate NAME (and other flags) when not run interactively")
    out = dict(values)
    for field, prompt in PROMPTS.items():
        if out.get(field):
            continue
        env.stdout.write(f"{prompt}: ")
        env.stdout.flush()
        answer = env.stdin.readline().strip()
        if field == "skills":
            out[field] = [s.strip() for s in answer.split(",") if s.strip()]
        else:
            out[field] = answer
    return out
