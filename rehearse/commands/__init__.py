"""Command handlers: each takes parsed arguments and the Environment and returns an exit status."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from rehearse.environment import Environment
from rehearse.errors import ExitStatus

Handler = Callable[[argparse.Namespace, Environment], ExitStatus]


def dispatch(args: argparse.Namespace, env: Environment) -> ExitStatus:
    # Imported here, not at the top: `rehearse --help` must not pay for what the commands import.
    from rehearse.commands import basic, prep, sessions, spoken

    handlers: dict[str, Handler] = {
        "score": basic.cmd_score,
        "practice": basic.cmd_practice,
        "timing": prep.cmd_timing,
        "plan": prep.cmd_plan,
        "script": prep.cmd_script,
        "scenarios": basic.cmd_scenarios,
        **spoken.HANDLERS,
        **sessions.HANDLERS,
    }
    return handlers[args.command](args, env)
