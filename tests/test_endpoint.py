"""rehearse.audio.endpoint: where answers start, pause and end, on espeak-ng speech served by FileMicrophone.

Durations are seconds of audio, never of wall-clock time: FileMicrophone serves a minute in milliseconds.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehearse.audio.devices import EMPTY_BLOCK, FileMicrophone
from rehearse.audio.endpoint import Capture, EndpointOptions, listen
from rehearse.audio.listen_events import Calibrated, Event, Level, Listening, SpeechEnded, SpeechPaused, SpeechStarted
from rehearse.audio.vad import DETECTORS
from rehearse.errors import DeviceError
from rehearse.values import SAMPLE_RATE, Audio
from tests.audio_helpers import audio, noise, silence, speech

pytestmark = pytest.mark.audio

FIRST = "I led the migration of our billing system"
SECOND = "and it cut our hosting costs by a third"
TOLERANCE = 0.15  # seconds: detector frames are 20-32 ms and onsets are soft


class CountingMic(FileMicrophone):
    """A FileMicrophone that remembers how much audio it has served."""

    served = 0

    def read(self, timeout: float) -> np.ndarray | None:
        block = super().read(timeout)
        if block is not None:
            self.served += len(block)
        return block


def capture(clip: Audio, options: EndpointOptions | None = None, events: list[Event] | None = None) -> Capture:
    with FileMicrophone(clip) as mic:
        return listen(mic, options, events.append if events is not None else None)


def spoken_length(capture: Capture) -> float:
    return capture.speech_end - capture.speech_start


def test_one_answer_ends_by_silence_with_pre_roll() -> None:
    answer = speech(FIRST)
    events: list[Event] = []
    cap = capture(audio(silence(1.0), answer, silence(0.5)), events=events)
    assert cap.ended_by == "silence"
    assert abs(spoken_length(cap) - len(answer) / SAMPLE_RATE) < TOLERANCE
    assert abs(cap.speech_start - 0.3) < TOLERANCE  # the pre-roll before the detected start
    assert cap.audio.sample_rate == SAMPLE_RATE
    assert cap.audio.duration == pytest.approx(cap.speech_end + 0.3, abs=0.05)  # post-roll after the end
    assert not cap.clipped and not cap.too_quiet
    assert cap.noise_floor_db == -100.0  # digital silence
    kinds = [type(e) for e in events if not isinstance(e, Level)]
    assert kinds == [Listening, Calibrated, SpeechStarted, SpeechPaused, SpeechEnded]


def test_a_short_pause_does_not_split_the_answer() -> None:
    first, second = speech(FIRST), speech(SECOND)
    events: list[Event] = []
    cap = capture(audio(silence(1.0), first, silence(0.6), second, silence(0.2)), events=events)
    assert cap.ended_by == "silence"
    whole = (len(first) + len(second)) / SAMPLE_RATE + 0.6
    assert abs(spoken_length(cap) - whole) < TOLERANCE
    pauses = [e for e in events if isinstance(e, SpeechPaused)]
    assert len(pauses) == 2  # at the 0.6 s pause, then at the real end
    mid = pauses[0]
    assert abs(mid.pause_start - (cap.speech_start + len(first) / SAMPLE_RATE)) < TOLERANCE
    assert mid.audio_so_far.duration < cap.audio.duration  # a prefix the caller may transcribe early
    assert np.array_equal(mid.audio_so_far.samples, cap.audio.samples[: len(mid.audio_so_far.samples)])


def test_two_answers_a_second_and_a_half_apart_are_two_captures() -> None:
    first, second = speech(FIRST), speech(SECOND, voice="en-gb-x-rp")
    with FileMicrophone(audio(silence(1.0), first, silence(1.5), second)) as mic:
        caps = [listen(mic), listen(mic)]
        rest = listen(mic)
    assert [c.ended_by for c in caps] == ["silence", "silence"]
    assert abs(spoken_length(caps[0]) - len(first) / SAMPLE_RATE) < TOLERANCE
    assert abs(spoken_length(caps[1]) - len(second) / SAMPLE_RATE) < TOLERANCE
    assert rest.ended_by == "end_of_stream" and rest.audio.duration == 0


def test_silence_only_ends_with_no_speech_at_the_timeout() -> None:
    options = EndpointOptions(no_speech_timeout=8.0)
    events: list[Event] = []
    with CountingMic(Audio(silence(20.0))) as mic:
        cap = listen(mic, options, events.append)
    assert cap.ended_by == "no_speech"
    assert cap.audio.duration == 0
    assert cap.too_quiet  # nothing at all was heard: worth telling the user to check the microphone
    assert abs(mic.served / SAMPLE_RATE - options.no_speech_timeout) < 0.05
    assert not any(isinstance(e, SpeechStarted) for e in events)


def test_max_answer_cuts_a_long_answer() -> None:
    talk = speech("I have worked in customer support for many years and I really enjoy solving problems")
    endless = audio(silence(0.6), *[talk] * 4)
    cap = capture(endless, EndpointOptions(max_answer=5.0))
    assert cap.ended_by == "max_length"
    assert spoken_length(cap) == pytest.approx(5.0, abs=0.05)


def test_end_of_stream_mid_answer_keeps_what_was_said() -> None:
    answer = speech(FIRST)
    with FileMicrophone(audio(silence(0.8), answer), trailing_silence=0.0) as mic:
        cap = listen(mic)
    assert cap.ended_by == "end_of_stream"
    assert abs(spoken_length(cap) - len(answer) / SAMPLE_RATE) < TOLERANCE


def test_a_click_before_the_answer_is_not_the_answer() -> None:
    click = noise(0.2, -10.0, seed=3)  # a 0.2 s burst: longer than min_speech for the energy detector
    answer = speech(SECOND)
    cap = capture(audio(silence(1.0), click, silence(1.5), answer), EndpointOptions(detector="energy"))
    assert cap.ended_by == "silence"
    assert abs(spoken_length(cap) - len(answer) / SAMPLE_RATE) < TOLERANCE


@pytest.mark.parametrize("detector", sorted(DETECTORS))
def test_every_detector_finds_a_clean_answer(detector: str) -> None:
    first, second = speech(FIRST), speech(SECOND)
    cap = capture(audio(silence(1.0), first, silence(0.6), second), EndpointOptions(detector=detector))
    assert cap.ended_by == "silence"
    assert abs(spoken_length(cap) - ((len(first) + len(second)) / SAMPLE_RATE + 0.6)) < TOLERANCE


def test_answer_in_steady_noise() -> None:
    first, second = speech(FIRST), speech(SECOND)
    clean = np.concatenate([silence(1.0), first, silence(0.6), second, silence(2.0)])
    speech_rms_db = 10 * np.log10(np.mean(np.concatenate([first, second]) ** 2))
    noisy = clean + noise(len(clean) / SAMPLE_RATE, speech_rms_db - 10.0, seed=1)  # 10 dB SNR
    cap = capture(Audio(noisy.astype(np.float32)))
    assert cap.ended_by == "silence"
    whole = (len(first) + len(second)) / SAMPLE_RATE + 0.6
    assert abs(spoken_length(cap) - whole) < 0.3
    assert cap.noise_floor_db == pytest.approx(speech_rms_db - 10.0, abs=2.0)


def test_levels_clipping_and_quiet() -> None:
    answer = speech(FIRST)
    events: list[Event] = []
    loud = capture(audio(silence(1.0), np.clip(answer * 4, -1, 1)), events=events)
    assert loud.clipped and loud.peak_db == pytest.approx(0.0, abs=0.1)
    levels = [e.dbfs for e in events if isinstance(e, Level)]
    assert min(levels) == -100.0 and max(levels) > -20.0
    quiet = capture(audio(silence(1.0), answer * (0.005 / np.max(np.abs(answer)))))
    assert quiet.too_quiet


def test_a_silent_microphone_is_reported_not_waited_on() -> None:
    class DeadMic(FileMicrophone):
        def read(self, timeout: float) -> np.ndarray | None:
            return EMPTY_BLOCK

    with pytest.raises(DeviceError, match="sent no audio"):
        listen(DeadMic(Audio(silence(1.0))), EndpointOptions(stall_timeout=0.3, read_timeout=0.01))


def test_realtime_pacing_gives_the_same_capture() -> None:
    clip = audio(silence(0.6), speech("Thank you"), silence(0.3))
    fast = capture(clip)
    with FileMicrophone(clip, realtime=True) as mic:
        paced = listen(mic)
    assert paced.ended_by == fast.ended_by == "silence"
    assert np.array_equal(paced.audio.samples, fast.audio.samples)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_ms=st.integers(5, 120))
def test_block_size_does_not_change_the_answer(block_ms: int) -> None:
    clip = audio(silence(0.9), speech(FIRST), silence(0.6), speech(SECOND), silence(0.3))
    with FileMicrophone(clip, block_seconds=block_ms / 1000) as mic:
        cap = listen(mic)
    with FileMicrophone(clip) as mic:
        reference = listen(mic)
    assert cap.ended_by == reference.ended_by == "silence"
    assert cap.speech_start == pytest.approx(reference.speech_start, abs=0.001)
    assert cap.speech_end == pytest.approx(reference.speech_end, abs=0.001)
