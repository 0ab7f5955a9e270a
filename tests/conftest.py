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
    skill, other = plan.skills[0], plan.skills[-1]
    if n == 1:
        return [
            f"Good afternoon, Ms. {plan.interviewer.split()[-1]}. This is {plan.candidate}. I hope you're well.",
            f"I'm calling to follow up on the {plan.position} role I interviewed for last week and to express my "
            "continued interest in the position.",
            "I wanted to reiterate how excited I am about the opportunity to contribute to your team, especially "
            f"given my experience with {skill}.",
            "You mentioned during the interview that the team was looking for someone with experience in "
            f"{plan.concern}. I wanted to clarify how my background in {other} aligns with this requirement.",
            "Could you please provide me with an update on the next steps in the hiring process?",
            "Thank you for your time today. I look forward to your response.",
        ]
    return [
        f"Hello, Mr. {plan.interviewer.split()[-1]}. This is {plan.candidate}. I hope you're having a great day.",
        f"I'm following up on my recent interview for the {plan.position} position and wanted to touch base on the "
        "status of my application.",
        f"I'm very enthusiastic about the role and believe my skills in {skill} would be a great fit for your team.",
        f"I recall you had some questions about my experience with {plan.concern}. I'd be happy to provide further "
        "details if needed.",
        "When can I expect to hear back regarding the next steps?",
        "Thank you for considering my application. I'm eager to hear from you soon.",
    ]
