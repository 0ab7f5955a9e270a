"""Feedback and suggested lines, in the plan's own terms."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.plan import Plan
from rehearse.scoring.placeholders import substitute
from rehearse.scoring.rubric import SectionSpec
from rehearse.values import ElementMatch

# What a suggestion says where the plan has no value: a visible slot the user fills in while rehearsing.
GENERIC = {
    "candidate": "[your name]",
    "interviewer": "[their name]",
    "position": "[position]",
    "company": "[company]",
    "skill": "[your key skill]",
    "concern": "[the concern they raised]",
    "timeframe": "[the timeframe they gave]",
    "phone": "[your number]",
}


def plan_fill_values(plan: Plan | None) -> dict[str, str]:
    values = dict(GENERIC)
    if plan is None:
        return values
    values["candidate"] = plan.candidate
    for key in ("interviewer", "position", "company", "concern", "timeframe", "phone"):
        if getattr(plan, key):
            values[key] = getattr(plan, key)
    if plan.skills:
        values["skill"] = plan.skills[0]
    return values


def fill(template: str, plan: Plan | None, extra: dict[str, str] | None = None) -> str:
    values = plan_fill_values(plan) | (extra or {})
    return substitute(template, values)


def section_feedback(
    spec: SectionSpec,
    matches: Sequence[ElementMatch],
    present: bool,
    plan: Plan | None,
    thin: frozenset[str] = frozenset(),
) -> tuple[tuple[str, ...], str]:
    """What to say about a section: one line per missing element, one per element said only thinly (`thin`: an
    answer to the concern that only offers to say more), plus an example line when it is weak."""
    notes: list[str] = [fill(e.thin, plan) for e in spec.elements if e.id in thin and e.thin]
    # Of alternatives (an answered concern, or a question about the role), one realised leaves nothing owed.
    done = any(m.matched for m in matches if m.id in spec.present_with)
    for espec, m in zip(spec.elements, matches, strict=True):
        owed = espec.id not in spec.present_with or not done
        if not m.matched and espec.missing and (espec.required or present) and owed:
            notes.append(fill(espec.missing, plan))
    if not present and not notes:
        notes.append(spec.advice)
    suggestion = fill(spec.example, plan) if (not present or len(notes) > 1) else ""
    return tuple(notes), suggestion
