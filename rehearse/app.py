"""Use cases: what each command does, as functions the CLI and the tests call with an Environment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rehearse.environment import Environment
from rehearse.errors import InputFileError
from rehearse.plan import Plan
from rehearse.report.plain import line as plain_line
from rehearse.scenario import Interviewer, Line, load_scenario
from rehearse.scoring.scorer import score_call
from rehearse.store import new_session
from rehearse.transcript import read_transcript
from rehearse.values import CallScore, Hints, Session, Transcript, Utterance

if TYPE_CHECKING:
    from rehearse.coach import Prompter

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif"})


def score_file(path: Path, plan: Plan | None, env: Environment, *, model: str | None = None) -> CallScore:
    """Score a transcript (.txt) or a recording (audio: transcribed offline first)."""
    if path.suffix.lower() in AUDIO_SUFFIXES:
        from rehearse.audio.wav import read_wav
        from rehearse.scoring.spoken import with_file_voice

        transcript = transcribe_recording(path, plan, env, model=model)
        score = score_call([Utterance(transcript.text, 0.0, transcript.duration, transcript.words)], plan)
        return with_file_voice(score, read_wav(path), transcript) if transcript.text else score
    if path.suffix.lower() not in {".txt", ".text", ".md", ""} and path.is_file() and _looks_binary(path):
        raise InputFileError("is not a transcript; give a .txt file, or a .wav recording", path=path)
    utterances = read_transcript(path)
    if not utterances:
        raise InputFileError("there is nothing to score: the transcript is empty (or only # comments)", path=path)
    return score_call(utterances, plan)


def transcribe_recording(path: Path, plan: Plan | None, env: Environment, *, model: str | None = None) -> Transcript:
    """Transcribe a recording offline, with a progress bar on stderr when it is long enough to come in pieces."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from rehearse.audio.wav import read_wav
    from rehearse.stt import WhisperTranscriber
    from rehearse.stt_file import PIECE_SEARCH_SECONDS, PIECE_SECONDS, transcribe_file

    audio = read_wav(path)
    engine = WhisperTranscriber(model)
    console = env.console(stderr=True)
    with console.status("[cyan]loading the speech model (offline)…[/]"):
        engine.load()
    one_piece = audio.duration <= PIECE_SECONDS + PIECE_SEARCH_SECONDS
    columns = (TextColumn("transcribing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=one_piece) as bar:
        task = bar.add_task("", total=len(audio.samples))
        hints = Hints.from_plan(plan) if plan else None
        transcript = transcribe_file(audio, engine, hints, lambda done, _all: bar.update(task, completed=done))
    if not transcript.text:
        console.print(plain_line((f"No speech was heard in {path}; the report below has nothing to score.", "yellow")))
    return transcript


def _looks_binary(path: Path) -> bool:
    with path.open("rb") as fh:
        return b"\x00" in fh.read(4096)


@dataclass
class TypedVoice:
    """The interviewer's lines, printed."""

    env: Environment

    def say(self, line: Line) -> None:
        beep = (" (beep)" if line.sound == "beep" else "", "dim")
        self.env.console().print(plain_line((f"{line.who}:", "bold cyan"), " ", line.text, beep))


@dataclass
class TypedListener:
    """The candidate's answers, typed one per line. End of input ends the rehearsal."""

    env: Environment
    before: Callable[[], None] = lambda: None  # called as each answer begins: `practice --cues` shows its cue

    def listen(self, policy=None):  # (ListenPolicy | None) -> Heard | None; typing needs no silence policy
        from rehearse.loop import Heard

        self.before()
        if self.env.stdin_isatty:
            self.env.stdout.write("You: ")
            self.env.stdout.flush()
        line = self.env.stdin.readline()
        if not line:
            return None
        text = line.strip()
        if not self.env.stdin_isatty:  # echo piped answers so the printed call reads as a transcript
            self.env.console().print(plain_line(("You:", "bold green"), " ", text or "(silence)"))
        return Heard(text)


def practice_typed(
    plan: Plan | None, scenario_name: str, env: Environment, recorder=None, prompter: Prompter | None = None
) -> Session:
    from rehearse.loop import NullRecorder, Rehearsal

    scenario = load_scenario(scenario_name)
    session = new_session(scenario.name, "typed", plan)
    if prompter is not None:
        session = replace(session, cues=prompter.cues)
    if recorder is not None:
        recorder.start(session)
        session = recorder.session
    listener = TypedListener(env)
    rehearsal = Rehearsal(Interviewer(scenario, plan), TypedVoice(env), listener, recorder or NullRecorder(), session)
    if prompter is not None:
        listener.before = lambda: prompter(rehearsal.session, rehearsal.interviewer)
    return rehearsal.run()
