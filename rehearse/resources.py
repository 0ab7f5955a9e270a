"""Where the data files (rubric, scenarios, word lists, sample plan) live."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PROMPTS_ENV = "REHEARSE_PROMPTS"  # point at another prompts/ folder, e.g. a coach's own rubric
# Resolved once: the package does not move while it runs, and the scorer asks for its data on every call.
PACKAGE_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def prompts_dir() -> Path:
    override = os.environ.get(PROMPTS_ENV)
    if override:
        return Path(override)
    return PACKAGE_PROMPTS


def resolved(path: Path) -> Path:
    """`path.resolve()`, remembered for an absolute path: resolving costs a system call per folder, and the loaders
    cached by resolved path (rubric, delivery words) are asked on every call scored. A relative path is resolved
    afresh, as the working folder may have changed."""
    return _resolved_absolute(path) if path.is_absolute() else path.resolve()


@lru_cache(maxsize=64)
def _resolved_absolute(path: Path) -> Path:
    return path.resolve()
