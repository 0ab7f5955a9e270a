"""Speech-to-text benchmark on espeak-ng speech generated on the spot: `python bench/bench_stt.py`.

Prints model load time; real-time factor and WER on typical call lines (2 voices, clean and white noise at 10 dB
SNR, beam 1 vs 5); names with and without Hints; filler retention with and without the filler prompt; the same
prompt sent as initial_prompt vs hotwords on a long answer; Silero VAD on vs off; the incremental tail-only latency
for ~10 s answers; the silence guard. About three minutes on 2 cores.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rehearse import stt as stt_module
from rehearse.stt import Hints, IncrementalTranscriber, WhisperTranscriber, wer
from rehearse.stt_models import _sha256, resolve_model
from rehearse.stt_whisper import DEFAULT_HINT_MODE
from rehearse.values import SAMPLE_RATE, Audio
from tests.audio_helpers import espeak

DEFAULT_MIN_TAIL = stt_module.MIN_TAIL_SECONDS
DEFAULT_MIN_DRAFT = stt_module.MIN_DRAFT_SECONDS
VOICES = ("en-us", "en+f3")  # a male US voice and a female variant of the default English voice
NOISE_SNR_DB = 10.0
PAUSE_SECONDS = 0.7  # between sentences of the incremental answer, longer than a breath
REPEATS = 3  # for the load timings; medians are printed
FILLERS = {"um", "umm", "uh", "uhh", "uhm", "er", "erm"}

# Typical lines of a follow-up call, read by the candidate.
CALL_LINES = (
    "Hi, this is Maribel Santos. I interviewed for the data analyst position last Tuesday.",
    "I'm calling to follow up on my interview with the hiring manager.",
    "Thank you again for taking the time to meet with me.",
    "I wanted to check on the status of the hiring decision.",
    "I really enjoyed learning about the analytics team and its projects.",
    "Since we spoke, I finished an advanced course in SQL and Tableau.",
    "Is there anything else I can send you to help with your decision?",
    "You mentioned you would make a decision within two weeks.",
    "Please let me know if email or phone works better for you.",
    "I look forward to hearing from you. Have a great afternoon.",
)
PLAN_A = Hints("Maribel Santos", "Siobhan Nakamura", "Quillfeather Analytics", "paralegal", ("PySpark", "Kubernetes"))
PLAN_B = Hints("Aoife Brennan", "Thaddeus Okonkwo", "Brightwater Logistics", "data analyst", ("Tableau", "Salesforce"))
NAME_LINES = (
    ("Hello, this is Maribel Santos calling for Siobhan Nakamura.", PLAN_A),
    ("I interviewed for the paralegal role at Quillfeather Analytics.", PLAN_A),
    ("I have three years of experience with PySpark and Kubernetes.", PLAN_A),
    ("My name is Aoife Brennan and I applied to Brightwater Logistics.", PLAN_B),
    ("Could I please speak with Thaddeus Okonkwo about the data analyst role?", PLAN_B),
    ("I also use Tableau and Salesforce every day.", PLAN_B),
)
FILLER_LINES = (
    "Um, I wanted to, uh, follow up on our interview.",
    "So, uh, I was wondering if, um, you had any updates.",
    "I, um, really enjoyed, uh, meeting the team.",
    "Uh, my name is, um, Maribel, and I, uh, applied last week.",
    "Um, is there, uh, a good time to call back?",
)
ANSWERS = (
    (
        "Thank you for taking my call today. I really enjoyed meeting the team.",
        "Since then I finished a course in SQL,",
        "and I would love to use it on your reporting projects.",
    ),
    (
        "Thanks for calling me back.",
        "I know you are busy this week.",
        "I just wanted to confirm the timeline,",
        "and say that I am still very interested.",
    ),
)


@dataclass(frozen=True)
class Clip:
    """One benchmark utterance."""

    text: str  # what espeak-ng was asked to say
    voice: str  # espeak-ng voice
    audio: Audio  # 16 kHz mono


def speak(text: str, voice: str) -> Audio:
    """espeak's default rate, its silence kept: the clips the figures in tests/test_stt.py were measured on."""
    return Audio(espeak(text, voice, rate=None, trim_silence=False))


def with_noise(audio: Audio, snr_db: float, seed: int) -> Audio:
    power = float(np.mean(audio.samples**2))
    noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(audio.samples))
    return Audio((audio.samples + noise).astype(np.float32))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def corpus_wer(pairs: Iterable[tuple[str, str]]) -> float:
    edits = words = 0.0
    for ref, hyp in pairs:
        n = len(ref.split())
        edits += wer(ref, hyp) * n
        words += n
    return edits / words if words else 0.0


def run_set(stt: WhisperTranscriber, clips: list[Clip]) -> tuple[float, float]:
    """Corpus WER and median real-time factor over the clips."""
    pairs, rtfs = [], []
    for clip in clips:
        seconds, out = timed(lambda c=clip: stt.transcribe(c.audio))
        pairs.append((clip.text, out.text))
        rtfs.append(seconds / clip.audio.duration)
    return corpus_wer(pairs), statistics.median(rtfs)


def bench_load() -> WhisperTranscriber:
    print("== model load (tiny.en int8, bundled) ==")
    seconds, _ = timed(lambda: __import__("faster_whisper"))
    print(f"import faster_whisper: {seconds:.2f} s (once per process)")
    path, _ = resolve_model(None)  # also verifies the checksum once
    hashes = [timed(lambda: _sha256(path / "model.bin"))[0] for _ in range(REPEATS)]
    print(f"sha256 of model.bin (75 MB, page cache warm): median {statistics.median(hashes):.2f} s")
    loads = [timed(lambda: WhisperTranscriber().load())[0] for _ in range(REPEATS)]
    print(f"WhisperTranscriber().load() after verification: median {statistics.median(loads):.2f} s")
    probe = speak(CALL_LINES[2], VOICES[0])
    cold, warm = [], []
    for _ in range(REPEATS):
        stt = WhisperTranscriber()
        stt.load()
        cold.append(timed(lambda s=stt: s.transcribe(probe))[0])
        stt = WhisperTranscriber()
        stt.load()
        stt.warm_up()
        warm.append(timed(lambda s=stt: s.transcribe(probe))[0])
    print(
        f"first transcription of a {probe.duration:.1f} s clip: cold median {statistics.median(cold):.2f} s, "
        f"after warm_up() median {statistics.median(warm):.2f} s"
    )
    return stt


def bench_accuracy(stt: WhisperTranscriber) -> tuple[list[Clip], list[Clip]]:
    print(f"\n== WER / RTF: {len(CALL_LINES)} call lines x {len(VOICES)} voices, no hints, filler prompt on ==")
    clean = [Clip(t, v, speak(t, v)) for v in VOICES for t in CALL_LINES]
    noisy = [Clip(c.text, c.voice, with_noise(c.audio, NOISE_SNR_DB, i)) for i, c in enumerate(clean)]
    print(f"audio: {sum(c.audio.duration for c in clean):.0f} s per condition; RTF = median of per-clip figures")
    print(f"{'setting':<16}{'clean WER':>10}{'RTF':>7}{'noise WER':>11}{'RTF':>7}")
    for beam in (1, 5):
        stt.beam_size = beam
        cw, cr = run_set(stt, clean)
        nw, nr = run_set(stt, noisy)
        print(f"{f'beam {beam}':<16}{cw:>10.1%}{cr:>7.3f}{nw:>11.1%}{nr:>7.3f}")
    stt.beam_size, stt.filler_prompt = 5, False
    outs = [stt.transcribe(c.audio).text for c in clean]
    stt.filler_prompt = True
    print(f"beam 5 without the filler prompt: clean WER {corpus_wer(zip(CALL_LINES * 2, outs, strict=True)):.1%}")
    return clean, noisy


def count_fillers(text: str) -> int:
    return sum(1 for w in norm_words(text) if w in FILLERS)


def norm_words(text: str) -> list[str]:
    return [w.strip(".,?!;:\"'").lower() for w in text.split()]


def name_hits(reference: str, hypothesis: str, hints: Hints) -> tuple[int, int]:
    hyp = " ".join(norm_words(hypothesis))
    terms = [t.lower() for t in hints.vocabulary() if t.lower() in reference.lower()]
    return sum(1 for t in terms if t in hyp), len(terms)


def bench_names(stt: WhisperTranscriber) -> None:
    print(f"\n== names: {len(NAME_LINES)} lines x {len(VOICES)} voices, beam 5; Hints = the whole call plan ==")
    clips = [(Clip(t, v, speak(t, v)), h) for v in VOICES for t, h in NAME_LINES]
    variants = (
        ("no prompt, no hints", False, False),
        ("filler prompt, no hints", True, False),
        ("names only", False, True),
        ("names + filler prompt", True, True),
    )
    for label, fillers, use_hints in variants:
        stt.filler_prompt = fillers
        hits = total = 0
        pairs, times = [], []
        for clip, hints in clips:
            hint = hints if use_hints else None
            seconds, out = timed(lambda c=clip, h=hint: stt.transcribe(c.audio, hints=h))
            got, n = name_hits(clip.text, out.text, hints)
            hits, total = hits + got, total + n
            pairs.append((clip.text, out.text))
            times.append(seconds / clip.audio.duration)
        print(
            f"{label:<24} names right {hits:>2}/{total} ({hits / total:.0%}), WER {corpus_wer(pairs):.1%}, "
            f"median RTF {statistics.median(times):.3f}"
        )
    stt.filler_prompt = True


def bench_fillers(stt: WhisperTranscriber, fluent: list[Clip]) -> None:
    print(f"\n== fillers: {len(FILLER_LINES)} lines x {len(VOICES)} voices, beam 5, Hints = plan A ==")
    clips = [Clip(t, v, speak(t, v)) for v in VOICES for t in FILLER_LINES]
    spoken = sum(count_fillers(c.text) for c in clips)
    for prompt in (False, True):
        stt.filler_prompt = prompt
        kept = sum(min(count_fillers(stt.transcribe(c.audio, hints=PLAN_A).text), count_fillers(c.text)) for c in clips)
        invented = sum(count_fillers(stt.transcribe(c.audio, hints=PLAN_A).text) for c in fluent[::4])
        print(
            f"filler prompt {prompt!s:<5}: kept {kept:>2}/{spoken} spoken um/uh ({kept / spoken:.0%}); "
            f"fillers invented in {len(fluent[::4])} fluent lines: {invented}"
        )
    stt.filler_prompt = True


def bench_prompt_vs_hotwords(stt: WhisperTranscriber) -> None:
    """The same prompt text as initial_prompt or as hotwords: identical within one 30 s window, so a long clip."""
    lines = [t for t, _ in NAME_LINES[:3]] + list(FILLER_LINES)
    gap = np.zeros(int(0.5 * SAMPLE_RATE), np.float32)
    reference = " ".join(lines * 2)
    print("\n== initial_prompt vs hotwords on a long answer (these lines twice), Hints = plan A, beam 5 ==")
    for voice in VOICES:
        audio = Audio(np.concatenate([x for t in lines * 2 for x in (speak(t, voice).samples, gap)]))
        for mode in ("prompt", "hotwords"):
            stt.hint_mode = mode
            out = stt.transcribe(audio, hints=PLAN_A).text
            occurrences = sum(" ".join(norm_words(out)).count(t.lower()) for t in PLAN_A.vocabulary())
            print(
                f"{voice} {audio.duration:.0f} s, {mode:<8}: WER {wer(reference, out):.1%}, "
                f"fillers {count_fillers(out)}/{count_fillers(reference)}, plan names heard {occurrences} times "
                f"(spoken {sum(reference.lower().count(t.lower()) for t in PLAN_A.vocabulary())})"
            )
    stt.hint_mode = DEFAULT_HINT_MODE


def bench_vad(stt: WhisperTranscriber, noisy: list[Clip]) -> None:
    filler_clips = [Clip(t, v, speak(t, v)) for v in VOICES for t in FILLER_LINES]
    print("\n== faster-whisper's Silero VAD (vad_filter), beam 5, filler prompt on ==")
    answers = [Clip(" ".join(ANSWERS[0]), v, answer_audio(v)[0]) for v in VOICES]
    spoken = sum(count_fillers(c.text) for c in filler_clips)
    for vad in (False, True):
        stt.vad_filter = vad
        nw, nr = run_set(stt, noisy[::4])
        aw, ar = run_set(stt, answers)
        kept = sum(min(count_fillers(stt.transcribe(c.audio).text), count_fillers(c.text)) for c in filler_clips)
        print(
            f"vad {vad!s:<5}: noise WER {nw:.1%} on {len(noisy[::4])} clips (RTF {nr:.3f}); "
            f"answers with pauses WER {aw:.1%} (RTF {ar:.3f}); fillers kept {kept}/{spoken}"
        )
    stt.vad_filter = False


def answer_audio(voice: str, sentences: tuple[str, ...] = ANSWERS[0]) -> tuple[Audio, list[float]]:
    """An answer with pauses between its sentences, and the start time of each pause."""
    gap = np.zeros(int(PAUSE_SECONDS * SAMPLE_RATE), dtype=np.float32)
    pieces, pauses, t = [], [], 0.0
    for i, sentence in enumerate(sentences):
        part = speak(sentence, voice).samples
        pieces.append(part)
        t += len(part) / SAMPLE_RATE
        if i < len(sentences) - 1:
            pieces.append(gap)
            pauses.append(t)
            t += PAUSE_SECONDS
    return Audio(np.concatenate(pieces)), pauses


def incremental_run(stt: WhisperTranscriber, audio: Audio, pauses: list[float]) -> tuple[float, str]:
    """Feed the pauses as the turn loop would, then time finish()."""
    with IncrementalTranscriber(stt) as inc:
        for pause in pauses:
            # The loop learns of a pause once the endpointer has seen ~0.3 s of silence; it passes the pause start.
            inc.feed_prefix(Audio(audio.samples[: int((pause + 0.3) * SAMPLE_RATE)]), pause)
        inc.wait()  # in a live call the candidate is still talking meanwhile
        seconds, out = timed(lambda: inc.finish(audio))
    return seconds, out.text


def bench_incremental(stt: WhisperTranscriber) -> None:
    print(f"\n== incremental: turn end -> transcript, {len(ANSWERS)} answers x {len(VOICES)} voices, beam 5 ==")
    answers = [(" ".join(a), *answer_audio(v, a)) for a in ANSWERS for v in VOICES]
    print(
        f"answers {', '.join(f'{a.duration:.1f}' for _, a, _ in answers)} s, pauses of {PAUSE_SECONDS} s, "
        f"MIN_TAIL_SECONDS {DEFAULT_MIN_TAIL}"
    )
    fulls = {}
    variants = (("full transcription", None), ("tail after last pause", 0.0), ("tail >= MIN_TAIL", DEFAULT_MIN_TAIL))
    for label, min_tail in variants:
        times, pairs, diffs = [], [], []
        for ref, audio, pauses in answers:
            if min_tail is None:
                seconds, text = timed(lambda a=audio: stt.transcribe(a).text)
                fulls[ref, id(audio)] = text
            else:
                stt_module.MIN_TAIL_SECONDS = min_tail
                seconds, text = incremental_run(stt, audio, pauses)
            times.append(seconds)
            pairs.append((ref, text))
            diffs.append(wer(fulls[ref, id(audio)], text))
        print(
            f"{label:<22} median {statistics.median(times):.2f} s, WER vs script {corpus_wer(pairs):.1%}, "
            f"max WER vs full text {max(diffs):.1%}"
        )
    stt_module.MIN_TAIL_SECONDS = DEFAULT_MIN_TAIL


def draft_run(stt: WhisperTranscriber, audio: Audio, pauses: list[float], min_draft: float) -> tuple[float, str]:
    """Live drafts as the spoken loop makes them (one per pause, the candidate still talking), then the draft of
    the final pause: its decode time is what the reply waits for."""
    stt_module.MIN_DRAFT_SECONDS = min_draft
    with IncrementalTranscriber(stt) as inc:
        for pause in pauses:
            inc.feed_draft(Audio(audio.samples[: int((pause + 0.3) * SAMPLE_RATE)]), pause)
            inc.prefix_at(0.0)
            while inc._drafts and not inc._drafts[-1].job.done():
                time.sleep(0.005)
        end = audio.duration
        padded = Audio(np.concatenate([audio.samples, np.zeros(int(0.3 * SAMPLE_RATE), np.float32)]))
        t = time.perf_counter()
        inc.feed_draft(padded, end)
        while not inc._drafts[-1].job.done():
            time.sleep(0.002)
        seconds = time.perf_counter() - t
        return seconds, inc.draft(padded).text


def bench_drafts(stt: WhisperTranscriber) -> None:
    print(f"\n== live drafts: the final pause's quick draft, {len(ANSWERS)} answers x {len(VOICES)} voices ==")
    answers = [(" ".join(a), *answer_audio(v, a)) for a in ANSWERS for v in VOICES]
    for label, min_draft in (("whole answer each time", 1e9), ("chained, >= 1.5 s", 1.5), ("chained, >= 3 s", 3.0)):
        times, pairs = [], []
        for ref, audio, pauses in answers:
            seconds, text = draft_run(stt, audio, pauses, min_draft)
            times.append(seconds)
            pairs.append((ref, text))
        print(f"{label:<24} final draft median {statistics.median(times) * 1000:.0f} ms, WER {corpus_wer(pairs):.1%}")
    stt_module.MIN_DRAFT_SECONDS = DEFAULT_MIN_DRAFT


def bench_silence(stt: WhisperTranscriber) -> None:
    print("\n== silence guard ==")
    rng = np.random.default_rng(7)
    cases = {
        "digital silence 3 s": np.zeros(3 * SAMPLE_RATE, np.float32),
        "room noise -55 dBFS 3 s": rng.normal(0, 10 ** (-55 / 20), 3 * SAMPLE_RATE).astype(np.float32),
        "white noise -35 dBFS 3 s": rng.normal(0, 10 ** (-35 / 20), 3 * SAMPLE_RATE).astype(np.float32),
    }
    for label, samples in cases.items():
        print(f"{label:<26} -> {stt.transcribe(Audio(samples)).text!r}")


def main() -> None:
    start = time.perf_counter()
    stt = bench_load()
    clean, noisy = bench_accuracy(stt)
    bench_names(stt)
    bench_fillers(stt, clean)
    bench_prompt_vs_hotwords(stt)
    bench_vad(stt, noisy)
    bench_incremental(stt)
    bench_drafts(stt)
    bench_silence(stt)
    print(f"\nloads of the shared instance: {stt.loads}; total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
