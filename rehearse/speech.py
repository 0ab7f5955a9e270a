"""The spoken side of a rehearsal: a Voice that speaks, a Listener that hears, and the demo's synthetic candidate.

These adapt the device, endpoint and transcription modules to the loop's two Protocols, so the same Rehearsal
runs typed, live, on the virtual microphone in CI, and in the demo.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from rehearse.audio.bargein import TAKE_BACK_BEFORE, BargeIn, Watch
from rehearse.audio.devices import EMPTY_BLOCK, FileMicrophone, Microphone, Speaker
from rehearse.audio.echo import EchoGuard
from rehearse.audio.endpoint import Capture, CaptureInterrupted, EndpointOptions, Room, listen
from rehearse.audio.listen_events import Calibrated, Event, Level, SpeechEnded, SpeechGap, SpeechPaused, SpeechStarted
from rehearse.audio.tts import Synthesizer
from rehearse.loop import Heard
from rehearse.scenario import Line, ListenPolicy
from rehearse.stt import GAP_DRAFT_SECONDS, IncrementalTranscriber
from rehearse.stt_turn import TurnEndJudge, TurnEndTimes
from rehearse.values import SAMPLE_RATE, Audio

log = logging.getLogger(__name__)

BEEP_HZ, BEEP_SECONDS = 1000.0, 0.4  # the voicemail tone
DEMO_LEAD_SILENCE = 0.8  # the synthetic candidate waits a beat before answering
DEMO_PEAK = 0.5  # the synthetic candidate's loudest sample, a healthy microphone level
DEMO_NOISE_DBFS = -62.0  # a quiet room rather than digital silence, so the endpointer calibrates on real noise
INTERRUPT_NOTE = "interrupted"  # an answer cut short by Ctrl-C, kept and transcribed
Status = Callable[[str], None]


def beep() -> Audio:
    t = np.arange(int(BEEP_SECONDS * SAMPLE_RATE)) / SAMPLE_RATE
    tone = 0.3 * np.sin(2 * np.pi * BEEP_HZ * t) * np.minimum(1.0, np.minimum(t, BEEP_SECONDS - t) / 0.02)
    return Audio(tone.astype(np.float32), SAMPLE_RATE)


class AnswerInterrupted(KeyboardInterrupt):
    """Ctrl-C while the candidate was answering: carries what had been said, transcribed, so it is kept."""

    def __init__(self, heard: Heard | None) -> None:
        super().__init__()
        self.heard = heard


@dataclass
class SpokenVoice:
    """Synthesises each line in its role's voice and plays it; returns the audio for the saved rehearsal.

    The line is shown, and registered with the echo guard, at the moment its audio starts to be heard.
    """

    voices: dict[str, Synthesizer]  # role -> synthesizer; "interviewer" is the fallback
    speaker: Speaker
    echo: EchoGuard | None = None  # told what was played and when, so the listener can ignore it in the mic
    status: Status = lambda _text: None
    show: Callable[[Line], None] = lambda _line: None
    played: Callable[[float], None] = lambda _seconds: None  # told how long each line lasted (the demo's clock)
    barge_in: BargeIn | None = None  # live calls: a line stops when the candidate talks over it
    interrupted: bool = False  # the last line was stopped early because the candidate talked over it (take it back)

    def render(self, line: Line) -> Audio:
        synth = self.voices.get(line.role) or self.voices["interviewer"]
        audio = synth.synthesize(line.text)
        if line.sound == "beep":
            gap = np.zeros(int(0.3 * SAMPLE_RATE), dtype=np.float32)
            audio = Audio(np.concatenate([audio.samples, gap, beep().samples]), SAMPLE_RATE)
        return audio

    def prepare(self, lines: list[Line]) -> None:
        """Synthesise lines ahead of time (into the voices' caches), so saying them later costs no synthesis."""
        for line in lines:
            self.render(line)

    def say(self, line: Line) -> Audio:
        audio = self.render(line)
        watch: Watch | None = None
        heard_at = time.monotonic()

        def started(at: float) -> None:
            nonlocal watch, heard_at
            heard_at = at
            log.debug("playing %.2f s: %s", audio.duration, line.text[:60])
            if self.echo is not None:
                self.echo.played(at, audio)
            self.show(line)
            self.status("interviewer speaking…")
            if self.barge_in is not None:
                watch = self.barge_in.watch(at, self.speaker.stop)

        try:
            self.speaker.play(audio, started)
        finally:
            if watch is not None:
                watch.close()
        heard = time.monotonic() - heard_at
        self.interrupted = watch is not None and watch.stopped and heard < TAKE_BACK_BEFORE * audio.duration
        if watch is not None and watch.stopped:
            audio = self._cut(audio, heard)
        self.played(audio.duration)
        return audio

    def _cut(self, audio: Audio, seconds: float) -> Audio:
        """What was heard of a line stopped after `seconds`; the echo guard stops expecting the rest."""
        log.debug("stopped after %.2f s: the candidate talked over the line", seconds)
        if self.echo is not None:
            self.echo.stopped(time.monotonic())
        keep = max(0, min(len(audio.samples), int(seconds * audio.sample_rate)))
        return Audio(audio.samples[:keep], audio.sample_rate)


class TeeMicrophone:
    """Passes blocks through, counting them, and appends each to a growing WAV when given one: an answer is on
    disk while it is being said."""

    def __init__(self, mic: Microphone, sink: Any = None) -> None:
        self.mic, self.sink = mic, sink
        self.sample_rate = mic.sample_rate
        self.samples = 0  # how much audio went through

    def read(self, timeout: float) -> np.ndarray | None:
        block = self.mic.read(timeout)
        if block is not None and len(block):
            self.samples += len(block)
            if self.sink is not None:
                self.sink.append(block)
        return block


def _stream_clock(mic: Microphone) -> tuple[int, Callable[[int], float | None]] | None:
    """(position now, position -> monotonic time) for microphones that keep time; None for those that do not."""
    time_at = getattr(mic, "time_at", None)
    position = getattr(mic, "position", None)
    if time_at is None or position is None:
        return None
    return int(position), time_at


@dataclass
class SpokenListener:
    """Hears one answer: endpointing on the microphone, transcribing at pauses, finishing the tail at the end.

    The microphone stays open for the whole call and nothing it heard is thrown away: an answer that starts while
    the interviewer is finishing is read from the backlog, and the echo guard keeps the interviewer's own voice
    from counting as the candidate's. The room is calibrated once, before the call (`room`).
    """

    mic: Microphone
    stt: IncrementalTranscriber
    options: EndpointOptions = field(default_factory=EndpointOptions)
    status: Status = lambda _text: None
    warn: Status = lambda _text: None
    begin_answer: Callable[[], Any] | None = None  # returns an open WavAppender for the partial answer
    before_listen: Callable[[], bool] = lambda: True  # False: nobody is left to answer (the demo's script ran out)
    heard: Callable[[float], None] = lambda _seconds: None  # told how much audio each listen consumed
    room: Room | None = None  # the call's calibration; None: each answer calibrates on its first half second
    echo: EchoGuard | None = None
    turn_end: TurnEndTimes | None = None  # None: a fixed options.end_silence ends every answer
    on_complete: Callable[[str], None] | None = None  # the words so far end a thought: prepare the reply
    last_judge: TurnEndJudge | None = field(default=None, repr=False)  # the latest answer's judge, for benches

    def _on_event(self, event: Event) -> None:
        if not isinstance(event, Level):
            log.debug("%s", _describe(event))
        if isinstance(event, Calibrated):
            self.status("listening… (speak when ready)")
        elif isinstance(event, SpeechStarted):
            self.status("hearing you…")
        elif isinstance(event, SpeechPaused):
            if self.turn_end is not None:
                self.stt.feed_draft(event.audio_so_far, event.pause_start)
            else:
                self.stt.feed_prefix(event.audio_so_far, event.pause_start)
        elif isinstance(event, SpeechGap) and self.turn_end is not None:
            self.stt.feed_draft(event.audio_so_far, event.at, min_step=GAP_DRAFT_SECONDS)
        elif isinstance(event, Level):
            self.status(f"listening  {meter(event.dbfs)}")
        elif isinstance(event, SpeechEnded):
            self.status("heard you — thinking…")

    def _options(
        self, policy: ListenPolicy | None, clock: tuple[int, Callable[[int], float | None]] | None
    ) -> EndpointOptions:
        o = self.options
        heard_at = clock[1](clock[0]) if clock else None
        if heard_at is not None:
            # The wait for an answer counts from now: audio queued while the interviewer spoke is read first.
            o = replace(o, no_speech_timeout=o.no_speech_timeout + max(0.0, time.monotonic() - heard_at))
        if policy is not None and policy.end_silence is not None:
            o = replace(o, end_silence=policy.end_silence)
        if policy is not None and policy.max_answer is not None:
            o = replace(o, max_answer=policy.max_answer)
        return o

    def _judge(self, policy: ListenPolicy | None) -> TurnEndJudge | None:
        if self.turn_end is None or (policy is not None and policy.end_silence is not None):
            return None  # a fixed silence was asked for (a voicemail message, --end-silence)
        return TurnEndJudge(self.stt.draft_at, self.turn_end, self.on_complete)

    def listen(self, policy: ListenPolicy | None = None) -> Heard | None:
        if not self.before_listen():
            return None
        clock = _stream_clock(self.mic)
        echo = self.echo.view(lambda pos: clock[1](clock[0] + pos)) if self.echo and clock else None
        sink = self.begin_answer() if self.begin_answer else None
        tee = TeeMicrophone(self.mic, sink)
        self.last_judge = judge = self._judge(policy)
        try:
            capture = listen(tee, self._options(policy, clock), self._on_event, room=self.room, echo=echo, judge=judge)
        except CaptureInterrupted as stop:
            raise AnswerInterrupted(self._interrupted(stop.capture)) from None
        finally:
            if sink is not None:
                sink.close()
        self.heard(tee.samples / SAMPLE_RATE)
        started = clock[1](clock[0] + int(capture.clip_start)) if clock and len(capture.audio.samples) else None
        return self._result(capture, started)

    def _result(self, capture: Capture, started: float | None) -> Heard | None:
        if capture.ended_by == "end_of_stream" and not len(capture.audio.samples):
            self.stt.reset()
            return None
        if capture.clipped:
            self.warn("your microphone is clipping: move back a little or turn its input level down")
        if capture.too_quiet and len(capture.audio.samples):
            self.warn("you are very quiet: move closer to the microphone or turn its input level up")
        if not len(capture.audio.samples):
            self.stt.reset()
            return Heard("", note="no speech")
        self.status("transcribing…")
        note = {"max_length": "max length"}.get(capture.ended_by, "")
        spoke = capture.speech_start  # where the answer's first speech is in its clip: gives the response delay
        if self.turn_end is not None:
            # Live: reply on the quick draft; the full transcription is decoded while the interviewer speaks.
            draft = self.stt.draft(capture.audio)
            final = self.stt.finish_async(capture.audio)
            return Heard(draft.text, (), capture.audio, note, started=started, final=final, speech_offset=spoke)
        transcript = self.stt.finish(capture.audio)
        return Heard(transcript.text, transcript.words, capture.audio, note, started=started, speech_offset=spoke)

    def _interrupted(self, capture: Capture) -> Heard | None:
        """What the candidate had said when Ctrl-C came, transcribed (a second Ctrl-C gives up on it)."""
        if not len(capture.audio.samples):
            self.stt.reset()
            return None
        self.status("stopping — transcribing what you had said…")
        transcript = self.stt.finish(capture.audio)
        return Heard(transcript.text, transcript.words, capture.audio, INTERRUPT_NOTE)


def _describe(event: Event) -> str:
    """An endpointer event for the debug log, without its audio."""
    fields = {k: v for k, v in vars(event).items() if not isinstance(v, Audio)}
    return f"{type(event).__name__} " + " ".join(
        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items()
    )


def meter(dbfs: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, (dbfs + 60.0) / 60.0)) * width)
    return "▮" * filled + "▯" * (width - filled)


class ScriptedMicrophone:
    """The demo's candidate: each answer is synthesised in another voice and served like live audio."""

    def __init__(self, voice: Synthesizer, lines: list[str], *, realtime: bool = False, speaker: Speaker | None = None):
        self.voice, self.lines, self.realtime, self.speaker = voice, list(lines), realtime, speaker
        self.sample_rate = SAMPLE_RATE
        self._current: FileMicrophone | None = None
        self._rng = np.random.default_rng(7)

    def next_answer(self, text: str | None = None) -> bool:
        """Load the next scripted line (or `text`); False when the script is finished."""
        if text is None:
            if not self.lines:
                self._current = None
                return False
            text = self.lines.pop(0)
        spoken = self.voice.synthesize(text)
        peak = float(np.max(np.abs(spoken.samples))) if len(spoken.samples) else 0.0
        level = DEMO_PEAK / peak if peak > 0 else 1.0  # espeak renders at full scale; a real mic sits well below
        lead = np.zeros(int(DEMO_LEAD_SILENCE * SAMPLE_RATE), dtype=np.float32)
        samples = np.concatenate([lead, spoken.samples * level])
        noise = self._rng.normal(0.0, 10 ** (DEMO_NOISE_DBFS / 20), len(samples)).astype(np.float32)
        clip = Audio(samples + noise, SAMPLE_RATE)
        if self.speaker is not None:
            self.speaker.play(spoken)  # so a person watching the demo hears the candidate too
        self._current = FileMicrophone(clip, realtime=self.realtime and self.speaker is None)
        self._current.__enter__()
        return True

    def read(self, timeout: float) -> np.ndarray | None:
        if self._current is None:
            return None
        block = self._current.read(timeout)
        if block is None:
            # After the answer the room stays quiet until the next one: the endpointer sees silence, not the end.
            noise = self._rng.normal(0.0, 10 ** (DEMO_NOISE_DBFS / 20), int(0.02 * SAMPLE_RATE))
            return noise.astype(np.float32)
        return block if len(block) else EMPTY_BLOCK


class AudioClock:
    """Session time counted in audio, for the demo: it runs faster than real time, yet turn times stay true."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        self.seconds += max(0.0, seconds)
