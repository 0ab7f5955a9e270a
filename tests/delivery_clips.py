"""Labelled clips for the delivery measures, made at test or bench time (nothing recorded is committed).

- **uptalk**: statements said by espeak-ng and flite voices, their last 0.5 s bent with sox `bend` by +6, +4, 0 or
  -4 semitones. Bent up 4 or more is uptalk; unbent or bent down is not.
- **monotone**: espeak-ng with its pitch range narrowed (a voice variant with a 4 Hz range, or SSML range x-low:
  monotone) or widened (a variant spanning 70-260 Hz, with or without SSML range x-high: not).
- **trailing off**: statements whose last 1.0 s is ramped down with sox (a fade mixed with the original) to -12 dB
  or to silence (trailing off), or to -3 dB or not at all (not).

Every clip is 16 kHz mono, peak 0.5, with 0.4 s of a quiet room (-60 dBFS) before and after, like a recording.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000
ROOM_DBFS = -60.0
PAD_SECONDS = 0.4
BEND_SECONDS = 0.5
RAMP_SECONDS = 1.0
STATEMENTS = (
    "I have five years of experience with route planning.",
    "I wanted to follow up on my interview last week.",
    "My name is Jordan Avery and I applied for the analyst role.",
    "I built the reporting dashboards for our whole team.",
    "I am still very interested in the position.",
)
UPTALK_VOICES = (("espeak", "en-us"), ("espeak", "en-gb"), ("flite", "slt"), ("flite", "kal16"), ("flite", "awb"))
UPTALK_BENDS = (600, 400, 0, -400)  # cents
TRAIL_VOICES = (("espeak", "en-us"), ("flite", "slt"), ("flite", "kal16"))
TRAIL_RAMPS = (("fade", True), ("-12 dB", True), ("-3 dB", False), ("none", False))  # (ramp, trails off)
# espeak-ng voice variants: "pitch BASE TOP" sets the voice's pitch range in Hz.
VARIANTS = {"flat": "pitch 100 104", "wide": "pitch 70 260"}
RANGE_STYLES = (("flat", "x-low", True), ("", "x-low", True), ("wide", "x-high", False), ("wide", "", False))
MONOTONE_VOICES = ("en-us", "en-gb-x-rp")  # voices that take a variant (plain en-gb resolves to another voice)


@dataclass(frozen=True)
class Clip:
    path: Path
    kind: str  # "uptalk", "monotone" or "trailing"
    text: str  # what is said
    voice: str  # engine:voice
    condition: str  # the manipulation: "+600 cents", "x-low", "-12 dB" ...
    positive: bool  # the property holds: uptalk / monotone / trails off


def available() -> list[str]:
    """The tools the clips need that are missing."""
    return [t for t in ("espeak-ng", "flite", "sox") if shutil.which(t) is None]


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def _espeak_data() -> Path:
    """Where espeak-ng keeps its voices ("Data at: ..." in its version line)."""
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True, timeout=30).stdout
    return Path(out.split("Data at:")[-1].strip())


def _variants(root: Path) -> Path:
    """An espeak-ng data folder with our variants added: links to the system's files, plus two small files."""
    data = root / "espeak-ng-data"
    if data.exists():
        return root
    ESPEAK_DATA = _espeak_data()
    (data / "voices" / "!v").mkdir(parents=True)
    for entry in ESPEAK_DATA.iterdir():
        if entry.name != "voices":
            (data / entry.name).symlink_to(entry)
    for entry in (ESPEAK_DATA / "voices").iterdir():
        if entry.name != "!v":
            (data / "voices" / entry.name).symlink_to(entry)
    for entry in (ESPEAK_DATA / "voices" / "!v").iterdir():
        (data / "voices" / "!v" / entry.name).symlink_to(entry)
    for name, pitch in VARIANTS.items():
        (data / "voices" / "!v" / name).write_text(f"language variant\nname {name}\ngender male\n{pitch}\n")
    return root


def _speak(engine: str, voice: str, text: str, out: Path, *, variant: str = "", pitch_range: str = "") -> None:
    raw = out.with_suffix(".raw.wav")
    if engine == "flite":
        _run("flite", "-voice", voice, "-t", text, "-o", str(raw))
    else:
        extra = [f"--path={_variants(out.parent / 'espeak')}"] if variant else []
        name = f"{voice}+{variant}" if variant else voice
        said = f'<speak><prosody range="{pitch_range}">{text}</prosody></speak>' if pitch_range else text
        _run("espeak-ng", *extra, *(["-m"] if pitch_range else []), "-v", name, "-s", "160", "-w", str(raw), said)
    # 16 kHz mono, leading and trailing silence cut, so "the last 0.5 s" is the last 0.5 s of speech.
    _run("sox", str(raw), "-r", str(RATE), "-c", "1", str(out), "silence", "1", "0.01", "0.1%", "reverse",
         "silence", "1", "0.01", "0.1%", "reverse")  # fmt: skip
    raw.unlink()


def _duration(path: Path) -> float:
    return sf.info(str(path)).duration


def _finish(path: Path, seed: int) -> None:
    """Peak 0.5, with a quiet room around and under the speech."""
    x, _ = sf.read(str(path), dtype="float32")
    peak = float(np.max(np.abs(x))) or 1.0
    pad = np.zeros(int(PAD_SECONDS * RATE), dtype=np.float32)
    x = np.concatenate([pad, x * (0.5 / peak), pad])
    room = np.random.default_rng(seed).normal(0.0, 10 ** (ROOM_DBFS / 20), len(x)).astype(np.float32)
    sf.write(str(path), x + room, RATE, subtype="PCM_16")


def bend(source: Path, out: Path, cents: int) -> None:
    """The last BEND_SECONDS of the clip bent by `cents` (100 cents = a semitone), gradually, with sox."""
    start = max(0.0, _duration(source) - BEND_SECONDS)
    _run("sox", str(source), str(out), "bend", f"{start:.3f},{cents},{BEND_SECONDS}")


def ramp(source: Path, out: Path, how: str) -> None:
    """The last RAMP_SECONDS faded: to silence ("fade"), or to a level in dB by mixing the fade with the original."""
    faded = out.with_suffix(".fade.wav")
    length = _duration(source)
    _run("sox", str(source), str(faded), "fade", "t", "0", f"{length:.3f}", f"{RAMP_SECONDS}")
    if how == "fade":
        faded.rename(out)
        return
    if how == "none":
        shutil.copy(source, out)
    else:
        keep = 10 ** (float(how.split(maxsplit=1)[0]) / 20)  # the gain left at the very end
        _run("sox", "-m", "-v", f"{keep:.4f}", str(source), "-v", f"{1 - keep:.4f}", str(faded), str(out))
    faded.unlink()


def uptalk_clips(folder: Path, texts: tuple[str, ...] = STATEMENTS) -> list[Clip]:
    clips = []
    for i, text in enumerate(texts):
        for engine, voice in UPTALK_VOICES:
            base = folder / f"u{i}-{voice}.base.wav"
            _speak(engine, voice, text, base)
            for cents in UPTALK_BENDS:
                out = folder / f"u{i}-{voice}{cents:+d}.wav"
                bend(base, out, cents) if cents else shutil.copy(base, out)
                _finish(out, len(clips))
                clips.append(Clip(out, "uptalk", text, f"{engine}:{voice}", f"{cents:+d} cents", cents >= 400))
            base.unlink()
    return clips


def monotone_clips(folder: Path, texts: tuple[str, ...] = STATEMENTS) -> list[Clip]:
    clips = []
    for i, text in enumerate(texts):
        for voice in MONOTONE_VOICES:
            for variant, pitch_range, flat in RANGE_STYLES:
                out = folder / f"m{i}-{voice}-{variant or 'plain'}-{pitch_range}.wav"
                _speak("espeak", voice, text, out, variant=variant, pitch_range=pitch_range)
                _finish(out, len(clips))
                condition = f"{variant or 'plain'} voice, range {pitch_range or 'default'}"
                clips.append(Clip(out, "monotone", text, f"espeak:{voice}", condition, flat))
    return clips


def trailing_clips(folder: Path, texts: tuple[str, ...] = STATEMENTS) -> list[Clip]:
    clips = []
    for i, text in enumerate(texts):
        for engine, voice in TRAIL_VOICES:
            base = folder / f"t{i}-{voice}.base.wav"
            _speak(engine, voice, text, base)
            for how, trails in TRAIL_RAMPS:
                out = folder / f"t{i}-{voice}-{how.replace(' ', '')}.wav"
                ramp(base, out, how)
                _finish(out, len(clips))
                clips.append(Clip(out, "trailing", text, f"{engine}:{voice}", f"ramp {how}", trails))
            base.unlink()
    return clips
