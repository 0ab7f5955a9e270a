"""Speech-to-text: the Transcriber protocol, recognition hints, incremental transcription and WER.

The offline engine lives in rehearse.stt_whisper and is re-exported here. No engine is imported at module load:
faster_whisper and speech_recognition are imported inside the methods that need them.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

import numpy as np

from rehearse.audio.levels import frame_rms
from rehearse.stt_online import ONLINE_WARNING, OnlineTranscriber
from rehearse.stt_turn import Draft, lone_last_word, lone_word_matters
from rehearse.stt_whisper import WhisperTranscriber
from rehearse.values import SAMPLE_RATE, Audio, Hints, Transcript, Word

# Hints lives in rehearse.values (the plan, the engines and the dialogue all pass it on); re-exported here.
__all__ = [
    "ONLINE_WARNING",
    "Hints",
    "IncrementalTranscriber",
    "OnlineTranscriber",
    "Transcriber",
    "WhisperTranscriber",
    "wer",
]

log = logging.getLogger(__name__)

# Apostrophes vanish ("I'm" -> "im") and other punctuation splits ("follow-up" -> "follow up"), on both sides alike.
_APOSTROPHES = re.compile(r"['’]")
_NON_WORD = re.compile(r"[^\w\s]|_")

CUT_SEARCH_BEFORE = 0.15  # seconds before the reported pause searched for the quietest point
CUT_SEARCH_AFTER = 0.35  # seconds after it: endpointers report a pause late in it or right at its start
CUT_FRAME_SECONDS = 0.01  # resolution of the cut point
CUT_SMOOTH_FRAMES = 3  # the cut goes where 30 ms of audio are quietest, not at one lucky quiet frame
# The cut point must be this far (-12 dB) below the loud part of the clip, or the "pause" was inside a word.
CUT_MAX_RELATIVE_RMS = 0.25
CUT_QUIET_MARGIN = 2.0  # frames within 6 dB of the quietest one belong to the same pause
CUT_QUIET_FLOOR = 10 ** (-70 / 20)  # so that digital silence (RMS 0) still forms a stretch, not a single point
LOUD_PERCENTILE = 90  # the loud part of the clip: its 90th-percentile frame
MIN_STEP_SECONDS = 1.0  # a new cut must be this far past the previous one, so one pause is not fed twice
# Whisper decodes a short tail alone badly. On four ~10 s espeak answers (bench/bench_stt.py) the tail after the
# last pause (~3 s) gave 13.6 % WER against 11.0 % for a full transcription; a tail of at least 4 s gave 6.8 %, and
# finish() still took 0.56 s instead of 0.76 s. The tail starts at an earlier pause when the last one is too late.
MIN_TAIL_SECONDS = 4.0
# A live draft decodes only what follows the previous draft, with that draft's words as context, but not less than
# this: 1.5 s gave 12.7 % WER against 8.5 % for whole drafts, 3 s gave 5.9-6.8 % in 60 % of the time (bench_stt).
MIN_DRAFT_SECONDS = 3.0
# While the candidate talks on without pausing, a draft is cut between words this often, so the final one is short.
GAP_DRAFT_SECONDS = 3.0
# A pause's draft is made even when a gap draft was cut just before it (0.5 s before, in a live call): without
# it the pause had no words of its own and waited the "unknown" 1.3 s, the slowest reply of every robot call.
PAUSE_DRAFT_STEP_SECONDS = 0.2
# A lone last word (stt_turn.lone_last_word) is transcribed on its own with this much audio around it.
LONE_CLIP_BEFORE = 0.05
LONE_CLIP_AFTER = 0.1


@runtime_checkable
class Transcriber(Protocol):
    """Anything that turns a clip into text with word timings relative to the clip."""

    name: str

    def transcribe(self, audio: Audio, *, hints: Hints | None = None) -> Transcript: ...


def _words_for_wer(text: str) -> list[str]:
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate after lowercasing and dropping punctuation; 0.0 for two empty texts, 1.0 for an empty
    reference against any words."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = _words_for_wer(reference), _words_for_wer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


@dataclass(frozen=True)
class _Prefix:
    """The turn up to one pause, transcribed in the background."""

    cut: int  # samples[:cut] is transcribed; the cut lies inside a pause
    job: Future[Transcript]  # its transcription
    lone: Future[str] | None = None  # samples[:cut] end on a lone short word: it, transcribed on its own


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of True values."""
    best, start = (0, 0), None
    for i, flag in enumerate([*mask.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            best = max(best, (i - start, start))
            start = None
    return best[1], best[0]


def _quiet_cut(samples: np.ndarray, rate: int, pause_at: float, earliest: int) -> int | None:
    """A sample index in the middle of the quiet stretch near `pause_at`, or None when nothing there is quiet."""
    lo = max(earliest, int((pause_at - CUT_SEARCH_BEFORE) * rate))
    hi = min(len(samples), int((pause_at + CUT_SEARCH_AFTER) * rate))
    hop = max(1, int(rate * CUT_FRAME_SECONDS))
    if hi - lo < hop * CUT_SMOOTH_FRAMES:
        return None
    levels = frame_rms(samples[lo:hi], rate, CUT_FRAME_SECONDS)
    smooth = np.convolve(levels, np.ones(CUT_SMOOTH_FRAMES) / CUT_SMOOTH_FRAMES, mode="valid")
    quietest = float(smooth.min())
    loud = float(np.percentile(frame_rms(samples, rate), LOUD_PERCENTILE))
    if loud <= 0.0 or quietest > loud * CUT_MAX_RELATIVE_RMS:
        return None
    # The middle of the quiet stretch is as far as possible from the words on both sides.
    run_start, run_length = _longest_run(smooth <= max(quietest * CUT_QUIET_MARGIN, CUT_QUIET_FLOOR))
    centre = run_start + run_length // 2 + CUT_SMOOTH_FRAMES // 2
    return lo + centre * hop + hop // 2


def _text_of(job: Future[str] | None) -> str:
    # Not done: the words decided without it (lone_word_matters), and nothing here may block the endpointer.
    if job is None or not job.done() or job.cancelled() or job.exception() is not None:
        return ""
    return job.result()


def _log_draft(job: Future[Transcript], cut: float) -> None:
    if not job.cancelled() and job.exception() is None:
        log.debug("draft to %.2f s: %r", cut, job.result().text[-60:])


def _join(parts: list[tuple[float, Transcript]], engine: str, duration: float) -> Transcript:
    """Concatenate chunk transcripts, shifting each chunk's word times by the chunk's start."""
    words: list[Word] = []
    for offset, part in parts:
        for w in part.words:
            start = min(max(w.start, 0.0), part.duration) + offset
            end = min(max(w.end, 0.0), part.duration) + offset
            words.append(Word(w.text, start, max(start, end), w.probability))
    text = " ".join(p.text.strip() for _, p in parts if p.text.strip())
    return Transcript(text, tuple(words), engine, duration)


class IncrementalTranscriber:
    """Transcribes a turn while the candidate is still talking, so that the reply comes fast.

    Design. At each pause the turn loop calls `feed_prefix(audio_so_far, pause_at_seconds)`. The cut goes in the
    middle of the quiet stretch found within -0.15..+0.35 s of the reported pause, and only if that stretch is at
    least 12 dB below the clip's loud frames: a cut inside a real pause never splits a word, and a "pause" that is
    not quiet is ignored. The whole turn up to the cut (a copy) is then transcribed on one background worker
    thread, so the prefix has all the context a full transcription would have. Newer prefixes supersede older
    ones: a prefix still queued when a newer one arrives is cancelled, so the worker never falls behind by more
    than the job it is running.

    `finish(full_audio)` takes the newest prefix that finished (waiting for the one being decoded, which holds the
    model anyway, so waiting costs less than decoding it again; a queued one is cancelled) and transcribes only
    the tail after a cut, with the prefix's text as context. The tail starts at the newest cut that leaves at
    least MIN_TAIL_SECONDS of audio, because Whisper decodes a short tail alone badly; when that cut is earlier
    than the prefix's own, the prefix's words are split at it by their timings (the cut is in a pause, so no
    word straddles it). Tail word times are shifted by the cut, so all times stay relative to the turn and
    monotonic. With no usable prefix (none fed, none finished, all failed, or the turn too short for a tail) the
    result is a plain full transcription. The object is reusable: `finish` and `reset` start a new turn.
    """

    def __init__(self, inner: Transcriber, *, hints: Hints | None = None) -> None:
        self.inner = inner  # the engine doing the work; it must tolerate calls from a worker thread
        self.hints = hints  # passed to every transcription
        self.name = inner.name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearse-stt")
        self._prefixes: list[_Prefix] = []
        self._cuts: list[int] = []  # every accepted cut of this turn, ascending
        self._drafts: list[_Prefix] = []  # quick drafts of the turn up to each pause (feed_draft)
        self._state = threading.Lock()
        # The engine's fast first draft when it has one (WhisperTranscriber.quick_transcribe), else its transcribe.
        self._quick = getattr(inner, "quick_transcribe", inner.transcribe)

    def feed_prefix(self, audio_so_far: Audio, pause_at_seconds: float) -> bool:
        """Cut the turn inside the pause and start transcribing it up to there; False when nothing was cut."""
        samples = np.asarray(audio_so_far.samples, dtype=np.float32)
        rate = audio_so_far.sample_rate
        with self._state:
            last = self._cuts[-1] if self._cuts else 0
        cut = _quiet_cut(samples, rate, pause_at_seconds, last + int(MIN_STEP_SECONDS * rate))
        if cut is None:
            return False
        # A copy, because the capture loop may keep writing into the buffer it handed us.
        job = self._executor.submit(self.inner.transcribe, Audio(samples[:cut].copy(), rate), hints=self.hints)
        with self._state:
            self._prefixes = [p for p in self._prefixes if not p.job.cancel()]
            self._prefixes.append(_Prefix(cut, job))
            self._cuts.append(cut)
        return True

    def finish(self, full_audio: Audio) -> Transcript:
        """The transcript of the whole turn: the newest finished prefix plus the tail after a cut."""
        with self._state:
            prefixes, cuts = self._prefixes, self._cuts
            self._prefixes, self._cuts = [], []
        samples = np.asarray(full_audio.samples, dtype=np.float32)
        rate = full_audio.sample_rate
        whole = self._whole_turn(prefixes, samples, rate)
        if whole is not None:
            return whole
        head, split = self._usable_prefix(prefixes, cuts, len(samples), rate)
        if head is None:
            return self.inner.transcribe(full_audio, hints=self.hints)
        tail = self.inner.transcribe(Audio(samples[split:], rate), hints=self._hints_after(head.text))
        return _join([(0.0, head), (split / rate, tail)], self.inner.name, len(samples) / rate)

    def feed_draft(self, audio_so_far: Audio, pause_at_seconds: float, *, min_step: float = MIN_STEP_SECONDS) -> bool:
        """Like feed_prefix, for a live turn: a quick draft of the turn up to the pause (for judging whether the
        thought is finished and choosing the reply); the saved transcript comes from finish_async.

        Drafts are chained: each decodes only the stretch after the newest finished draft (at least
        MIN_DRAFT_SECONDS of it), told that draft's words, so the draft of the final pause costs the same for a
        long answer as for a short one. `min_step`: seconds since the previous cut before another is made (the
        loop asks for a draft every fraction of a second of ongoing speech, to be taken every few seconds)."""
        samples = np.asarray(audio_so_far.samples, dtype=np.float32)
        rate = audio_so_far.sample_rate
        with self._state:
            last = self._drafts[-1].cut if self._drafts else 0
        gap = min_step > MIN_STEP_SECONDS
        if gap and pause_at_seconds * rate < last + min_step * rate:
            return False  # a gap draft: not yet
        cut = _quiet_cut(
            samples, rate, pause_at_seconds, last + int((MIN_STEP_SECONDS if gap else PAUSE_DRAFT_STEP_SECONDS) * rate)
        )
        if cut is None:
            return False
        job = self._executor.submit(self._chained_draft, samples[:cut].copy(), rate)
        job.add_done_callback(functools.partial(_log_draft, cut=cut / rate))
        span = None if gap else lone_last_word(samples[:cut], rate)
        lone = None if span is None else self._executor.submit(self._lone_word, samples, rate, span, job)
        with self._state:
            self._drafts = [p for p in self._drafts if not (p.job.cancel() | bool(p.lone and p.lone.cancel()))]
            self._drafts.append(_Prefix(cut, job, lone))
        return True

    def _lone_word(self, samples: np.ndarray, rate: int, span: tuple[int, int], draft: Future[Transcript]) -> str:
        """The lone last sound transcribed on its own (after the draft, on the same worker), told the draft."""
        start, end = span
        clip = samples[max(0, start - int(LONE_CLIP_BEFORE * rate)) : end + int(LONE_CLIP_AFTER * rate)]
        said = draft.result().text if draft.done() and draft.exception() is None else ""
        if said and not lone_word_matters(said):
            return ""  # the words decide alone: no decode for the reply to wait on (~250 ms on a "Goodbye.")
        return self._quick(Audio(clip.copy(), rate), hints=self._hints_after(said)).text

    def _chained_draft(self, samples: np.ndarray, rate: int) -> Transcript:
        """The quick draft of samples (the turn up to a cut), reusing the newest finished draft before it."""
        with self._state:
            done = [p for p in self._drafts if p.job.done() and not p.job.cancelled() and p.job.exception() is None]
        base = next((p for p in reversed(done) if p.cut <= len(samples) - MIN_DRAFT_SECONDS * rate), None)
        if base is None:
            return self._quick(Audio(samples, rate), hints=self.hints)
        head = base.job.result()
        tail = self._quick(Audio(samples[base.cut :], rate), hints=self._hints_after(head.text))
        return _join([(0.0, head), (base.cut / rate, tail)], self.inner.name, len(samples) / rate)

    def draft(self, full_audio: Audio) -> Transcript:
        """A quick draft of the whole turn: the last pause's draft when nothing but silence follows it (the
        common case, and already decoded while the end-of-turn silence ran out), else a quick decode now, of
        the stretch after the newest finished draft."""
        samples = np.asarray(full_audio.samples, dtype=np.float32)
        with self._state:
            drafts = self._drafts
        whole = self._whole_turn(drafts, samples, full_audio.sample_rate)
        if whole is None:
            whole = self._chained_draft(samples, full_audio.sample_rate)
        with self._state:
            self._drafts = []
        return whole

    def finish_async(self, full_audio: Audio) -> Future[Transcript]:
        """The full transcription of the whole turn, decoded in the background (while the interviewer replies)."""
        self.reset()
        return self._executor.submit(self.inner.transcribe, full_audio, hints=self.hints)

    def prefix_at(self, not_before: float) -> Transcript | None:
        """The newest finished draft (or prefix) of the turn up to a cut at or after `not_before` seconds into the
        turn; None while it is still being decoded, or when no pause that late was cut."""
        draft = self.draft_at(not_before)
        return draft.transcript if draft is not None else None

    def draft_at(self, not_before: float) -> Draft | None:
        """prefix_at with what the sound before the cut says (TurnEndJudge asks this)."""
        with self._state:
            prefixes = list(self._drafts or self._prefixes)
        for p in reversed(prefixes):
            if p.cut < not_before * SAMPLE_RATE:
                return None
            ready = p.job.done() and not p.job.cancelled() and p.job.exception() is None
            if p.lone is not None and not p.lone.done() and not (ready and not lone_word_matters(p.job.result().text)):
                return None  # the lone word is still being decoded, and it could change the verdict
            if ready:
                return Draft(p.job.result(), p.lone is not None, _text_of(p.lone))
        return None

    def wait_drafts(self, timeout: float | None = None) -> bool:
        """Block until this turn's drafts (and lone words) are decoded (for tests and benchmarks)."""
        with self._state:
            jobs: list[Future[Any]] = [j for p in self._drafts for j in (p.job, p.lone) if j is not None]
        _done, not_done = wait_futures(jobs, timeout=timeout)
        return not not_done

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every prefix of this turn is transcribed (for tests and benchmarks); False on timeout."""
        with self._state:
            jobs = [p.job for p in self._prefixes]
        _done, not_done = wait_futures(jobs, timeout=timeout)
        return not not_done

    def reset(self) -> None:
        """Forget the current turn (e.g. it was abandoned); a prefix not yet started is cancelled."""
        with self._state:
            prefixes, self._prefixes, self._cuts = self._prefixes + self._drafts, [], []
            self._drafts = []
        for p in prefixes:
            p.job.cancel()

    def close(self) -> None:
        self.reset()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> IncrementalTranscriber:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _hints_after(self, said: str) -> Hints | None:
        """The tail's hints, carrying the turn's earlier words as context, as Whisper does across windows."""
        if not said.strip():
            return self.hints
        return replace(self.hints or Hints(), previous=said)

    def _whole_turn(self, prefixes: list[_Prefix], samples: np.ndarray, rate: int) -> Transcript | None:
        """The newest prefix when nothing but silence follows its cut: the answer ended in that pause.

        This is the common case — the endpointer reports the final pause well before it declares the turn over —
        and the reason replies are fast: the whole answer is already being transcribed while the end-of-turn
        silence runs out, so nothing is left to decode after it.
        """
        live = [p for p in prefixes if p.cut <= len(samples) and not p.job.cancelled()]
        if not live:
            return None
        newest = live[-1]
        tail = samples[newest.cut :]
        loud = float(np.percentile(frame_rms(samples, rate), LOUD_PERCENTILE)) if len(samples) else 0.0
        if len(tail) and (loud <= 0.0 or float(frame_rms(tail, rate).max(initial=0.0)) > loud * CUT_MAX_RELATIVE_RMS):
            return None  # the candidate spoke again after this pause
        try:
            done = newest.job.result()
        except Exception:
            log.warning("a background transcription failed; transcribing again", exc_info=True)
            return None
        return Transcript(done.text, done.words, done.engine, len(samples) / rate)

    @staticmethod
    def _usable_prefix(
        prefixes: list[_Prefix], cuts: list[int], total: int, rate: int
    ) -> tuple[Transcript | None, int]:
        """The newest usable prefix transcript, cut back to where the tail starts, and that sample index."""
        for p in reversed(prefixes):
            if p.job.cancel() or p.cut > total:  # never started, or not part of this clip
                continue
            try:
                done = p.job.result()
            except Exception:
                log.warning("a background transcription failed; using an older prefix or the whole turn", exc_info=True)
                continue
            split = max((c for c in cuts if c <= p.cut and total - c >= MIN_TAIL_SECONDS * rate), default=None)
            if split is None:
                return None, 0  # the turn is too short after every cut: a full transcription is as fast
            if split == p.cut:
                return done, split
            if done.words or not done.text:  # the cut sits in a pause, so each word lies wholly on one side of it
                words = tuple(w for w in done.words if (w.start + w.end) / 2 < split / rate)
                return Transcript(" ".join(w.text for w in words), words, done.engine, split / rate), split
        return None, 0
