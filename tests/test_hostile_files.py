"""Hostile and broken files: manifests, --output targets, unbounded reads, permissions, the newest session.

Each case ends in exit 0, or exit 2 with one line and no traceback; nothing outside the session folder is read,
replaced or embedded.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehearse import store
from rehearse.codec import score_from_report
from rehearse.errors import InputFileError, SessionError
from rehearse.textfiles import read_text_file
from rehearse.values import Audio, Session, Turn
from tests.conftest import ANSWERS, SAMPLE_PLAN

SECRET = b"root:$6$not-really-a-hash:19000:0:99999:7:::\n"


def _manifest(tmp_path: Path, sid: str) -> dict[str, Any]:
    return json.loads((tmp_path / "recordings" / sid / "manifest.json").read_text())


def _one_line_error(r: Any) -> None:
    assert r.status == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _deep(n: int) -> str:
    return "[" * n + "]" * n


# (what the issue found, how the manifest is damaged): raw JSON text, or a (path, value) replacement
DAMAGE: dict[str, Any] = {
    "scores-is-text": (("scores",), "abc"),
    "start-is-NaN-text": (("turns", 0, "start"), "NaN"),
    "start-is-NaN": "NaN-literal",
    "short-words-entry": (("turns", 1, "words"), [["hi"]]),
    "unknown-speaker": (("turns", 0, "speaker"), "alien"),
    "deep-nesting": "deep",
    "moderately-deep-plan": (("plan", "extra"), json.loads(_deep(200))),
    "audio-traversal": (("turns", 0, "audio"), "../../../../etc/shadow"),
    "audio-absolute": (("turns", 0, "audio"), "/etc/shadow"),
    "audio-subfolder": (("turns", 0, "audio"), "x/turn-000-interviewer.wav"),
    "audio-other-name": (("turns", 0, "audio"), "notes.txt"),
    "recording-traversal": (("recording",), "../../../etc/shadow"),
    "recording-finished-name": (("recording",), "turn-001-candidate.wav"),
    "overall-is-text": (("scores", 0, "report", "overall"), "abc"),
    "section-missing": (("scores", 0, "report", "sections"), [{}]),
    "mode-unknown": (("mode",), "telepathy"),
    "complete-is-text": (("complete",), "yes"),
    "plan-skills-number": (("plan", "skills"), 7),
    "index-is-float": (("turns", 0, "index"), 0.5),
    "infinite-end": (("turns", 0, "end"), 1e400),
}


def _damaged(good: dict[str, Any], case: str) -> str:
    how = DAMAGE[case]
    if how == "NaN-literal":
        return json.dumps(good).replace('"start": 0.0', '"start": NaN', 1)
    if how == "deep":
        return json.dumps({**good, "plan": "@"}).replace('"@"', _deep(100_000))
    path, value = how
    return json.dumps(_set(good, path, value))


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_malformed_manifest_is_one_line_and_the_folder_still_lists(
    cli, typed_session: str, tmp_path: Path, case: str
) -> None:
    good = _manifest(tmp_path, typed_session)
    folder = tmp_path / "recordings" / "20200101-000000-000"
    folder.mkdir()
    (folder / "manifest.json").write_text(_damaged(good, case))
    for command in ("show", "report", "replay"):
        args = [command, folder.name] + (["--no-audio"] if command == "replay" else [])
        _one_line_error(cli(*args))
    with pytest.raises(SessionError):
        store.load(tmp_path / "recordings", folder.name)
    listing = cli("sessions")
    assert listing.status == 0, listing.stderr
    assert typed_session in listing.stdout and "unreadable" in listing.stdout
    history = cli("history")
    assert history.status == 0 and "Traceback" not in history.stderr


def test_html_report_never_embeds_a_file_outside_the_session(cli, typed_session: str, tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_bytes(SECRET)
    folder = tmp_path / "recordings" / typed_session
    # A path in the manifest is refused outright ...
    data = _set(_manifest(tmp_path, typed_session), ("turns", 0, "audio"), str(secret))
    (folder / "manifest.json").write_text(json.dumps(data))
    _one_line_error(cli("report", typed_session, "--format", "html", "--output", str(tmp_path / "r.html")))
    assert not (tmp_path / "r.html").exists()
    # ... and a valid name that is a symbolic link out of the folder is not followed.
    data = _set(data, ("turns", 0, "audio"), "turn-000-interviewer.wav")
    (folder / "manifest.json").write_text(json.dumps(data))
    (folder / "turn-000-interviewer.wav").symlink_to(secret)
    r = cli("report", typed_session, "--format", "html")
    assert r.status == 0, r.stderr
    assert base64.b64encode(SECRET).decode()[:24] not in r.stdout


@pytest.mark.parametrize("case", ["scores-is-text", "start-is-NaN-text", "recording-traversal", "deep-nesting"])
def test_import_validates_the_whole_manifest(cli, typed_session: str, tmp_path: Path, case: str) -> None:
    z = tmp_path / "hostile.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("manifest.json", _damaged(_manifest(tmp_path, typed_session), case))
    _one_line_error(cli("import", str(z)))
    assert store.session_ids(tmp_path / "recordings") == [typed_session]
    assert not [p for p in (tmp_path / "recordings").iterdir() if p.name.startswith(".import-")]


# --- the property: any mutation of a manifest loads or is one SessionError --------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _good_manifest() -> dict[str, Any]:
    from rehearse.codec import report_dict
    from rehearse.plan import load_plan
    from rehearse.scoring.scorer import score_call

    plan = load_plan(Path(SAMPLE_PLAN))
    with tempfile.TemporaryDirectory() as tmp:
        rec = store.SessionRecorder.create(Path(tmp), Session("", "2026-11-26T10:00:00", "receptive", "spoken"))
        rec.start(Session("", "2026-11-26T10:00:00", "receptive", "spoken", plan=plan.to_json()))
        rec.add_turn(Turn(0, "interviewer", "Hello, Maribel speaking.", 0.0, 1.0), None)
        rec.add_turn(Turn(1, "candidate", ANSWERS, 1.0, 9.0), None)
        rec.recording = "turn-002-candidate.partial.wav"
        rec.finish(replace_score(rec.session, score_call(rec.session.candidate_utterances(), plan)))
        data = json.loads((rec.folder / "manifest.json").read_text())
    data["turns"][1]["words"] = [["Hi", 0.0, 0.2, 0.9], ["Maribel", 0.2, 0.6, 0.8]]
    data["turns"][0]["audio"] = "turn-000-interviewer.wav"
    assert data["scores"] and report_dict  # a scored session, so the reports are fuzzed too
    return data


def replace_score(session: Session, score: Any) -> Session:
    from dataclasses import replace

    return replace(session, score=score, complete=True)


GOOD = _good_manifest()
GOOD_PATHS = _paths(GOOD)


def _check_loads_or_refuses(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "20260101-000000-000"
        folder.mkdir()
        (folder / "manifest.json").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "replace"))
        (folder / "turn-000-interviewer.wav").write_bytes(b"RIFF")
        try:
            s = store.load(root, folder.name)
        except SessionError as exc:
            assert "\n" not in str(exc)
            return
        # What loaded is usable: every stored result decodes, every named file is a plain name in the folder.
        for entry in s.scores:
            score_from_report(entry["report"])
            assert isinstance(entry["why"], str) and isinstance(entry["scored_at"], str)
        for t in s.session.turns:
            assert "/" not in t.audio and ".." not in t.audio
        assert "/" not in s.partial


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(GOOD_PATHS), json_values, st.booleans())
def test_any_mutated_manifest_loads_or_is_one_session_error(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    data = copy.deepcopy(GOOD)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    _check_loads_or_refuses(json.dumps(data))  # floats include NaN and Infinity, written as bare NaN / Infinity


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | json_values.map(json.dumps))
def test_any_bytes_as_a_manifest_load_or_are_one_session_error(raw: bytes | str) -> None:
    _check_loads_or_refuses(raw)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(GOOD_PATHS), json_values)
def test_sessions_and_history_carry_on_past_any_mutated_manifest(cli, tmp_path: Path, path: Any, value: Any) -> None:
    root = tmp_path / "recordings"
    folder = root / f"20260101-000000-{len(list(root.iterdir())) if root.is_dir() else 0:03d}"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(_set(GOOD, path, value)))
    for command in ("sessions", "history"):
        r = cli(command)
        assert r.status == 0, r.stderr
        assert "Traceback" not in r.stderr


# --- --output -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "export", "history"])
def test_output_onto_a_symlink_is_refused_and_left_alone(cli, typed_session: str, tmp_path: Path, command) -> None:
    real = tmp_path / "real.txt"
    real.write_text("keep me")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    args = {
        "report": ["report", typed_session, "--format", "json"],
        "export": ["export", typed_session],
        "history": ["history", "--format", "html"],
    }[command]
    r = cli(*args, "--output", str(link))
    _one_line_error(r)
    assert "symbolic link; give the real path" in r.stderr
    assert link.is_symlink() and real.read_text() == "keep me"


@pytest.mark.parametrize("command", ["report", "export"])
def test_output_onto_a_fifo_or_device_is_refused(cli, typed_session: str, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = ["report", typed_session, "--format", "markdown"] if command == "report" else ["export", typed_session]
    for target in (fifo, Path("/dev/null")):
        before = os.lstat(target)
        _one_line_error(cli(*args, "--output", str(target)))
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)  # not replaced, even as root
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_output_to_a_regular_file_is_written_atomically(cli, typed_session: str, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old")
    assert cli("report", typed_session, "--format", "json", "--output", str(out)).status == 0
    assert json.loads(out.read_text())["schema"] == "rehearse.report/1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.json")] == []


# --- bounded reads --------------------------------------------------------------------------------------------


def test_text_symlink_to_dev_zero_is_refused_without_reading_it(cli, tmp_path: Path) -> None:
    link = tmp_path / "answer.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match="device or pipe"):
        read_text_file(link, what="transcript")
    _one_line_error(cli("score", str(link)))


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "answer.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="device or pipe"):
        read_text_file(fifo, what="transcript")


def test_read_stops_at_the_limit_whatever_st_size_says(tmp_path: Path) -> None:
    f = tmp_path / "t.txt"
    f.write_text("x" * 100)
    assert read_text_file(f, what="transcript", max_bytes=100) == "x" * 100
    with pytest.raises(InputFileError, match="too large"):
        read_text_file(f, what="transcript", max_bytes=99)


def test_oversized_manifest_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_MANIFEST_BYTES", 10)
    folder = tmp_path / "20260101-000000-000"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(GOOD))
    with pytest.raises(SessionError, match="too large"):
        store.load(tmp_path, folder.name)


# --- permissions ----------------------------------------------------------------------------------------------


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]}


def test_recordings_are_private(cli, tmp_path: Path, typed_session: str) -> None:
    old = os.umask(0o022)
    try:
        rec = store.SessionRecorder.create(
            tmp_path / "recordings", Session("", "2026-11-26T10:00:00", "receptive", "spoken")
        )
        rec.add_turn(Turn(0, "interviewer", "Hello.", 0.0, 1.0), Audio(np.full(1600, 0.1, dtype=np.float32)))
        partial = rec.begin_answer()
        partial.append(np.full(1600, 0.1, dtype=np.float32))
        z = tmp_path / "out.zip"
        assert cli("export", typed_session, "--output", str(z)).status == 0
        assert cli("import", str(z)).status == 0
        partial.close()
    finally:
        os.umask(old)
    modes = _modes(tmp_path / "recordings")
    assert (rec.folder / rec.recording).exists()
    for name, mode in modes.items():
        is_dir = (tmp_path / "recordings" / name).is_dir()
        assert mode == (0o700 if is_dir else 0o600), (name, oct(mode))
    assert len(store.session_ids(tmp_path / "recordings")) == 3


# --- the newest session ---------------------------------------------------------------------------------------


def test_last_is_the_newest_even_within_one_second(tmp_path: Path) -> None:
    made = [store.SessionRecorder.create(tmp_path, Session("", "", "receptive", "typed")).session.id for _ in range(8)]
    assert store.session_ids(tmp_path) == made
    assert store.resolve(tmp_path, "last").name == made[-1]
    assert store.load(tmp_path, "last").session.id == made[-1]
