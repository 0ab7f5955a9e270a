"""A smoother path to the call: one timing verdict that weighs everything, `timing --called` and the week after it,
and `plan init` asking a field again instead of throwing every answer away."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from rehearse.plan import Plan, load_plan
from rehearse.prep.answers import BadAnswer, parse_answer
from rehearse.prep.calllog import CallMade, log_path, read_calls
from rehearse.prep.dates import NotADate, parse_day
from rehearse.prep.hours import next_slot, why_not
from rehearse.timing import advise

THU = dt.date(2026, 11, 12)  # the interview
SENT = Plan("Ann Lee", interview_date=THU, thank_you_sent=THU, timeframe="two weeks")  # call from Fri 27 Nov
TUE, SAT, MON, FRI = dt.date(2026, 12, 1), dt.date(2026, 11, 28), dt.date(2026, 11, 30), dt.date(2026, 12, 4)


def _all_text(advice) -> str:
    return " ".join([advice.headline, *advice.reasons])


# --- one verdict -------------------------------------------------------------------------------------------------


def test_email_preference_means_write_never_a_good_time_to_call() -> None:
    for pref in ("email", "Email only please", "no calls", "LinkedIn message"):
        plan = Plan("Ann Lee", interview_date=THU, thank_you_sent=THU, contact_preference=pref)
        for day in (THU + dt.timedelta(days=3), TUE):
            advice = advise(plan, day, at=dt.time(10, 30))
            assert advice.verdict == "write", (pref, day)
            assert "good time to call" not in _all_text(advice)
            assert advice.headline.startswith("Don't call: write")


def test_the_timeframe_comes_before_the_hour() -> None:
    advice = advise(SENT, dt.date(2026, 11, 24), at=dt.time(10, 30))  # a perfect hour, too early a day
    assert advice.verdict == "wait"
    assert "Wait until Friday 27 November (3 days), then call mid-morning (10:00–11:30)" in advice.headline
    assert "They said you would hear within two weeks (Thursday 26 November)" in advice.reasons[0]


def test_a_timeframe_that_ends_on_a_weekend_waits_for_monday_afternoon_and_says_why() -> None:
    plan = Plan("Ann Lee", interview_date=THU, thank_you_sent=THU, timeframe="by the end of next week")
    advice = advise(plan, dt.date(2026, 11, 18))
    assert advice.headline.startswith("Wait until Monday 23 November (5 days), then call mid-afternoon")
    assert any("Saturday 21 November would be the first day" in r and "weekend" in r for r in advice.reasons)


@pytest.mark.parametrize(
    ("day", "at", "verdict", "says"),
    [
        (TUE, dt.time(10, 30), "call_now", "Now is a good time to call."),
        (TUE, dt.time(15, 0), "call_now", "Now is a good time to call."),
        (TUE, dt.time(8, 15), "call_later", "Not now: call today, 10:00–11:30."),
        (TUE, dt.time(12, 30), "call_later", "Not now: call today, 14:00–16:00."),
        (TUE, dt.time(17, 30), "call_later", "Not now: call Wednesday 2 December, 10:00–11:30."),
        (MON, dt.time(9, 45), "call_later", "Not now: call today, 14:00–16:00."),
        (FRI, dt.time(14, 30), "call_later", "Not now: call Monday 7 December, 14:00–16:00."),
        (SAT, dt.time(11, 0), "call_later", "Not now: call Monday 30 November, 14:00–16:00."),
        (SAT, None, "call_later", "Not now: call Monday 30 November, 14:00–16:00."),
        (MON, None, "call_now", "Today is a good time to call: mid-afternoon (14:00–16:00)."),
        (FRI, None, "call_now", "Today is a good time to call: mid-morning (10:00–11:30)."),
        (TUE, None, "call_now", "mid-morning (10:00–11:30) or mid-afternoon (14:00–16:00)"),
    ],
)
def test_day_and_hour(day: dt.date, at: dt.time | None, verdict: str, says: str) -> None:
    advice = advise(SENT, day, at=at)
    assert advice.verdict == verdict, advice
    assert says in advice.headline


def test_every_not_now_says_why() -> None:
    assert "weekend" in why_not(SAT, None)
    assert "Monday mornings" in why_not(MON, dt.time(9, 0))
    assert "Friday afternoon" in why_not(FRI, dt.time(15, 0))
    assert "lunchtime" in why_not(TUE, dt.time(12, 0))
    assert why_not(TUE, dt.time(10, 0)) == "" and why_not(MON, None) == ""
    assert any("Monday mornings" in r for r in advise(SENT, MON).reasons)  # date only: why not the morning
    assert next_slot(dt.date.max, dt.time(15, 0)) is None  # the last day there is, a Friday afternoon: no later slot


def test_a_call_this_week_means_not_again_and_after_a_week_is_allowed_once_more() -> None:
    called = (CallMade(MON, dt.time(14, 10)),)
    advice = advise(SENT, dt.date(2026, 12, 2), at=dt.time(10, 30), calls=called)
    assert advice.verdict == "called_recently"
    assert "you called on Monday 30 November at 14:10" in advice.headline
    assert "good time to call" not in _all_text(advice)
    later = advise(SENT, dt.date(2026, 12, 8), at=dt.time(10, 30), calls=called)
    assert later.verdict == "call_now"
    assert any("make it the last" in r for r in later.reasons)


def test_no_thank_you_within_24_hours_points_to_the_email_script() -> None:
    plan = Plan("Ann Lee", interview_date=THU, contact_preference="email")
    for day in (THU, THU + dt.timedelta(days=1)):
        advice = advise(plan, day)
        assert advice.verdict == "thank_you_first"
        assert advice.command == "script --email" and "rehearse script --email" in advice.headline
    assert advise(plan, THU + dt.timedelta(days=2)).verdict == "write"


def test_no_interview_date_still_respects_email_and_a_recent_call() -> None:
    assert advise(Plan("Ann Lee", contact_preference="email"), TUE).verdict == "write"
    assert advise(Plan("Ann Lee"), TUE, calls=(CallMade(MON),)).verdict == "called_recently"
    assert advise(Plan("Ann Lee"), TUE).verdict == "unknown"


def test_the_timeframe_is_quoted_grammatically() -> None:
    texts = {
        "by the end of next week": "They said you would hear by the end of next week (Friday 20 November)",
        "10 days": "They said you would hear within 10 days (Sunday 22 November)",
        "a fortnight": "They said you would hear within a fortnight (Thursday 26 November)",
        "two weeks-ish": 'They said "two weeks-ish" about hearing back (Thursday 26 November)',
    }
    for timeframe, said in texts.items():
        plan = Plan("Ann Lee", interview_date=THU, thank_you_sent=THU, timeframe=timeframe)
        reasons = " ".join(advise(plan, TUE).reasons)
        assert said in reasons, reasons
        assert 'within "' not in reasons


# --- timing --called through the CLI ----------------------------------------------------------------------------


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(
        'candidate = "Ann Lee"\ninterview_date = 2026-11-12\nthank_you_sent = 2026-11-12\ntimeframe = "two weeks"\n',
        "utf-8",
    )
    return path


def test_called_is_recorded_beside_the_plan_and_a_second_call_is_warned(cli, plan_file: Path) -> None:
    r = cli("timing", "--plan", str(plan_file), "--today", "2026-11-30 14:15", "--called")
    assert r.status == 0, r.stderr
    assert "Recorded: you called on Monday 30 November at 14:15" in r.stdout.replace("\n", " ")
    log = log_path(plan_file)
    assert log.name == "plan.calls.json"
    assert json.loads(log.read_text())["calls"] == [{"at": "2026-11-30T14:15"}]
    r = cli("timing", "--plan", str(plan_file), "--today", "2026-12-02 10:30")
    assert "Don't call again yet" in r.stdout and "Now is a good time" not in r.stdout
    r = cli("timing", "--plan", str(plan_file), "--today", "2026-12-03", "--called")
    assert "second call within a week" in r.stdout
    assert [c.day for c in read_calls(plan_file)] == [MON, dt.date(2026, 12, 3)]
    r = cli("timing", "--plan", str(plan_file), "--today", "2026-12-15 10:30")
    assert "Now is a good time to call" in r.stdout


def test_practice_shows_the_same_verdict_with_the_calls(cli, plan_file: Path) -> None:
    cli("timing", "--plan", str(plan_file), "--today", "2026-11-30", "--called")
    r = cli("practice", "--text", "--plan", str(plan_file), stdin="Hello, this is Ann Lee.\n")
    assert r.status == 0, r.stderr
    assert "you called on monday 30 november" in r.stdout.replace("\n", " ").lower()  # whatever the real date


@pytest.mark.parametrize(
    "content", ["{not json", '{"schema": "other"}', '{"schema": "rehearse.calls/1", "calls": [{"at": 5}]}']
)
def test_a_damaged_call_log_is_one_line_and_never_overwritten(cli, plan_file: Path, content: str) -> None:
    log = log_path(plan_file)
    log.write_text(content, "utf-8")
    for args in (("timing", "--plan", str(plan_file)), ("timing", "--plan", str(plan_file), "--called")):
        r = cli(*args)
        assert r.status == 2
        assert len(r.stderr.strip().splitlines()) == 1 and "plan.calls.json" in r.stderr
    assert log.read_text("utf-8") == content


def test_the_call_log_is_written_atomically(cli, plan_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rehearse import textfiles

    calls: list[Path] = []
    real = textfiles.atomic_write

    def spy(path: Path, write):
        calls.append(path)
        return real(path, write)

    monkeypatch.setattr(textfiles, "atomic_write", spy)
    assert cli("timing", "--plan", str(plan_file), "--called").status == 0
    assert calls == [log_path(plan_file)]


def test_a_call_log_that_cannot_be_written_is_one_line(cli, plan_file: Path) -> None:
    log_path(plan_file).mkdir()  # a folder where the log should be
    r = cli("timing", "--plan", str(plan_file), "--called")
    assert r.status == 2 and len(r.stderr.strip().splitlines()) == 1


def test_timing_today_with_a_time_and_bad_values(cli, plan_file: Path) -> None:
    r = cli("timing", "--plan", str(plan_file), "--today", "2026-12-01 12:30")
    assert "Not now: call today, 14:00–16:00" in r.stdout
    for bad in ("2026-12-01 25:00", "tomorrow", "2026-13-01"):
        r = cli("timing", "--plan", str(plan_file), "--today", bad)
        assert r.status == 2 and "--today" in r.stderr


def test_timing_points_to_the_email_script_with_the_plan(cli, tmp_path: Path) -> None:
    plan = tmp_path / "fresh.toml"
    plan.write_text('candidate = "Ann Lee"\ninterview_date = 2026-11-12\n', "utf-8")
    r = cli("timing", "--plan", str(plan), "--today", "2026-11-12")
    assert f"Try: rehearse script --email --plan {plan}" in r.stdout.replace("\n", "")


# --- dates as people type them ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", dt.date(2026, 11, 26)),
        ("yesterday", dt.date(2026, 11, 25)),
        ("last Tuesday", dt.date(2026, 11, 24)),
        ("tuesday", dt.date(2026, 11, 24)),
        ("2026-11-16", dt.date(2026, 11, 16)),
        ("2026-11-6", dt.date(2026, 11, 6)),
        ("16 November", dt.date(2026, 11, 16)),
        ("Nov 16", dt.date(2026, 11, 16)),
        ("16/11/2026", dt.date(2026, 11, 16)),
    ],
)
def test_typed_dates(text: str, day: dt.date) -> None:
    assert parse_day(text, dt.date(2026, 11, 26)) == day  # a Thursday


@pytest.mark.parametrize("text", ["", "soonish", "2026-13-01", "2026-02-30", "12/11/2026"])
def test_dates_that_are_not_sure_are_refused(text: str) -> None:
    with pytest.raises(NotADate):
        parse_day(text, dt.date(2026, 11, 26))


def test_answers_are_checked_one_by_one() -> None:
    today = dt.date(2026, 11, 26)
    assert parse_answer("skills", "Excel, , payroll ", today) == ["Excel", "payroll"]
    assert parse_answer("concern", "  ", today) is None
    assert parse_answer("phone", "+44 (0) 7700 900123 ext 12", today) == "+44 (0) 7700 900123 ext 12"
    for not_a_number in ("call me maybe", "555-CALL", "12"):
        with pytest.raises(BadAnswer, match="not a phone number"):
            parse_answer("phone", not_a_number, today)
    with pytest.raises(BadAnswer, match="after today"):
        parse_answer("interview_date", "tomorrow", today)
    with pytest.raises(BadAnswer, match="needs your name"):
        parse_answer("candidate", " ", today)


# --- plan init asks a field again ---------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _init(tmp_path: Path, answers: list[str], *flags: str):
    from rehearse.cli import main
    from rehearse.environment import Environment

    env = Environment(stdin=_Terminal("\n".join(answers) + "\n"), stdout=io.StringIO(), stderr=io.StringIO())
    env.today = dt.date(2026, 11, 26)
    path = tmp_path / "plan.toml"
    status = main(["plan", "init", str(path), *flags], env)
    return status, env.stdout.getvalue(), env.stderr.getvalue(), path


ANSWERS = [
    "Ann Lee",  # candidate
    "Ms. Obi",  # interviewer
    "payroll clerk",  # position
    "Acme",  # company
    "2026-13-45",  # interview date: mistyped...
    "next Friday",  # ...then in the future...
    "last Tuesday",  # ...then right
    "10 days",  # timeframe
    "Excel, month-end close",  # skills
    "",  # concern
    "email",  # contact preference
    "555 0143",  # phone
    "yesterday",  # thank-you sent
]


def test_plan_init_asks_a_bad_date_again_and_keeps_every_other_answer(tmp_path: Path) -> None:
    status, out, err, path = _init(tmp_path, ANSWERS)
    assert status == 0, err
    assert out.count("Interview date") == 3  # asked again twice, nothing else asked again
    assert out.count("The position") == 1
    assert "is not a real date" in out and "after today" in out
    assert "Tuesday 24 November 2026" in out  # the date it understood, shown back
    plan = load_plan(path)
    assert plan.interview_date == dt.date(2026, 11, 24) and plan.thank_you_sent == dt.date(2026, 11, 25)
    assert plan.position == "payroll clerk" and plan.skills == ("Excel", "month-end close")
    assert plan.concern == ""


def test_plan_init_stopped_half_way_writes_nothing(tmp_path: Path) -> None:
    status, _out, err, path = _init(tmp_path, ANSWERS[:5])
    assert status == 2 and "nothing was written" in err
    assert not path.exists()


def test_plan_init_flags_take_typed_dates_too(cli, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    r = cli("plan", "init", str(path), "--candidate", "Ann Lee", "--interview-date", "today")
    assert r.status == 0, r.stderr
    assert load_plan(path).interview_date == dt.date.today()
    r = cli("plan", "init", str(tmp_path / "q.toml"), "--candidate", "Ann Lee", "--interview-date", "soonish")
    assert r.status == 2 and "--interview-date" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
