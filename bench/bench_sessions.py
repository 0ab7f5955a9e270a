"""Saved-rehearsal commands at scale: `rehearse sessions` and `rehearse history` over 1,000 generated sessions,
and the time to write an HTML report. `python bench/bench_sessions.py`"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rehearse import store
from rehearse.demo import example_call
from rehearse.loop import finish
from rehearse.plan import sample_plan
from rehearse.values import Audio, Session, Turn

SESSIONS = 1000
GOAL_S = 3.0


def generate(root: Path, n: int) -> None:
    plan = sample_plan()
    lines = example_call(1, plan)
    rng = np.random.default_rng(1)
    for i in range(n):
        head = Session(
            "",
            f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00",
            "receptive",
            "typed",
            plan={"candidate": plan.candidate, "position": plan.position},
        )
        rec = store.SessionRecorder.create(root, head)
        keep = [ln for ln in lines if rng.random() > 0.3]
        t = 0.0
        for _j, text in enumerate(keep):
            rec.add_turn(Turn(len(rec.session.turns), "interviewer", "Mm-hm.", t, t + 1), None)
            rec.add_turn(Turn(len(rec.session.turns), "candidate", text, t + 1, t + 5), None)
            t += 5
        rec.finish(finish(rec.session, plan))


def timed(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "recordings"
        t = time.perf_counter()
        generate(root, SESSIONS)
        print(f"generated {SESSIONS} sessions in {time.perf_counter() - t:.1f} s")
        env = {**os.environ, "REHEARSE_RECORDINGS": str(root), "NO_COLOR": "1", "COLUMNS": "100"}
        exe = [sys.executable, "-m", "rehearse"]
        for name in ("sessions", "history"):
            secs = timed([*exe, name], env)
            print(f"rehearse {name} over {SESSIONS} sessions: median {secs:.2f} s (goal < {GOAL_S:.0f} s)")
        # an HTML report with audio: one session with 12 turns of 6 s of audio each
        rec = store.SessionRecorder.create(
            root, Session("", "2026-11-26T10:00:00", "receptive", "spoken", plan={"candidate": "Jordan Avery"})
        )
        for j, text in enumerate(example_call(1, sample_plan()) * 2):
            audio = Audio(np.random.default_rng(j).normal(0, 0.05, 6 * 16000).astype(np.float32))
            rec.add_turn(Turn(j, "candidate" if j % 2 else "interviewer", text, j * 6.0, j * 6.0 + 6), audio)
        rec.finish(finish(rec.session, sample_plan()))
        out = Path(tmp) / "r.html"
        secs = timed([*exe, "report", rec.session.id, "--format", "html", "--output", str(out)], env)
        size = out.stat().st_size / 1e6
        print(f"write an HTML report (12 turns, 72 s of audio embedded): median {secs:.2f} s, {size:.1f} MB")


if __name__ == "__main__":
    main()
