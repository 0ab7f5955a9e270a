"""The plan's timeframe as a phrase that fits after a verb: "within 10 days", "by Friday", "by 4 December".

Plans hold what the interviewer said, in any form ("10 days", "by Friday", "the end of next week", "2026-12-04").
Templates say "we expect to decide {when}", so the phrase must carry exactly one fitting preposition: any the
user typed are stripped first, then one is chosen from what is left.
"""

from __future__ import annotations

import datetime as dt
import re

PREPOSITIONS = ("within", "by", "in", "before", "on", "at", "around", "about", "after", "over", "until", "till")
UNITS = r"(?:day|days|week|weeks|month|months|business days|working days|fortnight|hours?)"
DURATION_RE = re.compile(
    rf"^(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|"
    rf"a couple|couple of|few|several)(?:\s+(?:more|business|working))?\s+{UNITS}$"
)
WEEKDAY_RE = re.compile(r"^(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$")
BARE = (
    "next week",
    "this week",
    "next month",
    "this month",
    "tomorrow",
    "today",
    "soon",
    "shortly",
    "early next",
    "later this",
    "sometime",
    "any day",
    "asap",
    "as soon as",
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
NO_TIMEFRAME = "in the next week or two"  # said when the plan has no timeframe


def spoken_timeframe(timeframe: str) -> str:
    """One grammatical adverbial phrase for any timeframe; NO_TIMEFRAME when there is none."""
    core = _strip(timeframe)
    if not core:
        return NO_TIMEFRAME
    low = core.lower()
    date = _iso_date(low)
    if date is not None:
        return f"by {date.day} {MONTHS[date.month - 1].title()}"
    if DURATION_RE.match(low):
        return f"within {core}"
    if low.startswith(BARE):
        return core
    if low.startswith("end of") or low.startswith("middle of") or low.startswith("start of"):
        return f"by the {core}"
    if low.startswith("the "):
        return f"by {core}"
    if WEEKDAY_RE.match(low) or low.split()[0].strip("-") in MONTHS or low.startswith(("mid", "early", "late")):
        return f"by {core}"
    return f"by {core}" if re.match(r"^\d", low) else core


def _strip(text: str) -> str:
    words = text.strip().strip(".").split()
    while words and words[0].lower() in PREPOSITIONS:
        words.pop(0)
    return " ".join(words)


def _iso_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
