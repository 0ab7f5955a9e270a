"""The conversation corpus: candidate scripts written without sight of the engine, each with expectations.

A script is TOML: `scenario`, `[plan]`, `[[turn]]` with `say`, gold `acts`, `then` (continue | end | either) and
an optional `reply_role`. `run_script` plays one through the real CLI typed path and `check` judges the printed
call; the test suite and bench/bench_dialogue.py share both.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rehearse.cli import main
from rehearse.dialogue.timeframe import MONTHS, PREPOSITIONS
from rehearse.environment import Environment

HERE = Path(__file__).resolve().parent
PARTS = ("tune", "heldout")
SENTINEL = "Sorry, one more thing."  # typed after the last line: consumed only when the call is still open
ROLES = {"Interviewer": "interviewer", "Receptionist": "receptionist", "Voicemail": "voicemail"}
LINE_RE = re.compile(r"^(You|Interviewer|Receptionist|Voicemail):\s?(.*)$")
LEAVE_RE = re.compile(r"\b(bye|goodbye|take care|talk soon|speak soon|thanks for calling|have a (good|great))\b", re.I)
TIME_RE = re.compile(
    r"\b(day|days|week|weeks|month|months|monday|tuesday|wednesday|thursday|friday|tomorrow|soon|\d+)\b", re.I
)


@dataclass(frozen=True)
class Turn:
    say: str
    acts: tuple[str, ...]
    then: str
    reply_role: str = ""


@dataclass(frozen=True)
class Script:
    id: str  # part/file stem
    path: Path
    scenario: str
    plan: dict
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Event:
    who: str  # "you" or a role
    text: str


def scripts(part: str) -> list[Script]:
    out = []
    for path in sorted((HERE / part).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        turns = tuple(
            Turn(
                str(t.get("say", "")), tuple(t.get("acts", ())), str(t.get("then", "continue")), t.get("reply_role", "")
            )
            for t in data["turn"]
        )
        out.append(Script(f"{part}/{path.stem}", path, data["scenario"], dict(data.get("plan", {})), turns))
    return out


def _plan_toml(plan: dict) -> str:
    lines = []
    for key, value in plan.items():
        if isinstance(value, dt.date):
            lines.append(f"{key} = {value.isoformat()}")
        elif isinstance(value, list):
            lines.append(f"{key} = [{', '.join(_quote(v) for v in value)}]")
        else:
            lines.append(f"{key} = {_quote(str(value))}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_script(script: Script, tmp: Path) -> tuple[int, list[Event], str]:
    """Play the script through `rehearse practice --text`; returns the status, the call's events and stderr."""
    plan_path = tmp / "plan.toml"
    plan_path.write_text(_plan_toml(script.plan), encoding="utf-8")
    typed = [t.say for t in script.turns] + [SENTINEL]
    env = Environment(stdin=io.StringIO("\n".join(typed) + "\n"), stdout=io.StringIO(), stderr=io.StringIO())
    env.recordings = tmp / "recordings"
    args = ["practice", "--text", "--no-timing", "--plan", str(plan_path), "--scenario", script.scenario]
    status = main(args, env)
    return int(status), parse(env.stdout.getvalue()), env.stderr.getvalue()


def parse(out: str) -> list[Event]:
    """The call as printed: 'You:' lines and the other side's lines (run with COLUMNS wide enough not to wrap)."""
    events: list[Event] = []
    for raw in out.splitlines():
        m = LINE_RE.match(raw.strip())
        if m:
            who = "you" if m.group(1) == "You" else ROLES[m.group(1)]
            events.append(Event(who, m.group(2).replace("(beep)", "").strip()))
    return events


def replies(events: list[Event]) -> list[list[Event]]:
    """The other side's lines after each candidate line, in order (index 0 = after the first line)."""
    out: list[list[Event]] = []
    for ev in events:
        if ev.who == "you":
            out.append([])
        elif out:
            out[-1].append(ev)
    return out


def timeframe_forms(timeframe: str) -> tuple[str, ...]:
    """What counts as saying the plan's timeframe: its words without a leading preposition, or a date said aloud."""
    words = timeframe.strip().split()
    while words and words[0].lower() in PREPOSITIONS:
        words.pop(0)
    core = " ".join(words).lower()
    forms = [core]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", core):
        d = dt.date.fromisoformat(core)
        forms += [f"{d.day} {MONTHS[d.month - 1]}", f"{MONTHS[d.month - 1]} {d.day}"]
    return tuple(forms)


def check(script: Script, events: list[Event]) -> list[str]:
    """Every expectation the printed call breaks; [] when it passes."""
    problems: list[str] = []
    said = [e.text for e in events if e.who == "you"]
    after = replies(events)
    consumed = len(said)
    for i, turn in enumerate(script.turns):
        if i >= consumed:
            break
        reply = after[i] if i < len(after) else []
        goes_on = consumed > i + 1
        if turn.then == "continue" and not goes_on:
            problems.append(f"turn {i + 1}: the call ended after {turn.say!r} (then = continue)")
        if turn.then == "end":
            if goes_on:
                problems.append(f"turn {i + 1}: the call went on after {turn.say!r} (then = end)")
            if not any(LEAVE_RE.search(e.text) for e in reply):
                problems.append(f"turn {i + 1}: no leave-taking after the candidate ended the call")
        if "timing_question" in turn.acts and script.scenario != "voicemail":  # a mailbox cannot answer
            problems += _timing_problems(i, script, reply)
        if (
            turn.reply_role
            and reply
            and reply[0].who != turn.reply_role
            and turn.reply_role not in {e.who for e in reply}
        ):
            problems.append(f"turn {i + 1}: reply by {reply[0].who}, expected {turn.reply_role}")
        if turn.reply_role and not reply and goes_on:
            problems.append(f"turn {i + 1}: no reply, expected the {turn.reply_role}")
    other = [e.text for e in events if e.who != "you"]
    problems += [f"said twice in a row: {a!r}" for a, b in itertools.pairwise(other) if a == b]
    return problems


def _timing_problems(i: int, script: Script, reply: list[Event]) -> list[str]:
    text = " ".join(e.text for e in reply).lower()
    timeframe = str(script.plan.get("timeframe", ""))
    if timeframe.strip():
        if not any(form and form in text for form in timeframe_forms(timeframe)):
            return [f"turn {i + 1}: timing question answered without {timeframe!r}: {text!r}"]
    elif not TIME_RE.search(text):
        return [f"turn {i + 1}: timing question answered without a time: {text!r}"]
    return []
