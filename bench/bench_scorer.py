"""Scoring speed: one call (median of many) and 1,000 calls. `python bench/bench_scorer.py`"""

from __future__ import annotations

import statistics
import time

from rehearse.demo import example_call
from rehearse.plan import sample_plan
from rehearse.scoring.rubric import load_rubric
from rehearse.scoring.scorer import score_call

GOAL_MS = 5.0


def main() -> None:
    plan = sample_plan()
    rubric = load_rubric()
    calls = [example_call(1, plan), example_call(2, plan), [" ".join(example_call(1, plan)).lower()]]
    score_call(calls[0], plan, rubric)  # the rubric is compiled for the plan once per session
    times = []
    for _ in range(300):
        for c in calls:
            t = time.perf_counter()
            score_call(c, plan, rubric)
            times.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    for i in range(1000):
        score_call(calls[i % 3], plan, rubric)
    total = time.perf_counter() - t
    print(
        f"score one call: median {statistics.median(times):.2f} ms, p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms "
        f"(goal < {GOAL_MS:.0f} ms)"
    )
    print(f"score 1,000 calls: {total:.2f} s ({total:.2f} ms per call)")
    t = time.perf_counter()
    from rehearse.plan import Plan
    from rehearse.scoring.scorer import compile_rubric

    compile_rubric(rubric, Plan("Someone New", position="nurse"))
    print(f"compile the rubric for a new plan: {(time.perf_counter() - t) * 1000:.1f} ms (once per session)")


if __name__ == "__main__":
    main()
