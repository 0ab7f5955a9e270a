"""Before the call, on real audio devices (the virtual microphone): `practice --cues` in a spoken rehearsal shows the
next section's cue as each answer begins, moves on once a section was said and records the level; `script --speak`
plays the script on the speaker."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rehearse import store
from rehearse.audio.wav import write_wav
from tests.audio_helpers import audio, silence, speech
from tests.audio_helpers import virtual_mic as virtual_mic  # a fixture, used by name
from tests.conftest import SAMPLE_PLAN

pytestmark = [pytest.mark.audio, pytest.mark.device]
WAIT = 90  # seconds a state may take to arrive (a bound against hangs, not a timing assertion)
GREETING = "Hello Maribel, this is Jordan Avery. I interviewed with you for the operations analyst role."


def _manifests(rec: Path) -> list[dict]:
    out = []
    for path in rec.glob("*/manifest.json"):
        with contextlib.suppress(OSError, json.JSONDecodeError):  # being replaced right now: read it next look
            out.append(json.loads(path.read_text()))
    return out


def _wait(ready, proc: subprocess.Popen) -> dict:
    deadline = time.monotonic() + WAIT
    while True:
        for manifest in _manifests(ready.rec):
            if ready(manifest):
                return manifest
        if proc.poll() is not None:
            raise AssertionError(f"rehearse exited early: {proc.stderr.read().decode() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError("rehearse did not get there in time")
        time.sleep(0.05)


class _Listening:
    """The session is listening for answer number `answers` + 1."""

    def __init__(self, rec: Path, answers: int) -> None:
        self.rec, self.answers = rec, answers

    def __call__(self, manifest: dict) -> bool:
        said = [t for t in manifest.get("turns", []) if t["speaker"] == "candidate"]
        return bool(manifest.get("recording")) and len(said) == self.answers


def test_spoken_practice_shows_and_records_cues(virtual_mic: dict[str, str], tmp_path: Path) -> None:
    rec = tmp_path / "recordings"
    env = {**virtual_mic, "REHEARSE_RECORDINGS": str(rec), "REHEARSE_CACHE": str(tmp_path / "cache"), "NO_COLOR": "1"}
    wav = tmp_path / "greeting.wav"
    write_wav(wav, audio(speech(GREETING), silence(0.3)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "practice", "--plan", SAMPLE_PLAN, "--no-timing", "--cues", "full"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(_Listening(rec, 0), proc)
        subprocess.run(["paplay", "-d", "vspk", str(wav)], env=virtual_mic, check=True, timeout=WAIT)
        _wait(_Listening(rec, 1), proc)  # the greeting was heard, and the next answer is awaited
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = " ".join(out.decode().split())
    assert proc.returncode == 130, err.decode()
    assert "Greeting and introduction: Hello, Maribel. This is Jordan Avery." in text
    assert "Purpose of the call: I'm calling to follow up" in text  # the cue moved on once the greeting was said
    assert text.index("Greeting and introduction:") < text.index("You:") < text.index("Purpose of the call:")
    saved = store.load(rec, "last")
    assert saved.session.cues.mode == "full" and saved.session.cues.level("closing") == "full"


def test_script_speak_plays_on_the_speaker(virtual_mic: dict[str, str], tmp_path: Path) -> None:
    from tests.test_devices import Recorder

    env = {**virtual_mic, "REHEARSE_CACHE": str(tmp_path / "cache"), "NO_COLOR": "1"}
    heard = Recorder("vout.monitor", virtual_mic)  # what the app plays goes to the default sink, vout
    try:
        assert heard.flowing.wait(timeout=WAIT), "parec never delivered audio"
        run = subprocess.run(
            [sys.executable, "-m", "rehearse", "script", "--plan", SAMPLE_PLAN, "--gatekeeper", "--speak"],
            env=env,
            capture_output=True,
            timeout=WAIT,
            check=False,
        )
    finally:
        samples = heard.stop()
    assert run.returncode == 0, run.stderr.decode()
    assert "Could I speak with Maribel Santos" in " ".join(run.stdout.decode().split())
    assert len(samples) and float(abs(samples).max()) > 0.05  # the line was really played
