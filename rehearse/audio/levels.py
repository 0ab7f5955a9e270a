"""Loudness of audio: RMS per clip or per frame, and decibels relative to full scale (dBFS).

One definition for the meter, the end-of-turn detectors, mic-check and the transcriber's silence checks, so a
level printed by one means the same thing to the others.
"""

from __future__ import annotations

import numpy as np

from rehearse.values import SAMPLE_RATE

SILENT_DB = -100.0  # the level reported for digital silence (log of zero), well below any real room
FRAME_SECONDS = 0.02  # the default analysis frame: 20 ms, short enough to see a syllable


def rms(samples: np.ndarray) -> float:
    """Root-mean-square amplitude of a clip, in float64 so long clips do not lose precision; 0.0 when empty."""
    if not len(samples):
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def amplitude_db(amplitude: float) -> float:
    """An amplitude (RMS or peak, full scale = 1.0) in dBFS, never below SILENT_DB."""
    return max(SILENT_DB, 20.0 * float(np.log10(amplitude))) if amplitude > 0 else SILENT_DB


def rms_db(samples: np.ndarray) -> float:
    """A clip's RMS level in dBFS."""
    return amplitude_db(rms(samples))


def frame_rms(samples: np.ndarray, sample_rate: int = SAMPLE_RATE, frame_seconds: float = FRAME_SECONDS) -> np.ndarray:
    """RMS of consecutive frames; the trailing partial frame is dropped."""
    size = max(1, int(sample_rate * frame_seconds))
    count = len(samples) // size
    if count == 0:
        return np.zeros(0, dtype=np.float32)
    frames = samples[: count * size].reshape(count, size).astype(np.float32)
    return np.sqrt(np.mean(frames * frames, axis=1))
