"""Everything the CLI takes from the outside world, in one object the tests replace (HTTPie's pattern)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

RECORDINGS_ENV = "REHEARSE_RECORDINGS"
CACHE_ENV = "REHEARSE_CACHE"
# A file to which the spoken loop logs its timing (pauses, drafts, verdicts, playback): for diagnosing turn-taking.
DEBUG_LOG_ENV = "REHEARSE_DEBUG_LOG"


def _default_recordings() -> Path:
    env = os.environ.get(RECORDINGS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "recordings"


def _default_cache() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rehearse"


@dataclass
class Environment:
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    recordings: Path = field(default_factory=_default_recordings)  # where sessions are saved
    cache: Path = field(default_factory=_default_cache)  # synthesised speech, model checks
    today: dt.date = field(default_factory=dt.date.today)
    # The hour matters to `timing` (mid-morning, not Monday morning); None when only a day is known (--today DATE).
    time_of_day: dt.time | None = field(
        default_factory=lambda: dt.datetime.now().time().replace(second=0, microsecond=0)
    )
    colour: bool | None = None  # None: decide from the terminal
    debug_log: Path | None = field(default_factory=lambda: Path(p) if (p := os.environ.get(DEBUG_LOG_ENV)) else None)

    @property
    def stdin_isatty(self) -> bool:
        return bool(getattr(self.stdin, "isatty", lambda: False)())

    def console(self, stderr: bool = False) -> Console:  # rich is imported here, so it stays out of `--help`
        from rich.console import Console

        no_colour = self.colour is False or "NO_COLOR" in os.environ
        return Console(
            file=self.stderr if stderr else self.stdout,
            force_terminal=True if self.colour else None,
            no_color=no_colour,
            highlight=False,
            soft_wrap=False,
        )
