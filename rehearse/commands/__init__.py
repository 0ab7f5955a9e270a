"""Command handlers: each takes parsed arguments and the Environment and returns an exit status."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from rehearse.environment import Environment
from rehearse.errors import ExitStatus

Handler = Callable[[argparse.Namespace, Environment], ExitStatus]


def dispatch(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rehearse.commands import basic

    handlers: dict[str, Handler] = {
        "score": basic.cmd_score,
        "practice": basic.cmd_practice,
        "timing": basic.cmd_timing,
        "plan": basic.cmd_plan,
        "scenarios": basic.cmd_scenarios,
    }
    try:
        from rehearse.commands import spoken

        handlers |= spoken.HANDLERS
    except ImportError:  # pragma: no cover - the speech commands are optional while they are being built
        pass
    try:
        from rehearse.commands import sessions

        handlers |= getattr(sessions, "HANDLERS", {})
    except ImportError:  # pragma: no cover
        pass
    return handlers[args.command](args, env)
