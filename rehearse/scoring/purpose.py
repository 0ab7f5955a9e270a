"""Purpose overrides the acts: a call that withdraws the application, or one about another matter (a refund, the
interview's expenses, a reference for someone else), follows nothing up."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rehearse.scoring.found import Found

REASON_WORDS = 10  # words after "I'm calling about" that say what the call is for...
OCCASION = frozenset(("from", "after", "at", "since", "during", "before"))  # ...unless they only date the errand
APPLICATION = ("hiring", "position_word", "process", "status", "follow_up")  # ...and that make it the application


def withdrawal(f: Found) -> bool:
    """Words of withdrawing, said and not asked or negated ("I'm not withdrawing")."""
    return any(not f.lay.asked(a) and not f.negated(a) for a, _ in f.tags.spans.get("withdraw", ()))


def _about_application(f: Found, lo: int, hi: int) -> bool:
    """The reason's words are the application's, and an errand does not come first: "calling about the travel
    expenses for the interview" is about the expenses."""
    said = [a for c in APPLICATION for a, _ in f.tags.within(c, lo, hi) if not _occasion(f, lo, a)]
    first = min(said, default=hi)
    return first < hi and not f.has("logistics", lo, first)


def _occasion(f: Found, lo: int, pos: int) -> bool:
    """The application's word only dates an errand: "the mileage claim from the interview day", "the course you
    mentioned after the interview"."""
    return pos - 2 >= lo and f.words[pos - 1] in ("the", "my") and f.words[pos - 2] in OCCASION


def other_matter(f: Found) -> bool:
    """The call is about someone else's application, or it states its reason, the reason is not the candidate's
    own application, and nothing else in the call follows the application up."""
    if f.tags.spans.get("someone_elses") and not f.tags.spans.get("own_application"):
        return True  # "my brother-in-law applied; he asked me to find out": not the caller's own to follow up
    elsewhere: list[tuple[int, int]] = []
    for _a, b in f.tags.spans.get("reason", ()):
        s0, s1 = f.lay.sentence(b - 1)
        obj = (b, min(b + REASON_WORDS, s1))
        if f.has("pointer", b, b + 1) and not f.has("not_own", s0, s1):
            continue  # "I'm calling about that": the interview just mentioned
        if f.has("not_own", s0, s1) or not _about_application(f, *obj):
            elsewhere.append(obj)
    if not elsewhere:
        return False
    follow = [a for c in ("follow_up", "status") for a, _ in f.tags.spans.get(c, ())]
    return all(any(lo <= a < hi for lo, hi in elsewhere) for a in follow)
