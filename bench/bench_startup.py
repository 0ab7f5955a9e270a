"""Start-up and memory: `rehearse --help` cold start, and the peak RSS of a whole demo.

`python bench/bench_startup.py`
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HELP_GOAL_MS = 250


def main() -> None:
    exe = [sys.executable, "-m", "rehearse"]
    times = []
    for _ in range(15):
        t = time.perf_counter()
        subprocess.run([*exe, "--help"], check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"rehearse --help cold start: median {statistics.median(times):.0f} ms, min {min(times):.0f} ms "
        f"(goal < {HELP_GOAL_MS} ms; a bare `python -c pass` is included)"
    )
    base = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append((time.perf_counter() - t) * 1000)
    print(f"  of which the Python interpreter itself: median {statistics.median(base):.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "REHEARSE_RECORDINGS": tmp, "REHEARSE_CACHE": os.path.join(tmp, "cache")}
        t = time.perf_counter()
        subprocess.run([*exe, "demo"], check=True, capture_output=True, env=env)
        wall = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"rehearse demo (full spoken rehearsal, cold TTS cache): {wall:.1f} s wall, peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
