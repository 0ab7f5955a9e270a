"""Audio made at test time (espeak-ng, numpy) and the virtual microphone, for the audio tests and the benchmarks.

Import what you need explicitly: `from tests.audio_helpers import speech, virtual_mic`. The benchmarks put the
repository root on sys.path and import `espeak` from here, so speech is made one way everywhere.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from rehearse.audio.wav import read_wav
from rehearse.values import SAMPLE_RATE, Audio

ROOT = Path(__file__).resolve().parent.parent
PULSE_SCRIPT = ROOT / ".ci" / "pulse.sh"
VOICED = 1e-3  # |sample| above this counts as sound in espeak's otherwise exactly-silent output
ESPEAK_TIMEOUT = 30  # seconds; espeak renders a sentence in milliseconds
PULSE_TIMEOUT = 30


def require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (sudo apt-get install {package})")


def espeak(text: str, voice: str = "en-us", rate: int | None = 160, *, trim_silence: bool = True) -> np.ndarray:
    """espeak-ng saying `text`, as 16 kHz float32; the one place tests and benchmarks make speech.

    `rate` is in words per minute (None: espeak's own default, 175). `trim_silence` drops the leading and trailing
    silence espeak puts around every clip. Not cached and no skip: benchmarks call this directly.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "speech.wav"
        speed = [] if rate is None else ["-s", str(rate)]
        subprocess.run(["espeak-ng", "-v", voice, *speed, "-w", str(out), text], check=True, timeout=ESPEAK_TIMEOUT)
        samples = read_wav(out).samples  # espeak writes 22.05 kHz; read_wav resamples to 16 kHz
    return trim(samples) if trim_silence else samples


@functools.lru_cache(maxsize=64)
def _spoken(text: str, voice: str, rate: int | None, trim_silence: bool) -> np.ndarray:
    return espeak(text, voice, rate, trim_silence=trim_silence)


def speech(text: str, voice: str = "en-us", rate: int | None = 160, *, trim_silence: bool = True) -> np.ndarray:
    """`espeak` for tests: skipped when espeak-ng is missing, cached for the session (callers get a copy)."""
    require("espeak-ng", "espeak-ng")
    return _spoken(text, voice, rate, trim_silence).copy()


def trim(samples: np.ndarray) -> np.ndarray:
    voiced = np.nonzero(np.abs(samples) > VOICED)[0]
    return samples[voiced[0] : voiced[-1] + 1] if len(voiced) else samples[:0]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def noise(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    """White noise at an RMS level in dBFS."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(round(seconds * SAMPLE_RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


def audio(*parts: np.ndarray) -> Audio:
    return Audio(np.concatenate(parts).astype(np.float32), SAMPLE_RATE)


def sound_span(samples: np.ndarray, threshold: float = VOICED) -> tuple[float, float]:
    """(first, last) second at which the clip is louder than `threshold`."""
    voiced = np.nonzero(np.abs(samples) > threshold)[0]
    if not len(voiced):
        return (0.0, 0.0)
    return voiced[0] / SAMPLE_RATE, (voiced[-1] + 1) / SAMPLE_RATE


def refresh_portaudio() -> None:
    """Make PortAudio enumerate devices again, after the test started a PulseAudio daemon.

    PortAudio scans once, when sounddevice is first imported, and sounddevice offers no public rescan; its private
    _terminate/_initialize pair is the only way. Only tests need a rescan, so the private call lives here. Any
    stream still open is invalidated.
    """
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()


def _pulse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(PULSE_SCRIPT), *args], capture_output=True, text=True, timeout=PULSE_TIMEOUT, check=False
    )


@pytest.fixture(scope="module")
def virtual_mic() -> Iterator[dict[str, str]]:
    """The PulseAudio virtual microphone from .ci/pulse.sh, visible to PortAudio; stopped again if we started it.

    Yields the environment to give `paplay -d vspk` so it reaches the same daemon.
    """
    require("pulseaudio", "pulseaudio pulseaudio-utils")
    require("paplay", "pulseaudio-utils")
    was_running = _pulse("status").returncode == 0
    started = _pulse("start")
    if started.returncode != 0:
        pytest.fail(f".ci/pulse.sh could not start the virtual microphone: {started.stderr.strip()}")
    env = dict(line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from rehearse.audio.devices import list_devices

    try:
        refresh_portaudio()  # PortAudio only sees the daemon if it scans after the daemon started
        if not any(d.inputs for d in list_devices()):
            pytest.fail("PortAudio sees no input although PulseAudio runs: sudo apt-get install libasound2-plugins")
        yield {**os.environ, **env}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if not was_running:
            _pulse("stop")
        refresh_portaudio()


# Six everyday sentences for babble: other people talking in the room, about anything but the call.
BABBLE_TEXT = (
    "The weather has been strange this week with rain every afternoon and sun in the morning",
    "Did you see the match last night it went to extra time and then penalties",
    "We should book the restaurant early because it gets busy on Fridays",
    "The train was late again so I missed the start of the meeting",
    "Remember to bring the charger and the spare cables for the projector",
    "Her new flat is near the park and the rent is surprisingly reasonable",
)


def babble(
    length: int, rng: np.random.Generator, voices: Sequence[str], texts: Sequence[str] = BABBLE_TEXT
) -> np.ndarray:
    """Several espeak-ng voices talking at once, each at unit RMS and starting at a random point of its text, looped
    to `length` samples: the room noise that sounds most like a candidate."""
    out = np.zeros(length, dtype=np.float32)
    for voice, text in zip(voices, texts, strict=True):
        talk = espeak(text, voice, int(rng.integers(150, 190)))
        reps = np.tile(talk, length // len(talk) + 2)
        start = int(rng.integers(0, len(talk)))
        out += reps[start : start + length] / (np.sqrt(np.mean(talk**2)) + 1e-9)
    return out
