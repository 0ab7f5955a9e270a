"""A black-box robot candidate for the spoken loop: it listens to the app's speaker, answers into the microphone,
and times every reply from the audio itself.

    from tests.robot import Answer, Robot
    result = Robot([Answer(("Good afternoon, this is Jordan Avery.",), delay=0.2), ...], env=pulse_env).run(
        [rehearse, "practice", "--plan", P, "--scenario", "receptive", "--no-timing", "--recordings", DIR])

The app is a subprocess and a black box; the robot sees only what a person beside the laptop would: the sound
from the speaker (the monitor of the sink `vout`, where the app plays), the text the app prints, and its exit.
It speaks by playing into the sink `vspk`, whose monitor is the app's microphone (.ci/pulse.sh).

Hearing the interviewer. Each 10 ms block of vout.monitor is voiced when its RMS is above -45 dBFS (the app's
output is digital silence between lines). A line starts at its first voiced sample and ends at its last, once
HANGOVER (0.45 s) of silence follows: the interviewer's espeak voice (165 wpm) pauses up to 380 ms between
sentences and 170 ms at commas (measured), so a shorter hangover would cut lines in two. It pauses ~0.5 s at a
dash, so a silence inside a line whose printed text is not yet three quarters said does not end it (unless it
lasts 1.5 s). A line printed with "(beep)" ends after its tone: the robot waits for it, as a person would. Sounds
under 0.3 s are not lines. The echo path (.ci/pulse.sh echo) does not reach vout, so the robot never hears itself
as the interviewer; in vspk.monitor it finds its answers by correlation, which the -20 dB echo does not disturb.

Answering on time. A prompt human starts 0.1-0.5 s after the other side stops, which is earlier than any
detector with a 0.45 s hangover can know the line is over. The robot does what people do: it predicts the end
from the words. The app prints each line; the robot renders that text with espeak-ng (en-us, 165 wpm — what the
interviewer sounds like; the ratio of heard to predicted length is learned over the call) and so knows, at the
line's onset, when it will end. It then starts speaking at predicted end + delay, after checking that the line
really has gone quiet (else it falls back to the hangover). `overlap=True` starts instead OVERLAP (0.3 s) before
the predicted end, talking over the line's last words; no check is made then. Without text the robot waits for
the hangover, so its delay is at least 0.45 s. Every delay reported is measured from the audio, not the plan.

The clock. PulseAudio streams opened through libpulse-simple (tests/pulse_stream.py): a recorder on vout.monitor
(the app's speaker), a recorder on vspk.monitor (the mic, as the app hears it), and for each answer one playback
stream into vspk that is handed the whole clip in one write (so a starved robot cannot underrun mid-answer). After
every block each recorder asks PulseAudio for its latency, which places every sample of both recordings on
time.monotonic(); the median over a second of blocks is steady to ~2 ms. The answer is then found in the mic
recording by cross-correlating its first and last half second, so its start and end are where the app's microphone
really had them, and `stretch_ms` says if the machine delayed part of it (the tests call >50 ms a harness glitch).
Reply gap = onset of the interviewer's next audio in vout.monitor minus the answer's last voiced sample in
vspk.monitor; both onsets and ends are found to the sample (digital silence around them).

Error: against tests/fake_app.py, which replies at a known delay and measures the true gap with its own pair of
recorders, the robot agreed within 0-2 ms on a quiet machine and within 16 ms at load average 20 on 2 cores
(the harness test requires ±30 ms). A player->recorder self loop on vspk measured -3 to +3 ms. PortAudio was
tried first and dropped: a sounddevice duplex stream's round trip was 22-88 ms, changed from one open to the next
and after underruns, so counting samples in one PortAudio stream is not a clock to ±30 ms here.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.pulse_stream import BLOCK, RATE, Player, Recorder, play_once

VOICED_DB = -45.0  # block RMS, dBFS
SAMPLE_FLOOR = 10 ** (-50 / 20)  # a sample this loud is sound (onsets and ends to the sample)
HANGOVER = 0.45  # s of silence that ends an interviewer line
MIN_LINE = 0.3  # s; shorter sounds (a beep) are not lines
OVERLAP = 0.3  # s before the predicted end of the line
LONG_SILENCE = 1.5  # s; a pause this long ends a line whatever its text says
QUIET_CHECK = 0.06  # s of silence wanted on vout before a predicted prompt answer starts
INTERVIEWER_TTS = ("en-us", 165, 40)  # what the robot expects the interviewer to sound like (voice, wpm, pitch)
LINE_LABEL = re.compile(r"^\s*(Interviewer|Receptionist|Voicemail):\s*(.*?)\s*(\(beep\))?\s*$")
SAVED = re.compile(r"Saved as ([0-9A-Za-z_-]+)")


@dataclass(frozen=True)
class Answer:
    """What the robot says in one turn: text, with pauses (seconds) between the pieces."""

    parts: tuple[str | float, ...]
    delay: float = 0.3  # seconds after the interviewer's line ends
    overlap: bool = False  # start OVERLAP before the line's end instead

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if isinstance(p, str))

    @property
    def pauses(self) -> tuple[float, ...]:
        return tuple(p for p in self.parts if not isinstance(p, str))

    def first_words(self, n: int = 2) -> str:
        return " ".join(re.findall(r"[A-Za-z']+", self.text)[:n])


@dataclass
class Line:
    """An interviewer line heard on the speaker; times in seconds on the robot's clock (0 = robot start)."""

    onset: float
    end: float | None = None
    text: str | None = None  # the printed line matched to it, when there was one
    onset_index: int = 0
    last_index: int = 0
    learned: bool = False  # its length has taught the robot the interviewer's pace
    no_predict: bool = False  # a prediction from its text came too early; wait for the hangover
    beep: bool = False  # printed with "(beep)": a tone follows the words, and the robot waits for it
    beep_heard: bool = False


@dataclass
class TurnResult:
    index: int
    text: str
    pauses: tuple[float, ...]
    delay_asked: float
    overlap: bool
    line_onset: float | None  # the interviewer line answered
    line_end: float | None
    speech_start: float  # the robot's first and last voiced sample as rendered into the mic
    speech_end: float
    delay_used: float | None  # speech_start - line_end (negative: overlapped)
    predicted: bool  # the start was planned from the printed text, not the hangover
    reply_onset: float | None = None
    reply_gap_ms: float | None = None  # reply onset - speech_end; None: no reply came
    replied_in_pause: bool = False  # the app's audio started while the robot was still inside its answer
    stretch_ms: float = 0.0  # the answer took this much longer in the mic than in its WAV (robot underruns)


@dataclass
class RobotResult:
    turns: list[TurnResult]
    lines: list[Line]
    exit_code: int | None
    stdout: str
    stderr: str
    session: Path | None
    timed_out: bool

    def manifest(self) -> dict:
        assert self.session is not None, f"no 'Saved as' in the app's output:\n{self.stdout}\n{self.stderr}"
        return json.loads((self.session / "manifest.json").read_text())

    def turns_of(self, speaker: str) -> list[dict]:
        return [t for t in self.manifest()["turns"] if t.get("speaker") == speaker]

    def summary(self) -> str:
        rows = [
            f"#{t.index} delay {t.delay_used if t.delay_used is None else round(t.delay_used, 3)} "
            f"gap {t.reply_gap_ms if t.reply_gap_ms is None else round(t.reply_gap_ms)} ms"
            f"{' reply-in-pause' if t.replied_in_pause else ''}: {t.text[:50]}"
            for t in self.turns
        ]
        out = [ln.rstrip()[:200] for ln in (self.stdout + self.stderr).splitlines() if "underrun occurred" not in ln]
        return "\n".join([*rows, f"exit {self.exit_code}", *out[-60:]])


# ---------------------------------------------------------------------------------------------------- speech


def _resample(x: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE:
        return x
    import soxr

    return soxr.resample(x, rate, RATE)


def _trim(x: np.ndarray) -> np.ndarray:
    """From the first to the last sound by the same rule the robot hears the interviewer with (a 10 ms block above
    VOICED_DB, and in it the first/last sample above SAMPLE_FLOOR), so that "the end of the answer" is one thing
    for the robot and for anything listening to the mic: flite trails off below -45 dBFS for up to 150 ms."""
    n = len(x) // BLOCK
    if not n:
        return x[:0]
    rms = np.sqrt(np.mean(x[: n * BLOCK].reshape(n, BLOCK) ** 2, axis=1))
    voiced = np.nonzero(rms > 10 ** (VOICED_DB / 20) * float(np.max(np.abs(x))) / 0.5)[0]
    if not len(voiced):
        return x[:0]
    seg = x[voiced[0] * BLOCK : (voiced[-1] + 1) * BLOCK]
    loud = np.nonzero(np.abs(seg) > SAMPLE_FLOOR * float(np.max(np.abs(x))) / 0.5)[0]
    return seg[loud[0] : loud[-1] + 1]


@functools.lru_cache(maxsize=256)
def _render(engine: str, text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.wav"
        if engine == "flite":
            cmd = ["flite", "-voice", voice, "-t", text, "-o", str(out)]
        else:
            cmd = ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out), text]
        subprocess.run(cmd, check=True, timeout=60, capture_output=True)
        x, sr = sf.read(str(out), dtype="float32", always_2d=True)
    return _trim(_resample(x[:, 0], sr)).astype(np.float32)


def say(text: str, engine: str = "flite", voice: str = "slt", rate: int = 160, pitch: int = 50) -> np.ndarray:
    """Speech, 16 kHz mono float32, trimmed, peak 0.5. flite's slt voice by default: not the app's espeak."""
    if shutil.which(engine) is None:
        raise RuntimeError(f"{engine} is not installed (sudo apt-get install {engine})")
    x = _render(engine, text, voice, rate, pitch).copy()
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    return x * (0.5 / peak) if peak else x


def synthesize(answer: Answer, engine: str = "flite", voice: str = "slt") -> np.ndarray:
    pieces: list[np.ndarray] = []
    words: list[str] = []
    for part in (*answer.parts, None):
        if isinstance(part, str):
            words.append(part)
            continue
        if words:
            pieces.append(say(" ".join(words), engine, voice))
            words = []
        if part is not None:
            pieces.append(np.zeros(round(part * RATE), np.float32))
    return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)


def predicted_length(text: str) -> float:
    voice, rate, pitch = INTERVIEWER_TTS
    return len(_render("espeak-ng", text, voice, rate, pitch)) / RATE


# ---------------------------------------------------------------------------------------------------- the robot


@dataclass
class _Plan:
    line: Line
    target: float  # monotonic time the answer should start
    predicted: bool


@dataclass
class _Speaking:
    answer: Answer
    line: Line | None
    samples: np.ndarray
    start: int  # output sample index
    predicted: bool
    voiced_first: int = 0
    voiced_last: int = 0
    thread: threading.Thread | None = None
    written: float = 0.0  # monotonic time the clip was handed to PulseAudio


class Robot:
    """Answers each interviewer line with the next Answer; see the module docstring."""

    def __init__(
        self,
        answers: list[Answer],
        env: dict[str, str],
        *,
        engine: str = "flite",
        voice: str = "slt",
        timeout: float = 300.0,
        tail: float = 25.0,
        mic_sink: str = "vspk",
        speaker_source: str = "vout.monitor",
        answer_lines: bool = True,
    ) -> None:
        self.answers = answers
        self.env = env
        self.engine, self.voice = engine, voice
        self.timeout, self.tail = timeout, tail
        self.mic_sink, self.speaker_source = mic_sink, speaker_source
        self.answer_lines = answer_lines
        self.speech = [synthesize(a, engine, voice) for a in answers]
        self._blocks: queue.Queue[tuple[int, np.ndarray]] = queue.Queue()
        self._out_lock = threading.Lock()
        self._out: tuple[int, np.ndarray] | None = None
        self._printed: list[tuple[str, bool]] = []
        self._printed_lock = threading.Lock()

    # the player pulls from here
    def _source(self, start: int, n: int) -> np.ndarray:
        block = np.zeros(n, np.float32)
        with self._out_lock:
            if self._out is not None:
                s0, x = self._out
                lo, hi = max(start, s0), min(start + n, s0 + len(x))
                if lo < hi:
                    block[lo - start : hi - start] = x[lo - s0 : hi - s0]
        return block

    @staticmethod
    def _unfinished(line: Line, scale: list[float], newest: int) -> bool:
        """A pause inside a line whose printed text says there is more to come (espeak pauses ~0.5 s at a dash):
        not its end, unless the silence goes on for LONG_SILENCE."""
        if not line.text or (newest - line.last_index) / RATE >= LONG_SILENCE:
            return False
        k = float(np.median(scale)) if scale else 1.0
        return (line.last_index - line.onset_index) / RATE < 0.75 * predicted_length(line.text) * k

    def _speak(self, s: _Speaking, target: float) -> None:
        lag = 0.03  # a new stream starts playing ~this long after its write (measured 20-40 ms)
        time.sleep(max(0.0, target - lag - time.monotonic()))
        s.written = time.monotonic()
        play_once(self.mic_sink, s.samples)

    def _read_stdout(self, stream, sink: list[str]) -> None:
        for raw in stream:
            sink.append(raw)
            m = LINE_LABEL.match(raw.rstrip("\n"))
            if m:
                with self._printed_lock:
                    self._printed.append((m.group(2), bool(m.group(3))))

    def run(self, cmd: list[str], cwd: str | Path | None = None) -> RobotResult:
        t_zero = self._t0 = time.monotonic()
        recorder = Recorder(self.speaker_source, lambda i, b: self._blocks.put((i, b)))
        self._mic: list[np.ndarray] = []
        self._mic_rec = Recorder(f"{self.mic_sink}.monitor", lambda i, b: self._mic.append(b))
        player = Player(self.mic_sink, self._source)
        proc = None
        try:
            time.sleep(1.0)  # let both clocks settle before the app makes a sound
            app_env = {**self.env, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "COLUMNS": "2000", "TERM": "dumb"}
            proc = subprocess.Popen(
                cmd,
                env=app_env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            out: list[str] = []
            err: list[str] = []
            readers = [
                threading.Thread(target=self._read_stdout, args=(proc.stdout, out), daemon=True),
                threading.Thread(target=lambda: err.extend(proc.stderr), daemon=True),
            ]
            for r in readers:
                r.start()
            turns, lines, timed_out = self._loop(proc, recorder, player, t_zero)
            code = self._finish(proc)
            for r in readers:
                r.join(timeout=10)
        finally:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            player.close()
            recorder.close()
            self._mic_rec.close()
        stdout = "".join(out)
        session = None
        m = SAVED.search(stdout) or SAVED.search("".join(err))
        rec = _recordings(cmd)
        if m and rec is not None:
            session = rec / m.group(1)
        return RobotResult(turns, lines, code, stdout, "".join(err), session, timed_out)

    def _finish(self, proc: subprocess.Popen) -> int | None:
        """The app's exit code; Ctrl-C (SIGINT) if it is still running, so it scores and saves what it has."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            return proc.wait(timeout=0.5)
        os.killpg(proc.pid, signal.SIGINT)
        try:
            return proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait(timeout=30)

    def _loop(self, proc, recorder: Recorder, player: Player, t_zero: float):  # noqa: PLR0915
        threshold = 10 ** (VOICED_DB / 20)
        lines: list[Line] = []
        current: Line | None = None
        text_used = 0  # printed lines matched to audio lines so far
        scale: list[float] = []  # heard / predicted line length
        answers = list(zip(self.answers, self.speech, strict=True))
        spoken: list[_Speaking] = []
        speaking: _Speaking | None = None
        plan: _Plan | None = None
        last_start_t = -1e9  # monotonic time the robot last started speaking
        script_over_at: float | None = None
        deadline = t_zero + self.timeout
        timed_out = False
        newest = 0  # input samples seen

        def t_in(index: float) -> float:
            return recorder.clock.time_of(index)

        def t_out(index: float) -> float:
            return player.clock.time_of(index)

        while True:
            try:
                index, block = self._blocks.get(timeout=0.2)
            except queue.Empty:
                index, block = None, None
            if block is not None:
                newest = index + len(block)
                rms = float(np.sqrt(np.mean(block * block)))
                loud = np.nonzero(np.abs(block) > SAMPLE_FLOOR)[0]
                if rms > threshold and len(loud):
                    here = index + int(loud[0])
                    if current is None and lines and lines[-1].beep and not lines[-1].beep_heard:
                        current = lines[-1]  # the tone that closes a voicemail greeting belongs to it
                        current.end = None
                        current.beep_heard = True
                    elif current is None:
                        current = Line(onset=0.0, onset_index=here)
                    elif current.beep and here - current.last_index > 0.2 * RATE and current.text:
                        # a sound after a pause, late in a line that ends with a tone: the tone
                        said = (here - current.onset_index) / RATE
                        current.beep_heard = current.beep_heard or said > 0.8 * predicted_length(current.text)
                    current.last_index = index + int(loud[-1])
                elif (
                    current is not None
                    and newest - current.last_index >= HANGOVER * RATE
                    and not self._unfinished(current, scale, newest)
                ):
                    if (current.last_index - current.onset_index) / RATE >= MIN_LINE:
                        current.end = t_in(current.last_index + 1) - t_zero
                        if current not in lines:
                            lines.append(current)
                    elif current in lines:
                        lines.remove(current)
                    current = None
                long_enough = current is not None and (current.last_index - current.onset_index) / RATE >= MIN_LINE
                if current is not None and current not in lines and long_enough:
                    current.onset = t_in(current.onset_index) - t_zero
                    lines.append(current)
                # match printed text to audio lines, in order
                with self._printed_lock:
                    for line in lines:
                        if line.text is None and text_used < len(self._printed):
                            line.text, line.beep = self._printed[text_used]
                            text_used += 1
                # learn the interviewer's pace from finished lines
                for line in lines:
                    if line.end is not None and line.text and not line.learned and not line.beep:
                        line.learned = True
                        pred = predicted_length(line.text)
                        if pred > 0.5 and 0.7 < (line.end - line.onset) / pred < 1.4:  # else a mismatched text
                            scale.append((line.end - line.onset) / pred)
                            if os.environ.get("ROBOT_DEBUG"):
                                print("pace", line.text, line.end - line.onset, pred, file=sys.stderr)

            now_in = t_in(newest)
            # the robot's own speech: finished?
            if speaking is not None and speaking.thread is not None and not speaking.thread.is_alive():
                spoken.append(speaking)
                speaking = None
                if not answers:
                    script_over_at = time.monotonic()
            # plan the next answer for the newest line since the robot last started speaking
            if speaking is None and answers and self.answer_lines:
                answer, samples = answers[0]
                fresh = [ln for ln in lines if ln.onset + t_zero > last_start_t]
                line = fresh[-1] if fresh else None
                if line is not None and (plan is None or plan.line is not line):
                    plan = None
                    k = float(np.median(scale)) if scale else 1.0
                    if line.beep and not line.beep_heard:
                        pass  # a person waits for the tone
                    elif line.text and line.end is None and not line.no_predict and not line.beep:
                        pred = predicted_length(line.text) * k
                        shift = -OVERLAP if answer.overlap else answer.delay
                        plan = _Plan(line, line.onset + t_zero + pred + shift, True)
                    elif line.end is not None:
                        plan = _Plan(line, line.end + t_zero + answer.delay, False)
                elif plan is not None and plan.predicted and line is not None and line.end is not None:
                    # the line ended before the predicted start: the prediction was late; use the real end
                    real = line.end + t_zero + (-OVERLAP if answer.overlap else answer.delay)
                    if real < plan.target:
                        plan = _Plan(line, max(real, now_in), False)
                lead = 0.06  # the answer's thread wakes in time to hand its clip over ~30 ms ahead
                if plan is not None and now_in >= plan.target - lead:
                    quiet = (newest - plan.line.last_index) / RATE
                    if plan.predicted and not answer.overlap and plan.line.end is None and quiet < QUIET_CHECK:
                        plan.line.no_predict = True  # still talking: the prediction was early; wait for the end
                        if os.environ.get("ROBOT_DEBUG"):
                            print("early prediction", plan.line.text, quiet, file=sys.stderr)
                        plan = None
                    else:
                        voiced = np.nonzero(np.abs(samples) > SAMPLE_FLOOR)[0]
                        start = max(player.written + BLOCK, round(player.clock.index_at(plan.target)))
                        speaking = _Speaking(
                            answer,
                            plan.line,
                            samples,
                            start,
                            plan.predicted,
                            start + int(voiced[0]),
                            start + int(voiced[-1]) + 1,
                        )
                        speaking.thread = threading.Thread(
                            target=self._speak, args=(speaking, plan.target), name="robot-answer", daemon=True
                        )
                        speaking.thread.start()
                        last_start_t = plan.target
                        answers.pop(0)
                        plan = None
            # stop?
            if proc.poll() is not None and self._blocks.empty():
                if speaking is not None:
                    spoken.append(speaking)
                break
            if script_over_at is not None and time.monotonic() - script_over_at > self.tail:
                break
            if time.monotonic() > deadline:
                timed_out = True
                if speaking is not None:
                    spoken.append(speaking)
                break
        if current is not None and current not in lines and current.last_index > current.onset_index:
            current.onset = t_in(current.onset_index) - t_zero
            lines.append(current)
        if current is not None and current.end is None:
            current.end = t_in(current.last_index + 1) - t_zero
        return self._results(spoken, lines, t_zero, t_in, t_out), lines, timed_out

    def _heard_span(self, s: _Speaking, mic: np.ndarray, t_out) -> tuple[float, float, float]:
        """First and last voiced sample of an answer as the mic's sink rendered it: its opening and closing half
        second found in the sink's monitor by cross-correlation, each on its own (a player underrun stretches
        the answer). Falls back to the player's clock (±15 ms). Also returns how much the answer was stretched."""
        first, last = s.voiced_first - s.start, s.voiced_last - s.start
        clock = self._mic_rec.clock
        guess = round(clock.index_at(s.written + 0.03)) + first
        head = s.samples[first : first + RATE // 2]
        tail = s.samples[max(first, last - RATE // 2) : last]
        at = _locate(mic, head, guess, RATE // 2)
        approx = s.written + 0.03 + first / RATE  # when nothing matches (±20 ms)
        start = clock.time_of(at) if at is not None else approx
        base = at if at is not None else guess
        end = None
        for n in (RATE // 2, RATE // 4, RATE // 10):  # a shorter probe still matches when a glitch hit the tail
            tail = s.samples[max(first, last - n) : last]
            end_at = _locate(mic, tail, base + (last - first) - len(tail), RATE // 2)
            if end_at is not None:
                end = clock.time_of(end_at + len(tail))
                break
        if end is None:  # the last sound in the mic before 0.3 s of silence, from where the answer should end
            i = base + (last - first) - RATE // 10
            end_i = _last_sound(mic, i, RATE * 3 // 10)
            end = clock.time_of(end_i) if end_i is not None else approx + (last - first) / RATE
        if os.environ.get("ROBOT_DEBUG"):
            print("located", guess, at, end_at, file=sys.stderr)
        return start, end, (end - start) - (last - first) / RATE

    def _results(self, spoken: list[_Speaking], lines: list[Line], t_zero: float, t_in, t_out) -> list[TurnResult]:
        results = []
        mic = np.concatenate(self._mic) if self._mic else np.zeros(0, np.float32)
        for i, s in enumerate(spoken):
            start, end, stretch = self._heard_span(s, mic, t_out)
            start -= t_zero
            end -= t_zero
            line = s.line
            # the first interviewer audio after the robot began: a reply, or (before `end`) a reply in its pause
            after = [ln for ln in lines if ln.onset > start + 0.05]
            reply = after[0] if after else None
            r = TurnResult(
                index=i,
                text=s.answer.text,
                pauses=s.answer.pauses,
                delay_asked=s.answer.delay,
                overlap=s.answer.overlap,
                line_onset=line.onset if line else None,
                line_end=line.end if line else None,
                speech_start=start,
                speech_end=end,
                delay_used=(start - line.end) if line and line.end is not None else None,
                predicted=s.predicted,
                stretch_ms=stretch * 1000,
            )
            if reply is not None:
                r.reply_onset = reply.onset
                r.reply_gap_ms = (reply.onset - end) * 1000
                r.replied_in_pause = reply.onset < end
            results.append(r)
        return results


def _locate(mic: np.ndarray, probe: np.ndarray, guess: int, reach: int) -> int | None:
    """Where `probe` starts in `mic`, searched within ±reach samples of `guess` (normalised cross-correlation)."""
    lo, hi = max(0, guess - reach), min(len(mic), guess + reach + len(probe))
    seg = mic[lo:hi]
    if len(seg) < len(probe) or not len(probe):
        return None
    corr = np.correlate(seg, probe, mode="valid")
    energy = np.sqrt(np.convolve(seg * seg, np.ones(len(probe)), mode="valid")) + 1e-9
    k = int(np.argmax(corr / energy))
    if corr[k] / energy[k] / (np.linalg.norm(probe) + 1e-9) < 0.8:
        return None
    return lo + k


def _last_sound(x: np.ndarray, i: int, quiet: int) -> int | None:
    """The index after the last sample above SAMPLE_FLOOR that comes at or after `i` and before `quiet` samples
    of silence."""
    last = None
    j = max(0, i)
    while j < len(x):
        loud = np.nonzero(np.abs(x[j : j + quiet]) > SAMPLE_FLOOR)[0]
        if not len(loud):
            return last
        last = j + int(loud[-1]) + 1
        j = last
    return last


def _recordings(cmd: list[str]) -> Path | None:
    if "--recordings" in cmd:
        return Path(cmd[cmd.index("--recordings") + 1])
    return None


def pulse_env() -> dict[str, str]:
    """The environment of the running .ci/pulse.sh daemon (PULSE_SERVER, XDG_RUNTIME_DIR), as `eval` would set."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        ["bash", str(root / ".ci" / "pulse.sh")], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    env = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if "=" in line)
    return {**os.environ, **env}


def set_echo(db: float | None) -> None:
    """The echo path of .ci/pulse.sh: the app's speaker into the mic at `db` dB, or none."""
    root = Path(__file__).resolve().parent.parent
    arg = "off" if db is None else f"{db:g}"
    subprocess.run(
        ["bash", str(root / ".ci" / "pulse.sh"), "echo", arg], capture_output=True, text=True, check=True, timeout=30
    )
