"""Shared fixtures. Every test gets its own recordings and cache folders, never the user's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rehearse.environment import Environment
from rehearse.plan import Plan, sample_plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REHEARSE_RECORDINGS", str(tmp_path_factory.mktemp("recordings")))
    monkeypatch.setenv("REHEARSE_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def plan() -> Plan:
    return sample_plan()


class CliResult:
    def __init__(self, status: int, stdout: str, stderr: str) -> None:
        self.status, self.stdout, self.stderr = status, stdout, stderr


@pytest.fixture
def cli(tmp_path: Path):
    """Run `rehearse ARGS` in-process with captured output; returns a CliResult."""
    from rehearse.cli import main

    def run(*args: str, stdin: str = "") -> CliResult:
        env = Environment(stdin=io.StringIO(stdin), stdout=io.StringIO(), stderr=io.StringIO())
        env.recordings = tmp_path / "recordings"
        try:
            status = main(list(args), env)
        except SystemExit as exc:  # argparse --help / usage errors
            status = int(exc.code or 0)
        return CliResult(int(status), env.stdout.getvalue(), env.stderr.getvalue())

    return run


def guide_example(n: int, plan: Plan) -> list[str]:
    """The guide's example calls, placeholders filled from the plan (the guide allows them as fixtures)."""
    from rehearse.demo import example_call

    return example_call(n, plan)
