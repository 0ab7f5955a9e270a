"""Which speech detector should end a turn? Measures the three in rehearse.audio.endpoint.

    .venv/bin/python bench/bench_vad.py [--answers N] [--seed S]

Audio is made at run time: espeak-ng answers (two phrases joined by a 0.6 s pause, several voices and rates),
mixed at 10 dB SNR with white noise or with babble (six espeak voices talking at once). Prints, per detector and
condition:
- frame precision / recall / F1 of speech against the clean signal's own activity (10 ms grid, gaps under 0.2 s
  inside speech count as speech, as a listener would hear them);
- through listen() with the default options: how often the 0.6 s pause split an answer, how often an answer was
  missed, the median error of the detected end, and how often 8 s of the noise alone started a false answer;
- CPU seconds per second of audio.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from rehearse.audio.devices import FileMicrophone
from rehearse.audio.endpoint import EndpointOptions, listen
from rehearse.audio.levels import rms_db
from rehearse.audio.vad import (
    EnergyDetector,
    GatedDetector,
    SileroDetector,
    SpeechDetector,
    WebRtcDetector,
    noise_floor_db,
)
from rehearse.values import SAMPLE_RATE, Audio
from tests import audio_helpers
from tests.audio_helpers import espeak

SNR_DB = 10.0
PAUSE = 0.6  # the pause inside every answer
GRID = 160  # 10 ms truth / decision grid
TRUTH_DB = -45.0  # a 10 ms frame of clean espeak speech louder than this is speech
TRUTH_BRIDGE = 0.2  # gaps shorter than this inside speech are speech (stop closures, word joins)
LEAD, TAIL = 1.5, 2.5  # noise before and after each answer fed to listen()
NOISE_ONLY = 8.5  # seconds of noise alone, to count false starts
VOICES = ["en-us", "en", "en-gb-x-rp", "en-029", "en-gb-scotland", "en-us-nyc"]
BABBLE_VOICES = ["en-us", "en", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-us-nyc"]
PHRASES = [
    ("I enjoyed learning about the team", "and how you plan the next release"),
    ("In my last role I led the migration", "of our billing system to the cloud"),
    ("My strongest skill is probably debugging", "especially when the logs are incomplete"),
    ("I would like to ask about the timeline", "for the decision and the next steps"),
    ("We cut the build time in half", "by caching dependencies between runs"),
    ("I think the position fits my experience", "because I have supported customers directly"),
    ("Thank you again for your time today", "I look forward to hearing from you"),
    ("One thing I forgot to mention", "is that I can start next month"),
    ("The hardest part was the data model", "which had grown for ten years"),
    ("I am comfortable presenting to clients", "and I prepare carefully beforehand"),
    ("Could you tell me more about the role", "and who I would be working with"),
    ("I have been following your product", "since the first public version"),
]


def truth(clean: np.ndarray) -> np.ndarray:
    """Speech / non-speech per 10 ms of the clean signal."""
    n = len(clean) // GRID
    labels = np.array([rms_db(clean[i * GRID : (i + 1) * GRID]) > TRUTH_DB for i in range(n)])
    bridge = int(TRUTH_BRIDGE * SAMPLE_RATE / GRID)
    idx = np.nonzero(labels)[0]
    for a, b in itertools.pairwise(idx):
        if 1 < b - a <= bridge:
            labels[a:b] = True
    return labels


def at_snr(noise: np.ndarray, clean: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The noise scaled so that the clean track's active speech is SNR_DB louder."""
    active = np.repeat(labels, GRID)
    speech_power = float(np.mean(clean[: len(active)][active] ** 2))
    gain = np.sqrt(speech_power / (float(np.mean(noise**2)) * 10 ** (SNR_DB / 10)))
    return (gain * noise).astype(np.float32)


def babble(length: int, rng: np.random.Generator) -> np.ndarray:
    return audio_helpers.babble(length, rng, BABBLE_VOICES)


def decisions(detector: SpeechDetector, audio: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """The detector's raw frame decisions, spread onto the 10 ms grid."""
    detector.reset()
    detector.calibrate(calibration, noise_floor_db(calibration, detector.frame_samples))
    n = detector.frame_samples
    per_sample = np.zeros(len(audio), dtype=bool)
    for i in range(0, len(audio) - n + 1, n):
        per_sample[i : i + n] = detector.is_speech(audio[i : i + n])
    return per_sample[: len(audio) // GRID * GRID].reshape(-1, GRID).mean(axis=1) >= 0.5


def prf(pred: np.ndarray, ref: np.ndarray) -> tuple[float, float, float]:
    m = min(len(pred), len(ref))
    pred, ref = pred[:m], ref[:m]
    tp = float(np.sum(pred & ref))
    p = tp / max(1.0, float(np.sum(pred)))
    r = tp / max(1.0, float(np.sum(ref)))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def endpoint_figures(
    make: Callable[[], SpeechDetector], answers: list[np.ndarray], noise: np.ndarray, options: EndpointOptions
) -> tuple[int, int, float, int]:
    """(answers split, answers missed, median |end error| s, false starts in 8 s of noise) through listen()."""
    detector = make()
    split = missed = pos = 0
    errors: list[float] = []
    for ans in answers:
        lead, tail = int(LEAD * SAMPLE_RATE), int(TAIL * SAMPLE_RATE)
        clip = np.concatenate([np.zeros(lead), ans, np.zeros(tail)]).astype(np.float32)
        noisy = clip + noise[pos : pos + len(clip)]
        pos += len(clip)
        cap = listen(FileMicrophone(Audio(noisy), trailing_silence=0.0), options, detector=detector)
        if cap.ended_by == "no_speech" or not len(cap.audio.samples):
            missed += 1
            continue
        clip_start = _locate(noisy, cap.audio.samples)
        end_abs = clip_start / SAMPLE_RATE + cap.speech_end
        true_end = (lead + len(ans)) / SAMPLE_RATE
        split += end_abs < true_end - 0.3
        errors.append(abs(end_abs - true_end))
    alone = noise[pos : pos + int(NOISE_ONLY * SAMPLE_RATE)]
    cap = listen(FileMicrophone(Audio(alone), trailing_silence=0.0), options, detector=detector)
    return split, missed, float(np.median(errors)) if errors else float("nan"), int(cap.ended_by != "no_speech")


def _locate(whole: np.ndarray, part: np.ndarray) -> int:
    """Where the capture starts in the clip fed to listen() (captures are exact copies of a slice)."""
    probe = part[:64]
    for i in range(len(whole) - len(probe) + 1):
        if whole[i] == probe[0] and np.array_equal(whole[i : i + len(probe)], probe):
            return i
    raise ValueError("capture not found in its source")


def build(n_answers: int, seed: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The answers, and one long track (silence, answers, gaps) with its truth labels."""
    rng = np.random.default_rng(seed)
    answers = []
    for i in range(n_answers):
        first, second = PHRASES[i % len(PHRASES)]
        voice, rate = VOICES[i % len(VOICES)], int(rng.integers(140, 176))
        pause = np.zeros(int(PAUSE * SAMPLE_RATE), dtype=np.float32)
        answers.append(np.concatenate([espeak(first, voice, rate), pause, espeak(second, voice, rate)]))
    gap = np.zeros(int(2.5 * SAMPLE_RATE), dtype=np.float32)
    track = np.concatenate([np.zeros(SAMPLE_RATE * 2, dtype=np.float32)] + [x for a in answers for x in (a, gap)])
    return answers, track, truth(track)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=24)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    detectors: dict[str, Callable[[], SpeechDetector]] = {
        "energy+10dB": EnergyDetector,
        "webrtc-2": lambda: WebRtcDetector(2),
        "webrtc-3": lambda: WebRtcDetector(3),
        "energy+6dB": lambda: EnergyDetector(6.0),
        "silero-0.5": SileroDetector,
        "webrtc3+g6": lambda: GatedDetector(WebRtcDetector(3), 6.0),
        "silero+g3": lambda: GatedDetector(SileroDetector(), 3.0),
        "silero+g6auto": lambda: GatedDetector(SileroDetector(), 6.0, only_if_voiced=0.3),
        "webrtc3+g6auto": lambda: GatedDetector(WebRtcDetector(3), 6.0, only_if_voiced=0.3),
        "silero+g6": lambda: GatedDetector(SileroDetector(), 6.0),
    }
    answers, track, labels = build(args.answers, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    long = len(track) * 3 + SAMPLE_RATE * 60  # the track, then every answer again with its lead and tail
    noises = {
        "clean": rng.normal(0, 1, long).astype(np.float32) * 10 ** (-70 / 20),  # dither, not silence
        "white": at_snr(rng.normal(0, 1, long).astype(np.float32), track, labels),
        "babble": at_snr(babble(long, rng), track, labels),
    }
    print(f"{len(answers)} answers, {len(track) / SAMPLE_RATE:.0f} s track, SNR {SNR_DB:.0f} dB, pause {PAUSE} s")
    print(
        f"{'detector':<15} {'noise':<7} {'prec':>5} {'rec':>5} {'F1':>5}  "
        f"{'split@1.0':>9} {'split@0.7':>9} {'missed':>6} {'end err':>7} {'false':>5} {'cpu/s':>7}"
    )
    for name, make in detectors.items():
        for cond, noise in noises.items():
            _row(name=name, make=make, cond=cond, noise=noise, answers=answers, track=track, labels=labels)
    return 0


def _row(
    *,
    name: str,
    make: Callable[[], SpeechDetector],
    cond: str,
    noise: np.ndarray,
    answers: list[np.ndarray],
    track: np.ndarray,
    labels: np.ndarray,
) -> None:
    noisy = (track + noise[: len(track)]).astype(np.float32)
    started = time.process_time()
    p, r, f1 = prf(decisions(make(), noisy, noisy[: SAMPLE_RATE // 2]), labels)
    cpu = (time.process_time() - started) / (len(track) / SAMPLE_RATE)
    rest = noise[len(track) :]
    split, missed, err, false = endpoint_figures(make, answers, rest, EndpointOptions())
    split_07, *_ = endpoint_figures(make, answers, rest, replace(EndpointOptions(), end_silence=0.7))
    n = len(answers)
    print(
        f"{name:<15} {cond:<7} {p:5.2f} {r:5.2f} {f1:5.2f}  {split:>4}/{n:<4} {split_07:>4}/{n:<4} "
        f"{missed:>3}/{n:<2} {err:6.2f}s {false:>5} {cpu:7.4f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
