"""The follow-up calls really made, kept beside the plan (plan.toml -> plan.calls.json), so `timing` can warn
before a second call within a week. The guide: one well-timed call is usually enough.

The file is small JSON written atomically; one that is not ours, or is damaged, is one line naming it, never
silently replaced (it holds the user's own record).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
from dataclasses import dataclass
from pathlib import Path

from rehearse.errors import InputFileError

SCHEMA = "rehearse.calls/1"
MAX_BYTES = 256 * 1024  # thousands of calls; a follow-up log holds one or two
SUFFIX = ".calls.json"


@dataclass(frozen=True)
class CallMade:
    day: dt.date
    time: dt.time | None = None  # None when only the day was given (`--today 2026-11-27`)

    def to_json(self) -> str:
        return self.day.isoformat() + (f"T{self.time:%H:%M}" if self.time else "")

    def describe(self) -> str:
        return f"{self.day:%A} {self.day.day} {self.day:%B}" + (f" at {self.time:%H:%M}" if self.time else "")


def log_path(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.stem + SUFFIX)


def read_calls(plan_path: Path) -> tuple[CallMade, ...]:
    """The calls recorded for this plan, oldest first; none when there is no log yet."""
    from rehearse.textfiles import read_bounded

    path = log_path(plan_path)
    if not path.exists() and not path.is_symlink():
        return ()
    raw = read_bounded(path, what="call log", max_bytes=MAX_BYTES)
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("calls"), list):
            raise ValueError("not a call log")
        calls = tuple(_call_from(c) for c in data["calls"])
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
        raise InputFileError(
            "is not a call log rehearse wrote (or it is damaged); move it aside and run `rehearse timing --called` "
            "again",
            path=path,
        ) from None
    return tuple(sorted(calls, key=lambda c: (c.day, c.time or dt.time())))


def _call_from(value: object) -> CallMade:
    text = value.get("at") if isinstance(value, dict) else None
    if not isinstance(text, str) or len(text) > 32:
        raise ValueError("a call needs at")
    if "T" in text:
        moment = dt.datetime.fromisoformat(text)
        return CallMade(moment.date(), moment.time().replace(second=0, microsecond=0))
    return CallMade(dt.date.fromisoformat(text))


def record_call(plan_path: Path, call: CallMade) -> tuple[Path, tuple[CallMade, ...]]:
    """Add a call to the log, atomically; returns the log's path and every call in it."""
    from rehearse.textfiles import atomic_write_text, output_target

    calls = (*read_calls(plan_path), call)
    path = output_target(log_path(plan_path), "the call log")
    data = {"schema": SCHEMA, "calls": [{"at": c.to_json()} for c in calls]}
    try:
        atomic_write_text(path, json.dumps(data, indent=1) + "\n")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise  # the CLI's disk-full line names the folder and the space needed
        raise InputFileError(
            f"cannot write the call log here ({exc.strerror}); keep the plan in a folder you can write", path=path
        ) from None
    return path, calls
