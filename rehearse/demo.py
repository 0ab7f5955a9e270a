"""The demo's script: the guide's example calls, personalised from a plan, said by a synthetic candidate."""

from __future__ import annotations

import tomllib

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.wording import fill


def _data() -> dict:
    return tomllib.loads((prompts_dir() / "demo.toml").read_text("utf-8"))


def example_call(n: int, plan: Plan) -> list[str]:
    """Example call 1 or 2 of the guide, one line per section, filled from the plan."""
    skills = plan.skills or ("[your key skill]",)
    extra = {"skill2": skills[-1], "concern": plan.concern or "[the concern they raised]"}
    return [fill(line, plan, extra) for line in _data()[f"example_{n}"]]


def ask_for_interviewer(plan: Plan) -> str:
    return fill(_data()["ask_for_interviewer"], plan)
