"""Property-based fuzzing of what a user hands the CLI: plans, rehearsal zips and typed answers.

Whatever comes in, a command ends in exit 0 or in exit 2 with one line on stderr: never a traceback, never a
file written outside the recordings folder it was given.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehearse.plan import PLAN_FIELDS

PLAN_KEYS = PLAN_FIELDS  # every field a plan may hold, so the fuzzer reaches each one's parser
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

text = st.text(max_size=60)  # any unicode, control characters and markup brackets included
plan_values = text | st.integers() | st.booleans() | st.lists(text, max_size=3) | st.dates() | st.floats()


def one_line_or_ok(result) -> None:  # a conftest.CliResult
    assert result.status in (0, 2), (result.status, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if result.status == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")} if folder.exists() else set()


@FUZZ
@given(st.dictionaries(st.sampled_from(PLAN_KEYS) | text, plan_values, max_size=6))
def test_any_plan_is_used_or_refused_in_one_line(cli, tmp_path: Path, data: dict) -> None:
    plan = tmp_path / "plan.toml"
    try:
        plan.write_text(tomli_w.dumps(data), encoding="utf-8")
    except (TypeError, ValueError):  # not expressible as TOML at all (e.g. NaN keys): nothing to hand over
        return
    commands = (
        ("timing", "--plan", str(plan)),
        ("practice", "--text", "--no-timing", "--plan", str(plan)),
        ("script", "--plan", str(plan)),
        ("script", "--voicemail", "--format", "markdown", "--plan", str(plan)),
        ("script", "--email", "--format", "html", "--plan", str(plan)),
    )
    for args in commands:
        one_line_or_ok(cli(*args, stdin="Good morning, this is Sam Lee.\nThank you, goodbye.\n"))


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["manifest.json", "turn-000-candidate.wav", "../evil", "/abs", "x"]),
            st.binary(max_size=200),
        ),
        max_size=4,
    )
)
def test_any_zip_is_imported_or_refused_in_one_line(cli, tmp_path: Path, members: list[tuple[str, bytes]]) -> None:
    archive = tmp_path / "rehearsal.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    archive.write_bytes(buffer.getvalue())
    outside = files_under(tmp_path) - files_under(tmp_path / "recordings")
    one_line_or_ok(cli("import", str(archive)))
    assert files_under(tmp_path) - files_under(tmp_path / "recordings") == outside  # nothing written outside


@FUZZ
@given(st.lists(text, min_size=1, max_size=5))
def test_any_typed_answers_make_a_saved_scored_rehearsal(cli, tmp_path: Path, answers: list[str]) -> None:
    lines = "".join(a.replace("\n", " ").replace("\r", " ") + "\n" for a in answers)
    result = cli("practice", "--text", "--no-timing", stdin=lines)
    one_line_or_ok(result)
    assert result.status == 0
    assert "\x1b" not in result.stdout  # what was typed is echoed as text, never as terminal control
