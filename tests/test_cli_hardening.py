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


# --- disk full -------------------------------------------------------------------------------------------------


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, good_writes: int) -> None:
    """Every atomic write after the first `good_writes` gets half its data out, then 'No space left on device'."""
    import errno

    from rehearse import textfiles

    real = textfiles.atomic_write
    count = {"n": 0}

    def atomic_write(path, write):
        count["n"] += 1
        if count["n"] <= good_writes:
            return real(path, write)

        def half_then_full(fh):
            fh.write(b"{")
            raise OSError(errno.ENOSPC, "No space left on device")

        return real(path, half_then_full)

    monkeypatch.setattr(textfiles, "atomic_write", atomic_write)


def test_disk_full_during_typed_practice(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    _fill_disk_after(monkeypatch, good_writes=3)  # the new session, its header, the first turn
    r = cli("practice", "--text", stdin="Hello, this is Ann Lee.\nI am calling about the analyst role.\n")
    assert r.status == 2
    line = _one_error_line(r.stderr)
    recordings = (tmp_path / "recordings").resolve()
    assert f"no space left in {recordings}" in line and "free" in line and "needs about" in line
    assert "Traceback" not in r.stderr + r.stdout
    (folder,) = recordings.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())  # what was written before is whole
    assert manifest["id"] == folder.name
    assert not list(folder.glob(".*.tmp"))  # the half-written temp file is gone


def test_disk_full_writing_a_plan(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plans" / "plan.toml"
    target.parent.mkdir()
    target.write_text('candidate = "Old"\n', "utf-8")
    _fill_disk_after(monkeypatch, good_writes=0)
    r = cli("plan", "init", str(target), "--candidate", "Ann Lee", "--force")
    assert r.status == 2
    assert f"no space left in {target.parent.resolve()}" in _one_error_line(r.stderr)
    assert target.read_text("utf-8") == 'candidate = "Old"\n'


def test_disk_full_behind_another_error_is_still_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from rehearse.commands import basic

    def score(*_args, **_kwargs):
        try:
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        except OSError:
            raise RuntimeError("the clean-up failed too") from None

    monkeypatch.setattr(basic.app, "score_file", score)
    r = cli("score", "whatever.txt")
    # `from None` hides the cause from the traceback but keeps it as the context
    assert r.status == 2
    assert "the disk quota is used up" in _one_error_line(r.stderr)


def test_other_errors_are_not_taken_for_a_full_disk(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from rehearse.commands import basic

    def score(*_args, **_kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(basic.app, "score_file", score)
    with pytest.raises(OSError, match="Input/output"):
        cli("score", "whatever.txt")


# --- a practice that never started -----------------------------------------------------------------------------


def _no_device(*_args, **_kwargs):
    from rehearse.errors import DeviceError

    raise DeviceError("PortAudio is not installed, so no microphone or speaker can be used")


def _no_model(*_args, **_kwargs):
    from rehearse.errors import EngineError

    raise EngineError("the speech model cannot be loaded")


@pytest.mark.parametrize(("where", "fake"), [("live_devices", _no_device), ("make_transcriber", _no_model)])
def test_practice_that_never_started_leaves_no_session(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, fake
) -> None:
    import contextlib

    from rehearse import practice

    if where == "make_transcriber":  # the devices open, then the model fails
        monkeypatch.setattr(practice, "live_devices", lambda _settings: contextlib.nullcontext((None, None)))
    monkeypatch.setattr(practice, where, fake)
    before = cli("practice", "--text", stdin="Hello, this is Ann Lee.\n")  # a session that did happen
    assert before.status == 0
    r = cli("practice", "--no-timing")
    assert r.status == 2
    _one_error_line(r.stderr)
    assert len(list((tmp_path / "recordings").iterdir())) == 1  # only the typed one
    (typed,) = (tmp_path / "recordings").iterdir()
    shown = cli("show", "last")
    assert shown.status == 0 and typed.name in shown.stdout  # `last` is still the rehearsal that happened


def test_demo_that_never_started_leaves_no_session(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rehearse import practice

    monkeypatch.setattr(practice, "make_transcriber", _no_model)
    r = cli("demo")
    assert r.status == 2
    _one_error_line(r.stderr)
    assert not (tmp_path / "recordings").exists() or not list((tmp_path / "recordings").iterdir())


# --- small things ----------------------------------------------------------------------------------------------


def _rehearse(*args: str, **kwargs):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "rehearse", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        **kwargs,
    )


def test_junk_mp3_is_one_line_with_no_decoder_noise(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 20)
    proc = _rehearse("score", str(junk))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert out == b""
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rehearse: error:"), err.decode()


def test_practice_into_a_closed_pipe_exits_0_quietly() -> None:
    proc = _rehearse("practice", "--text")
    assert proc.stdout is not None and proc.stdin is not None
    first = proc.stdout.readline()
    assert first.startswith(b"Type each answer")
    proc.stdout.close()  # `| head -1`
    _, err = proc.communicate(b"Hello, this is Ann Lee.\n" * 20, timeout=60)
    assert proc.returncode == 0
    assert err == b""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('candidate = "Ann"\nskils = ["Excel"]\n', "unknown key 'skils' (did you mean 'skills'?)"),
        ('[plan]\ncandidate = "Ann"\ninterveiwer = "Bob"\n', "unknown key 'interveiwer' (did you mean 'interviewer'?)"),
        ('candidate = "Ann"\nfavourite_colour = "blue"\n', "unknown key 'favourite_colour' (a plan has candidate,"),
    ],
)
def test_unknown_plan_key(cli, tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(toml, "utf-8")
    for args in (("timing", "--plan", str(path)), ("practice", "--text", "--plan", str(path))):
        r = cli(*args)
        assert r.status == 2
        assert f"{path}: {message}" in _one_error_line(r.stderr)
