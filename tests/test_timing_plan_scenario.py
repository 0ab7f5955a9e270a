"""Timing advice, call plans and the scenario engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rehearse.errors import InputFileError
from rehearse.plan import Plan, load_plan, name_variants, plan_from_dict, save_plan
from rehearse.scenario import Interviewer, load_scenario, scenario_names
from rehearse.timing import advise, parse_timeframe

THU = dt.date(2026, 11, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 days", dt.date(2026, 11, 22)),
        ("two weeks", dt.date(2026, 11, 26)),
        ("a week", dt.date(2026, 11, 19)),
        ("a couple of weeks", dt.date(2026, 11, 26)),
        ("5 business days", dt.date(2026, 11, 19)),
        ("by Friday", dt.date(2026, 11, 13)),
        ("end of next week", dt.date(2026, 11, 20)),
        ("end of the month", dt.date(2026, 11, 30)),
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("soonish", None),
    ],
)
def test_parse_timeframe(text: str, expected: dt.date | None) -> None:
    assert parse_timeframe(text, THU) == expected


def test_timing_follows_the_guide() -> None:
    plan = Plan("A B", interview_date=THU, timeframe="10 days")
    assert advise(plan, THU).verdict == "thank_you_first"  # the thank-you email within 24 hours comes first
    sent = Plan("A B", interview_date=THU, timeframe="10 days", thank_you_sent=THU)
    assert advise(sent, dt.date(2026, 11, 18)).verdict == "wait"
    assert advise(sent, dt.date(2026, 11, 18)).call_from == dt.date(2026, 11, 23)
    assert advise(sent, dt.date(2026, 11, 23)).verdict == "call_now"
    assert advise(sent, dt.date(2027, 1, 26)).verdict == "call_now_late"  # a Tuesday, long past the timeframe
    assert advise(sent, dt.date(2027, 1, 23)).verdict == "call_later"  # a Saturday: late, but not at the weekend
    no_frame = Plan("A B", interview_date=THU, thank_you_sent=THU)
    assert advise(no_frame, THU + dt.timedelta(days=7)).verdict == "call_now"  # the usual one to two weeks
    assert advise(no_frame, THU + dt.timedelta(days=3)).verdict == "wait"
    email = Plan("A B", interview_date=THU, thank_you_sent=THU, contact_preference="email please")
    assert advise(email, THU + dt.timedelta(days=9)).verdict == "write"  # email means write, don't call
    assert any("email" in r for r in advise(email, THU + dt.timedelta(days=9)).reasons)
    with pytest.raises(InputFileError):
        advise(sent, THU - dt.timedelta(days=1))
    assert advise(Plan("A B"), THU).verdict == "unknown"


def test_plan_round_trip(tmp_path: Path) -> None:
    plan = Plan("Ana Silva", "Ms. Obi", "clerk", skills=("Excel",), interview_date=THU)
    back = load_plan(save_plan(plan, tmp_path / "p.toml"))
    assert back == plan


def test_plan_needs_a_candidate() -> None:
    with pytest.raises(InputFileError, match="candidate"):
        plan_from_dict({"position": "x"})


def test_name_variants() -> None:
    assert name_variants("Maribel Santos")[:3] == ("Maribel Santos", "Maribel", "Santos")
    assert "Smith" in name_variants("Ms. Smith")


@pytest.mark.parametrize("name", ["receptive", "raises-a-concern", "busy", "voicemail", "gatekeeper"])
def test_shipped_scenarios_load(name: str) -> None:
    assert name in scenario_names()
    assert load_scenario(name).opening


def test_interviewer_asks_who_is_calling_and_what_about(plan: Plan) -> None:
    iv = Interviewer(load_scenario("receptive"), plan)
    iv.opening()
    assert "who am I speaking with" in iv.respond("Hi there.")[0].text
    assert "What can I do for you" in iv.respond("It's Jordan Avery here.")[0].text


def test_interviewer_raises_the_plans_concern(plan: Plan) -> None:
    iv = Interviewer(load_scenario("raises-a-concern"), plan)
    iv.opening()
    reply = iv.respond("Hello, this is Jordan Avery, I'm calling to follow up on my interview.")
    assert plan.concern in reply[-1].text  # acknowledged the purpose first, then raised the concern


def test_an_offer_to_say_more_gets_asked_for_an_example(plan: Plan) -> None:
    """The guide's own "I'd be happy to provide further details" answers the raised concern in the report, but an
    interviewer who raised it asks for something concrete; an example then lands."""
    iv = Interviewer(load_scenario("raises-a-concern"), plan)
    iv.opening()
    iv.respond("Hello, this is Jordan Avery, I'm calling to follow up on my interview.")
    offer = iv.respond(f"I recall you had questions about {plan.concern}. I'd be happy to provide further details.")
    assert "example" in offer[0].text or "concrete" in offer[0].text
    told = iv.respond("At my last job I ran that lane for two years with no spoiled loads.")
    assert "example" not in told[0].text and "concrete" not in told[0].text


def test_next_steps_question_gets_a_timeline(plan: Plan) -> None:
    iv = Interviewer(load_scenario("receptive"), plan)
    iv.opening()
    iv.respond("Hello, this is Jordan Avery, calling to follow up on my interview for the operations analyst role.")
    reply = iv.respond("Could you tell me the next steps and when I might hear back?")
    assert plan.timeframe in reply[0].text


def test_voicemail_takes_one_message(plan: Plan) -> None:
    iv = Interviewer(load_scenario("voicemail"), plan)
    opening = iv.opening()
    assert opening[-1].sound == "beep"
    assert iv.listen_policy().end_silence == 3.0  # thinking pauses inside the message never end it
    assert iv.respond("Hi, this is Jordan Avery calling about the operations analyst role.") == []
    assert iv.respond("My number is 555 0143. Thanks!") == []  # a courtesy thanks is no leave-taking
    assert not iv.ended
    assert iv.respond("")  # three seconds of silence: the end of the message
    assert iv.ended


def test_gatekeeper_puts_you_through_when_you_name_the_interviewer(plan: Plan) -> None:
    iv = Interviewer(load_scenario("gatekeeper"), plan)
    assert iv.opening()[0].role == "receptionist"
    asked = iv.respond("Hello, could I speak with Maribel Santos, please?")
    assert [ln.role for ln in asked] == ["receptionist"] and "calling" in asked[0].text  # who is calling?
    lines = iv.respond("It's Jordan Avery, about my interview for the operations analyst role.")
    assert [ln.role for ln in lines] == ["receptionist", "interviewer"]
    # a new stage: the interviewer did not hear the introduction given to the receptionist
    assert "who" in iv.respond("Hi!")[0].text.lower()


def test_busy_interviewer_wraps_up(plan: Plan) -> None:
    iv = Interviewer(load_scenario("busy"), plan)
    iv.opening()
    answer = "I wanted to say I'm very interested and I think my route planning experience fits the team well. " * 2
    for _ in range(5):  # about 36 words each: a minute of speech is over during the fifth
        lines = iv.respond(answer)
        if iv.ended:
            break
    assert iv.ended and iv.state.seconds >= 60
    assert any(w in lines[-1].text.lower() for w in ("email", "call me back"))
