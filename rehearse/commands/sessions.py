"""Commands on saved rehearsals (sessions, show, replay, report, rescore, retranscribe, history, export, import)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_session_commands(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    return None
