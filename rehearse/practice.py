"""Spoken use cases: a live rehearsal, the demo, and transcribing a recording — each building its devices once."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypedDict

from rehearse.environment import Environment
from rehearse.loop import Rehearsal
from rehearse.plan import Plan
from rehearse.report.plain import line as plain_line
from rehearse.scenario import Interviewer, Line, load_scenario
from rehearse.values import Audio, Session, Turn

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from rich.console import Console

    from rehearse.audio.devices import Microphone, Speaker
    from rehearse.audio.echo import EchoGuard
    from rehearse.audio.endpoint import EndpointOptions, Room
    from rehearse.audio.tts import Synthesizer
    from rehearse.coach import Prompter
    from rehearse.speech import AudioClock, SpokenListener, SpokenVoice
    from rehearse.store import SessionRecorder
    from rehearse.stt import IncrementalTranscriber, Transcriber
    from rehearse.stt_turn import TurnEndTimes


@dataclass(frozen=True)
class SpeechSettings:
    """The spoken options of `practice` and `demo`."""

    model: str | None = None  # a local CTranslate2 Whisper model; None = the bundled tiny.en
    input: str | None = None  # microphone name or index
    output: str | None = None  # speaker name or index
    voice: str | None = None  # interviewer's espeak voice
    rate: int | None = None  # interviewer's words per minute
    end_silence: float | None = None  # seconds of silence that end an answer
    online: str | None = None  # "google": the one way audio leaves the machine


class StatusLine:
    """One line that says what is happening (listening, hearing you, thinking); lines printed go above it."""

    def __init__(self, console: Console) -> None:
        # Without a terminal there is no line to keep rewriting, so nothing is shown: the turns are printed anyway.
        self._status = console.status("") if console.is_terminal else None

    def __enter__(self) -> StatusLine:
        if self._status is not None:
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def update(self, text: str) -> None:
        if self._status is not None:
            self._status.update(f"[cyan]{text}[/]")


def make_transcriber(settings: SpeechSettings, plan: Plan | None, console: Console) -> IncrementalTranscriber:
    from rehearse.stt import Hints, IncrementalTranscriber, OnlineTranscriber, WhisperTranscriber

    inner: Transcriber
    if settings.online:
        inner = OnlineTranscriber(allow_online=True)
        from rehearse.stt import ONLINE_WARNING

        console.print(f"[bold yellow]Warning:[/] {ONLINE_WARNING}")
    else:
        whisper = inner = WhisperTranscriber(settings.model)
        with console.status("[cyan]loading the speech model (offline)…[/]"):
            whisper.load()
            whisper.warm_up()
    return IncrementalTranscriber(inner, hints=Hints.from_plan(plan) if plan else None)


def make_voices(settings: SpeechSettings, env: Environment) -> dict[str, Synthesizer]:
    from rehearse.audio.tts import INTERVIEWER_VOICE, Pyttsx3Synthesizer, VoiceSettings

    cache = env.cache / "tts"
    interviewer = VoiceSettings(
        settings.voice or INTERVIEWER_VOICE.voice, settings.rate or INTERVIEWER_VOICE.rate, INTERVIEWER_VOICE.pitch
    )
    main = Pyttsx3Synthesizer.from_settings(interviewer, cache)
    other = Pyttsx3Synthesizer.from_settings(VoiceSettings("gmw/en-us", (settings.rate or 165) + 10, 70), cache)
    return {"interviewer": main, "voicemail": main, "receptionist": other}


LIVE_GAP_EVENT = 0.4  # seconds between chances to cut a draft while the candidate talks on


def endpoint_options(settings: SpeechSettings) -> EndpointOptions:
    from rehearse.audio.endpoint import EndpointOptions

    if settings.end_silence is not None:
        return EndpointOptions(end_silence=settings.end_silence)
    # The words decide the end of a live turn, so they are drafted in pieces as they come (stt.GAP_DRAFT_SECONDS).
    return EndpointOptions(gap_event=LIVE_GAP_EVENT)


def printer(env: Environment, console: Console) -> Callable[[Line], None]:
    def show(line: Line) -> None:
        beep = (" (beep)" if line.sound == "beep" else "", "dim")
        console.print(plain_line((f"{line.who}:", "bold cyan"), " ", line.text, beep))

    return show


def show_turn(console: Console) -> Callable[[Turn], None]:
    def on_turn(turn: Turn) -> None:
        if turn.speaker == "candidate":
            said = (turn.text, "") if turn.text else ("(nothing heard)", "dim")
            note = (f" ({turn.note})" if turn.note and turn.text else "", "dim")
            console.print(plain_line(("You:", "bold green"), " ", said, note), highlight=False)

    return on_turn


@contextlib.contextmanager
def live_devices(settings: SpeechSettings) -> Iterator[tuple[Microphone, Speaker]]:
    from rehearse.audio.devices import SoundDeviceMicrophone
    from rehearse.audio.playback import StreamSpeaker

    with SoundDeviceMicrophone(settings.input) as mic, StreamSpeaker(settings.output) as speaker:
        yield mic, speaker


@dataclass
class Wiring:
    """What differs between a live rehearsal and the demo: where the candidate comes from and how time runs."""

    mic: Microphone
    speaker: Speaker
    live: bool  # a real microphone: calibrate the room once, guard against echo, judge the end of turn by words
    before_listen: Callable[[], bool] = lambda: True
    show: Callable[[Line], None] | None = None
    clock: AudioClock | None = None  # the demo without a speaker counts audio; None: wall-clock time


class LiveParts(TypedDict, total=False):
    """What a live call adds to the listener; the demo's scripted microphone needs none of it."""

    room: Room
    echo: EchoGuard
    turn_end: TurnEndTimes | None


def _live_parts(wiring: Wiring, settings: SpeechSettings, status: StatusLine) -> LiveParts:
    """The room, echo guard and end-of-turn judgement of a live call (the demo's scripted mic needs none)."""
    from rehearse.audio.echo import EchoGuard
    from rehearse.audio.endpoint import calibrate_room
    from rehearse.stt_turn import TurnEndTimes

    if not wiring.live:
        return {}
    status.update("listening to the room for a moment — stay quiet…")
    room = calibrate_room(wiring.mic, endpoint_options(settings))
    # --end-silence asks for a fixed silence; otherwise the words decide how long a pause ends the answer.
    return {"room": room, "echo": EchoGuard(), "turn_end": None if settings.end_silence else TurnEndTimes()}


def _run(
    interviewer: Interviewer,
    wiring: Wiring,
    stt: IncrementalTranscriber,
    settings: SpeechSettings,
    env: Environment,
    recorder: SessionRecorder,
    console: Console,
    prompter: Prompter | None = None,
) -> Session:
    from rehearse.speech import SpokenListener

    advance = _advance(wiring)
    with StatusLine(console) as status:
        live = _live_parts(wiring, settings, status)
        if "room" in live:  # the room's level is the floor the answers' signal-to-noise ratio is measured against
            recorder.start(replace(recorder.session, noise_floor_db=round(live["room"].noise_floor_db, 1)))
        voice = _voice(wiring, settings, env, live, status.update, wiring.show or printer(env, console))
        listener = SpokenListener(
            wiring.mic,
            stt,
            endpoint_options(settings),
            status.update,
            _warner(console),
            recorder.begin_answer,
            wiring.before_listen,
            heard=advance,
            **live,
        )
        timing = {"clock": wiring.clock} if wiring.clock else {}
        rehearsal = Rehearsal(
            interviewer,
            voice,
            listener,
            VoicedRecorder(recorder),
            recorder.session,
            on_turn=show_turn(console),
            **timing,
        )
        listener.on_complete = rehearsal.preview
        interviewer.warm()
        if prompter is not None:
            _cue_before_listening(listener, rehearsal, prompter)
        try:
            rehearsal.run()
            return recorder.session  # as saved: scored with the voice measures
        finally:
            stt.close()


def _advance(wiring: Wiring) -> Callable[[float], None]:
    """Moves a test's audio clock on as audio is played or heard; a real call has no such clock."""
    return wiring.clock.advance if wiring.clock else (lambda _seconds: None)


def _voice(
    wiring: Wiring,
    settings: SpeechSettings,
    env: Environment,
    live: LiveParts,
    status: Callable[[str], None],
    show: Callable[[Line], None],
) -> SpokenVoice:
    """The interviewer's voice; on a live call it also notices the candidate talking over it (barge-in)."""
    from rehearse.audio.bargein import BargeIn
    from rehearse.speech import SpokenVoice

    advance = _advance(wiring)
    voice = SpokenVoice(make_voices(settings, env), wiring.speaker, live.get("echo"), status, show, played=advance)
    if "echo" in live and "room" in live and hasattr(wiring.mic, "recent_levels"):
        voice.barge_in = BargeIn(wiring.mic.recent_levels, live["echo"], live["room"].noise_floor_db)
    return voice


def _cue_before_listening(listener: SpokenListener, rehearsal: Rehearsal, prompter: Prompter) -> None:
    """`practice --cues`: the next section's cue is shown as each answer begins, from the call so far (the
    listener's existing before-listen hook, so nothing in speech.py or loop.py knows about cues)."""
    ready = listener.before_listen

    def cue_then_listen() -> bool:
        prompter(rehearsal.session, rehearsal.interviewer)
        return ready()

    listener.before_listen = cue_then_listen


@dataclass
class VoicedRecorder:
    """The session recorder, with the answers' voice measured (pitch, uptalk, volume, response delays) before the
    final result is saved: they need the recordings the recorder has just written."""

    inner: SessionRecorder

    def add_turn(self, turn: Turn, audio: Audio | None) -> Turn:
        return self.inner.add_turn(turn, audio)

    def replace_turn(self, turn: Turn) -> None:
        self.inner.replace_turn(turn)

    def finish(self, session: Session) -> None:
        from rehearse.scoring.spoken import with_session_voice
        from rehearse.store import audio_reader

        self.inner.flush()  # the last answer's WAV is written on a worker thread (store.SessionRecorder.add_turn)
        if session.score is not None:
            try:
                voiced = with_session_voice(session.score, session, audio_reader(self.inner.folder))
                session = replace(session, score=voiced)
            except Exception:  # the call is saved and scored whatever happens; `rehearse rescore` measures again
                log.warning(
                    "the voice of the answers could not be measured; saving the score without it", exc_info=True
                )
        self.inner.finish(session)


def run_spoken(
    plan: Plan | None,
    scenario_name: str,
    env: Environment,
    settings: SpeechSettings,
    open_recorder: Callable[[], SessionRecorder],
    console: Console,
    prompter: Prompter | None = None,
) -> Session:
    """A live rehearsal on the microphone. Ctrl-C stops it; the caller scores what was said.

    The session folder is made (`open_recorder`) only once the microphone, the speaker and the speech model are
    ready: a rehearsal that never starts leaves nothing behind, and never becomes `last`."""
    from rehearse.store import new_session

    scenario = load_scenario(scenario_name)
    # Devices first: a missing microphone is reported at once, not after the model has loaded.
    with live_devices(settings) as (mic, speaker):
        stt = make_transcriber(settings, plan, console)
        recorder = open_recorder()
        session = new_session(scenario.name, "spoken", plan, engine=stt.name)
        recorder.start(replace(session, cues=prompter.cues) if prompter else session)
        wiring = Wiring(mic, speaker, live=True)
        return _run(Interviewer(scenario, plan), wiring, stt, settings, env, recorder, console, prompter)


def run_demo(
    plan: Plan,
    scenario_name: str,
    env: Environment,
    settings: SpeechSettings,
    open_recorder: Callable[[], SessionRecorder],
    console: Console,
    *,
    play: bool = False,
) -> Session:
    """The whole spoken loop with a synthetic candidate in place of the microphone; like run_spoken, the session
    folder is made only once the model and the speaker are ready."""
    from rehearse.audio.playback import NullSpeaker
    from rehearse.audio.tts import CANDIDATE_VOICE, Pyttsx3Synthesizer
    from rehearse.demo import DemoCandidate
    from rehearse.speech import AudioClock
    from rehearse.store import new_session

    scenario = load_scenario(scenario_name)
    stt = make_transcriber(settings, plan, console)
    speaker: Speaker = _demo_speaker(settings) if play else NullSpeaker()
    voice = Pyttsx3Synthesizer.from_settings(CANDIDATE_VOICE, env.cache / "tts")
    interviewer = Interviewer(scenario, plan)
    candidate = DemoCandidate(voice, plan, interviewer, printer(env, console), speaker if play else None)
    recorder = open_recorder()
    recorder.start(new_session(scenario.name, "demo", plan, engine=stt.name))
    # Without a speaker the demo runs faster than speech; its clock then counts audio, so turn times stay true.
    wiring = Wiring(
        candidate.mic,
        speaker,
        live=False,
        before_listen=candidate.before_listen,
        show=candidate.show,
        clock=None if play else AudioClock(),
    )
    return _run(interviewer, wiring, stt, settings, env, recorder, console)


def _demo_speaker(settings: SpeechSettings) -> Speaker:
    from rehearse.audio.playback import SoundDeviceSpeaker

    return SoundDeviceSpeaker(settings.output)


def _warner(console: Console) -> Callable[[str], None]:
    return lambda text: console.print(plain_line((f"⚠ {text}", "yellow")))
