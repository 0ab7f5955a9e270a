"""`practice --cues`: the next section's line, its key words, or nothing while the candidate answers; `auto` fades
per section from history; the session records the level and `history` shows it; old sessions still load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rehearse import store
from rehearse.history import HistoryPoint
from rehearse.plan import Plan, sample_plan
from rehearse.prep import cues as cue_rules
from rehearse.prep.callscript import build
from rehearse.values import SECTION_IDS, Cues
from tests.conftest import SAMPLE_PLAN


def _script_answers(plan: Plan | None = None) -> str:
    return "\n".join(s.line for s in build("call", plan or sample_plan()).sections) + "\n"


NO_CUES = Cues()


def _point(scores: dict[str, int], cues: Cues = NO_CUES, n: int = 0) -> HistoryPoint:
    sections = tuple((sid, scores.get(sid, 0)) for sid in SECTION_IDS)
    return HistoryPoint(f"s{n}", f"2026-11-2{n}T10:00:00", "analyst", "receptive", 90, sections, True, cues)


# --- the auto rule ---------------------------------------------------------------------------------------------


def test_auto_is_full_until_two_good_rehearsals_then_keywords_then_none() -> None:
    full, keywords = cue_rules.fixed("full"), cue_rules.fixed("keywords")
    good = {"greeting": 90}
    assert cue_rules.auto([])[0].level("greeting") == "full"
    assert cue_rules.auto([_point(good, full)])[0].level("greeting") == "full"
    two = [_point(good, full, 1), _point(good, full, 2)]
    assert cue_rules.auto(two)[0].level("greeting") == "keywords"
    assert cue_rules.auto(two)[0].level("purpose") == "full"  # per section: purpose never scored 80
    three = [*two, _point(good, keywords, 3)]
    assert cue_rules.auto(three)[0].level("greeting") == "keywords"  # once without the full line is not twice
    four = [*three, _point(good, keywords, 4)]
    assert cue_rules.auto(four)[0].level("greeting") == "none"


def test_auto_counts_79_as_not_yet_and_sessions_before_cues_as_none() -> None:
    assert cue_rules.auto([_point({"closing": 79}), _point({"closing": 79})])[0].level("closing") == "full"
    legacy = [_point({"closing": 85}, Cues(), 1), _point({"closing": 100}, Cues(), 2)]  # no cues were shown then
    cues, reasons = cue_rules.auto(legacy)
    assert cues.mode == "auto" and cues.level("closing") == "none"
    assert any(r.startswith("Closing: none") for r in reasons)


# --- which cue, when -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripts() -> dict:
    plan = sample_plan()
    return {kind: build(kind, plan) for kind in ("call", "voicemail", "gatekeeper")}


def test_the_cue_is_the_first_section_not_yet_said(scripts: dict) -> None:
    plan, full = sample_plan(), cue_rules.fixed("full")
    cue = cue_rules.next_cue(scripts, full, [], plan, "interviewer", "")
    assert cue is not None and cue.section == "greeting" and cue.text == scripts["call"].sections[0].line
    said = [scripts["call"].sections[0].line]
    cue = cue_rules.next_cue(scripts, full, said, plan, "interviewer", "")
    assert cue is not None and cue.section == "purpose"
    everything = [s.line for s in scripts["call"].sections]
    assert cue_rules.next_cue(scripts, full, everything, plan, "interviewer", "") is None
    assert cue_rules.next_cue(scripts, full, [], plan, "ended", "") is None


def test_the_cue_follows_what_the_other_side_asked(scripts: dict) -> None:
    plan, full = sample_plan(), cue_rules.fixed("full")
    concern = cue_rules.next_cue(scripts, full, [], plan, "interviewer", "concern")
    assert concern is not None and concern.section == "questions"
    reception = cue_rules.next_cue(scripts, full, [], plan, "reception", "")
    assert reception is not None and reception.section == "gatekeeper"
    message = cue_rules.next_cue(scripts, full, [], plan, "reception", "message")
    assert message is not None and message.section == "voicemail"
    assert "5 5 5, 0 1 4 3" in message.text


def test_keywords_are_two_or_three_and_none_is_empty(scripts: dict) -> None:
    plan = sample_plan()
    for part in scripts["call"].sections:
        assert 2 <= len(part.keywords) <= 3, part
    cue = cue_rules.next_cue(scripts, cue_rules.fixed("keywords"), [], plan, "interviewer", "")
    assert cue is not None and cue.text == "hello · Jordan · operations analyst"
    cue = cue_rules.next_cue(scripts, cue_rules.fixed("none"), [], plan, "interviewer", "")
    assert cue is not None and cue.text == ""


def test_a_voicemail_or_receptionist_line_gets_the_most_help_any_section_has() -> None:
    mixed = Cues("auto", (*((sid, "none") for sid in SECTION_IDS[:-1]), ("closing", "keywords")))
    assert cue_rules.most_support(mixed) == "keywords"
    assert cue_rules.most_support(cue_rules.fixed("full")) == "full"
    assert cue_rules.most_support(cue_rules.fixed("none")) == "none"


# --- typed practice through the CLI ----------------------------------------------------------------------------


def _practice(cli, *args: str, stdin: str | None = None):
    r = cli("practice", "--text", "--plan", SAMPLE_PLAN, "--no-timing", *args, stdin=stdin or _script_answers())
    assert r.status == 0, r.stderr
    return r


def _manifest(tmp_path: Path) -> dict:
    sid = store.session_ids(tmp_path / "recordings")[-1]
    return json.loads((tmp_path / "recordings" / sid / "manifest.json").read_text())


def test_full_cues_show_the_line_before_each_answer_and_are_recorded(cli, tmp_path: Path) -> None:
    r = _practice(cli, "--cues", "full")
    out = r.stdout.replace("\n", " ")
    greeting = build("call", sample_plan()).sections[0].line
    assert "Greeting and introduction:" in r.stdout
    assert out.index("Greeting and introduction:") < out.index("You: Hello")  # shown before the answer
    assert " ".join(greeting.split()) in " ".join(out.split())
    assert "Purpose of the call:" in r.stdout
    cues = _manifest(tmp_path)["cues"]
    assert cues == {"mode": "full", "levels": {sid: "full" for sid in SECTION_IDS}}
    assert store.load(tmp_path / "recordings", "last").session.cues.level("purpose") == "full"


def test_keyword_cues_show_only_key_words(cli) -> None:
    r = _practice(cli, "--cues", "keywords")
    assert "follow up · still interested" in r.stdout
    assert (
        "I'm calling to follow up on my interview for the operations analyst role, and" not in r.stdout.split("You:")[1]
    )  # the purpose line itself is only the candidate's answer


def test_no_cues_show_nothing_and_default_records_nothing(cli, tmp_path: Path) -> None:
    r = _practice(cli, "--cues", "none")
    assert "▸" not in r.stdout
    assert "cues" not in _manifest(tmp_path)  # as before cues existed: nothing was shown
    r = _practice(cli)
    assert "▸" not in r.stdout


def test_auto_fades_through_the_cli_and_history_shows_it(cli, tmp_path: Path) -> None:
    first = _practice(cli, "--cues", "auto")
    assert "Cues (auto, per section)" in first.stdout and "Greeting: full" in first.stdout
    _practice(cli, "--cues", "auto")
    third = _practice(cli, "--cues", "auto")
    assert "Greeting: keywords" in third.stdout and "hello · Jordan · operations analyst" in third.stdout
    assert _manifest(tmp_path)["cues"]["levels"]["greeting"] == "keywords"
    _practice(cli, "--cues", "auto")
    fifth = _practice(cli, "--cues", "auto")
    assert "Greeting: none" in fifth.stdout
    assert "Greeting and introduction:" not in fifth.stdout
    history = cli("history")
    assert history.status == 0
    assert "cue" in history.stdout and "auto" in history.stdout and "none" in history.stdout
    assert "Next --cues auto:" in history.stdout
    page = cli("history", "--format", "html").stdout
    assert "<th>Cues</th>" in page and "<td>auto</td>" in page


def test_auto_only_counts_rehearsals_for_the_same_position(cli, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text('candidate = "Jordan Avery"\nposition = "astronaut"\n', "utf-8")
    for _ in range(2):
        r = cli("practice", "--text", "--plan", str(other), "--no-timing", "--cues", "full", stdin=_script_answers())
        assert r.status == 0, r.stderr
    r = _practice(cli, "--cues", "auto")
    assert "Greeting: full (0 of 2" in r.stdout


# --- stored sessions -------------------------------------------------------------------------------------------


def test_sessions_from_before_cues_still_load_and_list(cli, typed_session: str, tmp_path: Path) -> None:
    path = tmp_path / "recordings" / typed_session / "manifest.json"
    data = json.loads(path.read_text())
    assert "cues" not in data
    assert store.load(tmp_path / "recordings", typed_session).session.cues == Cues()
    r = cli("history")
    assert r.status == 0 and "—" in r.stdout


@pytest.mark.parametrize(
    "bad",
    [
        {"mode": "loud"},
        {"mode": "full", "levels": {"greeting": "shouting"}},
        {"mode": "full", "levels": {"../etc": "full"}},
        {"mode": "full", "levels": []},
        "full",
    ],
)
def test_malformed_cues_are_one_line(cli, typed_session: str, tmp_path: Path, bad: object) -> None:
    path = tmp_path / "recordings" / typed_session / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "cues": bad}))
    r = cli("show", typed_session)
    assert r.status == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "cues" in r.stderr


def test_cues_survive_export_and_import(cli, tmp_path: Path) -> None:
    _practice(cli, "--cues", "keywords")
    sid = store.session_ids(tmp_path / "recordings")[-1]
    zip_path = tmp_path / "s.zip"
    assert cli("export", sid, "--output", str(zip_path)).status == 0
    import shutil

    shutil.rmtree(tmp_path / "recordings" / sid)
    r = cli("import", str(zip_path))
    assert r.status == 0, r.stderr
    assert store.load(tmp_path / "recordings", "last").session.cues.mode == "keywords"
