"""Reply latency of the spoken loop: last speech sample -> the interviewer's reply starts playing.

Split into the end-of-turn wait (the silence that proves the answer is over) and processing (finishing the
transcript, scoring, choosing and synthesising the reply). Real parts: espeak-ng answers of ~10 s served in real
time, the Silero endpointer, tiny.en, the scenario engine and pyttsx3. Compared with and without transcribing at
pauses while the candidate is still talking. `python bench/bench_latency.py [--trials N]`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.audio_helpers, and rehearse uninstalled

from rehearse.audio.devices import FileMicrophone
from rehearse.audio.endpoint import EndpointOptions
from rehearse.audio.listen_events import SpeechEnded
from rehearse.audio.tts import INTERVIEWER_VOICE, Pyttsx3Synthesizer
from rehearse.loop import NullRecorder, Rehearsal
from rehearse.plan import sample_plan
from rehearse.scenario import Interviewer, load_scenario
from rehearse.speech import SpokenListener, SpokenVoice
from rehearse.stt import Hints, IncrementalTranscriber, WhisperTranscriber
from rehearse.values import SAMPLE_RATE, Audio, Session
from tests.audio_helpers import espeak

ANSWERS = [
    "Good afternoon, this is Jordan Avery. I interviewed with you last week for the operations analyst role. "
    "I hope you are well and that the week is going smoothly.",
    "I am calling to follow up on my interview, and to say that I am still very interested in the position. "
    "I really enjoyed meeting the team.",
    "I wanted to add that I have four years of route planning behind me, and I built the SQL reporting "
    "that my current team uses every morning.",
]
LEAD = 0.8  # seconds of room noise before the answer (calibration)
GOAL_MS = 250


def answer_audio(text: str) -> np.ndarray:
    return espeak(text, "en-us", rate=150) * 0.5


class ClockSpeaker:
    def __init__(self) -> None:
        self.started: list[float] = []

    def play(self, audio: Audio) -> None:
        self.started.append(time.monotonic())

    def stop(self) -> None:
        pass


def trial(
    stt: IncrementalTranscriber, tts: Pyttsx3Synthesizer, answer: np.ndarray, incremental: bool
) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    clip = np.concatenate([np.zeros(int(LEAD * SAMPLE_RATE), np.float32), answer]).astype(np.float32)
    clip += rng.normal(0, 10 ** (-62 / 20), len(clip)).astype(np.float32)
    mic = FileMicrophone(Audio(clip), realtime=True)
    speaker = ClockSpeaker()
    ended: list[float] = []
    listener = SpokenListener(mic, stt, EndpointOptions())
    base_event = listener._on_event

    def on_event(event: object) -> None:
        if isinstance(event, SpeechEnded):
            ended.append(time.monotonic())
        if incremental or type(event).__name__ != "SpeechPaused":
            base_event(event)  # type: ignore[arg-type]

    listener._on_event = on_event  # type: ignore[method-assign]
    interviewer = Interviewer(load_scenario("receptive"), sample_plan())
    interviewer.opening()
    voice = SpokenVoice({"interviewer": tts}, speaker)
    rehearsal = Rehearsal(interviewer, voice, listener, NullRecorder(), Session("b", "", "receptive", "spoken"))
    mic.__enter__()
    t0 = mic._start  # the clock the file microphone paces against
    heard = listener.listen()
    assert heard is not None and heard.text
    rehearsal._speak(interviewer.respond(heard.text))
    last_speech = t0 + len(clip) / SAMPLE_RATE
    return ended[0] - last_speech, speaker.started[0] - ended[0]


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=6)
    args = parser.parse_args()
    t = time.perf_counter()
    whisper = WhisperTranscriber()
    whisper.load()
    print(f"model load (tiny.en int8, verified): {time.perf_counter() - t:.2f} s")
    whisper.warm_up()
    stt = IncrementalTranscriber(whisper, hints=Hints.from_plan(sample_plan()))
    with tempfile.TemporaryDirectory() as cache:
        tts = Pyttsx3Synthesizer.from_settings(INTERVIEWER_VOICE, Path(cache))
        answers = [answer_audio(a) for a in ANSWERS]
        print(f"answers: {', '.join(f'{len(a) / SAMPLE_RATE:.1f} s' for a in answers)}")
        for incremental in (True, False):
            waits, procs = [], []
            for i in range(args.trials):
                w, p = trial(stt, tts, answers[i % len(answers)], incremental)
                waits.append(w * 1000)
                procs.append(p * 1000)
            label = "transcribing at pauses" if incremental else "transcribing at the end"
            total = [a + b for a, b in zip(waits, procs, strict=True)]
            print(
                f"{label:>24}: end-of-turn wait p50 {statistics.median(waits):.0f} ms p95 {pct(waits, 0.95):.0f} ms | "
                f"processing p50 {statistics.median(procs):.0f} ms p95 {pct(procs, 0.95):.0f} ms "
                f"(goal < {GOAL_MS} ms) | total p50 {statistics.median(total):.0f} ms"
            )
    stt.close()


if __name__ == "__main__":
    main()
