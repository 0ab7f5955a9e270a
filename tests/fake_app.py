"""A tiny stand-in for the app, to check the robot's timing: it plays a known sound into the speaker (vout), waits
for the robot's answer on the microphone (vspk.monitor) to end, and starts its reply exactly `--delay` seconds after
the answer's last voiced sample, on PulseAudio's clock (tests/pulse_stream.py). Then the next reply, `--replies`
times, and it exits. It prints the true gap of each reply, `true-gap K MS`: the reply's onset found in its own
recording of vout.monitor minus the answer's end in its recording of vspk.monitor (two record streams of one
process, each placed on time.monotonic() by the latency PulseAudio reports).

    python tests/fake_app.py --delay 0.8 --replies 2
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pulse_stream import RATE, Player, Recorder

END_SILENCE = 0.5  # s of silence that ends the robot's answer for the fake app


def tone(seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((220, 440, 660), start=1))
    return (0.3 * x / np.max(np.abs(x))).astype(np.float32)


def main() -> int:  # noqa: PLR0915
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay", type=float, default=0.8)
    ap.add_argument("--replies", type=int, default=2)
    ap.add_argument("--line", type=float, default=1.2, help="seconds of each interviewer sound")
    args = ap.parse_args()
    out: list[tuple[int, np.ndarray]] = []
    lock = threading.Lock()

    def source(start: int, n: int) -> np.ndarray:
        block = np.zeros(n, np.float32)
        with lock:
            for s0, x in out:
                lo, hi = max(start, s0), min(start + n, s0 + len(x))
                if lo < hi:
                    block[lo - start : hi - start] = x[lo - s0 : hi - s0]
        return block

    heard: list[tuple[int, np.ndarray]] = []
    rec = Recorder("vspk.monitor", lambda i, b: heard.append((i, b)))
    spoken: list[np.ndarray] = []
    rec_out = Recorder("vout.monitor", lambda i, b: spoken.append(b))
    play = Player("vout", source)
    time.sleep(1.0)
    line = tone(args.line)
    with lock:
        out.append((play.written + 1600, line))
    print("Interviewer sound 0", flush=True)
    seen = 0
    for k in range(args.replies):
        last = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.01)
            blocks, seen = heard[seen:], len(heard)
            for i, b in blocks:
                loud = np.nonzero(np.abs(b) > 10 ** (-50 / 20))[0]
                if len(loud) and float(np.sqrt(np.mean(b * b))) > 10 ** (-45 / 20):
                    last = i + int(loud[-1]) + 1
            if last is not None and rec.read - last >= END_SILENCE * RATE:
                break
        if last is None:
            print("fake app: no answer heard", file=sys.stderr)
            return 1
        target = rec.clock.time_of(last) + args.delay
        start = round(play.clock.index_at(target))
        if start <= play.written:
            print(f"fake app: too late to reply on time by {(play.written - start) / RATE:.3f} s", file=sys.stderr)
            return 1
        with lock:
            out.append((start, line))
        print(f"Interviewer sound {k + 1}", flush=True)
        while play.written < start + len(line) + RATE // 2:
            time.sleep(0.05)
        time.sleep(0.3)
        x = np.concatenate(spoken)
        from_ = max(0, round(rec_out.clock.index_at(rec.clock.time_of(last))))
        onset = from_ + int(np.argmax(np.abs(x[from_:]) > 10 ** (-50 / 20)))
        gap = (rec_out.clock.time_of(onset) - rec.clock.time_of(last)) * 1000
        end_t, onset_t = rec.clock.time_of(last), rec_out.clock.time_of(onset)
        print(f"true-gap {k} {gap:.1f} end {end_t:.4f} onset {onset_t:.4f}", flush=True)
    play.close()
    rec.close()
    rec_out.close()
    print("Saved as none", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
