"""Pitch trackers compared on signals whose pitch is known: why rehearse/scoring/prosody.py uses Praat
(praat-parselmouth) and not WORLD (pyworld). Prints figures, asserts nothing; pyworld is measured only when it is
installed (`pip install pyworld`; it is not a dependency).

Five 3-second vowel-like pulse trains (a glottal pulse train through three formant resonators) with known F0
contours: a glide 100-200 Hz, a flat 120 Hz, a fall 220-150 Hz, a 1.5 Hz vibrato of +-2 semitones around 180 Hz, and
a statement-like 140 Hz ending in a 6-semitone rise over its last 0.5 s. Each is tracked clean and in white noise at
10 dB SNR; 3 s of noise alone checks that noise is not called voiced.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

RATE = 16000
SECONDS = 3.0
Tracker = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # samples -> (frame times, F0 Hz, 0 = unvoiced)


def _resonate(x: np.ndarray, centre: float, bandwidth: float) -> np.ndarray:
    r = np.exp(-np.pi * bandwidth / RATE)
    a1, a2, b = 2 * r * np.cos(2 * np.pi * centre / RATE), -r * r, 1 - r
    y = np.zeros(len(x))
    y1 = y2 = 0.0
    for i, v in enumerate(x):
        y0 = b * v + a1 * y1 + a2 * y2
        y[i], y2, y1 = y0, y1, y0
    return y


def vowel(f0: np.ndarray) -> np.ndarray:
    """A pulse train following `f0` (Hz per sample) through the formants of an /a/."""
    phase = np.cumsum(f0 / RATE)
    x = np.zeros(len(f0))
    x[np.nonzero(np.diff(np.floor(phase)) > 0)[0]] = 1.0
    for centre, bandwidth in ((700, 130), (1220, 70), (2600, 160)):
        x = _resonate(x, centre, bandwidth)
    return 0.5 * x / np.max(np.abs(x))


def contours() -> list[tuple[str, np.ndarray]]:
    t = np.arange(int(SECONDS * RATE)) / RATE
    return [
        ("glide 100-200 Hz", 100 * 2 ** (t / SECONDS)),
        ("flat 120 Hz", np.full(len(t), 120.0)),
        ("fall 220-150 Hz", 220 * 2 ** (-0.55 * t / SECONDS)),
        ("vibrato 180 Hz +-2 st", 180 * 2 ** (2 / 12 * np.sin(2 * np.pi * 1.5 * t))),
        ("rise +6 st in the last 0.5 s", np.where(t < 2.5, 140.0, 140 * 2 ** ((t - 2.5) / 0.5 * 0.5))),
    ]


def praat(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import parselmouth

    pitch = parselmouth.Sound(x, RATE).to_pitch_ac(time_step=0.01, pitch_floor=60, pitch_ceiling=500)
    return pitch.xs(), pitch.selected_array["frequency"]


def trackers() -> dict[str, Tracker]:
    found: dict[str, Tracker] = {"Praat autocorrelation (parselmouth)": praat}
    try:
        import pyworld
    except ImportError:
        print("pyworld is not installed: only Praat is measured (pip install pyworld to compare)")
        return found

    def dio(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f0, t = pyworld.dio(x, RATE, f0_floor=60, f0_ceil=500, frame_period=10)
        return t, pyworld.stonemask(x, f0, t, RATE)

    def harvest(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f0, t = pyworld.harvest(x, RATE, f0_floor=60, f0_ceil=500, frame_period=10)
        return t, f0

    return {**found, "WORLD DIO + StoneMask (pyworld)": dio, "WORLD Harvest (pyworld)": harvest}


def errors(track: Tracker, f0: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    """(% voiced frames more than 20 % off, median error in cents of the others, % truly voiced frames missed)."""
    times, est = track(x)
    truth = np.interp(times, np.arange(len(f0)) / RATE, f0)
    inside = (times > 0.05) & (times < SECONDS - 0.05)
    voiced = est[inside] > 0
    e, t = est[inside][voiced], truth[inside][voiced]
    gross = np.abs(e / t - 1) > 0.2 if len(e) else np.ones(1, dtype=bool)
    fine = np.abs(1200 * np.log2(e[~gross] / t[~gross])) if (~gross).any() else np.array([np.nan])
    return 100 * float(np.mean(gross)), float(np.median(fine)), 100 * (1 - float(np.mean(voiced)))


def main() -> int:
    cases = [(name, f0, vowel(f0)) for name, f0 in contours()]
    rng = np.random.default_rng(3)
    print(f"{len(cases)} pulse trains of {SECONDS:.0f} s with known F0; gross error = more than 20 % off")
    for name, track in trackers().items():
        track(cases[0][2][:RATE])  # loads the library: not part of the figure
        t0 = time.perf_counter()
        for _, _, x in cases:
            track(x)
        took = (time.perf_counter() - t0) / (len(cases) * SECONDS)
        clean = [errors(track, f0, x) for _, f0, x in cases]
        noisy = [errors(track, f0, x + rng.normal(0, np.std(x) * 10 ** (-10 / 20), len(x))) for _, f0, x in cases]
        _, alone = track(rng.normal(0, 0.05, int(SECONDS * RATE)))
        print(
            f"{name:38s} gross {np.mean([c[0] for c in clean]):4.1f} % clean, {np.mean([n[0] for n in noisy]):4.1f} % "
            f"at 10 dB; fine {np.mean([c[1] for c in clean]):4.1f} cents; voicing missed at 10 dB "
            f"{np.mean([n[2] for n in noisy]):4.1f} %; noise called voiced {100 * np.mean(alone > 0):4.1f} %; "
            f"{took * 1000:.0f} ms per s of audio"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
