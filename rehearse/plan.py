"""The call plan: who is calling whom, about what, and what was worrying the interviewer.

A plan makes the rubric concrete: "{candidate}" becomes the user's own name, "{skill}" their skills, and so on.
Every field but `candidate` is optional; a missing one simply leaves the matching generic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from rehearse.errors import InputFileError
from rehearse.textfiles import read_toml

PLAN_FIELDS = (
    "candidate",
    "interviewer",
    "position",
    "company",
    "interview_date",
    "timeframe",
    "skills",
    "concern",
    "contact_preference",
    "phone",
    "thank_you_sent",
)
_DATE_FIELDS = ("interview_date", "thank_you_sent")
TITLES = ("mr", "mrs", "ms", "miss", "dr", "prof", "mx")


@dataclass(frozen=True)
class Plan:
    """One follow-up call being rehearsed."""

    candidate: str  # the user's own name, as they would say it
    interviewer: str = ""  # who they will ask for, e.g. "Maribel Santos" or "Ms. Smith"
    position: str = ""  # the role applied for, e.g. "paralegal"
    company: str = ""
    interview_date: dt.date | None = None
    timeframe: str = ""  # what the interviewer said about hearing back: "10 days", "two weeks", "2026-12-04"
    skills: tuple[str, ...] = ()  # what the candidate wants to remind them of
    concern: str = ""  # the question or worry raised in the interview
    contact_preference: str = ""  # e.g. "phone", "email", "no calls before Friday"
    phone: str = ""  # the candidate's call-back number, for voicemails
    thank_you_sent: dt.date | None = None  # when the thank-you email went out, if it did
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # unknown keys, kept for round trips

    @property
    def first_name(self) -> str:
        return _first_name(self.candidate)

    def names(self, who: str) -> tuple[str, ...]:
        """Ways a person in the plan may be named aloud: full name, first name, title + surname, surname."""
        full = getattr(self, who)
        return name_variants(full) if full else ()

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "extra" and v not in ("", (), None)}
        data["skills"] = list(self.skills) if self.skills else None
        return {k: v for k, v in data.items() if v is not None}

    def to_json(self) -> dict[str, Any]:
        """The fields set, with dates as ISO strings: what a session manifest and the JSON report store."""
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.to_dict().items()}


def _first_name(full: str) -> str:
    parts = [p for p in full.replace(".", " ").split() if p.lower() not in TITLES]
    return parts[0] if parts else full


def name_variants(full: str) -> tuple[str, ...]:
    words = full.replace(".", " ").split()
    bare = [w for w in words if w.lower() not in TITLES]
    out: list[str] = [" ".join(words)]
    if bare and bare != words:
        out.append(" ".join(bare))
    if len(bare) > 1:
        out += [bare[0], bare[-1]]
        if words[0].lower() not in TITLES:
            out += [f"ms {bare[-1]}", f"mr {bare[-1]}"]
    seen: dict[str, None] = {}
    for v in out:
        seen.setdefault(v, None)
    return tuple(seen)


def load_plan(path: Path | str) -> Plan:
    """Read and validate a plan file; every problem becomes one InputFileError line."""
    path = Path(path)
    data = read_toml(path, "plan")
    _check_keys(data["plan"] if isinstance(data.get("plan"), dict) else data, path)
    return plan_from_dict(data, path=path)


def _check_keys(data: dict[str, Any], path: Path) -> None:
    """A misspelt key in the user's own plan is an error, not a field silently left out."""
    import difflib

    for key in data:
        if key in PLAN_FIELDS:
            continue
        close = difflib.get_close_matches(str(key), PLAN_FIELDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"a plan has {', '.join(PLAN_FIELDS)}"
        raise InputFileError(f"unknown key '{key}' ({hint})", path=path)


def plan_from_dict(data: dict[str, Any], *, path: Path | str | None = None) -> Plan:
    if "plan" in data and isinstance(data["plan"], dict):
        data = data["plan"]
    candidate = data.get("candidate")
    if not isinstance(candidate, str) or not candidate.strip():
        raise InputFileError('the plan needs candidate = "Your Name"; add that line', path=path)
    values: dict[str, Any] = {"candidate": candidate.strip()}
    for name in PLAN_FIELDS[1:]:
        if name in data:
            values[name] = _field_value(name, data[name], path)
    known = {f.name for f in fields(Plan)}
    values["extra"] = {k: v for k, v in data.items() if k not in known}
    return Plan(**values)


def _field_value(name: str, value: Any, path: Path | str | None) -> Any:
    if name == "skills":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise InputFileError('skills must be a list of strings, e.g. skills = ["Excel", "scheduling"]', path=path)
        return tuple(s.strip() for s in value if s.strip())
    if name in _DATE_FIELDS:
        return _date_value(name, value, path)
    if not isinstance(value, str | int):
        raise InputFileError(f'{name} must be text, e.g. {name} = "..."', path=path)
    return str(value).strip()


def _date_value(name: str, value: Any, path: Path | str | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputFileError(f"{name} must be a date like {name} = 2026-11-20", path=path)


def save_plan(plan: Plan, path: Path | str) -> Path:
    """Write a plan as TOML, atomically, so a half-written plan never replaces a good one."""
    import tomli_w

    from rehearse.textfiles import atomic_write_text

    return atomic_write_text(Path(path), tomli_w.dumps(plan.to_dict()))


def sample_plan() -> Plan:
    from rehearse.resources import prompts_dir

    return load_plan(prompts_dir() / "plans" / "sample.toml")
