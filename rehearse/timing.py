"""Is now a good time to call? The guide's timing rules applied to a call plan.

Thank-you email within 24 hours of the interview; the call only after the timeframe the interviewer gave, or,
when they gave none, after one to two weeks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from rehearse.errors import InputFileError
from rehearse.plan import Plan

DEFAULT_WAIT_DAYS = 7  # the guide: "typically, waiting one to two weeks is standard"
DEFAULT_WAIT_MAX_DAYS = 14
LONG_SILENCE_DAYS = 21  # past this after the expected date, the role may well be filled
MAX_TIMEFRAME_DAYS = 366  # a timeframe further out than a year is not one to plan a call around
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "couple": 2,
    "few": 3,
    "several": 4,
}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
Verdict = Literal["unknown", "thank_you_first", "wait", "call_now", "call_now_late"]


@dataclass(frozen=True)
class TimingAdvice:
    """When to call, and why."""

    verdict: Verdict
    headline: str  # one sentence a nervous candidate can act on
    reasons: tuple[str, ...]  # the rules behind it, in plain words
    call_from: dt.date | None = None  # the first good day to call
    days_since_interview: int | None = None


def _business_days_after(start: dt.date, n: int) -> dt.date:
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _after(day: dt.date, days: int) -> dt.date:
    """`days` after `day`, or the last date there is when that is past the calendar's end."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def parse_timeframe(text: str, interview: dt.date) -> dt.date | None:
    """The day the interviewer's timeframe runs out, or None when it cannot be read or is more than a year away
    ("99999999999999 days", 9999-12-31): such a timeframe is not one to wait for."""
    try:
        deadline = _parse_timeframe(text, interview)
    except (OverflowError, ValueError):
        return None
    if deadline is None or (deadline - interview).days > MAX_TIMEFRAME_DAYS:
        return None
    return deadline


def _parse_timeframe(text: str, interview: dt.date) -> dt.date | None:
    t = text.strip().lower().replace("-", " ")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    m = re.search(r"(\d+|[a-z]+)\s+(?:of\s+)?(?:more\s+)?(business\s+|working\s+)?(day|week|month)s?", t)
    if m:
        count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1))
        if count is not None:
            if count > MAX_TIMEFRAME_DAYS:
                return None  # more than a year in any unit; and counting business days that far would take long
            if m.group(2) and m.group(3) == "day":
                return _business_days_after(interview, count)
            days = {"day": 1, "week": 7, "month": 30}[m.group(3)] * count
            return interview + dt.timedelta(days=days)
    to_friday = (4 - interview.weekday()) % 7
    if "next week" in t:
        return interview + dt.timedelta(days=to_friday + 7)
    if "end of the week" in t or "end of this week" in t:
        return interview + dt.timedelta(days=to_friday)
    if "end of the month" in t or "end of this month" in t:
        return interview.replace(day=calendar.monthrange(interview.year, interview.month)[1])
    for name, idx in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", t):
            ahead = (idx - interview.weekday()) % 7 or 7
            return interview + dt.timedelta(days=ahead + (7 if "next" in t else 0))
    return None


def advise(plan: Plan, today: dt.date) -> TimingAdvice:
    if plan.interview_date is None:
        return TimingAdvice(
            "unknown",
            "Add interview_date to your plan to get a date; meanwhile, the usual rule is to wait one to two weeks.",
            ("Send a thank-you email within 24 hours of the interview.", _wait_rule(plan)),
        )
    since = (today - plan.interview_date).days
    if since < 0:
        raise InputFileError(f"interview_date {plan.interview_date} is after today ({today}); check the plan")
    reasons: list[str] = []
    if plan.contact_preference and "email" in plan.contact_preference.lower():
        reasons.append(
            "They said they prefer email: write instead of calling, or ask by email whether a call suits them."
        )
    if plan.thank_you_sent is None and since <= 1:
        reasons.append("The thank-you email comes first, within 24 hours of the interview.")
        return TimingAdvice(
            "thank_you_first",
            "Send your thank-you email today; the call comes later.",
            tuple(reasons),
            _call_from(plan),
            since,
        )
    if plan.thank_you_sent is None:
        reasons.append(
            "No thank-you email is recorded in your plan; if you have not sent one, a short one still helps."
        )
    call_from = _call_from(plan)
    reasons.append(_wait_rule(plan))
    if today < call_from:
        wait = (call_from - today).days
        return TimingAdvice(
            "wait",
            f"Wait until {call_from:%A %d %B} ({wait} day{'s' * (wait != 1)}); calling sooner "
            "can come across as pushy.",
            tuple(reasons),
            call_from,
            since,
        )
    if (today - call_from).days > LONG_SILENCE_DAYS:
        reasons.append("It has been a while: still call, and be ready to hear that the role has been filled.")
        return TimingAdvice(
            "call_now_late", "Call now — it is well past the time they gave.", tuple(reasons), call_from, since
        )
    return TimingAdvice("call_now", "Now is a good time to call.", tuple(reasons), call_from, since)


def _call_from(plan: Plan) -> dt.date:
    assert plan.interview_date is not None
    deadline = parse_timeframe(plan.timeframe, plan.interview_date) if plan.timeframe else None
    if deadline is None:
        return _after(plan.interview_date, DEFAULT_WAIT_DAYS)
    return _after(deadline, 1)


def _wait_rule(plan: Plan) -> str:
    if plan.timeframe and plan.interview_date and parse_timeframe(plan.timeframe, plan.interview_date):
        return f'They said you would hear within "{plan.timeframe}": call only once that has passed.'
    if plan.timeframe:
        return (
            f'Could not read the timeframe "{plan.timeframe}" as a date within a year of the interview; using the '
            f"usual {DEFAULT_WAIT_DAYS}-{DEFAULT_WAIT_MAX_DAYS} days."
        )
    days = f"{DEFAULT_WAIT_DAYS}-{DEFAULT_WAIT_MAX_DAYS} days"
    return f"No timeframe was given, so wait the usual one to two weeks ({days})."
