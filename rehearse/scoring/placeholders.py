"""Plan placeholders in rubric, scenario and suggestion text: "{candidate}", "{skill}", "{interviewer}".

One pattern and two ways to fill it: `expand` gives every phrase a multi-valued plan allows (for matching), and
`substitute` gives the one line a suggestion shows (unknown names left as written, for the reader to see).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def expand(phrase: str, values: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every way to fill the phrase's placeholders; none when a placeholder has no value."""
    match = PLACEHOLDER_RE.search(phrase)
    if not match:
        return [phrase]
    out: list[str] = []
    for value in values.get(match.group(1), ()):
        out += expand(phrase[: match.start()] + value + phrase[match.end() :], values)
    return out


def substitute(template: str, values: Mapping[str, str]) -> str:
    """Each placeholder replaced by its one value; a placeholder without a value stays as written."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), template)
