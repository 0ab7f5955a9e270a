"""Is now a good time to call? The guide's timing rules applied to a call plan, as one verdict.

The rules are weighed in order, and the first that decides gives the verdict; the others only add reasons that
agree with it (never "a good time to call" beside "they prefer email"):
1. the thank-you email comes first, within 24 hours of the interview;
2. a preference for email (or for no calls) means write, don't call;
3. one well-timed call is usually enough: a call made in the last week means not again yet;
4. the call comes only after the timeframe the interviewer gave, or after one to two weeks when they gave none;
5. then the day and the hour: a weekday, mid-morning or mid-afternoon (prep/hours.py says why not otherwise).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rehearse.dialogue.timeframe import BARE, PREPOSITIONS, spoken_timeframe
from rehearse.errors import InputFileError
from rehearse.plan import Plan
from rehearse.prep.hours import AFTERNOON, MORNING, describe_windows, next_slot, why_not

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehearse.prep.calllog import CallMade

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
Verdict = Literal[
    "unknown", "thank_you_first", "write", "called_recently", "wait", "call_later", "call_now", "call_now_late"
]
ONE_CALL_DAYS = 7  # the guide: one well-timed call is usually enough; a second within a week reads as pushy
WRITTEN = ("email", "e-mail", "mail", "linkedin", "message", "text", "no call", "not call", "don't call", "no phone")


@dataclass(frozen=True)
class TimingAdvice:
    """When to call, and why."""

    verdict: Verdict
    headline: str  # one sentence a nervous candidate can act on
    reasons: tuple[str, ...]  # the rules behind it, in plain words
    call_from: dt.date | None = None  # the first day the timeframe allows a call
    days_since_interview: int | None = None
    command: str = ""  # a rehearse command that helps now, e.g. "script --email"


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
    m = re.search(r"(\d+|[a-z]+)\s+(?:of\s+)?(?:more\s+)?(business\s+|working\s+)?(day|week|fortnight|month)s?", t)
    if m:
        count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1))
        if count is not None:
            if count > MAX_TIMEFRAME_DAYS:
                return None  # more than a year in any unit; and counting business days that far would take long
            if m.group(2) and m.group(3) == "day":
                return _business_days_after(interview, count)
            days = {"day": 1, "week": 7, "fortnight": 14, "month": 30}[m.group(3)] * count
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


def advise(plan: Plan, today: dt.date, *, at: dt.time | None = None, calls: Sequence[CallMade] = ()) -> TimingAdvice:
    """The one verdict for calling on `today` (at `at`, when the hour is known), given the calls already made."""
    since = (today - plan.interview_date).days if plan.interview_date else None
    if since is not None and since < 0:
        raise InputFileError(f"interview_date {plan.interview_date} is after today ({today}); check the plan")
    call_from = _call_from(plan) if plan.interview_date else None
    facts = _Facts(plan, today, at, tuple(calls), since, call_from)
    for rule in (_thank_you_first, _written, _called_recently, _too_soon):
        advice = rule(facts)
        if advice is not None:
            return advice
    if call_from is None:
        return TimingAdvice(
            "unknown",
            "Add interview_date to your plan to get a date; meanwhile, the usual rule is to wait one to two weeks.",
            ("Send a thank-you email within 24 hours of the interview.", _wait_rule(plan)),
        )
    return _day_and_hour(facts)


@dataclass(frozen=True)
class _Facts:
    plan: Plan
    today: dt.date
    at: dt.time | None
    calls: tuple[CallMade, ...]
    since: int | None  # days since the interview; None without interview_date
    call_from: dt.date | None  # the first day the timeframe allows a call

    def advice(self, verdict: Verdict, headline: str, reasons: list[str], command: str = "") -> TimingAdvice:
        return TimingAdvice(verdict, headline, tuple(reasons), self.call_from, self.since, command)


def _thank_you_first(f: _Facts) -> TimingAdvice | None:
    if f.plan.thank_you_sent is not None or f.since is None or f.since > 1:
        return None
    reasons = ["The thank-you email comes first, within 24 hours of the interview.", _wait_rule(f.plan)]
    headline = "Send your thank-you email today (rehearse script --email drafts it); the call comes later."
    return f.advice("thank_you_first", headline, reasons, "script --email")


def _written(f: _Facts) -> TimingAdvice | None:
    preference = f.plan.contact_preference.lower()
    if not any(word in preference for word in WRITTEN):
        return None
    reasons = [
        f'They said they prefer "{f.plan.contact_preference.strip()}": respect that, or the call itself can cost you.',
        _wait_rule(f.plan),
    ]
    if f.calls:
        reasons.append(f"You called on {f.calls[-1].describe()}; make the next contact in writing.")
    if f.call_from is None:
        headline = "Don't call: write. Send a short follow-up email one to two weeks after the interview."
    elif f.today < f.call_from:
        headline = f"Don't call: write. Wait until {_day(f.call_from)}, then send a short follow-up email."
    else:
        headline = "Don't call: write. Send a short follow-up email today."
    return f.advice("write", headline, reasons)


def _called_recently(f: _Facts) -> TimingAdvice | None:
    if not f.calls or (f.today - f.calls[-1].day).days >= ONE_CALL_DAYS:
        return None
    last = f.calls[-1]
    again = _after(last.day, ONE_CALL_DAYS)
    reasons = [
        "One well-timed call is usually enough; several calls come across as pushy.",
        f"If you have heard nothing by {_day(again)}, one more call or a short email is fine.",
    ]
    headline = f"Don't call again yet: you called on {last.describe()}. Wait for them to come back to you."
    return f.advice("called_recently", headline, reasons)


def _too_soon(f: _Facts) -> TimingAdvice | None:
    if f.call_from is None or f.today >= f.call_from:
        return None
    reasons = [_wait_rule(f.plan), *_thank_you_note(f)]
    slot = next_slot(f.call_from)
    first = slot.day if slot is not None else f.call_from
    hours = f", then call {describe_windows(first)}" if slot is not None else ""
    if first != f.call_from:  # the timeframe runs out on a weekend
        reasons.insert(1, f"{_day(f.call_from)} would be the first day. {why_not(f.call_from, None)}")
    wait = (first - f.today).days
    headline = (
        f"Wait until {_day(first)} ({wait} day{'s' * (wait != 1)}){hours}; calling sooner can come across as pushy."
    )
    return f.advice("wait", headline, reasons)


def _day_and_hour(f: _Facts) -> TimingAdvice:
    reasons = [_wait_rule(f.plan), *_thank_you_note(f)]
    if f.calls:
        reasons.append(f"You called on {f.calls[-1].describe()}: a second call is reasonable now; make it the last.")
    late = f.call_from is not None and (f.today - f.call_from).days > LONG_SILENCE_DAYS
    if late:
        reasons.append("It has been a while: still call, and be ready to hear that the role has been filled.")
    problem = why_not(f.today, f.at)
    if problem:
        slot = next_slot(f.today, f.at)
        when = slot.describe(f.today) if slot else "on a weekday, mid-morning or mid-afternoon"
        return f.advice("call_later", f"Not now: call {when}.", [problem, *reasons])
    verdict: Verdict = "call_now_late" if late else "call_now"
    if f.at is not None:
        return f.advice(verdict, "Now is a good time to call.", reasons)
    # Only the day is known: name its good hours, and why the others are not (a Monday morning, a Friday afternoon).
    half_day = why_not(f.today, MORNING[0]) or why_not(f.today, AFTERNOON[0])
    headline = f"Today is a good time to call: {describe_windows(f.today)}."
    return f.advice(verdict, headline, [*([half_day] if half_day else []), *reasons])


def _thank_you_note(f: _Facts) -> list[str]:
    if f.plan.thank_you_sent is not None:
        return []
    return ["No thank-you email is recorded in your plan; if you have not sent one, a short one still helps."]


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _call_from(plan: Plan) -> dt.date:
    assert plan.interview_date is not None
    deadline = parse_timeframe(plan.timeframe, plan.interview_date) if plan.timeframe else None
    if deadline is None:
        return _after(plan.interview_date, DEFAULT_WAIT_DAYS)
    return _after(deadline, 1)


def _wait_rule(plan: Plan) -> str:
    if plan.timeframe and plan.interview_date and parse_timeframe(plan.timeframe, plan.interview_date):
        deadline = parse_timeframe(plan.timeframe, plan.interview_date)
        assert deadline is not None
        heard = spoken_timeframe(plan.timeframe)
        if heard.split()[0].lower() in PREPOSITIONS or heard.lower().startswith(BARE):
            said = f"They said you would hear {heard}"
        else:  # no phrase that fits after "hear" ("two weeks-ish"): quote them rather than misquote them
            said = f'They said "{plan.timeframe.strip()}" about hearing back'
        return f"{said} ({_day(deadline)}): call only once that has passed."
    if plan.timeframe:
        return (
            f'Could not read the timeframe "{plan.timeframe}" as a date within a year of the interview; using the '
            f"usual {DEFAULT_WAIT_DAYS}-{DEFAULT_WAIT_MAX_DAYS} days."
        )
    days = f"{DEFAULT_WAIT_DAYS}-{DEFAULT_WAIT_MAX_DAYS} days"
    return f"No timeframe was given, so wait the usual one to two weeks ({days})."
