"""A whole recording transcribed in pieces (`rehearse score` on an audio file): Whisper's window is 30 s, so a
long recording is cut at its quietest moments and each piece is told the text before it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np

from rehearse.audio.levels import frame_rms
from rehearse.stt import Transcriber
from rehearse.values import SAMPLE_RATE, Audio, Hints, Transcript, Word

# A recording file is transcribed in pieces of about this length (Whisper's own window), each cut at the quietest
# moment within the last PIECE_SEARCH_SECONDS, so the progress bar moves and no word is cut in two.
PIECE_SECONDS = 30.0
PIECE_SEARCH_SECONDS = 4.0
PIECE_HOP_SECONDS = 0.05  # resolution of the quiet-moment search
PREVIOUS_CHARS = 200  # how much of the text so far each piece is told, so it continues the sentence

Progress = Callable[[int, int], None]  # (samples transcribed so far, samples in all)


def split_points(
    samples: np.ndarray, target: float = PIECE_SECONDS, search: float = PIECE_SEARCH_SECONDS
) -> Iterator[tuple[int, int]]:
    """Cut a long recording into ~`target` s pieces at its quietest moments: (start, end) sample indices."""
    hop = int(PIECE_HOP_SECONDS * SAMPLE_RATE)
    start, n = 0, len(samples)
    while start < n:
        end = start + int(target * SAMPLE_RATE)
        if end >= n - int(search * SAMPLE_RATE):
            yield start, n
            return
        lo = end - int(search * SAMPLE_RATE)
        quiet = int(np.argmin(frame_rms(samples[lo:end], SAMPLE_RATE, PIECE_HOP_SECONDS)))
        cut = lo + quiet * hop + hop // 2
        yield start, cut
        start = cut


def transcribe_file(
    audio: Audio, engine: Transcriber, hints: Hints | None = None, progress: Progress | None = None
) -> Transcript:
    """Transcribe a whole recording piece by piece; word times are from the start of the recording.

    `progress` hears after every piece, so a caller can draw a bar without this module knowing about terminals.
    """
    hints = hints or Hints()
    texts: list[str] = []
    words: list[Word] = []
    for lo, hi in split_points(audio.samples):
        told = replace(hints, previous=" ".join(texts)[-PREVIOUS_CHARS:]) if texts else hints
        part = engine.transcribe(Audio(audio.samples[lo:hi], audio.sample_rate), hints=told)
        offset = lo / audio.sample_rate
        texts.append(part.text)
        words += [Word(w.text, w.start + offset, w.end + offset, w.probability) for w in part.words]
        if progress is not None:
            progress(hi, len(audio.samples))
    text = " ".join(t for t in texts if t)
    return Transcript(text, tuple(words), engine.name, audio.duration)
