"""rehearse.audio.wav: reading anything sensible, refusing the rest with a fix, writing safely, surviving kill -9."""

from __future__ import annotations

import os
import signal
import stat
import struct
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rehearse import textfiles
from rehearse.audio import wav
from rehearse.audio.wav import MAX_SECONDS, WavAppender, read_wav, write_wav
from rehearse.errors import InputFileError
from rehearse.values import SAMPLE_RATE, Audio
from tests.audio_helpers import ROOT

KILL_AFTER_BLOCKS = 25  # blocks the child reports written before it is killed
CHILD_BLOCK = 1600  # 0.1 s at 16 kHz
CHILD_WAIT = 60  # seconds to wait for the child's reports before giving up (not a timing assertion)


def tone(freq: float, seconds: float, rate: int, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def wav_header(frames: int, rate: int = SAMPLE_RATE) -> bytes:
    """A canonical 44-byte PCM-16 mono header claiming `frames` samples."""
    data = frames * 2
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE" + b"fmt " + fmt + b"data" + struct.pack("<I", data)


def test_stereo_44k_is_downmixed_and_resampled(tmp_path: Path) -> None:
    left, right = tone(440, 2.0, 44100), np.zeros(88200, dtype=np.float32)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([left, right], axis=1), 44100, subtype="PCM_16")
    clip = read_wav(path)
    assert clip.sample_rate == SAMPLE_RATE
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert abs(clip.duration - 2.0) < 0.01
    assert abs(dominant_hz(clip.samples, SAMPLE_RATE) - 440) < 2
    # Averaging one silent channel halves the amplitude (0.5 -> 0.25).
    assert 0.23 < float(np.max(np.abs(clip.samples[1000:-1000]))) < 0.27


@pytest.mark.parametrize(
    ("rate", "subtype", "fmt", "suffix"),
    [
        (8000, "PCM_U8", "WAV", "wav"),
        (22050, "PCM_24", "WAV", "wav"),
        (48000, "FLOAT", "WAV", "wav"),
        (16000, "PCM_16", "FLAC", "flac"),
        (32000, "PCM_16", "AIFF", "aiff"),
    ],
)
def test_common_rates_and_subtypes(tmp_path: Path, rate: int, subtype: str, fmt: str, suffix: str) -> None:
    path = tmp_path / f"clip.{suffix}"
    sf.write(path, tone(300, 1.0, rate), rate, subtype=subtype, format=fmt)
    clip = read_wav(path)
    assert clip.sample_rate == SAMPLE_RATE
    assert abs(clip.duration - 1.0) < 0.01
    assert abs(dominant_hz(clip.samples, SAMPLE_RATE) - 300) < 2


def test_six_channels_are_averaged(tmp_path: Path) -> None:
    path = tmp_path / "surround.wav"
    sf.write(path, np.tile(tone(200, 0.5, 16000)[:, None], (1, 6)), 16000, subtype="PCM_16")
    clip = read_wav(path)
    assert abs(float(np.max(np.abs(clip.samples))) - 0.5) < 0.01


def assert_rejected(path: Path, *words: str) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_wav(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message, message
    return info.value


def test_missing_file(tmp_path: Path) -> None:
    assert_rejected(tmp_path / "nope.wav", "no such file", "check the path")


def test_directory(tmp_path: Path) -> None:
    assert_rejected(tmp_path, "folder", ".wav")


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert_rejected(path, "empty", "record it again")


def test_header_without_frames(tmp_path: Path) -> None:
    path = tmp_path / "noframes.wav"
    path.write_bytes(wav_header(0))
    assert_rejected(path, "no samples")


@pytest.mark.parametrize(
    "content",
    [b"RIFF\x00\x00\x00\x00WAVEjunk" * 8, b"this is a text file, not audio\n" * 20, bytes(range(256)) * 4],
    ids=["broken-riff", "text", "binary"],
)
def test_corrupt_or_not_audio(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "corrupt.wav"
    path.write_bytes(content)
    assert_rejected(path, "not a readable audio file", "sox")


def test_two_hour_file_is_rejected_from_its_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sparse file: a true 2-hour header, and the data region a hole that takes no disk space.
    frames = 2 * 3600 * SAMPLE_RATE
    path = tmp_path / "two-hours.wav"
    with open(path, "wb") as fh:
        fh.write(wav_header(frames))
        fh.truncate(44 + frames * 2)
    assert sf.info(str(path)).frames == frames

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("samples were read before the length was checked")

    monkeypatch.setattr(wav.sf, "read", no_reading)
    assert_rejected(path, "120 minutes", f"{MAX_SECONDS // 60} minute limit", "trim")


def test_header_claiming_more_than_the_file_holds_reads_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / "liar.wav"
    path.write_bytes(wav_header(2 * 3600 * SAMPLE_RATE) + b"\x00\x10" * 8000)
    assert abs(read_wav(path).duration - 0.5) < 0.01  # libsndfile trusts the file size over the header


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    original = tone(500, 0.75, SAMPLE_RATE, amp=0.8)
    path = tmp_path / "out.wav"
    write_wav(path, Audio(original))
    info = sf.info(str(path))
    assert (info.samplerate, info.channels, info.subtype, info.format) == (SAMPLE_RATE, 1, "PCM_16", "WAV")
    assert np.max(np.abs(read_wav(path).samples - original)) <= 0.5 / 32768 + 1e-7
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]  # no temp file left behind


@settings(max_examples=30, deadline=None)
@given(arrays(np.float32, st.integers(1, 400), elements=st.floats(-1.0, 1.0, width=32)))
def test_round_trip_error_is_one_quantisation_step(tmp_path_factory: pytest.TempPathFactory, x: np.ndarray) -> None:
    path = tmp_path_factory.mktemp("rt") / "x.wav"
    write_wav(path, Audio(x))
    assert np.max(np.abs(read_wav(path).samples - x)) <= 1 / 32768 + 1e-7  # half a step, a whole one at +1.0


def test_out_of_range_samples_are_clipped_not_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "loud.wav"
    write_wav(path, Audio(np.array([1.5, -2.0, np.nan, 0.25], dtype=np.float32)))
    back = read_wav(path).samples
    assert back[0] == pytest.approx(1.0, abs=1e-4)
    assert back[1] == pytest.approx(-1.0, abs=1e-4)
    assert back[2] == 0.0


def test_failed_write_leaves_the_old_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keep.wav"
    write_wav(path, Audio(tone(300, 0.2, SAMPLE_RATE)))
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(wav.sf, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        write_wav(path, Audio(np.zeros(10, dtype=np.float32)))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.wav"]


def test_write_wav_is_synced_and_private_like_every_saved_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(textfiles.os, "fsync", fsync)
    clip, text = tmp_path / "new" / "clip.wav", tmp_path / "note.txt"
    write_wav(clip, Audio(tone(300, 0.2, SAMPLE_RATE)))  # its folder is made, as for any saved file
    textfiles.atomic_write_text(text, "saved")
    assert len(synced) == 2  # both reached the disk before the rename
    assert stat.S_IMODE(clip.stat().st_mode) == stat.S_IMODE(text.stat().st_mode) == 0o600
    assert [p.name for p in clip.parent.iterdir()] == ["clip.wav"]


def test_appender_header_is_right_after_every_block(tmp_path: Path) -> None:
    path = tmp_path / "turn.wav"
    with WavAppender(path) as out:
        assert sf.info(str(path)).frames == 0
        for n in range(1, 4):
            out.append(tone(300, 0.1, SAMPLE_RATE))
            with wave.open(str(path), "rb") as w:  # a strict reader: trusts only the header
                assert w.getnframes() == n * 1600
        assert out.duration == pytest.approx(0.3)
    assert read_wav(path).duration == pytest.approx(0.3)


CHILD = """
import sys, numpy as np
from rehearse.audio.wav import WavAppender
with WavAppender(sys.argv[1]) as out:
    n = 0
    while True:
        out.append(np.full({block}, 0.25, dtype=np.float32))
        n += 1
        print(n, flush=True)
"""


def test_kill_9_mid_write_leaves_a_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "killed.wav"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(block=CHILD_BLOCK), str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        written = 0
        while written < KILL_AFTER_BLOCKS:
            line = child.stdout.readline()
            assert line, "the writer died before it was killed"
            written = int(line)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=CHILD_WAIT)
    assert child.returncode == -signal.SIGKILL
    # Every block the child reported is on disk and the header says so (it may have managed a few more).
    with wave.open(str(path), "rb") as w:
        frames_in_header = w.getnframes()
    data_bytes = path.stat().st_size - 44
    assert frames_in_header >= written * CHILD_BLOCK
    assert data_bytes - frames_in_header * 2 <= CHILD_BLOCK * 2  # at most the block in flight is unaccounted for
    clip = read_wav(path)
    assert clip.duration >= written * CHILD_BLOCK / SAMPLE_RATE
    assert np.allclose(clip.samples, 0.25, atol=1e-4)
