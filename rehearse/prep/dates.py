"""Dates as a person types them: "today", "yesterday", "last Tuesday", "16 November", "2026-11-16".

Only typed answers (`plan init`) go through here; a plan file keeps strict ISO dates, because "last Tuesday" in a
file would move every week. dateparser reads the English phrases; what it would guess at is refused instead.
"""

from __future__ import annotations

import datetime as dt
import re

ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
EXAMPLES = 'e.g. "today", "yesterday", "last Tuesday", "16 November" or 2026-11-16'


class NotADate(ValueError):
    """The text is not a date we can be sure of; the message says why and what to type."""


def parse_day(text: str, today: dt.date) -> dt.date:
    """The day `text` names, reading relative words from `today` and preferring the past ("Tuesday" is the last
    one). Raises NotADate with a one-line message."""
    text = " ".join(text.split())
    if not text:
        raise NotADate(f"type a date, {EXAMPLES}")
    if ISO_LIKE.match(text):
        try:
            return dt.date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
        except ValueError as exc:
            raise NotADate(f"{text!r} is not a real date ({exc}); {EXAMPLES}") from None
    numeric = NUMERIC.match(text)
    if numeric and _ambiguous(numeric):
        a, b = numeric.group(1), numeric.group(2)
        raise NotADate(f"{text!r} could be day {a} or day {b} of the month; write it as 2026-11-16 or '16 November'")
    return _dateparser(text, today)


def _ambiguous(m: re.Match[str]) -> bool:
    a, b = int(m.group(1)), int(m.group(2))
    return a != b and a <= 12 and b <= 12


def _dateparser(text: str, today: dt.date) -> dt.date:
    import dateparser  # slow to import (~0.3 s): only `plan init` needs it, never `--help`

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        found = None
    if found is None:
        raise NotADate(f"{text!r} is not a date we can read; {EXAMPLES}")
    return found.date()
