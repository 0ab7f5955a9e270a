"""PulseAudio streams with a clock: libpulse-simple through ctypes, 16 kHz mono float32.

Why not sounddevice: PortAudio reaches PulseAudio through ALSA's pulse plugin, and on this machine a duplex
stream's round trip was 22-88 ms and changed between opens and after underruns (measured, see tests/robot.py), so a
sample count in one PortAudio stream is not a clock to ±30 ms. PulseAudio itself knows each stream's latency:
after every write (read) we ask it, and so know when a given sample index of the stream is rendered into (was
taken from) the sink. Both streams are then on `time.monotonic()`; a running median over the last blocks removes
the scheduling jitter of the Python threads. On the null sinks of .ci/pulse.sh the mapping is stable to ~1-3 ms.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import os
import statistics
import threading
import time
from collections.abc import Callable

import numpy as np

RATE = 16000
BLOCK = 160  # 10 ms
PA_SAMPLE_FLOAT32LE = 5
PA_STREAM_PLAYBACK = 1
PA_STREAM_RECORD = 2


class _Spec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _Attr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("maxlength", "tlength", "prebuf", "minreq", "fragsize")]


_lib: ctypes.CDLL | None = None


def _pulse() -> ctypes.CDLL:
    global _lib  # noqa: PLW0603
    if _lib is None:
        lib = ctypes.CDLL("libpulse-simple.so.0")
        lib.pa_simple_new.restype = ctypes.c_void_p
        lib.pa_simple_new.argtypes = [
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_char_p,
            ctypes.POINTER(_Spec),
            ctypes.c_void_p,
            ctypes.POINTER(_Attr),
            ctypes.POINTER(ctypes.c_int),
        ]
        for name in ("pa_simple_write", "pa_simple_read"):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_int
            fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_get_latency.restype = ctypes.c_uint64
        lib.pa_simple_get_latency.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_free.argtypes = [ctypes.c_void_p]
        lib.pa_simple_free.restype = None
        _lib = lib
    return _lib


def _boost() -> None:
    """Raise this thread's priority when allowed (root): on a busy 2-core machine a starved player underruns,
    which stretches the robot's answer (measured once: 400 ms)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), -10)


def _open(direction: int, device: str, name: str, latency_ms: float) -> int:
    lib = _pulse()
    spec = _Spec(PA_SAMPLE_FLOAT32LE, RATE, 1)
    nbytes = int(RATE * latency_ms / 1000) * 4
    none = 0xFFFFFFFF
    if direction == PA_STREAM_PLAYBACK:
        attr = _Attr(none, nbytes, none, BLOCK * 4, none)
    else:
        attr = _Attr(none, none, none, none, BLOCK * 4)
    err = ctypes.c_int(0)
    handle = lib.pa_simple_new(
        None, b"rehearse-robot", direction, device.encode(), name.encode(), spec, None, attr, ctypes.byref(err)
    )
    if not handle:
        raise OSError(f"PulseAudio: could not open {device} (error {err.value}); is .ci/pulse.sh running?")
    return handle


class _Clock:
    """Sample index -> monotonic seconds: t(i) = t0 + i / RATE, with t0 the median of the estimates made within a
    second of sample i.

    Each block gives an estimate of t0 (from the time and the latency PulseAudio reports). Measured on a record
    stream of a null sink's monitor: after the first ~0.9 s (off by up to 0.5 s while the stream starts) the
    median of a second's estimates stays within ±2 ms, single estimates within ~6 ms. A playback stream's
    estimates saw-tooth by up to ±15 ms (its reported latency lags PulseAudio's rewinds), so the robot uses the
    player only to schedule, and measures what it played on the sink's monitor.
    """

    WINDOW = RATE  # samples either side

    def __init__(self) -> None:
        self._index: list[int] = []
        self._t0: list[float] = []
        self._lock = threading.Lock()

    def add(self, index: int, t0: float) -> None:
        with self._lock:
            self._index.append(index)
            self._t0.append(t0)

    def t0(self, index: float | None = None) -> float:
        with self._lock:
            if not self._t0:
                return float("nan")
            if index is None:
                return statistics.median(self._t0[-2 * self.WINDOW // BLOCK :])
            lo = bisect.bisect_left(self._index, index - self.WINDOW)
            hi = bisect.bisect_right(self._index, index + self.WINDOW)
            return statistics.median(self._t0[lo:hi] or self._t0[-2 * self.WINDOW // BLOCK :])

    def time_of(self, index: float) -> float:
        return self.t0(index) + index / RATE

    def index_at(self, t: float) -> float:
        return (t - self.t0()) * RATE


class Player:
    """Plays into a sink without pause: zeros when idle, so the sample index is a clock. `source(start, n)` returns
    the n samples from output index `start`."""

    def __init__(self, sink: str, source: Callable[[int, int], np.ndarray], latency_ms: float = 200) -> None:
        self.clock = _Clock()
        self.written = 0
        self._source = source
        self._handle = _open(PA_STREAM_PLAYBACK, sink, "robot-speech", latency_ms)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="robot-player", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _boost()
        lib, err = _pulse(), ctypes.c_int(0)
        while not self._stop.is_set():
            block = np.ascontiguousarray(self._source(self.written, BLOCK), dtype=np.float32)
            if lib.pa_simple_write(self._handle, block.ctypes.data, block.nbytes, ctypes.byref(err)) < 0:
                break
            self.written += BLOCK
            now = time.monotonic()
            latency = lib.pa_simple_get_latency(self._handle, ctypes.byref(err)) / 1e6
            # the last sample written is rendered `latency` from now
            self.clock.add(self.written, now + latency - self.written / RATE)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        _pulse().pa_simple_free(self._handle)


class Recorder:
    """Records a source in 10 ms blocks; `sink(index, block)` is called for each, from the recorder's thread."""

    def __init__(self, source: str, sink: Callable[[int, np.ndarray], None]) -> None:
        self.clock = _Clock()
        self.read = 0
        self._sink = sink
        self._handle = _open(PA_STREAM_RECORD, source, "robot-ears", 10)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="robot-recorder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _boost()
        lib, err = _pulse(), ctypes.c_int(0)
        block = np.zeros(BLOCK, dtype=np.float32)
        while not self._stop.is_set():
            if lib.pa_simple_read(self._handle, block.ctypes.data, block.nbytes, ctypes.byref(err)) < 0:
                break
            now = time.monotonic()
            latency = lib.pa_simple_get_latency(self._handle, ctypes.byref(err)) / 1e6
            start = self.read
            self.read += BLOCK
            # the last sample read was captured `latency` ago
            self.clock.add(self.read, now - latency - self.read / RATE)
            self._sink(start, block.copy())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        _pulse().pa_simple_free(self._handle)


def play_once(sink: str, samples: np.ndarray) -> tuple[float, float]:
    """Play a whole clip through its own stream, handed to PulseAudio in one write (the server holds all of it,
    so a starved client cannot underrun mid-clip), and wait until it has played. Returns (monotonic time of the
    write, the latency PulseAudio reported just after it): the clip starts at about write + latency - its length.
    """
    lib, err = _pulse(), ctypes.c_int(0)
    data = np.ascontiguousarray(np.concatenate([samples, np.zeros(BLOCK, np.float32)]), dtype=np.float32)
    spec = _Spec(PA_SAMPLE_FLOAT32LE, RATE, 1)
    attr = _Attr(data.nbytes + 65536, data.nbytes, BLOCK * 4, BLOCK * 4, 0xFFFFFFFF)
    handle = lib.pa_simple_new(
        None, b"rehearse-robot", PA_STREAM_PLAYBACK, sink.encode(), b"robot-answer", spec, None, attr, ctypes.byref(err)
    )
    if not handle:
        raise OSError(f"PulseAudio: could not open {sink} (error {err.value})")
    try:
        t = time.monotonic()
        lib.pa_simple_write(handle, data.ctypes.data, data.nbytes, ctypes.byref(err))
        latency = lib.pa_simple_get_latency(handle, ctypes.byref(err)) / 1e6
        lib.pa_simple_drain.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_drain(handle, ctypes.byref(err))
    finally:
        lib.pa_simple_free(handle)
    return t, latency
