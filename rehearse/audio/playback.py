"""Speakers: a clip per PortAudio stream (SoundDeviceSpeaker), one stream for a whole call (StreamSpeaker), and
nowhere (NullSpeaker). The Speaker Protocol and the device lookup they share are in audio.devices."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any, Self

import numpy as np
import soxr

from rehearse.audio import devices
from rehearse.audio.devices import (
    BLOCK_SECONDS,
    PICK_HINT,
    STREAM_RESAMPLE_QUALITY,
    OnStart,
    close_stream,
    device_index,
    pick_settings,
    start_stream,
)
from rehearse.errors import DeviceError
from rehearse.values import SAMPLE_RATE, Audio

PLAY_TAIL_SECONDS = 0.1  # silence appended to each clip: PortAudio over PulseAudio drops the last ~45 ms on close
PLAY_MARGIN_SECONDS = 5.0  # how much longer than the clip play() waits; PulseAudio over ALSA adds ~1.5 s here
# Output buffering of the call's speaker stream: PortAudio's "low" (40 ms on PulseAudio) underran while the main
# thread was busy decoding; 60 ms did not, and adds only 20 ms to each reply.
STREAM_LATENCY_SECONDS = 0.06


class SoundDeviceSpeaker:
    """Plays clips on an output device, blocking until done, with a deadline so a stuck device cannot hang us."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._stop = threading.Event()
        self._done = threading.Event()

    def play(self, audio: Audio, on_start: OnStart | None = None) -> None:
        if len(audio.samples) == 0:
            return
        sd = devices.load_sounddevice()  # looked up on the module, so tests can put a fake in
        device = device_index(sd, self.device, "output")
        rate, channels = pick_settings(sd, device, "output")
        samples = np.asarray(audio.samples, dtype=np.float32)
        if rate != audio.sample_rate:
            samples = soxr.resample(samples, audio.sample_rate, rate, quality=STREAM_RESAMPLE_QUALITY)
        samples = np.concatenate([samples, np.zeros(round(PLAY_TAIL_SECONDS * rate), dtype=np.float32)])
        self._stop.clear()
        self._done.clear()
        callback = _Feeder(samples.astype(np.float32), channels, self._stop, sd)
        try:
            with sd.OutputStream(
                device=device,
                samplerate=rate,
                channels=channels,
                dtype="float32",
                callback=callback,
                finished_callback=self._done.set,
            ) as stream:
                if on_start is not None:
                    on_start(time.monotonic() + float(stream.latency))
                if not self._done.wait(len(samples) / rate + PLAY_MARGIN_SECONDS):
                    stream.abort()
        except sd.PortAudioError as exc:
            name = sd.query_devices(device)["name"]
            raise DeviceError(f"the speaker '{name}' could not play ({exc}); {PICK_HINT['output']}") from exc

    def stop(self) -> None:
        self._stop.set()
        self._done.set()


class StreamSpeaker:
    """One output stream kept open for the whole call, fed clip by clip.

    Opening a PortAudio stream per line costs tens of milliseconds of every reply and makes "when was it heard"
    guesswork; a stream that runs the whole call plays silence between lines, starts each clip within one block,
    and its callback knows when each clip's first and last samples reach the device.
    """

    def __init__(self, device: int | str | None = None, *, block_seconds: float = BLOCK_SECONDS) -> None:
        self.device, self.block_seconds = device, block_seconds
        self.rate, self.channels = SAMPLE_RATE, 1
        self._stream: Any = None
        self._lock = threading.Lock()
        self._clip: np.ndarray | None = None  # being played; None between clips
        self._pos = 0
        self._started = threading.Event()
        self._done = threading.Event()
        self._heard_at = 0.0  # monotonic time the current clip's first sample reaches the speaker
        self._ends_at = 0.0  # ... and its last one

    def __enter__(self) -> Self:
        sd = devices.load_sounddevice()  # looked up on the module, so tests can put a fake in
        device = device_index(sd, self.device, "output")
        self.rate, self.channels = pick_settings(sd, device, "output")
        self._stream = start_stream(
            sd,
            "output",
            device,
            samplerate=self.rate,
            channels=self.channels,
            blocksize=max(1, round(self.rate * self.block_seconds)),
            latency=STREAM_LATENCY_SECONDS,
            callback=self._callback,
        )
        return self

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread: copy samples out, note times, never block.
        outdata.fill(0)
        with self._lock:
            clip = self._clip
            if clip is None:
                return
            delay = max(0.0, float(time_info.outputBufferDacTime - time_info.currentTime)) if time_info else 0.0
            if self._pos == 0:
                self._heard_at = time.monotonic() + delay
                self._started.set()
            chunk = clip[self._pos : self._pos + frames]
            outdata[: len(chunk)] = chunk[:, None]
            self._pos += len(chunk)
            if self._pos >= len(clip):
                self._ends_at = time.monotonic() + delay + len(chunk) / self.rate
                self._clip = None
                self._done.set()

    def play(self, audio: Audio, on_start: OnStart | None = None) -> None:
        if self._stream is None:
            raise DeviceError("the speaker is not open")
        if len(audio.samples) == 0:
            return
        samples = np.asarray(audio.samples, dtype=np.float32)
        if self.rate != audio.sample_rate:
            samples = soxr.resample(samples, audio.sample_rate, self.rate, quality=STREAM_RESAMPLE_QUALITY)
        with self._lock:
            self._started.clear()
            self._done.clear()
            self._clip, self._pos = np.ascontiguousarray(samples, dtype=np.float32), 0
        deadline = len(samples) / self.rate + PLAY_MARGIN_SECONDS
        if self._started.wait(PLAY_MARGIN_SECONDS) and on_start is not None:
            on_start(self._heard_at)
        if not self._done.wait(deadline):
            self.stop()
            raise DeviceError(f"the speaker stopped playing; {PICK_HINT['output']}")
        # Return when the last sample has been heard, not merely handed over: listening starts from here.
        time.sleep(max(0.0, self._ends_at - time.monotonic()))

    def stop(self) -> None:
        with self._lock:
            self._clip = None
        self._started.set()
        self._done.set()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        stream, self._stream = self._stream, None
        close_stream(stream)


class _Feeder:
    """The output callback: hands out the clip frame by frame, then tells PortAudio it is finished."""

    def __init__(self, samples: np.ndarray, channels: int, stop: threading.Event, sd: Any) -> None:
        self.samples, self.channels, self.stop, self.sd = samples, channels, stop, sd
        self.pos = 0

    def __call__(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        if self.stop.is_set():
            outdata.fill(0)
            raise self.sd.CallbackAbort
        chunk = self.samples[self.pos : self.pos + frames]
        outdata[: len(chunk)] = chunk[:, None]
        outdata[len(chunk) :] = 0
        self.pos += frames
        if len(chunk) < frames:
            raise self.sd.CallbackStop


class NullSpeaker:
    """Plays nothing; remembers what it was asked to play (the demo without a device, and tests)."""

    def __init__(self) -> None:
        self.played: list[Audio] = []

    def play(self, audio: Audio, on_start: OnStart | None = None) -> None:
        if on_start is not None:
            on_start(time.monotonic())
        self.played.append(audio)

    def stop(self) -> None:
        return None
