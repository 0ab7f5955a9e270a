"""The device boundary: microphones and speakers behind two small Protocols (the speakers are in audio.playback).

Everything past this module sees 16 kHz mono float32 blocks, whatever the hardware does. sounddevice is imported
inside functions only, so this module imports on a machine without PortAudio and the CLI can say what to install.
"""

from __future__ import annotations

import functools
import math
import queue
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Protocol, Self

import numpy as np
import soxr

from rehearse.errors import DeviceError
from rehearse.values import SAMPLE_RATE, Audio

DeviceKind = Literal["input", "output"]

BLOCK_SECONDS = 0.02  # one microphone block: small enough for a responsive level meter and end-of-turn
QUEUE_SECONDS = 120.0  # blocks kept when nobody reads; beyond that new blocks are dropped and counted
TRAILING_SILENCE_SECONDS = 2.0  # what FileMicrophone serves after the clip, so an endpointer can see the end
STREAM_RESAMPLE_QUALITY = "HQ"  # soxr preset for live input at a device's native rate
STAMPS_KEPT = 3000  # block time stamps kept by the microphone: a minute of 20 ms blocks
LEVELS_KEPT = 100  # block levels kept for the barge-in watch: two seconds of 20 ms blocks
EMPTY_BLOCK = np.zeros(0, dtype=np.float32)  # read() result when nothing arrived in time (None means the end)
INSTALL_PORTAUDIO = "install it with `sudo apt-get install libportaudio2`"
PICK_HINT = {
    "input": "run `rehearse devices` to list them and pass --input with a number or part of a name",
    "output": "run `rehearse devices` to list them and pass --output with a number or part of a name",
}


class Microphone(Protocol):
    """A source of 16 kHz mono float32 blocks: what the listener reads. Opening and closing a device is its own
    business (SoundDeviceMicrophone and FileMicrophone are context managers; a scripted or teed one need not be)."""

    sample_rate: int

    def read(self, timeout: float) -> np.ndarray | None:
        """The next block; an empty array when none came within `timeout` seconds; None at the end of the stream."""
        ...


OnStart = Callable[[float], None]  # told the monotonic time the clip's first sample is heard


class Speaker(Protocol):
    def play(self, audio: Audio, on_start: OnStart | None = None) -> None:
        """Play the clip and return when it has been played (or stop() was called). `on_start` is called, on the
        caller's thread, as the clip starts to be heard."""
        ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class DeviceInfo:
    """One row of `rehearse devices`."""

    index: int  # PortAudio's device number, what --input / --output accept
    name: str
    inputs: int  # max input channels; 0 for a playback-only device
    outputs: int  # max output channels; 0 for a capture-only device
    default_in: bool  # the system's default microphone
    default_out: bool  # the system's default speaker
    default_samplerate: float  # the device's native rate, Hz


def load_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # the wheel loads libportaudio at import time
        raise DeviceError(
            f"PortAudio is not installed, so no microphone or speaker can be used; {INSTALL_PORTAUDIO}"
        ) from exc
    _quiet_alsa()
    return sounddevice


@functools.cache
def _quiet_alsa() -> Any:
    """Stop libasound printing its own diagnostics ("ALSA lib pcm.c: underrun occurred") over the terminal: a
    late buffer is already heard, and a real failure reaches us as a PortAudio error. Returns the handler, which
    must live as long as the process."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("asound")
    if name is None:
        return None
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    handler = handler_type(lambda *_args: None)
    try:
        ctypes.CDLL(name).snd_lib_error_set_handler(handler)
    except (OSError, AttributeError):
        return None
    return handler


def list_devices() -> list[DeviceInfo]:
    sd = load_sounddevice()
    default_in, default_out = (int(i) for i in sd.default.device)
    return [
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            inputs=int(d["max_input_channels"]),
            outputs=int(d["max_output_channels"]),
            default_in=int(d["index"]) == default_in,
            default_out=int(d["index"]) == default_out,
            default_samplerate=float(d["default_samplerate"]),
        )
        for d in sd.query_devices()
    ]


def _channels(row: DeviceInfo, kind: DeviceKind) -> int:
    return row.inputs if kind == "input" else row.outputs


def _no_device(kind: DeviceKind) -> DeviceError:
    what = "microphone (input device)" if kind == "input" else "speaker (output device)"
    return DeviceError(f"no {what} was found; plug one in or start a sound server, then {PICK_HINT[kind]}")


def resolve_device(spec: int | str | None, kind: DeviceKind) -> int | None:
    """A device number from an index or a case-insensitive part of its name; None (the default) stays None."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return None
    rows = [r for r in list_devices() if _channels(r, kind) > 0]
    if not rows:
        raise _no_device(kind)
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        if any(r.index == index for r in rows):
            return index
        raise DeviceError(f"there is no {kind} device number {index}; {PICK_HINT[kind]}")
    needle = spec.strip().lower()
    matches = [r for r in rows if needle in r.name.lower()]
    exact = [r for r in matches if r.name.lower() == needle]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].index
    if not matches:
        raise DeviceError(f"no {kind} device name contains '{spec}'; {PICK_HINT[kind]}")
    names = ", ".join(f"{r.index}: {r.name}" for r in matches)
    raise DeviceError(f"'{spec}' matches several {kind} devices ({names}); pass the number instead")


def device_index(sd: Any, spec: int | str | None, kind: DeviceKind) -> int:
    index = resolve_device(spec, kind)
    if index is not None:
        return index
    default = int(sd.default.device[0 if kind == "input" else 1])
    if default < 0:
        raise _no_device(kind)
    return default


def pick_settings(sd: Any, device: int, kind: DeviceKind) -> tuple[int, int]:
    """(rate, channels) the device accepts: 16 kHz mono if possible, else its native rate, else stereo."""
    info = sd.query_devices(device)
    native = int(info["default_samplerate"])
    max_channels = int(info["max_input_channels" if kind == "input" else "max_output_channels"])
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    tries = [(SAMPLE_RATE, 1), (native, 1), (SAMPLE_RATE, min(2, max_channels)), (native, min(2, max_channels))]
    for rate, channels in dict.fromkeys(tries):
        try:
            check(device=device, samplerate=rate, channels=channels, dtype="float32")
        except (sd.PortAudioError, ValueError):
            continue
        return rate, channels
    raise DeviceError(
        f"the {kind} device '{info['name']}' accepts neither {SAMPLE_RATE} Hz nor its own {native} Hz; "
        + PICK_HINT[kind]
    )


def start_stream(sd: Any, kind: DeviceKind, device: int, **settings: Any) -> Any:
    """A started PortAudio stream of float32 samples, or one line saying which device failed and how to pick one."""
    stream = None
    try:
        stream = (sd.InputStream if kind == "input" else sd.OutputStream)(device=device, dtype="float32", **settings)
        stream.start()
    except sd.PortAudioError as exc:
        close_stream(stream)
        what = "microphone" if kind == "input" else "speaker"
        name = sd.query_devices(device)["name"]
        raise DeviceError(f"the {what} '{name}' could not be opened ({exc}); {PICK_HINT[kind]}") from exc
    return stream


def close_stream(stream: Any) -> None:
    if stream is not None:
        # abort() rather than stop(): stop() waits for buffers to drain and can hang on a stalled source.
        stream.abort()
        stream.close()


class SoundDeviceMicrophone:
    """A live microphone. The PortAudio callback only queues copies; conversion happens in read()."""

    def __init__(self, device: int | str | None = None, *, block_seconds: float = BLOCK_SECONDS) -> None:
        self.device = device
        self.sample_rate = SAMPLE_RATE
        self.block_seconds = block_seconds
        self.native_rate = SAMPLE_RATE  # what the device was opened at
        self.channels = 1
        self.dropped_blocks = 0  # blocks lost because nobody read for QUEUE_SECONDS
        self._queue: queue.Queue[tuple[np.ndarray, float]] = queue.Queue(
            maxsize=max(1, int(QUEUE_SECONDS / block_seconds))
        )
        self._stream: Any = None
        self._resampler: soxr.ResampleStream | None = None
        # (position, monotonic time) of recent blocks' first samples: each block is stamped as it arrives, because
        # samples lost while Python was busy would make one start-of-stream anchor drift by that much.
        self._stamps: deque[tuple[int, float]] = deque(maxlen=STAMPS_KEPT)
        self.position = 0  # 16 kHz samples handed out by read()
        # (monotonic time heard, seconds, dBFS) of the newest blocks, as they arrive: the barge-in watch reads the
        # level while the interviewer speaks, when nobody reads the queue.
        self._levels: deque[tuple[float, float, float]] = deque(maxlen=LEVELS_KEPT)

    def recent_levels(self) -> list[tuple[float, float, float]]:
        return list(self._levels)

    def __enter__(self) -> Self:
        sd = load_sounddevice()
        device = device_index(sd, self.device, "input")
        self.native_rate, self.channels = pick_settings(sd, device, "input")
        self._queue = queue.Queue(maxsize=self._queue.maxsize)  # nothing from an earlier opening leaks in
        self._resampler = None
        self._stamps.clear()
        self._levels.clear()
        self.position = 0
        if self.native_rate != SAMPLE_RATE:
            self._resampler = soxr.ResampleStream(
                self.native_rate, SAMPLE_RATE, 1, dtype="float32", quality=STREAM_RESAMPLE_QUALITY
            )
        self._stream = start_stream(
            sd,
            "input",
            device,
            samplerate=self.native_rate,
            channels=self.channels,
            blocksize=max(1, round(self.native_rate * self.block_seconds)),
            callback=self._callback,
        )
        return self

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # Runs on PortAudio's thread: no allocation beyond the copy, no locks beyond the queue's, no I/O.
        # When the block's first sample was captured: PortAudio's capture delay when it reports one, else the
        # block's own length, counted back from now.
        delay = float(time_info.currentTime - time_info.inputBufferAdcTime) if time_info else 0.0
        if not 0.0 < delay < 1.0:
            delay = frames / self.native_rate
        heard = time.monotonic() - delay
        power = float(np.mean(np.square(indata, dtype=np.float32)))
        self._levels.append((heard, frames / self.native_rate, 10.0 * math.log10(power) if power > 1e-12 else -120.0))
        try:
            self._queue.put_nowait((indata.copy(), heard))
        except queue.Full:
            self.dropped_blocks += 1

    def time_at(self, position: int) -> float | None:
        """Monotonic time at which the 16 kHz sample at `position` (counted over read()) was heard; None for a
        position older than the stamps kept."""
        for pos, at in reversed(self._stamps):
            if pos <= position:
                return at + (position - pos) / SAMPLE_RATE
        return None

    def read(self, timeout: float) -> np.ndarray | None:
        if self._stream is None:
            return None
        try:
            block, at = self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return EMPTY_BLOCK if self._stream.active else None
        self._stamps.append((self.position, at))
        mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
        if self._resampler is not None:
            mono = self._resampler.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32))
        out = np.ascontiguousarray(mono, dtype=np.float32)
        self.position += len(out)
        return out

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        close_stream(stream)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()


class FileMicrophone:
    """Serves a clip as if it were being spoken: its blocks, then trailing silence, then None.

    realtime=True paces blocks at the speed of speech (for the demo); False serves them as fast as they are read
    (for tests), so a 60 s answer is endpointed in milliseconds.
    """

    def __init__(
        self,
        audio: Audio,
        realtime: bool = False,
        *,
        block_seconds: float = BLOCK_SECONDS,
        trailing_silence: float = TRAILING_SILENCE_SECONDS,
    ) -> None:
        samples = np.asarray(audio.samples, dtype=np.float32)
        if audio.sample_rate != SAMPLE_RATE:
            samples = soxr.resample(samples, audio.sample_rate, SAMPLE_RATE, quality=STREAM_RESAMPLE_QUALITY)
        tail = np.zeros(round(trailing_silence * SAMPLE_RATE), dtype=np.float32)
        self._samples = np.concatenate([samples.astype(np.float32), tail])
        self.sample_rate = SAMPLE_RATE
        self.realtime = realtime
        self._block = max(1, round(block_seconds * SAMPLE_RATE))
        self._pos = 0
        self._start: float | None = None

    def __enter__(self) -> Self:
        self._start = time.monotonic()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pos = len(self._samples)

    def read(self, timeout: float) -> np.ndarray | None:
        if self._pos >= len(self._samples):
            return None
        end = min(self._pos + self._block, len(self._samples))
        if self.realtime:
            if self._start is None:
                self._start = time.monotonic()
            # A block exists only once its last sample would have been spoken.
            wait = self._start + end / SAMPLE_RATE - time.monotonic()
            if wait > timeout:
                time.sleep(max(0.0, timeout))
                return EMPTY_BLOCK
            time.sleep(max(0.0, wait))
        block = self._samples[self._pos : end]
        self._pos = end
        return block.copy()

    @property
    def position(self) -> int:
        return self._pos

    def time_at(self, position: int) -> float | None:
        """Paced clips have a wall clock (their start); unpaced ones are served faster than time and have none."""
        return self._start + position / SAMPLE_RATE if self.realtime and self._start is not None else None
