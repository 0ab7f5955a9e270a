"""Noise suppression before Whisper, on whole spoken calls: `python bench/bench_noise.py [--calls N] [--only NAMES]`.

Calls from the labelled corpora (tests/corpus and tests/corpus_blind, `split = "tune"` files only: held-out calls are
never spoken, scored or read) are spoken answer by answer, each call in one of six voices (espeak-ng en-us, en+f3,
en-gb-x-rp; flite slt, awb, rms), at a speech level of -26 dBFS with 0.3 s of room before and after. Three
conditions: clean; white noise at 10 dB SNR; babble (six other espeak voices talking at once) at 10 dB SNR. The SNR is
against the active speech (10 ms frames above -45 dBFS in the clean answer), as in bench/bench_vad.py.

Each answer goes through a suppressor (or none) and then the default engine (WhisperTranscriber: tiny.en int8, beam
5, the plan's Hints as the app sends them). Printed per condition and suppressor:
- STT WER over all answers (words weighted, after lowercasing and dropping punctuation);
- section macro F1 of the transcribed call, scored by rehearse.scoring against the call's labels (the written text
  scores the "text" line: the ceiling speech can reach);
- the suppressor's time per answer (median) and per second of audio.
The noisy audio is made once per condition (seeded), so every suppressor hears the same samples.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import random
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.audio_helpers, tests.robot; rehearse uninstalled

from rehearse.plan import plan_from_dict
from rehearse.scoring.accuracy import Evaluation, LabelledCall, evaluate
from rehearse.stt import WhisperTranscriber, wer
from rehearse.values import SAMPLE_RATE, SECTION_IDS, Audio, Hints
from tests.audio_helpers import espeak
from tests.robot import say

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / "tests" / "corpus", ROOT / "tests" / "corpus_blind")
CALLS_PER_CORPUS = 12  # 24 calls, ~270 answers with the default
SEED = 9
SNR_DB = 10.0
SPEECH_DBFS = -26.0  # RMS of the active speech: a laptop microphone at arm's length
ACTIVE_DB = -45.0  # a 10 ms frame of the clean answer louder than this is speech
FRAME = 160  # 10 ms
PAD_SECONDS = 0.3  # room before and after each answer, as the endpointer hands it over
VOICES = (("espeak-ng", "en-us"), ("flite", "slt"), ("espeak-ng", "en+f3"), ("flite", "awb"))
VOICES += (("espeak-ng", "en-gb-x-rp"), ("flite", "rms"))
BABBLE_VOICES = ("en", "en-029", "en-gb-scotland", "en-us-nyc", "en-gb-x-gbclan", "en+m3")
BABBLE_TEXT = (
    "The weather has been strange this week with rain every afternoon and sun in the morning",
    "Did you see the match last night it went to extra time and then penalties",
    "We should book the restaurant early because it gets busy on Fridays",
    "The train was late again so I missed the start of the meeting",
    "Remember to bring the charger and the spare cables for the projector",
    "Her new flat is near the park and the rent is surprisingly reasonable",
)
Suppressor = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class SpokenCall:
    call: LabelledCall
    voice: str  # "engine/voice"
    answers: tuple[np.ndarray, ...]  # clean, padded, 16 kHz float32; one per utterance
    power: tuple[float, ...]  # mean power of each answer's active speech


@dataclass(frozen=True)
class Outcome:
    wer: float
    evaluation: Evaluation
    seconds: tuple[float, ...]  # suppressor time per answer
    audio_seconds: float
    heard: tuple[LabelledCall, ...]  # the calls as transcribed


def tune_calls(folder: Path) -> list[LabelledCall]:
    """The folder's tune calls; a held-out file is dropped as soon as its split is known."""
    calls = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        if data.get("split") != "tune":
            continue
        labels = data["labels"]
        plan = plan_from_dict(data["plan"], path=path) if "plan" in data else None
        calls.append(
            LabelledCall(
                path.stem,
                "tune",
                data.get("kind", "call"),
                plan,
                tuple(labels.get("candidate", data.get("candidate", []))),
                {s: bool(labels[s]) for s in SECTION_IDS},
                frozenset(labels.get("pitfalls", [])),
            )
        )
    return calls


def pick_calls(per_corpus: int) -> list[LabelledCall]:
    rng = random.Random(SEED)
    picked: list[LabelledCall] = []
    for folder in CORPORA:
        calls = tune_calls(folder)
        picked += sorted(rng.sample(calls, min(per_corpus, len(calls))), key=lambda c: c.name)
    return picked


def active_power(samples: np.ndarray) -> float:
    n = len(samples) // FRAME
    frames = samples[: n * FRAME].reshape(n, FRAME)
    power = np.mean(frames**2, axis=1)
    loud = power > 10 ** (ACTIVE_DB / 10)
    return float(np.mean(power[loud])) if loud.any() else float(np.mean(power) + 1e-12)


def speak(text: str, engine: str, voice: str) -> tuple[np.ndarray, float]:
    """One answer at SPEECH_DBFS with PAD_SECONDS of silence each side, and its active speech power."""
    samples = espeak(text, voice, rate=160) if engine == "espeak-ng" else say(text, engine, voice)
    samples = samples * (10 ** (SPEECH_DBFS / 20) / np.sqrt(active_power(samples)))
    pad = np.zeros(int(PAD_SECONDS * SAMPLE_RATE), np.float32)
    padded = np.concatenate([pad, samples, pad]).astype(np.float32)
    return padded, active_power(padded)


def speak_calls(calls: list[LabelledCall]) -> list[SpokenCall]:
    spoken = []
    for i, call in enumerate(calls):
        engine, voice = VOICES[i % len(VOICES)]
        pairs = [speak(text, engine, voice) for text in call.utterances]
        spoken.append(SpokenCall(call, f"{engine}/{voice}", tuple(a for a, _ in pairs), tuple(p for _, p in pairs)))
    return spoken


def babble_track(seconds: float, rng: np.random.Generator) -> np.ndarray:
    length = int(seconds * SAMPLE_RATE)
    out = np.zeros(length, dtype=np.float32)
    for voice, text in zip(BABBLE_VOICES, BABBLE_TEXT, strict=True):
        talk = espeak(text, voice, int(rng.integers(150, 190)))
        reps = np.tile(talk, length // len(talk) + 2)
        start = int(rng.integers(0, len(talk)))
        out += reps[start : start + length] / (np.sqrt(np.mean(talk**2)) + 1e-9)
    return out


def noisy(calls: list[SpokenCall], kind: str) -> list[list[np.ndarray]]:
    """Every answer with `kind` noise ("white" or "babble") at SNR_DB against its active speech."""
    rng = np.random.default_rng(SEED)
    track = babble_track(60.0, rng) if kind == "babble" else None
    out = []
    for spoken in calls:
        answers = []
        for samples, power in zip(spoken.answers, spoken.power, strict=True):
            if track is None:
                noise = rng.standard_normal(len(samples)).astype(np.float32)
            else:
                start = int(rng.integers(0, len(track) - len(samples)))
                noise = track[start : start + len(samples)]
            gain = np.sqrt(power / (float(np.mean(noise**2)) * 10 ** (SNR_DB / 10)))
            answers.append((samples + gain * noise).astype(np.float32))
        out.append(answers)
    return out


# ------------------------------------------------------------------------------------------------ suppressors


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 32767 / 32768) * 32768).astype(np.int16)


def webrtc(level: int) -> Suppressor:
    """webrtc-noise-gain: WebRTC's noise suppression (level 1-4), automatic gain off; 16 kHz int16, 10 ms frames."""
    from webrtc_noise_gain import AudioProcessor

    def run(samples: np.ndarray) -> np.ndarray:
        processor = AudioProcessor(0, level)
        pcm = to_pcm16(samples)
        whole = len(pcm) // FRAME * FRAME
        out = b"".join(processor.Process10ms(pcm[i : i + FRAME].tobytes()).audio for i in range(0, whole, FRAME))
        cleaned = np.frombuffer(out, dtype=np.int16).astype(np.float32) / 32768
        return np.concatenate([cleaned, samples[whole:]]).astype(np.float32)

    return run


def rnnoise() -> Suppressor:
    """RNNoise (pyrnnoise's librnnoise): 48 kHz, 10 ms frames of int16-scaled floats; soxr up and back down."""
    import soxr
    from pyrnnoise.rnnoise import FRAME_SIZE, create, destroy, lib

    def run(samples: np.ndarray) -> np.ndarray:
        up = soxr.resample(samples, SAMPLE_RATE, 48000).astype(np.float32) * 32768
        whole = -(-len(up) // FRAME_SIZE) * FRAME_SIZE
        buffer = np.zeros(whole, dtype=np.float32)
        buffer[: len(up)] = up
        state = create()
        try:
            for i in range(0, whole, FRAME_SIZE):
                frame = buffer[i : i + FRAME_SIZE]
                ptr = frame.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
                lib.rnnoise_process_frame(state, ptr, ptr)
        finally:
            destroy(state)
        down = soxr.resample(buffer[: len(up)] / 32768, 48000, SAMPLE_RATE)
        return np.clip(down[: len(samples)], -1.0, 1.0).astype(np.float32)

    return run


def noisereduce(stationary: bool) -> Suppressor:
    """noisereduce's spectral gating, with its noise estimated from the clip itself."""
    import noisereduce as nr

    def run(samples: np.ndarray) -> np.ndarray:
        return np.asarray(nr.reduce_noise(y=samples, sr=SAMPLE_RATE, stationary=stationary), dtype=np.float32)

    return run


SUPPRESSORS: dict[str, Callable[[], Suppressor | None]] = {
    "none": lambda: None,
    "webrtc-2": lambda: webrtc(2),
    "webrtc-3": lambda: webrtc(3),
    "rnnoise": rnnoise,
    "noisereduce": lambda: noisereduce(stationary=False),
    "noisereduce-stat": lambda: noisereduce(stationary=True),
}
DEFAULT_SUPPRESSORS = ("none", "webrtc-2", "rnnoise", "noisereduce")


# ------------------------------------------------------------------------------------------------ running


def run_condition(
    stt: WhisperTranscriber, calls: list[SpokenCall], audio: list[list[np.ndarray]], suppress: Suppressor | None
) -> Outcome:
    edits = words = 0.0
    seconds: list[float] = []
    heard: list[LabelledCall] = []
    for spoken, answers in zip(calls, audio, strict=True):
        hints = Hints.from_plan(spoken.call.plan) if spoken.call.plan else None
        texts = []
        for reference, samples in zip(spoken.call.utterances, answers, strict=True):
            start = time.perf_counter()
            cleaned = suppress(samples) if suppress else samples
            seconds.append(time.perf_counter() - start)
            text = stt.transcribe(Audio(cleaned), hints=hints).text
            n = len(reference.split())
            edits, words = edits + wer(reference, text) * n, words + n
            texts.append(text)
        heard.append(replace(spoken.call, utterances=tuple(t for t in texts if t)))
    total_audio = sum(len(a) for answers in audio for a in answers) / SAMPLE_RATE
    return Outcome(edits / words, evaluate(heard), tuple(seconds), total_audio, tuple(heard))


def row(condition: str, name: str, outcome: Outcome) -> str:
    per_section = " ".join(f"{outcome.evaluation.sections[s].f1:.2f}" for s in SECTION_IDS)
    if name == "none":
        timing = ""
    else:
        median_ms = statistics.median(outcome.seconds) * 1000
        timing = f"{median_ms:>7.1f} ms {sum(outcome.seconds) / outcome.audio_seconds * 1000:>5.1f} ms/s"
    return f"{condition:<8}{name:<18}{outcome.wer:>7.1%}{outcome.evaluation.macro_f1:>8.3f}   {per_section}  {timing}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=CALLS_PER_CORPUS, help="tune calls per corpus")
    parser.add_argument("--only", default=",".join(DEFAULT_SUPPRESSORS), help=f"of {', '.join(SUPPRESSORS)}")
    parser.add_argument("--conditions", default="clean,white,babble")
    parser.add_argument("--dump", type=Path, help="write every transcript to this JSON file")
    args = parser.parse_args()
    begin = time.perf_counter()
    calls = speak_calls(pick_calls(args.calls))
    n_answers = sum(len(c.answers) for c in calls)
    audio_seconds = sum(len(a) for c in calls for a in c.answers) / SAMPLE_RATE
    print(f"{len(calls)} tune calls, {n_answers} answers, {audio_seconds:.0f} s of speech per condition")
    print(f"text only (no speech): section macro F1 {evaluate([c.call for c in calls]).macro_f1:.3f}")
    stt = WhisperTranscriber()
    stt.load()
    stt.warm_up()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    suppressors = {name: SUPPRESSORS[name]() for name in names}
    sections = " ".join(s[:4] for s in SECTION_IDS)
    print(f"{'audio':<8}{'suppressor':<18}{'WER':>7}{'F1':>8}   {sections}  {'per answer':>10} {'per s':>8}")
    dumped: dict[str, dict[str, list[str]]] = {}
    for condition in args.conditions.split(","):
        audio = [list(c.answers) for c in calls] if condition == "clean" else noisy(calls, condition)
        for name, suppress in suppressors.items():
            outcome = run_condition(stt, calls, audio, suppress)
            print(row(condition, name, outcome), flush=True)
            dumped[f"{condition}/{name}"] = {c.name: list(c.utterances) for c in outcome.heard}
    if args.dump:
        args.dump.write_text(json.dumps(dumped, indent=1), "utf-8")
    print(f"total {time.perf_counter() - begin:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
