"""`rehearse mic-check`: a few seconds of live level, the noise floor and peak, and what was heard."""

from __future__ import annotations

import argparse
import time

import numpy as np

from rehearse.audio.levels import SILENT_DB, amplitude_db, frame_rms, rms, rms_db
from rehearse.environment import Environment
from rehearse.errors import ExitStatus

QUIET_DB = -45.0  # speech peaking below this is too quiet to transcribe well
CLIP_LEVEL = 0.99


def record(mic, seconds: float, on_level) -> np.ndarray:
    blocks: list[np.ndarray] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        block = mic.read(0.1)
        if block is None:
            break
        if len(block):
            blocks.append(block)
            on_level(rms_db(block))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def summarise(samples: np.ndarray) -> dict[str, float]:
    levels = frame_rms(samples)  # 20 ms frames; a clip shorter than one frame counts as one
    if not levels.size:
        levels = np.array([rms(samples)])
    return {
        "floor_db": amplitude_db(float(np.percentile(levels, 10))),
        "speech_db": amplitude_db(float(np.percentile(levels, 90))),
        "peak_db": amplitude_db(float(np.max(np.abs(samples)))) if len(samples) else SILENT_DB,
        "clipped": float(np.mean(np.abs(samples) >= CLIP_LEVEL)) if len(samples) else 0.0,
    }


def mic_check(args: argparse.Namespace, env: Environment) -> ExitStatus:
    from rich.live import Live

    from rehearse.audio.devices import SoundDeviceMicrophone
    from rehearse.audio.playback import SoundDeviceSpeaker
    from rehearse.report.plain import line as plain_line
    from rehearse.speech import meter
    from rehearse.stt import WhisperTranscriber
    from rehearse.values import Audio

    console = env.console()
    console.print(f"Say a sentence or two; listening for {args.seconds:.0f} seconds…")
    with SoundDeviceMicrophone(args.input) as mic, Live("", console=console, transient=True) as live:
        samples = record(mic, args.seconds, lambda db: live.update(f"level {meter(db)} {db:6.1f} dBFS"))
    s = summarise(samples)
    console.print(
        f"noise floor {s['floor_db']:.0f} dBFS, speech {s['speech_db']:.0f} dBFS, peak {s['peak_db']:.0f} dBFS"
    )
    if s["clipped"] > 0.001:
        console.print("[yellow]The signal clips: turn the input level down or move back a little.[/]")
    if s["speech_db"] < QUIET_DB:
        console.print("[yellow]Very quiet: move closer or raise the input level; the recogniser may miss words.[/]")
    stt = WhisperTranscriber(args.model)
    with console.status("[cyan]transcribing…[/]"):
        heard = stt.transcribe(Audio(samples)).text if len(samples) else ""
    console.print(plain_line("Heard: ", (heard or "(nothing)", "bold")))
    if args.playback and len(samples):
        SoundDeviceSpeaker(None).play(Audio(samples))
    return ExitStatus.OK
