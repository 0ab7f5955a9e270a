"""Scenario files: who answers, how they behave, and every kind of line they may say, in two or three phrasings.

A scenario (prompts/scenarios/NAME.toml) sets the stage the call starts in (reception, interviewer, voicemail),
the interviewer's style (receptive, concern, busy), its limits, and overrides any of the default lines in
prompts/responses.toml. Lines are data; the engine in interviewer.py only chooses which kind to say.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rehearse.errors import InputFileError
from rehearse.resources import prompts_dir
from rehearse.textfiles import read_text_file

DEFAULT_ROLE = "interviewer"
STAGES = ("reception", "interviewer", "voicemail")
STYLES = ("receptive", "concern", "busy")


ROLE_NAMES = {"interviewer": "Interviewer", "receptionist": "Receptionist", "voicemail": "Voicemail"}


@dataclass(frozen=True)
class Line:
    """One thing the other side says."""

    role: str  # "interviewer", "receptionist", "voicemail": picks the voice
    text: str
    sound: str = ""  # e.g. "beep" after a voicemail greeting
    asked: str = ""  # "concern" when the line asks about the interview's concern (values.ASKED_TOPICS)

    @property
    def who(self) -> str:
        """The name printed before the line: "Interviewer", "Receptionist", "Voicemail"."""
        return ROLE_NAMES.get(self.role, self.role.title())


Variant = tuple[Line, ...]  # one phrasing of a kind of response; usually one line, a put-through is two


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    opening: tuple[Line, ...]
    lines: dict[str, tuple[Variant, ...]]  # kind -> phrasings
    first_stage: str = "interviewer"
    style: str = "receptive"
    max_turns: int = 16  # answers before the interviewer wraps up
    budget_seconds: float = 0.0  # busy: wraps up after this much candidate speech (0 = no limit)
    ramble_words: int = 0  # busy: one typed answer longer than this is cut in on (0 = never)
    max_answer: float | None = None  # busy: seconds of one spoken answer before the listener cuts in
    message_lines: int = 12  # voicemail: the mailbox is full after this many typed lines


def _line(item: Any, role: str, where: str, path: Path) -> Line:
    if isinstance(item, str):
        return Line(role, item)
    if isinstance(item, dict) and isinstance(item.get("text", ""), str):
        return Line(str(item.get("role", role)), str(item.get("text", "")), str(item.get("sound", "")))
    raise InputFileError(f"{where}: each line is text or {{role = ..., text = ...}}", path=path)


def _variants(raw: Any, role: str, where: str, path: Path) -> tuple[Variant, ...]:
    items = raw if isinstance(raw, list) else [raw]
    out: list[Variant] = []
    for item in items:
        parts = item if isinstance(item, list) else [item]
        out.append(tuple(_line(p, role, where, path) for p in parts))
    if not out or not all(out):
        raise InputFileError(f"{where}: give at least one line", path=path)
    return tuple(out)


def _read(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text_file(path, what=what))
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"not valid TOML ({exc}); fix the line it names", path=path) from None


def _default_lines() -> dict[str, Any]:
    return dict(_read(prompts_dir() / "responses.toml", "responses").get("lines", {}))


def scenario_names() -> list[str]:
    return sorted(p.stem for p in (prompts_dir() / "scenarios").glob("*.toml"))


def load_scenario(name_or_path: str) -> Scenario:
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = prompts_dir() / "scenarios" / f"{name_or_path}.toml"
        if not path.exists():
            raise InputFileError(f"no scenario {name_or_path!r}; choose one of: {', '.join(scenario_names())}")
    data = _read(path, "scenario")
    role = str(data.get("role", DEFAULT_ROLE))
    if not data.get("opening"):
        raise InputFileError('a scenario needs opening = "..." (the first thing heard)', path=path)
    stage, style = str(data.get("first_stage", "interviewer")), str(data.get("style", "receptive"))
    if stage not in STAGES or style not in STYLES:
        raise InputFileError(f"first_stage is one of {STAGES} and style one of {STYLES}", path=path)
    raw = _default_lines() | dict(data.get("lines", {}))
    opening_role = "voicemail" if stage == "voicemail" else "receptionist" if stage == "reception" else role
    return Scenario(
        name=path.stem,
        title=str(data.get("title", path.stem)),
        description=str(data.get("description", "")),
        opening=_variants(data["opening"], opening_role, "opening", path)[0],
        lines={k: _variants(v, role, f"lines.{k}", path) for k, v in raw.items()},
        first_stage=stage,
        style=style,
        max_turns=int(data.get("max_turns", 16)),
        budget_seconds=float(data.get("budget_seconds", 0.0)),
        ramble_words=int(data.get("ramble_words", 0)),
        max_answer=float(data["max_answer"]) if "max_answer" in data else None,
        message_lines=int(data.get("message_lines", 12)),
    )
