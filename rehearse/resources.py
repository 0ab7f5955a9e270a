"""Where the data files (rubric, scenarios, word lists, sample plan) live."""

from __future__ import annotations

import os
from pathlib import Path

PROMPTS_ENV = "REHEARSE_PROMPTS"  # point at another prompts/ folder, e.g. a coach's own rubric


def prompts_dir() -> Path:
    override = os.environ.get(PROMPTS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "prompts"
