"""Shared fixtures. Every test gets its own recordings and cache folders, never the user's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rehearse.environment import Environment
from rehearse.plan import Plan, sample_plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = str(ROOT / "prompts" / "plans" / "sample.toml")
# A short typed call that covers most sections: the saved rehearsal many session tests start from.
ANSWERS = "\n".join(
    [
        "Hi Maribel, this is Jordan Avery; I interviewed for the operations analyst role.",
        "I'm calling to follow up and to say I'm still very interested.",
        "Could you tell me what the next steps are?",
        "Thank you for your time, I look forward to hearing from you.",
    ]
)


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


@pytest.fixture
def typed_session(cli, tmp_path: Path) -> str:
    """The id of a typed rehearsal of ANSWERS, saved in the test's recordings folder."""
    from rehearse import store

    r = cli("practice", "--text", "--plan", SAMPLE_PLAN, "--no-timing", stdin=ANSWERS + "\n")
    assert r.status == 0, r.stderr
    (sid,) = store.session_ids(tmp_path / "recordings")
    return sid
