"""One typed answer to one `plan init` question, checked on its own: a mistyped date asks for that date again
instead of throwing away every answer typed so far."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rehearse.prep.dates import NotADate, parse_day
from rehearse.prep.phone import spoken_number

DATE_FIELDS = ("interview_date", "thank_you_sent")


class BadAnswer(ValueError):
    """The answer cannot be used; the message names the problem and what to type instead."""


def parse_answer(field: str, text: str, today: dt.date) -> Any:
    """The plan value for a typed answer: skills as a list, dates as dates (never in the future), text as text.
    Blank is "not given" (None), except for the candidate's name, which a plan needs."""
    text = text.strip()
    if field == "candidate" and not text:
        raise BadAnswer("a plan needs your name, as you'd say it on the phone")
    if not text:
        return None
    if field == "phone" and spoken_number(text) is None:
        # The voicemail script says the number digit by digit: words or a stray letter cannot be said back.
        raise BadAnswer(f"{text!r} is not a phone number; type its digits, e.g. 555 0143 or +44 7700 900123")
    if field == "skills":
        return [s.strip() for s in text.split(",") if s.strip()]
    if field in DATE_FIELDS:
        try:
            day = parse_day(text, today)
        except NotADate as exc:
            raise BadAnswer(str(exc)) from None
        if day > today:
            raise BadAnswer(f"{text!r} is {day:%A} {day.day} {day:%B %Y}, after today; give the day it happened")
        return day
    return text
