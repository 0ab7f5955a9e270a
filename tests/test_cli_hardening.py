"""Broken inputs and a broken machine end in one line and exit 2, or are handled; never a traceback (issue 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rehearse.timing import parse_timeframe


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("rehearse: error:"), stderr
    return lines[0]


# --- timing: a timeframe past the calendar's end -------------------------------------------------------------

FAR_TIMEFRAMES = ("99999999999999 days", "99999999999999 business days", "9999-12-31", "999999999 weeks")


@pytest.mark.parametrize("timeframe", FAR_TIMEFRAMES)
def test_far_timeframe_is_not_a_usable_one(timeframe: str) -> None:
    assert parse_timeframe(timeframe, dt.date(2024, 1, 2)) is None


def test_timeframe_near_the_calendars_end_does_not_overflow() -> None:
    assert parse_timeframe("next week", dt.date(9999, 12, 30)) is None
    assert parse_timeframe("3 business days", dt.date(9999, 12, 30)) is None


def _plan(tmp_path: Path, timeframe: str, interview: str = "2024-01-02") -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(f'candidate = "Ann Lee"\ninterview_date = {interview}\ntimeframe = "{timeframe}"\n', "utf-8")
    return path


@pytest.mark.parametrize("timeframe", FAR_TIMEFRAMES)
def test_timing_with_a_far_timeframe(cli, tmp_path: Path, timeframe: str) -> None:
    r = cli("timing", "--plan", str(_plan(tmp_path, timeframe)), "--today", "2024-01-20")
    assert r.status == 0, r.stderr
    assert f'Could not read the timeframe "{timeframe}" as a date within a year' in r.stdout.replace("\n", " ")


@pytest.mark.parametrize("timeframe", FAR_TIMEFRAMES)
def test_practice_with_a_far_timeframe(cli, tmp_path: Path, timeframe: str) -> None:
    r = cli("practice", "--text", "--plan", str(_plan(tmp_path, timeframe)), stdin="Hello, this is Ann Lee.\n")
    assert r.status == 0, r.stderr
    assert "Could not read the timeframe" in r.stdout


def test_timing_on_the_last_day_of_the_calendar(cli, tmp_path: Path) -> None:
    r = cli("timing", "--plan", str(_plan(tmp_path, "next week", "9999-12-30")), "--today", "9999-12-31")
    assert r.status == 0, r.stderr
