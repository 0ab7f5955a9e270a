"""Text from users, plans, transcripts and imported sessions reaches the terminal as plain text (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rehearse.report.plain import clean, line, plain

HOSTILE = (
    "\x1b]0;pwned\x07",  # window title
    "\x1b]2;pwned\x1b\\",  # window title, ST-terminated
    "\x1b[2J",  # clear the screen
    "\x1b[H",  # cursor home
    "\x1bc",  # reset the terminal
    "\x9b2J",  # an 8-bit CSI
    "\x1bP+q\x1b\\",  # a DCS query
    "\r",
    "\x08",
    "\u202e",  # right-to-left override
)


@pytest.mark.parametrize("bad", HOSTILE)
def test_clean_removes_escape_sequences_and_controls(bad: str) -> None:
    # An 8-bit CSI loses its introducer; the "2J" left behind is harmless text.
    assert clean(f"Ann{bad}Lee") == ("Ann2JLee" if bad == "\x9b2J" else "AnnLee")


def test_clean_keeps_ordinary_text() -> None:
    text = "Hi [/b] there — [laughs] :smile: café 100% \\ ok\nnext"
    assert clean(text) == text
    assert clean("a\tb") == "a b"


def test_plain_and_line_are_never_markup() -> None:
    assert plain("Hi [/b] there").plain == "Hi [/b] there"
    assert line(("You:", "bold"), " ", "[laughs]\x1b[2J").plain == "You: [laughs]"


def _answers_saved(recordings: Path) -> list[str]:
    (manifest,) = recordings.glob("*/manifest.json")
    return [t["text"] for t in json.loads(manifest.read_text())["turns"] if t["speaker"] == "candidate"]


def test_typed_markup_is_shown_and_kept(cli, tmp_path: Path) -> None:
    r = cli("practice", "--text", stdin="Hi [/b] there\n[laughs] :smile: [bold]me[/bold]\n")
    assert r.status == 0, r.stderr
    assert "You: Hi [/b] there" in r.stdout
    assert "You: [laughs] :smile: [bold]me[/bold]" in r.stdout
    assert _answers_saved(tmp_path / "recordings")[:2] == ["Hi [/b] there", "[laughs] :smile: [bold]me[/bold]"]


def test_typed_escape_sequences_are_not_echoed(cli) -> None:
    r = cli("practice", "--text", stdin="Hello\x1b]0;pwned\x07 I am Ann\x1b[2J\n")
    assert r.status == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "You: Hello I am Ann" in r.stdout


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(
        'candidate = "Ann \\u001b]0;pwned\\u0007[bold]Lee"\n'
        'interviewer = "Bob [/] Ray\\u001b[2J"\n'
        'position = "analyst\\u001bc"\n'
        "interview_date = 2024-01-02\n"
        'timeframe = "two weeks [/i]\\u001b[2J"\n',
        encoding="utf-8",
    )
    return path


def _safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "pwned" not in text


def test_plan_text_in_timing(cli, hostile_plan: Path) -> None:
    r = cli("timing", "--plan", str(hostile_plan), "--today", "2024-03-01")
    assert r.status == 0, r.stderr
    _safe(r.stdout)
    assert '"two weeks [/i]' in r.stdout  # the plan's text as written, never read as markup


def test_plan_text_in_practice_and_its_report(cli, hostile_plan: Path) -> None:
    r = cli("practice", "--text", "--plan", str(hostile_plan), stdin="Hi Bob, this is Ann [/b] Lee.\n")
    assert r.status == 0, r.stderr
    _safe(r.stdout + r.stderr)
    assert "Bob [/] Ray" in r.stdout  # the interviewer's lines carry the plan's names
    assert "Ann [bold]Lee → Bob [/] Ray" in r.stdout  # the report's heading


def test_transcript_text_in_score_report(cli, tmp_path: Path, hostile_plan: Path) -> None:
    transcript = tmp_path / "call.txt"
    transcript.write_text("Hi, this is Ann \x1b]0;pwned\x07[/b] calling about the analyst role.\n", "utf-8")
    r = cli("score", str(transcript), "--plan", str(hostile_plan))
    assert r.status == 0, r.stderr
    _safe(r.stdout)


def test_show_and_replay_print_saved_transcripts_as_text(cli, tmp_path) -> None:
    """A saved (or imported) session's words are printed as typed: no markup, no escape sequences."""
    hostile = "Hi [/b] there [laughs] \x1b]0;owned\x07 done"
    typed = cli("practice", "--text", "--no-timing", stdin=f"{hostile}\n")
    assert typed.status == 0, typed.stderr
    for args in (("show", "last"), ("replay", "last", "--no-audio")):
        out = cli(*args)
        assert out.status == 0, out.stderr
        assert "Hi [/b] there [laughs]" in out.stdout and "\x1b" not in out.stdout and "owned\x07" not in out.stdout


def test_replay_of_a_missing_recording_says_so(cli, tmp_path) -> None:
    import json

    typed = cli("practice", "--text", "--no-timing", stdin="Good morning, this is Sam Lee.\n")
    assert typed.status == 0, typed.stderr
    (folder,) = (tmp_path / "recordings").iterdir()
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text())
    data["turns"][1]["audio"] = "turn-001-candidate.wav"  # named, but never written
    manifest.write_text(json.dumps(data))
    out = cli("replay", "last", "--turn", "1")
    assert out.status == 2
    assert "missing" in out.stderr and "--no-audio" in out.stderr and len(out.stderr.strip().splitlines()) == 1
