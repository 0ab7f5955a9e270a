"""Reading and writing WAV clips.

`read_wav` accepts whatever libsndfile can open (WAV, FLAC, OGG, AIFF ...), any rate and channel count, and returns
16 kHz mono float32. `write_wav` writes 16-bit PCM mono atomically. `WavAppender` writes a turn while it is being
recorded so that a crash or a kill -9 loses at most the block in flight.

Why `WavAppender` uses the standard library's `wave` rather than soundfile: libsndfile (1.2.2 here) writes the RIFF
and data sizes only when the file is closed; `SoundFile.flush()` does not touch the header. After a kill -9 the file
says "0 bytes of data". libsndfile itself then falls back to the file length and still reads the audio, but other
readers (Python's `wave`, many players) see an empty clip. `wave.Wave_write` patches both sizes after every
`writeframes`, so with the file object flushed after each block the header on disk is always right.
"""

from __future__ import annotations

import contextlib
import os
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np
import soundfile as sf
import soxr

from rehearse.errors import InputFileError
from rehearse.textfiles import atomic_write
from rehearse.values import SAMPLE_RATE, Audio

MAX_SECONDS = 20 * 60  # longest clip read_wav accepts; a whole rehearsal answer is far shorter
PCM16_SCALE = 32768  # float -> int16 the way libsndfile reads it back (int / 32768), so a round trip is exact
RESAMPLE_QUALITY = "HQ"  # soxr preset: transparent for speech, and fast enough for 20 minutes of audio
CONVERT_HINT = "convert it with: sox INPUT -r 16000 -c 1 OUTPUT.wav"


def read_wav(path: str | os.PathLike[str]) -> Audio:
    """Read an audio file as 16 kHz mono float32, or raise InputFileError saying what is wrong and how to fix it."""
    p = Path(path)
    _check_header(p)
    try:
        with quiet_decoder():
            data, rate = sf.read(str(p), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise InputFileError(f"the audio data cannot be decoded ({exc}); {CONVERT_HINT}", path=p) from exc
    if data.shape[0] == 0:
        raise InputFileError("the audio file holds no samples; record it again", path=p)
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return Audio(_to_rate(mono, int(rate), SAMPLE_RATE), SAMPLE_RATE)


@contextlib.contextmanager
def quiet_decoder() -> Iterator[None]:
    """Silence what the C decoders print on file descriptor 2 while a file is probed or read: libmpg123 writes
    "Note: Illegal Audio-MPEG-Header…" for a junk .mp3, ahead of our own one-line error. Python's own stderr is
    flushed first; a read is short, so little else can be lost in the meantime."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _check_header(p: Path) -> None:
    """Everything that can be rejected from the file system and the header alone, before any sample is read."""
    if not p.exists():
        raise InputFileError("no such file; check the path and spelling", path=p)
    if p.is_dir():
        raise InputFileError("this is a folder, not an audio file; give the path of a .wav file", path=p)
    if not p.is_file():  # a device or a FIFO: its st_size says nothing, and reading it may never end
        raise InputFileError("this is a device or pipe, not an audio file; give the path of a .wav file", path=p)
    if not os.access(p, os.R_OK):
        raise InputFileError("the file cannot be read (permission denied); check its permissions", path=p)
    if p.stat().st_size == 0:
        raise InputFileError("the file is empty (0 bytes); record it again", path=p)
    try:
        with quiet_decoder():
            info = sf.info(str(p))
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise InputFileError(
            f"not a readable audio file (corrupt or unsupported format); {CONVERT_HINT}", path=p
        ) from exc
    if info.frames <= 0 or info.samplerate <= 0:
        raise InputFileError("the audio file holds no samples; record it again", path=p)
    seconds = info.frames / info.samplerate
    if seconds > MAX_SECONDS:
        raise InputFileError(
            f"the recording is {seconds / 60:.0f} minutes long, more than the {MAX_SECONDS // 60} minute limit; "
            f"trim it with: sox INPUT OUTPUT.wav trim 0 {MAX_SECONDS // 60}:00",
            path=p,
        )


def _to_rate(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if rate == target:
        return samples
    return np.asarray(soxr.resample(samples, rate, target, quality=RESAMPLE_QUALITY), dtype=np.float32)


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples as int16, clipped first: libsndfile and `wave` would otherwise wrap values beyond full scale."""
    clean = np.nan_to_num(np.asarray(samples, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    scaled = np.round(np.clip(clean, -1.0, 1.0) * PCM16_SCALE)
    return np.clip(scaled, -PCM16_SCALE, PCM16_SCALE - 1).astype("<i2")  # +1.0 would wrap to -32768


def write_wav(path: str | os.PathLike[str], audio: Audio) -> None:
    """Write 16-bit PCM mono; readers never see a half-written file because it appears by rename."""
    pcm = to_pcm16(audio.samples)
    atomic_write(Path(path), lambda fh: sf.write(fh, pcm, audio.sample_rate, subtype="PCM_16", format="WAV"))


class WavAppender:
    """Write a recording block by block, keeping the file valid after every block.

    with WavAppender(path) as out:
        out.append(block)  # float32 mono at `sample_rate`

    After a crash the file holds every block whose `append` returned; `sync=True` also survives a power cut, at
    the price of one fsync per block.
    """

    def __init__(self, path: str | os.PathLike[str], sample_rate: int = SAMPLE_RATE, *, sync: bool = False) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.sync = sync
        self.frames = 0  # samples written so far
        self._file: wave.Wave_write | None = None
        self._raw: BinaryIO | None = None

    def __enter__(self) -> WavAppender:
        raw = open(self.path, "wb")  # closed in close(), after wave has patched the header
        writer = wave.open(raw, "wb")
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(self.sample_rate)
        # Write the header now, so even a file killed before the first block is a valid empty WAV.
        writer.writeframes(b"")
        raw.flush()
        self._raw, self._file = raw, writer
        return self

    def append(self, samples: np.ndarray) -> None:
        if self._file is None or self._raw is None:
            raise ValueError("WavAppender is not open; use it as a context manager")
        pcm = to_pcm16(samples)
        self._file.writeframes(pcm.tobytes())  # also rewrites the RIFF and data sizes
        self._raw.flush()
        if self.sync:
            os.fsync(self._raw.fileno())
        self.frames += len(pcm)

    @property
    def duration(self) -> float:
        return self.frames / float(self.sample_rate)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()  # wave does not close a file object it was handed
            self._file = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
