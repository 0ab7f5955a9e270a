"""A phone number as it is said on a voicemail: digit by digit, in short groups, slowly."""

from __future__ import annotations

import re

MIN_DIGITS = 3  # fewer is not a number anyone can call back
EXTENSION_RE = re.compile(r"\s*(?:ext\.?|extension|x)\s*(\d+)\s*$", re.IGNORECASE)


def spoken_number(phone: str) -> str | None:
    """ "555 0143" -> "5 5 5, 0 1 4 3"; "+44 7700 900123" -> "plus 4 4, 7 7 0 0, 9 0 0, 1 2 3".

    The groups the plan wrote are kept (people know their number in those chunks); a run of more than four digits
    is cut into threes, so no group is longer than a listener can hold. None when there is no number to say."""
    text = phone.strip()
    extension = EXTENSION_RE.search(text)
    if extension:
        text = text[: extension.start()]
    if text.startswith("+"):
        text = text.replace("(0)", " ")  # "+44 (0) 7700": the 0 is dialled only from inside the country
    groups = [g for g in re.split(r"[^\d]+", text) if g]
    if sum(len(g) for g in groups) < MIN_DIGITS or re.search(r"[^\d\s()+./-]", text):
        return None
    chunks = [chunk for g in groups for chunk in _chunks(g)]
    said = ", ".join(" ".join(chunk) for chunk in chunks)
    if text.startswith("+"):
        said = f"plus {said}"
    if extension:
        said += f", extension {' '.join(extension.group(1))}"
    return said


def _chunks(digits: str) -> list[str]:
    """Threes while more than four are left, then the rest: 7 -> 3+4, 10 -> 3+3+4 (never a group of one)."""
    out: list[str] = []
    while len(digits) > 4:
        out.append(digits[:3])
        digits = digits[3:]
    return [*out, digits]
