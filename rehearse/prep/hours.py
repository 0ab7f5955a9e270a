"""When in the week to ring: a weekday, mid-morning or mid-afternoon; not a weekend, a Monday morning or a Friday
afternoon. Each "not now" comes with the reason, so the advice can be weighed rather than obeyed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MORNING = (dt.time(10, 0), dt.time(11, 30))  # people are settled in, the first meetings are over
AFTERNOON = (dt.time(14, 0), dt.time(16, 0))  # after lunch, before the end-of-day rush
MONDAY, FRIDAY, SATURDAY = 0, 4, 5
SEARCH_DAYS = 8  # a good slot is never more than a weekend away


@dataclass(frozen=True)
class Slot:
    day: dt.date
    start: dt.time
    end: dt.time

    def describe(self, today: dt.date) -> str:
        when = "today" if self.day == today else f"{self.day:%A} {self.day.day} {self.day:%B}"
        return f"{when}, {self.start:%H:%M}–{self.end:%H:%M}"


def windows(day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
    """The good windows of a day: none at the weekend, only the afternoon on a Monday, only the morning on a
    Friday."""
    weekday = day.weekday()
    if weekday >= SATURDAY:
        return ()
    if weekday == MONDAY:
        return (AFTERNOON,)
    if weekday == FRIDAY:
        return (MORNING,)
    return (MORNING, AFTERNOON)


def describe_windows(day: dt.date) -> str:
    """ "mid-morning (10:00–11:30) or mid-afternoon (14:00–16:00)", or the one of them a Monday or Friday has."""
    names = {MORNING: "mid-morning", AFTERNOON: "mid-afternoon"}
    return " or ".join(f"{names[w]} ({w[0]:%H:%M}–{w[1]:%H:%M})" for w in windows(day))


def why_not(day: dt.date, at: dt.time | None) -> str:
    """Why `day` (at `at`) is a poor moment to call; "" when it is a good one (at None: whether the day has any
    good window)."""
    weekday = day.weekday()
    if weekday >= SATURDAY:
        return "It is the weekend: they are not at work, and a message left now sits under Monday's pile."
    if at is None:
        return ""
    if weekday == MONDAY and at < AFTERNOON[0]:
        return "Monday mornings go on catching up and planning the week; Monday afternoon is fine."
    if weekday == FRIDAY and at >= dt.time(12, 0):
        return "On a Friday afternoon people are wrapping up the week, and a message waits over the weekend."
    if any(start <= at <= end for start, end in windows(day)):
        return ""
    if at < MORNING[0]:
        return "Before 10:00 people are settling in and working through their email."
    if at < AFTERNOON[0]:
        return "Around lunchtime you are likely to reach nobody, or someone between meetings."
    return "Late in the day people are finishing their own work; a call then gets a hurried answer."


def next_slot(day: dt.date, at: dt.time | None = None) -> Slot | None:
    """The first good window on or after `day` (after `at` on that day); None past the calendar's end."""
    for offset in range(SEARCH_DAYS):
        try:
            current = day + dt.timedelta(days=offset)
        except OverflowError:
            return None
        for start, end in windows(current):
            if offset == 0 and at is not None and at > end:
                continue
            return Slot(current, max(start, at) if offset == 0 and at is not None else start, end)
    return None
