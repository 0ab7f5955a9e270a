"""rehearse.audio.devices: device lookup and fallbacks on a fake PortAudio, and the real capture path through the
PulseAudio virtual microphone (.ci/pulse.sh)."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from rehearse.audio import devices
from rehearse.audio.devices import (
    EMPTY_BLOCK,
    DeviceInfo,
    FileMicrophone,
    SoundDeviceMicrophone,
    list_devices,
    resolve_device,
)
from rehearse.audio.endpoint import EndpointOptions, listen
from rehearse.audio.playback import NullSpeaker, SoundDeviceSpeaker
from rehearse.audio.wav import write_wav
from rehearse.errors import DeviceError
from rehearse.values import SAMPLE_RATE, Audio
from tests.audio_helpers import ROOT, audio, silence, sound_span, speech, virtual_mic

__all__ = ["virtual_mic"]  # a fixture, used by name below

PLAY_TIMEOUT = 30  # seconds paplay may take before the test gives up on it (not a timing assertion)
LEAD_IN = 0.5  # seconds parec must have delivered before the speaker starts, so no start of the tone is lost
CAPTURE_TOLERANCE = 0.15  # seconds between the played and the captured speech length


class FakePortAudioError(Exception):
    pass


class FakeStream:
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs, self.active = kwargs, False

    def start(self) -> None:
        self.active = True

    def abort(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False


def fake_sd(rows: list[dict[str, Any]], default: tuple[int, int], accepts: set[tuple[int, int]]) -> SimpleNamespace:
    """Enough of sounddevice for the lookup and open logic; `accepts` holds the (rate, channels) devices take."""
    streams: list[FakeStream] = []

    def check(device: int, samplerate: int, channels: int, dtype: str) -> None:
        if (samplerate, channels) not in accepts:
            raise FakePortAudioError("Invalid sample rate")

    def query_devices(device: int | None = None) -> Any:
        return rows if device is None else rows[device]

    def input_stream(**kwargs: Any) -> FakeStream:
        streams.append(FakeStream(**kwargs))
        return streams[-1]

    return SimpleNamespace(
        PortAudioError=FakePortAudioError,
        default=SimpleNamespace(device=list(default)),
        query_devices=query_devices,
        check_input_settings=check,
        check_output_settings=check,
        InputStream=input_stream,
        streams=streams,
    )


def row(index: int, name: str, inputs: int, outputs: int, rate: float = 48000.0) -> dict[str, Any]:
    return {
        "index": index,
        "name": name,
        "max_input_channels": inputs,
        "max_output_channels": outputs,
        "default_samplerate": rate,
    }


ROWS = [
    row(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 2),
    row(1, "USB Headset Mic", 1, 0, 44100.0),
    row(2, "HDMI 0", 0, 8),
    row(3, "default", 32, 32, 44100.0),
]


@pytest.fixture
def sd(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    fake = fake_sd(ROWS, (3, 3), {(SAMPLE_RATE, 1), (44100, 1), (48000, 2)})
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake)
    return fake


def test_list_devices_rows(sd: SimpleNamespace) -> None:
    rows = list_devices()
    assert rows[1] == DeviceInfo(1, "USB Headset Mic", 1, 0, False, False, 44100.0)
    assert [r.index for r in rows if r.default_in and r.default_out] == [3]


@pytest.mark.parametrize(
    ("spec", "kind", "expected"),
    [
        (None, "input", None),
        ("", "input", None),
        (1, "input", 1),
        ("1", "input", 1),
        (" usb ", "input", 1),
        ("HEADSET", "input", 1),
        ("hdmi", "output", 2),
        ("default", "output", 3),
    ],
)
def test_resolve_device(sd: SimpleNamespace, spec: int | str | None, kind: str, expected: int | None) -> None:
    assert resolve_device(spec, kind) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "kind", "words"),
    [
        ("hdmi", "input", ["no input device", "rehearse devices", "--input"]),
        (2, "input", ["no input device number 2", "--input"]),
        (9, "output", ["no output device number 9", "--output"]),
        ("a", "input", ["several", "pass the number"]),
    ],
)
def test_resolve_device_errors(sd: SimpleNamespace, spec: int | str, kind: str, words: list[str]) -> None:
    with pytest.raises(DeviceError) as info:
        resolve_device(spec, kind)  # type: ignore[arg-type]
    for word in words:
        assert word in str(info.value)


def test_no_microphone_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_sd([row(0, "HDMI 0", 0, 8)], (-1, 0), {(SAMPLE_RATE, 1)})
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake)
    with pytest.raises(DeviceError, match=r"no microphone .* was found.*rehearse devices.*--input"):
        SoundDeviceMicrophone().__enter__()
    with pytest.raises(DeviceError, match="no microphone"):
        resolve_device("hdmi", "input")


def test_missing_portaudio_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_portaudio(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(DeviceError, match=r"sudo apt-get install libportaudio2"):
        list_devices()


def test_module_imports_without_sounddevice(tmp_path: Path) -> None:
    code = "import sys; sys.modules['sounddevice'] = None; import rehearse.audio.devices, rehearse.audio.endpoint"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0


def test_microphone_falls_back_to_native_rate_and_downmixes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_sd([row(0, "Pro Audio Interface", 2, 0, 48000.0)], (0, -1), {(48000, 2)})
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake)
    t = np.arange(48000) / 48000
    stereo = np.stack([np.sin(2 * np.pi * 220 * t), np.sin(2 * np.pi * 220 * t)], axis=1).astype(np.float32)
    with SoundDeviceMicrophone() as mic:
        assert (mic.native_rate, mic.channels, mic.sample_rate) == (48000, 2, SAMPLE_RATE)
        stream = fake.streams[-1]
        assert stream.kwargs["samplerate"] == 48000 and stream.kwargs["channels"] == 2
        for i in range(0, 48000, 960):  # what PortAudio's thread would deliver
            stream.kwargs["callback"](stereo[i : i + 960], 960, None, None)
        blocks = [mic.read(0.01) for _ in range(50)]  # one per delivered block (early ones may be empty)
        assert len(mic.read(0.01)) == 0  # nothing more: an empty block, not the end, while the stream runs
    got = np.concatenate([b for b in blocks if b is not None])
    assert got.dtype == np.float32 and got.ndim == 1
    assert abs(len(got) - SAMPLE_RATE) < 400  # the resampler holds back a few ms of filter delay
    assert float(np.max(np.abs(got))) == pytest.approx(1.0, abs=0.02)
    assert mic.read(0.01) is None  # closed: the end of the stream


def test_device_rejecting_every_rate_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_sd([row(0, "Broken Card", 2, 2, 96000.0)], (0, 0), set())
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake)
    with pytest.raises(DeviceError, match=r"'Broken Card' accepts neither 16000 Hz nor its own 96000 Hz"):
        SoundDeviceMicrophone().__enter__()


def test_file_microphone_serves_clip_then_silence_then_end() -> None:
    clip = np.linspace(-0.5, 0.5, 8000, dtype=np.float32)
    mic = FileMicrophone(Audio(clip), trailing_silence=0.5, block_seconds=0.02)
    blocks = []
    while (block := mic.read(1.0)) is not None:
        blocks.append(block)
    got = np.concatenate(blocks)
    assert len(got) == 8000 + 8000 and all(len(b) == 320 for b in blocks[:-1])
    assert np.array_equal(got[:8000], clip) and not got[8000:].any()
    assert mic.read(1.0) is None


def test_file_microphone_resamples_and_paces() -> None:
    mic = FileMicrophone(Audio(np.zeros(4410, dtype=np.float32), 44100), realtime=True, trailing_silence=0.0)
    with mic:
        first = mic.read(0.0)  # the first block is not due yet: nothing, and no waiting
        assert first is not None and len(first) == 0
        total = 0
        while (block := mic.read(0.5)) is not None:
            total += len(block)
    assert total == 1600


def test_null_speaker_remembers() -> None:
    speaker = NullSpeaker()
    clip = Audio(np.ones(10, dtype=np.float32))
    speaker.play(clip)
    speaker.stop()
    assert speaker.played == [clip]


# --- the real path: PulseAudio's null sink `vspk` is the room, its monitor the microphone -------------------------


def paplay(path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["paplay", "-d", "vspk", str(path)], env=env)


@pytest.mark.device
@pytest.mark.audio
def test_answer_through_the_virtual_microphone(virtual_mic: dict[str, str], tmp_path: Path) -> None:
    answer = speech("Thank you for taking the time to speak with me today, I enjoyed it.")
    played = len(answer) / SAMPLE_RATE
    wav = tmp_path / "answer.wav"
    write_wav(wav, audio(answer, silence(0.2)))
    with SoundDeviceMicrophone() as mic:
        started = time.monotonic()
        player = None

        def play_after_calibration(event: object) -> None:
            nonlocal player
            if player is None and type(event).__name__ == "Calibrated":
                player = paplay(wav, virtual_mic)

        cap = listen(mic, EndpointOptions(no_speech_timeout=15.0), play_after_calibration)
    assert player is not None and player.wait(timeout=PLAY_TIMEOUT) == 0
    assert cap.ended_by == "silence", cap
    assert abs((cap.speech_end - cap.speech_start) - played) < CAPTURE_TOLERANCE
    first, last = sound_span(cap.audio.samples)
    assert abs((last - first) - played) < 0.05  # the samples themselves arrived whole
    assert cap.noise_floor_db == -100.0 and not cap.clipped
    assert time.monotonic() - started < PLAY_TIMEOUT  # sanity bound only


class Recorder:
    """parec on a monitor source, collected by a thread; `flowing` is set once LEAD_IN of audio has arrived."""

    def __init__(self, source: str, env: dict[str, str]) -> None:
        self.chunks: list[bytes] = []
        self.proc = subprocess.Popen(
            ["parec", "-d", source, "--raw", "--format=float32le", "--rate=16000", "--channels=1", "--latency-msec=20"],
            stdout=subprocess.PIPE,
            env=env,
        )
        self.flowing = threading.Event()
        self.thread = threading.Thread(target=self._pump, daemon=True)
        self.thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        received = 0
        while chunk := self.proc.stdout.read1(4096):
            self.chunks.append(chunk)
            received += len(chunk)
            if received >= LEAD_IN * SAMPLE_RATE * 4:
                self.flowing.set()

    def stop(self) -> np.ndarray:
        self.proc.terminate()
        self.proc.wait(timeout=PLAY_TIMEOUT)
        self.thread.join(timeout=PLAY_TIMEOUT)
        raw = b"".join(self.chunks)
        return np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<f4")


@pytest.mark.device
def test_speaker_plays_into_the_default_sink(virtual_mic: dict[str, str]) -> None:
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)).astype(np.float32)
    recorder = Recorder("vout.monitor", virtual_mic)
    try:
        assert recorder.flowing.wait(timeout=PLAY_TIMEOUT), "parec never delivered audio"
        SoundDeviceSpeaker().play(Audio(tone))
    finally:
        heard = recorder.stop()
    first, _ = sound_span(heard, threshold=0.1)
    assert first > LEAD_IN / 2  # the recording began well before the tone: the whole tone is in it
    # Count the tone's 10 ms frames rather than first-to-last: a loaded CI machine may make the sink underrun and
    # leave a gap inside the tone, which delays it but loses nothing.
    frames = heard[: len(heard) // 160 * 160].reshape(-1, 160)
    sounding = float(np.sum(np.sqrt(np.mean(frames**2, axis=1)) > 0.1)) / 100
    assert abs(sounding - 1.0) < 0.05
    assert float(np.max(np.abs(heard))) == pytest.approx(0.5, abs=0.02)


@pytest.mark.device
def test_speaker_stop_cuts_playback_short(virtual_mic: dict[str, str]) -> None:
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(8 * SAMPLE_RATE) / SAMPLE_RATE)).astype(np.float32)
    speaker = SoundDeviceSpeaker()
    recorder = Recorder("vout.monitor", virtual_mic)
    stopper = threading.Timer(1.0, speaker.stop)
    try:
        assert recorder.flowing.wait(timeout=PLAY_TIMEOUT), "parec never delivered audio"
        stopper.start()
        speaker.play(Audio(tone))
    finally:
        stopper.cancel()
        heard = recorder.stop()
    first, last = sound_span(heard, threshold=0.1)
    assert 0.0 < last - first < 4.0  # stopped well before the 8 s clip ended


@pytest.mark.device
def test_microphone_read_times_out_with_an_empty_block(virtual_mic: dict[str, str]) -> None:
    with SoundDeviceMicrophone() as mic:
        blocks = [mic.read(0.5) for _ in range(20)]
    assert all(b is not None for b in blocks)
    assert any(b is not None and len(b) for b in blocks)
    assert EMPTY_BLOCK.size == 0


def test_alsa_keeps_quiet_once_portaudio_is_loaded() -> None:
    import ctypes.util

    if ctypes.util.find_library("asound") is None:
        pytest.skip("no libasound on this machine")
    devices.load_sounddevice()
    assert devices._quiet_alsa() is not None  # ALSA's own "underrun occurred" lines no longer reach the terminal
