"""Before the call: plan init, timing (and --called), script (--voicemail, --gatekeeper, --email, --speak)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehearse.commands.output import emit, show_timing
from rehearse.environment import Environment
from rehearse.errors import ExitStatus, InputFileError, RehearseError
from rehearse.plan import PLAN_FIELDS, load_plan, plan_from_dict, save_plan
from rehearse.report.plain import line

if TYPE_CHECKING:
    from rehearse.prep.callscript import Kind, Script

SCRIPT_FORMATS = ("text", "markdown", "html")  # prep.render's; repeated so `--help` imports nothing


def add_prep_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("script", help="write your call out: the model call, a voicemail, a receptionist line, an email")
    p.add_argument("--plan", required=True, help="call plan (TOML)")
    p.add_argument("--format", choices=SCRIPT_FORMATS, default="text", help="text is a transcript `score` reads")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of the terminal")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--voicemail", action="store_true", help="the message to leave: 30 s, your number twice")
    kind.add_argument("--gatekeeper", action="store_true", help="the one line for a receptionist")
    kind.add_argument("--email", action="store_true", help="a thank-you email draft")
    p.add_argument("--speak", action="store_true", help="also read it aloud, in a voice other than the interviewer's")
    p.add_argument("--speaker", metavar="NAME|INDEX", help="speaker to read it on (see `rehearse devices`)")


# --- script --------------------------------------------------------------------------------------------------------


def cmd_script(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.prep.callscript import build
    from rehearse.prep.render import render

    plan = load_plan(Path(args.plan))
    kind: Kind = (
        "voicemail" if args.voicemail else "gatekeeper" if args.gatekeeper else "email" if args.email else "call"
    )
    script = build(kind, plan)
    if not args.speak or args.output:
        emit(render(script, args.format), args.output, env)
    if kind == "voicemail" and not plan.phone.strip():
        env.console(stderr=True).print('[yellow]Add phone = "..." to your plan to have your number in it.[/]')
    if args.speak:
        _speak(script, args, env)
    return ExitStatus.OK


def _speak(script: Script, args: argparse.Namespace, env: Environment) -> None:
    from rehearse.audio.playback import SoundDeviceSpeaker
    from rehearse.coach import candidate_voice, speak_script

    console = env.console()
    speaker = SoundDeviceSpeaker(args.speaker)
    with console.status("[cyan]preparing the voice…[/]"):
        voice = candidate_voice(env)
    console.print(line(("Listen first:", "bold"), " your script, read in the candidate's voice (Ctrl-C stops)."))
    speak_script(script, voice, speaker, lambda text: console.print(line(("  ▸ ", "dim"), text)))


# --- timing --------------------------------------------------------------------------------------------------------


def cmd_timing(args: argparse.Namespace, env: Environment) -> ExitStatus:
    plan_path = Path(args.plan)
    plan = load_plan(plan_path)  # --plan is required for timing
    if args.today:
        env.today, env.time_of_day = _moment(args.today)
    if args.called:
        from rehearse.coach import record_call

        log, calls = record_call(plan_path, env)
        console = env.console()
        console.print(line(("Recorded:", "bold green"), f" you called on {calls[-1].describe()} ({log})."))
        if len(calls) > 1 and (calls[-1].day - calls[-2].day).days < 7:
            console.print(line(("That is a second call within a week:", "bold yellow"), " now wait for them."))
        else:
            console.print("One well-timed call is usually enough; `rehearse timing` will say before another.")
        return ExitStatus.OK
    show_timing(plan, env, plan_path)
    return ExitStatus.OK


def _moment(text: str) -> tuple[dt.date, dt.time | None]:
    """--today: a date, or a date and time ("2026-11-27 10:30"); strict, since it pretends to be the clock."""
    try:
        if len(text.strip()) <= 10:
            return dt.date.fromisoformat(text.strip()), None
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise RehearseError(f'--today {text!r} is not a date; use YYYY-MM-DD or "YYYY-MM-DD HH:MM"') from None
    return moment.date(), moment.time().replace(second=0, microsecond=0)


# --- plan init -----------------------------------------------------------------------------------------------------

PROMPTS = {
    "candidate": "Your name, as you'd say it on the phone",
    "interviewer": "Who interviewed you",
    "position": "The position",
    "company": "The company",
    "interview_date": "Interview date (e.g. today, yesterday, last Tuesday, 2026-11-16)",
    "timeframe": "When did they say you'd hear back (e.g. '10 days')",
    "skills": "Two or three skills to remind them of (comma-separated)",
    "concern": "Any concern or question they raised",
    "contact_preference": "How they prefer to be contacted (phone/email)",
    "phone": "Your call-back number",
    "thank_you_sent": "When you sent the thank-you email (e.g. yesterday; blank if not yet)",
}


def cmd_plan(args: argparse.Namespace, env: Environment) -> ExitStatus:
    path = Path(args.path)
    if path.exists() and not args.force:
        raise InputFileError("already exists; pass --force to overwrite it, or name another file", path=path)
    values = _from_flags(args, env)
    if not values.get("candidate"):
        values = _ask_plan(env, values)
    data = {k: v for k, v in values.items() if v not in (None, "", [])}
    plan = plan_from_dict(data, path="(plan init)")
    save_plan(plan, path)
    env.console().print(line(f"Wrote {path}. Next: ", (f"rehearse timing --plan {path}", "bold")))
    return ExitStatus.OK


def _from_flags(args: argparse.Namespace, env: Environment) -> dict[str, Any]:
    """The fields given as flags, each checked like a typed answer ("--interview-date 'last Tuesday'" works too)."""
    from rehearse.prep.answers import BadAnswer, parse_answer

    values: dict[str, Any] = {}
    for field in PLAN_FIELDS:
        given = getattr(args, field, None)
        if given in (None, "", []):
            continue
        try:
            values[field] = given if field == "skills" else parse_answer(field, given, env.today)
        except BadAnswer as exc:
            raise RehearseError(f"--{field.replace('_', '-')}: {exc}") from None
    return values


def _ask_plan(env: Environment, values: dict[str, Any]) -> dict[str, Any]:
    if not env.stdin_isatty:
        raise RehearseError("plan init needs --candidate NAME (and other flags) when not run interactively")
    out = dict(values)
    for field, prompt in PROMPTS.items():
        if not out.get(field):
            out[field] = _ask(env, field, prompt)
    return out


def _ask(env: Environment, field: str, prompt: str) -> Any:
    """Ask one field until its answer can be used; only this field is asked again. End of input stops plan init
    with nothing written."""
    from rehearse.prep.answers import BadAnswer, parse_answer

    console = env.console()
    while True:
        env.stdout.write(f"{prompt}: ")
        env.stdout.flush()
        answer = env.stdin.readline()
        if not answer:
            raise RehearseError("plan init stopped before every question was answered; nothing was written")
        try:
            value = parse_answer(field, answer, env.today)
        except BadAnswer as exc:
            console.print(line(("  ✗ ", "bold red"), str(exc), " — try again."))
            continue
        if isinstance(value, dt.date):
            console.print(line(("  → ", "dim"), f"{value:%A} {value.day} {value:%B %Y}"))
        return value
