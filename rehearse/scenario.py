"""The interviewer's side of the call, driven by a scenario file in prompts/scenarios/.

A scenario is data: opening lines, then rules tried in order after each answer. A rule fires when its conditions
hold — sections said or still missing (judged by the same scorer as the report), plan fields present, words
mentioned, the stage of the call — and says its lines. The same engine drives typed and spoken rehearsals.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from rehearse.errors import InputFileError
from rehearse.plan import TITLES, Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.matcher import expand, plan_values
from rehearse.scoring.rubric import Rubric, load_rubric
from rehearse.scoring.scorer import score_call
from rehearse.scoring.text import normalise_phrase
from rehearse.scoring.wording import fill
from rehearse.textfiles import read_text_file
from rehearse.values import SECTION_IDS

MENTION_THRESHOLD = 85  # how closely a name must be heard ("Maribel" vs "Marabel") to count as mentioned
DEFAULT_ROLE = "interviewer"


@dataclass(frozen=True)
class Line:
    """One thing the other side says."""

    role: str  # "interviewer", "receptionist", "voicemail": picks the voice
    text: str
    sound: str = ""  # e.g. "beep" after a voicemail greeting


@dataclass(frozen=True)
class ListenPolicy:
    """What the listener should expect of the next answer."""

    end_silence: float | None = None  # seconds of silence that end it; None = the listener's own judgement
    max_answer: float | None = None  # cut in after this many seconds; None = the listener's default


@dataclass(frozen=True)
class Rule:
    id: str
    lines: tuple[Line, ...]  # unfilled templates
    if_missing: tuple[str, ...] = ()  # sections not yet said in this stage of the call
    if_covered: tuple[str, ...] = ()  # sections already said in this stage
    if_said: tuple[str, ...] = ()  # sections said in the latest answer
    if_plan: tuple[str, ...] = ()  # plan fields that must be filled
    unless_plan: tuple[str, ...] = ()  # plan fields that must be empty
    if_mentions: tuple[str, ...] = ()  # phrases (with placeholders) heard in the latest answer
    stage: str = ""  # only in this stage ("" = any)
    set_stage: str = ""
    after_turn: int = 0  # only from this answer on (1 = after the first answer)
    once: bool = True
    end: bool = False  # the call ends after these lines


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    opening: tuple[Line, ...]
    rules: tuple[Rule, ...]
    fallback: tuple[Line, ...]  # said in turn when no rule fires
    wrap_up: tuple[Line, ...]  # said when max_turns answers have been given; may be empty
    max_turns: int = 8
    first_stage: str = ""


def _lines(raw: Any, default_role: str, where: str, path: Path) -> tuple[Line, ...]:
    items = raw if isinstance(raw, list) else [raw] if raw not in (None, "") else []
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Line(default_role, item))
        elif isinstance(item, dict) and isinstance(item.get("text", ""), str):
            out.append(Line(str(item.get("role", default_role)), str(item.get("text", "")), str(item.get("sound", ""))))
        else:
            raise InputFileError(f"{where}: each line is text or {{role = ..., text = ...}}", path=path)
    return tuple(out)


def _tuple(data: dict[str, Any], key: str, where: str, path: Path, allowed: tuple[str, ...] = ()) -> tuple[str, ...]:
    value = data.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputFileError(f"{where}: {key} must be a list of strings", path=path)
    bad = [v for v in value if allowed and v not in allowed]
    if bad:
        raise InputFileError(f"{where}: {key} names unknown section {bad[0]!r} (use {', '.join(allowed)})", path=path)
    return tuple(value)


def _rule(data: dict[str, Any], index: int, role: str, path: Path) -> Rule:
    rid = str(data.get("id", f"rule {index + 1}"))
    where = f"rule {rid!r}"
    lines = _lines(data.get("say", data.get("lines")), str(data.get("role", role)), where, path)
    if not lines and not data.get("end"):
        raise InputFileError(f'{where} says nothing and does not end the call; add say = "..."', path=path)
    return Rule(
        id=rid,
        lines=lines,
        if_missing=_tuple(data, "if_missing", where, path, SECTION_IDS),
        if_covered=_tuple(data, "if_covered", where, path, SECTION_IDS),
        if_said=_tuple(data, "if_said", where, path, SECTION_IDS),
        if_plan=_tuple(data, "if_plan", where, path),
        unless_plan=_tuple(data, "unless_plan", where, path),
        if_mentions=_tuple(data, "if_mentions", where, path),
        stage=str(data.get("stage", "")),
        set_stage=str(data.get("set_stage", "")),
        after_turn=int(data.get("after_turn", 0)),
        once=bool(data.get("once", True)),
        end=bool(data.get("end", False)),
    )


def scenario_names() -> list[str]:
    return sorted(p.stem for p in (prompts_dir() / "scenarios").glob("*.toml"))


def load_scenario(name_or_path: str) -> Scenario:
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = prompts_dir() / "scenarios" / f"{name_or_path}.toml"
        if not path.exists():
            raise InputFileError(f"no scenario {name_or_path!r}; choose one of: {', '.join(scenario_names())}")
    try:
        data = tomllib.loads(read_text_file(path, what="scenario"))
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"not valid TOML ({exc}); fix the line it names", path=path) from None
    role = str(data.get("role", DEFAULT_ROLE))
    opening = _lines(data.get("opening"), role, "opening", path)
    if not opening:
        raise InputFileError('a scenario needs opening = "..." (the first thing heard)', path=path)
    return Scenario(
        name=path.stem,
        title=str(data.get("title", path.stem)),
        description=str(data.get("description", "")),
        opening=opening,
        rules=tuple(_rule(r, i, role, path) for i, r in enumerate(data.get("rules", []))),
        fallback=_lines(data.get("fallback", "Is there anything else?"), role, "fallback", path),
        wrap_up=_lines(data.get("wrap_up"), role, "wrap_up", path),
        max_turns=int(data.get("max_turns", 8)),
        first_stage=str(data.get("first_stage", "")),
    )


@dataclass
class Interviewer:
    """Plays one scenario for one plan. Not frozen: it is the one stateful thing in a rehearsal."""

    scenario: Scenario
    plan: Plan | None
    rubric: Rubric = field(default_factory=load_rubric)
    answers: list[str] = field(default_factory=list)
    stage: str = ""
    stage_from: int = 0  # index of the first answer of the current stage
    used: set[str] = field(default_factory=set)
    fallbacks: int = 0
    ended: bool = False

    def __post_init__(self) -> None:
        self.stage = self.scenario.first_stage

    def opening(self) -> list[Line]:
        return [self._fill(line) for line in self.scenario.opening]

    def listen_policy(self) -> ListenPolicy:
        # A voicemail message has thinking pauses: only a long silence ends it.
        return ListenPolicy(end_silence=3.0) if self.scenario.max_turns == 1 else ListenPolicy()

    def respond(self, answer: str) -> list[Line]:
        """The reply to one answer; after the last reply `ended` is True."""
        self.answers.append(answer)
        covered = set(score_call(self.answers[self.stage_from :], self.plan, self.rubric).present)
        said = set(score_call([answer], self.plan, self.rubric).present) if answer.strip() else set()
        for rule in self.scenario.rules:
            if self._fires(rule, covered, said, answer):
                return self._apply(rule)
        if len(self.answers) >= self.scenario.max_turns:
            self.ended = True
            return [self._fill(line) for line in self.scenario.wrap_up]
        line = self.scenario.fallback[self.fallbacks % len(self.scenario.fallback)]
        self.fallbacks += 1
        return [self._fill(line)]

    def _fires(self, rule: Rule, covered: set[str], said: set[str], answer: str) -> bool:
        plan = self.plan
        return (
            not (rule.once and rule.id in self.used)
            and (not rule.stage or rule.stage == self.stage)
            and len(self.answers) >= rule.after_turn
            and not covered.intersection(rule.if_missing)
            and covered.issuperset(rule.if_covered)
            and said.issuperset(rule.if_said)
            and all(plan is not None and getattr(plan, f, "") for f in rule.if_plan)
            and not any(plan is not None and getattr(plan, f, "") for f in rule.unless_plan)
            and all(self._mentioned(p, answer) for p in rule.if_mentions)
        )

    def _mentioned(self, phrase: str, answer: str) -> bool:
        words = self.rubric.words
        heard = normalise_phrase(answer, words)
        options = (normalise_phrase(o, words) for o in expand(phrase, plan_values(self.plan)))
        return any(o and fuzz.partial_ratio(o, heard) >= MENTION_THRESHOLD for o in options)

    def _apply(self, rule: Rule) -> list[Line]:
        self.used.add(rule.id)
        if rule.set_stage:
            self.stage, self.stage_from = rule.set_stage, len(self.answers)
        self.ended = rule.end
        return [self._fill(line) for line in rule.lines]

    def _fill(self, line: Line) -> Line:
        extra = {
            "interviewer_first": _first(self.plan.interviewer) if self.plan and self.plan.interviewer else "",
            "candidate_first": self.plan.first_name if self.plan else "",
        }
        text = fill(line.text, self.plan, {k: v for k, v in extra.items() if v} or None)
        return Line(line.role, _tidy(text), line.sound)


def _first(name: str) -> str:
    # "Maribel Santos" answers as "Maribel"; "Ms. Smith" stays "Ms. Smith".
    words = name.split()
    return words[0] if len(words) > 1 and words[0].rstrip(".").lower() not in TITLES else name


def _tidy(text: str) -> str:
    # Placeholders the plan could not fill read as "[their name]"; a spoken line should just leave them out.
    import re

    text = re.sub(r",?\s*\[[^\]]*\]", "", text)
    text = re.sub(r"\{\w+\}", "", text)
    return re.sub(r"\s+([,.!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
