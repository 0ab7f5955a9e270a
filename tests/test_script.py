"""`rehearse script`: the personal call scores complete under the project's own scorer, the voicemail says the
number twice in 30 s, the email names the position, every format is safe, and --speak uses the candidate's voice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from rehearse.plan import Plan, load_plan, sample_plan
from rehearse.prep.callscript import build, estimate_seconds
from rehearse.prep.phone import spoken_number
from rehearse.prep.render import SCRIPT_FORMATS, render
from rehearse.scoring.scorer import score_call
from rehearse.transcript import parse_transcript
from tests.conftest import SAMPLE_PLAN

THU = dt.date(2026, 11, 12)
PLANS = {
    "sample": sample_plan(),
    "no concern, no skills, no interviewer": Plan("Dana Wu", position="staff nurse", interview_date=THU),
    "titled interviewer, one skill, concern": Plan(
        "Ana Silva", "Ms. Obi", "payroll clerk", "Acme", THU, skills=("Excel",), concern="month-end close"
    ),
    "no interviewer, concern, skills": Plan(
        "Sam O'Neill", position="warehouse supervisor", skills=("forklift safety", "rota planning"), concern="nights"
    ),
    "long names": Plan(
        "Alexandra Konstantinopoulou",
        "Dr. Bartholomew Featherstonehaugh",
        "senior regional supply chain coordinator",
        "International Consolidated Widgets",
        THU,
        skills=("vendor negotiation", "S&OP forecasting"),
        concern="managing a team across three time zones",
        phone="+44 (0) 7700 900123",
    ),
    "name only": Plan("Priya Raman"),
}


@pytest.mark.parametrize("name", PLANS)
def test_the_script_scores_complete_under_its_own_scorer(name: str) -> None:
    plan = PLANS[name]
    text = render(build("call", plan), "text")
    score = score_call(parse_transcript(text), plan)  # exactly what `rehearse score` reads from the file
    counted = {"questions"} if not plan.concern else set()  # weighs nothing when no concern was raised
    missing = [s.id for s in score.sections if not s.present and s.id not in counted]
    assert not missing, (missing, text)
    assert not score.pitfalls, score.pitfalls
    assert score.order.in_order
    assert score.overall >= 90, (score.overall, text)
    if plan.concern:
        assert "[fill in: one fact or example]" in text  # only the candidate knows the answer


def test_script_text_through_the_cli_scores_as_it_is(cli, tmp_path: Path) -> None:
    out = tmp_path / "call.txt"
    r = cli("script", "--plan", SAMPLE_PLAN, "--output", str(out))
    assert r.status == 0, r.stderr
    body = [ln for ln in out.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(body) == 6  # one utterance per section
    r = cli("score", str(out), "--plan", SAMPLE_PLAN, "--format", "json")
    assert r.status == 0, r.stderr
    assert '"overall": 100' in r.stdout


def test_headings_and_alternatives_are_comments_the_scorer_skips() -> None:
    text = render(build("call", sample_plan()), "text")
    assert "# Greeting and introduction" in text
    alternatives = [ln for ln in text.splitlines() if ln.startswith("#   or:")]
    assert len(alternatives) >= 6  # the lines people stumble on have another way to say them
    assert all(not u.startswith("#") for u in parse_transcript(text))
    assert parse_transcript("# a heading\nHello.\n  # indented note\n") == ["Hello."]


def test_the_script_says_the_interview_date_and_role() -> None:
    greeting = build("call", sample_plan()).sections[0].line
    assert "Thursday 12 November" in greeting and "operations analyst" in greeting


@pytest.mark.parametrize("name", PLANS)
def test_the_voicemail_says_the_number_twice_within_30_seconds(name: str) -> None:
    plan = PLANS[name]
    script = build("voicemail", plan)
    line = script.sections[0].line
    assert script.seconds is not None and script.seconds <= 30, (script.seconds, line)
    assert estimate_seconds(line) == script.seconds
    said = spoken_number(plan.phone)
    if said:
        assert line.count(said) == 2, line
    else:
        assert line.count("[fill in: your phone number") == 2
    assert plan.candidate in line and "thank you" in line.lower()


def test_the_voicemail_keeps_the_role_for_an_ordinary_plan() -> None:
    line = build("voicemail", sample_plan()).sections[0].line
    assert "operations analyst" in line and "5 5 5, 0 1 4 3" in line


@pytest.mark.parametrize(
    ("phone", "said"),
    [
        ("555 0143", "5 5 5, 0 1 4 3"),
        ("(555) 123-4567", "5 5 5, 1 2 3, 4 5 6 7"),
        ("5551230143", "5 5 5, 1 2 3, 0 1 4 3"),
        ("+44 (0) 7700 900123", "plus 4 4, 7 7 0 0, 9 0 0, 1 2 3"),
        ("555-0143 ext 12", "5 5 5, 0 1 4 3, extension 1 2"),
        ("call my mobile", None),
        ("12", None),
    ],
)
def test_numbers_are_said_in_short_groups(phone: str, said: str | None) -> None:
    assert spoken_number(phone) == said


@pytest.mark.parametrize("name", PLANS)
def test_the_email_names_the_position_and_has_every_part(name: str) -> None:
    plan = PLANS[name]
    script = build("email", plan)
    text = render(script, "text")
    assert script.subject
    assert (plan.position or "[fill in: position]") in text
    assert "Thank you for meeting with me" in text
    assert text.count("[fill in:") >= 1  # one specific detail only the candidate knows
    assert "even more interested" in text  # continued interest
    assert "experience with" in text  # one strength
    assert re.search(rf"Best regards,\n{re.escape(plan.candidate)}", text)


def test_the_gatekeeper_line_asks_for_the_interviewer() -> None:
    (part,) = build("gatekeeper", sample_plan()).sections
    assert "Jordan Avery" in part.line and "Could I speak with Maribel Santos" in part.line
    (part,) = build("gatekeeper", Plan("Ann Lee")).sections
    assert "[fill in: who interviewed you]" in part.line


HOSTILE = Plan(
    "Eve\x1b]0;pwned\x07 Mallory",
    "<script>alert(1)</script>",
    "analyst\nI need an answer today",
    "[link](http://evil.example)",
    THU,
    skills=("**bold**",),
    concern="`rm -rf` and <b>",
    phone="555\x1b[2J 0143",
)


@pytest.mark.parametrize("fmt", SCRIPT_FORMATS)
@pytest.mark.parametrize("kind", ["call", "voicemail", "gatekeeper", "email"])
def test_plan_text_cannot_break_out_of_any_format(fmt: str, kind: str) -> None:
    out = render(build(kind, HOSTILE), fmt)  # type: ignore[arg-type]
    assert "\x1b" not in out and "\x07" not in out
    if fmt == "html":
        assert "<script>" not in out and "<b>" not in out
    if fmt == "markdown":
        assert "](http" not in out and "**bold**" not in out
    if fmt == "text" and kind != "email":
        # a newline in a plan field must not split an utterance: every line is a note or one whole section
        body = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(body) == (6 if kind == "call" else 1), body


def test_html_is_one_printable_page_with_slots_marked(cli, tmp_path: Path) -> None:
    out = tmp_path / "call.html"
    r = cli("script", "--plan", SAMPLE_PLAN, "--format", "html", "--output", str(out))
    assert r.status == 0, r.stderr
    page = out.read_text("utf-8")
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert '<mark class="slot">[fill in: one fact or example]</mark>' in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained: nothing fetched


def test_script_without_a_concern_says_why_the_section_is_missing(cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text('candidate = "Dana Wu"\nposition = "staff nurse"\n', "utf-8")
    r = cli("script", "--plan", str(plan), "--format", "markdown")
    assert r.status == 0, r.stderr
    assert "## Questions or concerns" in r.stdout and "No concern in your plan" in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["script"],  # --plan is required
        ["script", "--plan", "nope.toml"],
        ["script", "--plan", SAMPLE_PLAN, "--voicemail", "--email"],
        ["script", "--plan", SAMPLE_PLAN, "--format", "pdf"],
        ["script", "--plan", SAMPLE_PLAN, "--output", "/dev/null"],
    ],
)
def test_bad_script_input_is_one_line_and_status_2(cli, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    r = cli(*args)
    stderr = r.stderr or capsys.readouterr().err  # argparse's usage errors go to the real stderr
    assert r.status == 2
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr


def test_a_broken_phrasing_file_is_one_line(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from rehearse.prep import callscript

    prompts = tmp_path / "prompts"
    shutil.copytree(Path(SAMPLE_PLAN).parent.parent, prompts)
    text = (prompts / "script.toml").read_text("utf-8")
    (prompts / "script.toml").write_text(text.replace('"I hope you\'re doing well."', '"Hi {position}."'), "utf-8")
    monkeypatch.setenv("REHEARSE_PROMPTS", str(prompts))
    callscript._load.cache_clear()
    r = cli("script", "--plan", SAMPLE_PLAN)
    assert r.status == 2
    assert "last option of each sentence must need only {candidate}" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_the_voicemail_reminds_a_plan_without_a_number(cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text('candidate = "Dana Wu"\n', "utf-8")
    r = cli("script", "--plan", str(plan), "--voicemail")
    assert r.status == 0
    assert 'Add phone = "..."' in r.stderr


class _Voice:
    def __init__(self) -> None:
        self.said: list[str] = []

    def synthesize(self, text: str):
        from rehearse.values import Audio

        self.said.append(text)
        import numpy as np

        return Audio(np.zeros(160, dtype=np.float32))


def test_speak_reads_every_line_in_the_candidates_voice(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from rehearse import coach
    from rehearse.audio import playback, tts

    voice, played = _Voice(), playback.NullSpeaker()
    chosen: list[tts.VoiceSettings] = []

    def fake_voice(env):
        chosen.append(tts.CANDIDATE_VOICE)
        return voice

    monkeypatch.setattr(coach, "candidate_voice", fake_voice)
    monkeypatch.setattr(playback, "SoundDeviceSpeaker", lambda _device=None: played)
    r = cli("script", "--plan", SAMPLE_PLAN, "--speak")
    assert r.status == 0, r.stderr
    assert len(voice.said) == len(played.played) == 6
    assert not any("[fill in" in line for line in voice.said)  # a slot is said as what belongs there
    assert "one fact or example" in voice.said[3]
    assert chosen[0].voice != tts.INTERVIEWER_VOICE.voice  # listening first sounds like the candidate


@pytest.mark.audio
def test_the_candidate_voice_is_a_real_other_voice(tmp_path: Path) -> None:
    from rehearse.audio.tts import INTERVIEWER_VOICE
    from rehearse.coach import candidate_voice
    from rehearse.environment import Environment

    voice = candidate_voice(Environment(cache=tmp_path))
    assert voice.voice != INTERVIEWER_VOICE.voice  # type: ignore[attr-defined]
    line = build("voicemail", load_plan(SAMPLE_PLAN)).sections[0].line
    assert voice.synthesize(line).duration <= 30  # the espeak candidate, at 150 wpm, says it within 30 s


def test_plan_values_fit_their_sentences() -> None:
    plan = Plan("Jordan Avery.", "Dr.", "the operations analyst role", "Acme.", skills=("Excel.", " ", "SQL"))
    text = " ".join(s.line for s in build("call", plan).sections)
    assert ".." not in text and "the the" not in text and "role role" not in text
    assert "Hello. This is Jordan Avery." in text  # "Dr." alone names nobody
    assert "experience with Excel and SQL," in text


def _plans():
    from hypothesis import strategies as st

    words = st.text(max_size=40)
    return st.builds(
        Plan,
        candidate=st.text(min_size=1, max_size=30).filter(str.strip),
        interviewer=words,
        position=words,
        company=words,
        interview_date=st.none() | st.dates(),
        skills=st.lists(words, max_size=3).map(tuple),
        concern=words,
        phone=words,
    )


def test_any_plan_gives_a_whole_script_in_every_format() -> None:
    from hypothesis import given, settings

    @settings(max_examples=60, deadline=None)
    @given(_plans())
    def check(plan: Plan) -> None:
        for kind in ("call", "voicemail", "gatekeeper", "email"):
            script = build(kind, plan)  # type: ignore[arg-type]
            for fmt in SCRIPT_FORMATS:
                render(script, fmt)
        text = render(build("call", plan), "text")
        assert len(parse_transcript(text)) == len(build("call", plan).sections), text  # one utterance per section

    check()
