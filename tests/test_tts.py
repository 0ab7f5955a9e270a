"""rehearse.audio.tts: espeak-ng through pyttsx3, 16 kHz out, cached on disk, quiet on stdout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rehearse.audio import tts
from rehearse.audio.levels import rms_db
from rehearse.audio.tts import CANDIDATE_VOICE, INTERVIEWER_VOICE, Pyttsx3Synthesizer
from rehearse.errors import EngineError
from rehearse.values import SAMPLE_RATE
from tests.audio_helpers import require, sound_span

pytestmark = pytest.mark.audio

LINE = "Thank you for taking the time to speak with me today about the analyst role."
WORDS = len(LINE.split())


@pytest.fixture(autouse=True)
def _espeak() -> None:
    require("espeak-ng", "espeak-ng")


def test_speech_is_16k_audible_and_of_plausible_length(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synth = Pyttsx3Synthesizer("gmw/en-us", 160, tmp_path)
    clip = synth.synthesize(LINE)
    assert clip.sample_rate == SAMPLE_RATE and clip.samples.dtype == np.float32
    first, last = sound_span(clip.samples)
    expected = WORDS / 160 * 60
    assert 0.6 * expected < last - first < 1.6 * expected
    assert rms_db(clip.samples) > -30.0
    assert capsys.readouterr().out == ""  # pyttsx3's "Audio saved to ..." does not reach the user


def test_every_line_gets_its_own_rate_and_is_complete() -> None:
    # espeak applies settings asynchronously and pyttsx3 returns before the file is written; measured here, the
    # rate came up to ten lines late and long lines came back empty. Alternate rates and voices to catch either.
    rates = [160, 120, 240, 120, 200, 100, 300, 150] * 2
    voices = ["gmw/en-us", "gmw/en-gb-x-rp"]
    lengths: dict[tuple[str, int], list[float]] = {}
    for i, rate in enumerate(rates):
        voice = voices[i % 2]
        lengths.setdefault((voice, rate), []).append(Pyttsx3Synthesizer(voice, rate).synthesize(LINE * 2).duration)
    for (voice, rate), got in lengths.items():
        expected = 2 * WORDS / rate * 60
        assert 0.6 * expected < min(got) and max(got) < 1.6 * expected, (voice, rate, got)
        assert max(got) - min(got) < 0.05 * max(got), (voice, rate, got)  # the same line, the same length
    at = {rate: [d for (_, r), got in lengths.items() if r == rate for d in got] for rate in (100, 300)}
    assert min(at[100]) > 2 * max(at[300])


def test_a_cached_line_is_not_synthesised_again(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer.from_settings(INTERVIEWER_VOICE, tmp_path)
    first = synth.synthesize(LINE)
    assert synth.renders == 1
    again = synth.synthesize(f"  {LINE} ")
    assert synth.renders == 1
    assert np.array_equal(again.samples, first.samples)
    fresh = Pyttsx3Synthesizer.from_settings(INTERVIEWER_VOICE, tmp_path)  # a later session, same cache
    assert np.array_equal(fresh.synthesize(LINE).samples, first.samples)
    assert fresh.renders == 0
    other = Pyttsx3Synthesizer.from_settings(CANDIDATE_VOICE, tmp_path)  # another voice is another entry
    other.synthesize(LINE)
    assert other.renders == 1
    assert len(list(tmp_path.glob("*.wav"))) == 2


def test_a_damaged_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    synth = Pyttsx3Synthesizer(cache_dir=tmp_path)
    synth.synthesize(LINE)
    entry = tmp_path / f"{synth.cache_key(LINE)}.wav"
    entry.write_bytes(b"garbage")
    assert synth.synthesize(LINE).duration > 1.0
    assert synth.renders == 2


def test_the_demo_voices_differ(tmp_path: Path) -> None:
    interviewer = Pyttsx3Synthesizer.from_settings(INTERVIEWER_VOICE, tmp_path)
    candidate = Pyttsx3Synthesizer.from_settings(CANDIDATE_VOICE, tmp_path)
    assert interviewer.voice != candidate.voice
    a, b = interviewer.synthesize(LINE), candidate.synthesize(LINE)
    assert a.duration != pytest.approx(b.duration, rel=0.03)


@pytest.mark.parametrize(
    ("spec", "voice"), [("en-us", "gmw/en-us"), ("America", "gmw/en-us"), ("GMW/EN-GB-X-RP", "gmw/en-gb-x-rp")]
)
def test_voice_by_id_or_name(spec: str, voice: str) -> None:
    assert Pyttsx3Synthesizer(spec).voice == voice


def test_unknown_voice_lists_the_english_ones() -> None:
    with pytest.raises(EngineError, match=r"no text-to-speech voice matches 'martian'.*gmw/en-us"):
        Pyttsx3Synthesizer("martian")  # not "klingon": espeak-ng has that one


def test_empty_text_is_silence_without_rendering() -> None:
    synth = Pyttsx3Synthesizer()
    assert synth.synthesize("   ").duration == 0
    assert synth.synthesize(" ... ").duration == 0
    assert synth.renders == 0


def test_missing_espeak_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyttsx3

    def no_espeak(*args: object, **kwargs: object) -> None:
        raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")

    monkeypatch.setattr(pyttsx3, "init", no_espeak)
    tts._shared_engine.cache_clear()  # the engine is made once per process
    try:
        with pytest.raises(EngineError, match=r"sudo apt-get install espeak-ng"):
            tts.Pyttsx3Synthesizer()
    finally:
        tts._shared_engine.cache_clear()


# audio/tts.py calls these private parts of pyttsx3 (see its docstring for why); an upgrade that moves one must fail
# here, by name, rather than as an AttributeError in the middle of a rehearsal.
PRIVATE_ESPEAK = ("Info", "SetVoiceByName", "SetParameter", "Synchronize", "RATE", "PITCH", "dll")


def test_private_espeak_binding_is_still_there() -> None:
    try:
        from pyttsx3.drivers import _espeak
    except OSError:
        pytest.skip("libespeak-ng is not installed (sudo apt-get install libespeak-ng1)")
    missing = [name for name in PRIVATE_ESPEAK if not hasattr(_espeak, name)]
    assert not missing, f"pyttsx3 {_version()} no longer has _espeak.{missing}; update audio/tts.py and the pin"
    assert callable(getattr(_espeak.dll, "espeak_GetParameter", None)), "libespeak-ng lost espeak_GetParameter"
    assert (_espeak.RATE, _espeak.PITCH) == (1, 3), "espeak's parameter numbers changed; audio/tts.py sets them"


def _version() -> str:
    import importlib.metadata

    return importlib.metadata.version("pyttsx3")
