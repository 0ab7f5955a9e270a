"""Offline speech-to-text with faster-whisper: model resolution, checksum, decoding and the hallucination guard.

faster_whisper (and through it ctranslate2 and huggingface_hub) is imported only inside functions, so importing
this module stays instant and a typed-only session never pays for it.
"""

from __future__ import annotations

import logging
import os
import string
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rehearse.audio.levels import FRAME_SECONDS, frame_rms
from rehearse.errors import EngineError
from rehearse.stt_models import BUNDLED_MODEL_LABEL, resolve_model
from rehearse.values import SAMPLE_RATE, Audio, Hints, Transcript, Word

log = logging.getLogger(__name__)


DEFAULT_BEAM_SIZE = 5  # vs beam 1: clean espeak WER 10.7 % -> 7.3 % for ~1.2x the time (bench/bench_stt.py)
# Every core, up to 4: capture needs almost no CPU, and decodes never overlap (one lock per model).
DEFAULT_THREADS = max(1, min(4, os.cpu_count() or 1))
COMPUTE_TYPE = "int8"  # the fastest CPU type, and the one the project's accuracy figures were measured with
# Below this frame RMS (-50 dBFS) a clip is taken as silence and never reaches Whisper, which would invent text.
SILENCE_RMS = 10 ** (-50 / 20)
SPEECH_RMS_FLOOR = 10 ** (-45 / 20)  # a frame quieter than -45 dBFS is never counted as speech
SPEECH_OVER_NOISE = 4.0  # a speech frame is at least 12 dB above the clip's noise floor
# "Any sound at all" is looser (+6 dB): it decides whether to keep decoding, where missing speech costs words.
SOUND_OVER_NOISE = 2.0
NOISE_FLOOR_PERCENTILE = 5  # the quietest frames estimate the noise floor; espeak leaves few pauses
# Whisper's word ends can run ~0.3 s early; sound inside this margin after the last word is that word's tail.
END_MARGIN_SECONDS = 0.3
MORE_SPEECH_SECONDS = 0.15  # this much sound after the last word means the speaker went on
LITTLE_SPEECH_SECONDS = 0.3  # less speech than this cannot be a genuinely spoken "thank you"
MIN_SPEECH_SECONDS = 0.1  # a clip with less loud audio than this is silence
# Whisper's own skip rule, applied per segment: likely no speech AND an unsure decode.
NO_SPEECH_PROB = 0.6
LOW_AVG_LOGPROB = -1.0
# What tiny.en writes on silence or noise; dropped only where the audio has little speech energy. With the filler
# prompt it also writes "Uh, uh," on noise, so a segment of fillers alone is treated the same way.
SILENCE_HALLUCINATIONS = frozenset(
    {"thank you", "thanks for watching", "thank you for watching", "you", "thank you very much", "bye"}
)
FILLER_WORDS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "mm"})
# Whisper imitates the style of its prompt: a prompt with fillers keeps the candidate's "um"s in the transcript.
FILLER_PROMPT = "Um, uh, so, I mean, I, uh, wanted to, um, follow up."
# The prompt (names, filler style, earlier words) goes in faster-whisper's `hotwords`, not `initial_prompt`. Both
# put the same tokens before the decode, so one 30 s window comes out identical; but with
# condition_on_previous_text=False the initial prompt is dropped after the first window, while hotwords are sent
# with every window. On a 65 s answer that kept 20-21 of 22 fillers and every name, against 9-17 and names lost.
DEFAULT_HINT_MODE = "hotwords"
# faster-whisper cuts hotwords to their first 223 tokens, which would lose the earlier words (the part nearest the
# decode). 16 terms (~2 words, ~5 tokens each), the filler sentence (~20) and 40 earlier words (~55) stay below.
MAX_HINT_TERMS = 16
# The quick draft (quick_transcribe): the encoder window is the clip rounded up to this many seconds; Whisper's own
# window (30 s) is the most it takes.
QUICK_WINDOW_STEP = 2.0
QUICK_MIN_WINDOW = 6.0  # seconds; measured: 4 s made a chained draft loop, 6 and 8 s read as well as a whole one
QUICK_MAX_SECONDS = 28.0
QUICK_PROMPT_TOKENS = 120  # names first, then the words just said (a chained draft); a cut keeps the end
QUICK_MAX_TOKENS = 200
QUICK_TOKENS_PER_SECOND = 7.0  # twice a fast talker's rate, punctuation included
FRAMES_PER_SECOND = 100  # Whisper's mel frames
WHISPER_FRAMES = 3000
MAX_PREVIOUS_WORDS = 40
_PUNCTUATION = str.maketrans("", "", string.punctuation)


@dataclass(frozen=True)
class _Segment:
    """The part of a faster-whisper segment the guard and the transcript need."""

    text: str  # as decoded, with Whisper's leading space
    start: float  # seconds from the clip start
    end: float  # seconds from the clip start
    no_speech_prob: float  # Whisper's probability that the window holds no speech
    avg_logprob: float  # mean token log-probability of the decode
    words: tuple[Word, ...]  # timed words, clamped to the clip


def speech_mask(
    levels: np.ndarray, over_noise: float = SPEECH_OVER_NOISE, floor: float = SPEECH_RMS_FLOOR
) -> np.ndarray:
    """Frames loud enough to be speech, judged against both an absolute floor and the clip's own noise floor."""
    if levels.size == 0:
        return np.zeros(0, dtype=bool)
    noise = float(np.percentile(levels, NOISE_FLOOR_PERCENTILE))
    return levels > max(floor, noise * over_noise)


def build_prompt(terms: tuple[str, ...], *, fillers: bool, previous: str = "") -> str | None:
    """The prompt text: the call's names so Whisper spells them as written, then the filler style and the words
    said just before, which Whisper weighs most because they sit next to what it decodes."""
    parts = [", ".join(terms[:MAX_HINT_TERMS]) + "."] if terms else []
    if fillers:
        parts.append(FILLER_PROMPT)
    if previous.strip():
        parts.append(" ".join(previous.split()[-MAX_PREVIOUS_WORDS:]))
    return " ".join(parts) or None


def _quick_decode(model: Any, samples: np.ndarray, prompt: str | None) -> str:
    """Greedy decode of a clip through CTranslate2's public encode/generate, on a window just long enough."""
    import ctranslate2

    # Whisper's encoder reads a window of a second or two badly (it repeats itself, or drops words): a short clip
    # is padded with silence, in the audio, so the padding reads as quiet and not as a made-up spectrum.
    short = int(QUICK_MIN_WINDOW * SAMPLE_RATE) - len(samples)
    features = model.feature_extractor(np.pad(samples, (0, short)) if short > 0 else samples)
    step = int(QUICK_WINDOW_STEP * FRAMES_PER_SECOND)
    window = min(WHISPER_FRAMES, -(-features.shape[1] // step) * step)
    padded = np.zeros((features.shape[0], window), dtype=np.float32)
    padded[:, : min(window, features.shape[1])] = features[:, :window]
    encoded = model.model.encode(ctranslate2.StorageView.from_array(padded[None]))
    tokenizer = model.hf_tokenizer
    start = [tokenizer.token_to_id("<|startoftranscript|>"), tokenizer.token_to_id("<|notimestamps|>")]
    if prompt:
        # The plan's names before the decode, as `transcribe` does, so "Maribel" is not written "Marabel".
        start = [
            tokenizer.token_to_id("<|startofprev|>"),
            *tokenizer.encode(" " + prompt, add_special_tokens=False).ids[-QUICK_PROMPT_TOKENS:],
            *start,
        ]
    # Greedy decoding of a short clip told what came before can loop on one sentence; speech is ~3-4 tokens a
    # second, so a budget by the clip's length stops a loop without ever cutting real words. CTranslate2 counts
    # the prompt in max_length.
    budget = len(start) + min(QUICK_MAX_TOKENS, int(len(samples) / SAMPLE_RATE * QUICK_TOKENS_PER_SECOND) + 8)
    result = model.model.generate(encoded, [start], beam_size=1, max_length=budget, suppress_blank=True)
    end_of_text = tokenizer.token_to_id("<|endoftext|>")
    ids = [i for i in result[0].sequences_ids[0] if i < end_of_text]
    text = tokenizer.decode(ids).strip()
    return "" if _normalise(text) in SILENCE_HALLUCINATIONS else text


def _normalise(text: str) -> str:
    return " ".join(text.lower().translate(_PUNCTUATION).split())


def _mono16k(audio: Audio) -> np.ndarray:
    samples = np.asarray(audio.samples, dtype=np.float32)
    if samples.ndim > 1:  # be lenient: capture should already be mono
        samples = samples.mean(axis=1)
    if audio.sample_rate != SAMPLE_RATE and samples.size:
        import soxr

        samples = soxr.resample(samples, audio.sample_rate, SAMPLE_RATE)
    return np.ascontiguousarray(samples, dtype=np.float32)


def _convert(segment: Any, duration: float) -> _Segment:
    def clamp(t: float) -> float:
        return min(max(float(t), 0.0), duration)

    words = tuple(
        Word(w.word.strip(), clamp(w.start), max(clamp(w.start), clamp(w.end)), float(w.probability))
        for w in (segment.words or ())
        if w.word.strip()
    )
    return _Segment(
        segment.text, clamp(segment.start), clamp(segment.end), segment.no_speech_prob, segment.avg_logprob, words
    )


def _keep(segment: _Segment, speech: np.ndarray, clip_speech_seconds: float) -> bool:
    """False for segments that are most likely invented rather than heard."""
    text = _normalise(segment.text)
    if not text:  # tiny.en answers noise with a lone "."
        return False
    if segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < LOW_AVG_LOGPROB:
        return False
    if text in SILENCE_HALLUCINATIONS or FILLER_WORDS.issuperset(text.split()):
        # A real "Thank you." is a likely closing line, so the phrase alone is no proof: the audio must be quiet
        # either in the whole clip or where Whisper placed the phrase.
        first, last = int(segment.start / FRAME_SECONDS), int(segment.end / FRAME_SECONDS) + 1
        span_seconds = float(speech[first:last].sum()) * FRAME_SECONDS
        return min(span_seconds, clip_speech_seconds) >= LITTLE_SPEECH_SECONDS
    return True


class WhisperTranscriber:
    """Offline transcription with faster-whisper; one model per instance, loaded once, shared behind a lock.

    The lock lets a background thread transcribe (IncrementalTranscriber) while the main thread captures; two
    decodes never run at once because ctranslate2 would just split the same two cores between them.
    """

    def __init__(
        self,
        model: str | None = None,
        beam_size: int = DEFAULT_BEAM_SIZE,
        threads: int = DEFAULT_THREADS,
        *,
        hint_mode: str = DEFAULT_HINT_MODE,
        filler_prompt: bool = True,
        vad_filter: bool = False,
    ) -> None:
        if beam_size < 1 or threads < 1:
            raise ValueError("beam_size and threads must be at least 1")
        if hint_mode not in ("prompt", "hotwords"):
            raise ValueError(f"hint_mode must be 'prompt' or 'hotwords', not {hint_mode!r}")
        self.model = model  # --model as given: None, a folder or a model name
        self.beam_size = beam_size
        self.threads = threads
        self.hint_mode = hint_mode  # "hotwords" or "prompt": how the prompt text reaches Whisper
        self.filler_prompt = filler_prompt  # prime Whisper to write "um"/"uh" instead of dropping them
        self.vad_filter = vad_filter  # Silero VAD inside faster-whisper; off: the endpointer already trims
        label = BUNDLED_MODEL_LABEL if model is None else (Path(model).name or model)
        self.name = f"faster-whisper:{label}"
        self.loads = 0  # how many times this instance built its model (1 after first use)
        self._lock = threading.Lock()
        self._model: Any = None

    def load(self) -> None:
        """Resolve, verify and load the model now rather than on the first transcription."""
        with self._lock:
            self._ensure_loaded()

    def warm_up(self) -> None:
        """Decode one second of faint noise so the first real turn does not pay for first-call set-up."""
        noise = np.random.default_rng(0).normal(0.0, 0.01, SAMPLE_RATE).astype(np.float32)
        with self._lock:
            self._decode(self._ensure_loaded(), noise, None, None)

    def transcribe(self, audio: Audio, *, hints: Hints | None = None) -> Transcript:
        samples = _mono16k(audio)
        duration = len(samples) / SAMPLE_RATE
        levels = frame_rms(samples)
        if float((levels > SILENCE_RMS).sum()) * FRAME_SECONDS < MIN_SPEECH_SECONDS:
            return Transcript("", (), self.name, duration)
        sound = speech_mask(levels, SOUND_OVER_NOISE, SILENCE_RMS)
        with self._lock:
            segments = self._decode(self._ensure_loaded(), samples, hints, sound)
        speech = speech_mask(levels)
        clip_speech = float(speech.sum()) * FRAME_SECONDS
        kept = [s for s in segments if _keep(s, speech, clip_speech)]
        text = " ".join(s.text.strip() for s in kept).strip()
        words = tuple(w for s in kept for w in s.words)
        return Transcript(text, words, self.name, duration)

    def quick_transcribe(self, audio: Audio, *, hints: Hints | None = None) -> Transcript:
        """A fast first draft of a short clip: enough to tell whether a thought is finished and to choose a reply.

        faster-whisper pads every window to Whisper's 30 s, and encoding that window is most of the time for a
        turn of ~10 s (560 of ~1,100 ms here). CTranslate2's encoder also takes a shorter window: this encodes just
        the clip rounded up to QUICK_WINDOW_STEP seconds and decodes greedily without word timings, in ~300 ms for
        8-10 s. The text matched the full transcription on the answers checked (bench/bench_stt.py measures it);
        the turn's saved text still comes from `transcribe`. Clips longer than 30 s fall back to `transcribe`.
        """
        samples = _mono16k(audio)
        duration = len(samples) / SAMPLE_RATE
        levels = frame_rms(samples)
        if float((levels > SILENCE_RMS).sum()) * FRAME_SECONDS < MIN_SPEECH_SECONDS:
            return Transcript("", (), self.name, duration)
        if duration > QUICK_MAX_SECONDS:
            return self.transcribe(audio, hints=hints)
        with self._lock:
            model = self._ensure_loaded()
            # The filler style too: a draft that drops a trailing "uh" reads as a finished sentence.
            hints = hints or Hints()
            prompt = build_prompt(hints.vocabulary(), fillers=True, previous=hints.previous)
            text = _quick_decode(model, samples, prompt)
        return Transcript(text, (), self.name, duration)

    def _ensure_loaded(self) -> Any:
        """Build the model if needed; the caller holds the lock."""
        if self._model is not None:
            return self._model
        path, _label = resolve_model(self.model)
        from faster_whisper import WhisperModel

        try:
            self._model = WhisperModel(
                str(path), device="cpu", compute_type=COMPUTE_TYPE, cpu_threads=self.threads, local_files_only=True
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(
                f"cannot load the Whisper model ({exc}); the folder must hold a CTranslate2 Whisper model, "
                "or leave --model out to use the bundled tiny.en",
                path=path,
            ) from exc
        self.loads += 1
        log.info("loaded %s from %s", self.name, path)
        return self._model

    def _prompt(self, hints: Hints | None) -> tuple[str | None, str | None]:
        """(initial_prompt, hotwords) for faster-whisper: one text, sent one way or the other."""
        terms = hints.vocabulary() if hints is not None else ()
        previous = hints.previous if hints is not None else ""
        text = build_prompt(terms, fillers=self.filler_prompt, previous=previous)
        return (None, text) if self.hint_mode == "hotwords" else (text, None)

    def _decode(self, model: Any, samples: np.ndarray, hints: Hints | None, sound: np.ndarray | None) -> list[_Segment]:
        """Decode under the caller's lock; `sound` (frames with any sound) lets it stop early, None never does."""
        prompt, hotwords = self._prompt(hints)
        segments, _info = model.transcribe(
            samples,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            # Carrying text across 30 s windows is how one hallucination turns into a loop.
            condition_on_previous_text=False,
            vad_filter=self.vad_filter,
            initial_prompt=prompt,
            hotwords=hotwords,
        )
        # faster-whisper decodes lazily while the generator is consumed, so consume it under the lock. It also
        # decodes a further 30 s window whenever a decode ends before the clip does, which with a prompt happens
        # on most short clips: that doubles the time and is where "Thank you." gets invented. Stop once no speech
        # energy is left after the last word.
        duration = len(samples) / SAMPLE_RATE
        kept: list[_Segment] = []
        for raw in segments:
            kept.append(_convert(raw, duration))
            if sound is None:
                continue
            first = int((kept[-1].end + END_MARGIN_SECONDS) / FRAME_SECONDS)
            if float(sound[first:].sum()) * FRAME_SECONDS < MORE_SPEECH_SECONDS:
                break
        return kept
