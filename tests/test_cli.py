"""The command line as a user meets it: reports, exit statuses, and one clear line for every bad input."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, guide_example

SAMPLE_PLAN = str(ROOT / "prompts" / "plans" / "sample.toml")


@pytest.fixture
def call_file(tmp_path: Path, plan) -> Path:
    path = tmp_path / "call.txt"
    path.write_text("\n".join(guide_example(1, plan)) + "\n", encoding="utf-8")
    return path


def test_score_text_report(cli, call_file: Path) -> None:
    r = cli("score", str(call_file), "--plan", SAMPLE_PLAN)
    assert r.status == 0, r.stderr
    for title in ("Greeting and introduction", "Purpose of the call", "Closing", "Pitfalls", "Delivery"):
        assert title in r.stdout
    assert "Overall" in r.stdout
    assert "“This is Jordan" in r.stdout  # evidence quoted


def test_score_json_is_the_documented_contract(cli, call_file: Path) -> None:
    r = cli("score", str(call_file), "--plan", SAMPLE_PLAN, "--format", "json")
    data = json.loads(r.stdout)
    assert data["schema"] == "rehearse.report/1"
    assert [s["id"] for s in data["sections"]] == [
        "greeting",
        "purpose",
        "strengths",
        "questions",
        "next_steps",
        "closing",
    ]
    assert all(s["present"] for s in data["sections"])
    element = data["sections"][0]["elements"][0]
    assert set(element) >= {"id", "matched", "score", "evidence", "start", "end"}
    assert data["transcript"][element["start"] : element["end"]] == element["evidence"]
    assert {"in_order", "sequence"} <= set(data["order"])
    assert data["plan"]["candidate"] == "Jordan Avery"
    assert isinstance(data["pitfalls"], list)
    assert "wpm" in data["delivery"]


def test_score_markdown(cli, call_file: Path) -> None:
    r = cli("score", str(call_file), "--format", "markdown")
    assert r.stdout.startswith("# Follow-up call rehearsal")
    assert "| Greeting and introduction |" in r.stdout


def test_labelled_exchange_scores_only_the_candidate(cli, tmp_path: Path) -> None:
    path = tmp_path / "exchange.txt"
    path.write_text(
        "Interviewer: Thank you for your time, goodbye and have a great day.\n"
        "Me: Hello, this is Sam Reid, calling to follow up on my interview.\n",
        encoding="utf-8",
    )
    data = json.loads(cli("score", str(path), "--format", "json").stdout)
    assert "Interviewer" not in data["transcript"]
    closing = next(s for s in data["sections"] if s["id"] == "closing")
    assert not closing["present"]


@pytest.mark.parametrize("content", ["", "\n  \n", "# notes only\n"])
def test_empty_transcript_says_there_is_nothing_to_score(cli, tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    r = cli("score", str(path), "--format", "json")
    assert r.status == 2
    assert r.stdout == ""
    assert (
        r.stderr
        == f"rehearse: error: {path}: there is nothing to score: the transcript is empty (or only # comments)\n"
    )


def _bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Hello, this is Zo\xeb".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"hello " * (10 * 1024 * 1024 // 6))
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("candidate = \n", encoding="utf-8")
    incomplete = tmp_path / "incomplete.toml"
    incomplete.write_text('position = "analyst"\n', encoding="utf-8")
    wrong_type = tmp_path / "skills.toml"
    wrong_type.write_text('candidate = "A"\nskills = 3\n', encoding="utf-8")
    ok = tmp_path / "ok.txt"
    ok.write_text("Hello\n", encoding="utf-8")
    return {
        "missing": ["score", str(tmp_path / "nope.txt")],
        "directory": ["score", str(tmp_path)],
        "binary": ["score", str(binary)],
        "not utf-8": ["score", str(latin)],
        "10 MB": ["score", str(huge)],
        "malformed plan": ["score", str(ok), "--plan", str(bad_toml)],
        "incomplete plan": ["score", str(ok), "--plan", str(incomplete)],
        "wrong type": ["score", str(ok), "--plan", str(wrong_type)],
        "unknown scenario": ["practice", "--text", "--scenario", "nosuch"],
        "bad date": ["timing", "--plan", SAMPLE_PLAN, "--today", "tomorrow"],
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "directory",
        "binary",
        "not utf-8",
        "10 MB",
        "malformed plan",
        "incomplete plan",
        "wrong type",
        "unknown scenario",
        "bad date",
    ],
)
def test_bad_input_is_one_clear_line_and_status_2(cli, tmp_path: Path, case: str) -> None:
    r = cli(*_bad_inputs(tmp_path)[case])
    assert r.status == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("rehearse: error:")
    assert "Traceback" not in r.stderr


def test_bad_rubric_and_scenario_files(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = tmp_path / "prompts"
    (prompts / "scenarios").mkdir(parents=True)
    (prompts / "rubric.toml").write_text("version = 1\n[[sections]]\nid = 'greeting'\n", encoding="utf-8")
    (prompts / "words.toml").write_text("", encoding="utf-8")
    (prompts / "scenarios" / "broken.toml").write_text("title = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("REHEARSE_PROMPTS", str(prompts))
    ok = tmp_path / "ok.txt"
    ok.write_text("Hello\n", encoding="utf-8")
    for args in (["score", str(ok)], ["practice", "--text", "--scenario", "broken"]):
        r = cli(*args)
        assert r.status == 2, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert "toml" in r.stderr


def test_usage_error_is_status_2(cli) -> None:
    r = cli("score")
    assert r.status == 2


def test_typed_practice_runs_a_scenario_and_reports(cli) -> None:
    answers = "\n".join(
        [
            "Hi Maribel, this is Jordan Avery; I interviewed for the operations analyst role.",
            "I'm calling to follow up and to say I'm still very interested.",
            "My route planning experience fits your team well.",
            "Could you tell me what the next steps are?",
            "Thank you for your time, I look forward to hearing from you.",
        ]
    )
    r = cli("practice", "--text", "--plan", SAMPLE_PLAN, "--scenario", "receptive", stdin=answers + "\n")
    assert r.status == 0, r.stderr
    assert "Maribel speaking" in r.stdout  # the scenario's opening, filled from the plan
    assert "two weeks" in r.stdout  # the timeline answer to a next-steps question
    assert "Thank you for calling, Jordan" in r.stdout  # the closing ends the call
    assert "Overall" in r.stdout


def test_timing_command(cli) -> None:
    r = cli("timing", "--plan", SAMPLE_PLAN, "--today", "2026-11-18")
    assert r.status == 0
    assert "Wait until" in r.stdout
    r = cli("timing", "--plan", SAMPLE_PLAN, "--today", "2026-11-30")
    assert "good time to call" in r.stdout


def test_plan_init_from_flags_round_trips(cli, tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    r = cli(
        "plan",
        "init",
        str(path),
        "--candidate",
        "Ana Silva",
        "--interviewer",
        "Ms. Obi",
        "--skill",
        "Excel",
        "--skill",
        "payroll",
        "--interview-date",
        "2026-11-02",
    )
    assert r.status == 0, r.stderr
    from rehearse.plan import load_plan

    plan = load_plan(path)
    assert plan.candidate == "Ana Silva"
    assert plan.skills == ("Excel", "payroll")
    assert str(plan.interview_date) == "2026-11-02"
    assert cli("plan", "init", str(path), "--candidate", "X").status == 2  # no silent overwrite


def test_help_is_fast_to_import_and_works_without_heavy_modules() -> None:
    heavy = "{'faster_whisper', 'sounddevice', 'rich', 'numpy', 'ctranslate2'}"
    code = (
        "import sys, rehearse.cli; rehearse.cli.build_parser(); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_module_entry_point_help() -> None:
    r = subprocess.run([sys.executable, "-m", "rehearse", "--help"], check=False, capture_output=True, text=True)
    assert r.returncode == 0
    assert "practice" in r.stdout and "score" in r.stdout


def test_debug_log_records_the_loop_and_a_bad_path_is_ignored(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from rehearse.environment import DEBUG_LOG_ENV

    log = tmp_path / "call.log"
    before = list(logging.getLogger("rehearse").handlers)
    try:
        full = [Path("/dev/full")] if Path("/dev/full").exists() else []  # every write fails: disk full
        for path in (log, tmp_path, *full):  # a file, a folder that cannot be opened as one, a full disk
            monkeypatch.setenv(DEBUG_LOG_ENV, str(path))
            r = cli("practice", "--text", "--scenario", "receptive", stdin="Hello, this is Jordan Avery.\n\n")
            assert r.status == 0, r.stderr
    finally:
        for handler in set(logging.getLogger("rehearse").handlers) - set(before):
            logging.getLogger("rehearse").removeHandler(handler)
            with contextlib.suppress(OSError):  # /dev/full fails its last flush too (logging.shutdown ignores it)
                handler.close()
    assert "answer ended: 'Hello, this is Jordan Avery.'" in log.read_text()
    assert "Logging error" not in capsys.readouterr().err
