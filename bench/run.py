"""Every benchmark, one after the other: `python bench/run.py` (or `make bench`). Prints figures, asserts nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("scorer speed", "bench_scorer.py"),
    ("scorer accuracy (both labelled corpora)", "accuracy.py"),
    ("saved sessions at scale", "bench_sessions.py"),
    ("start-up and memory", "bench_startup.py"),
    ("reply latency of the fixed-silence listener (the demo's path)", "bench_latency.py"),
    ("speech-to-text", "bench_stt.py"),
    ("whole calls in noise: STT WER and section F1, clean vs 10 dB SNR", "bench_noise.py"),
    ("end-of-turn detectors", "bench_vad.py"),
    ("spoken calls with the robot candidate (reply gap, splits)", "bench_conversation.py"),
    ("conversation corpus and dialogue acts (typed)", "bench_dialogue.py"),
    ("pitch trackers on known contours (why Praat)", "bench_pitch.py"),
    ("delivery measures on labelled clips: uptalk, monotone, trailing off", "bench_delivery.py"),
]


def main() -> int:
    failed = 0
    for title, script in BENCHES:
        print(f"\n== {title} ({script})", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
