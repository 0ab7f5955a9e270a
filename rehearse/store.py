"""Saved rehearsals: one folder per session, written as the session goes, never half-written.

recordings/<id>/manifest.json          plan, scenario, engine, every turn, every score (schema rehearse.session/1)
recordings/<id>/turn-003-candidate.wav 16-bit mono, one per spoken turn, any audio tool opens them

Each turn's WAV appears by rename once complete; an answer being recorded goes to a `.partial.wav` that is valid
after every block. The manifest is rewritten atomically after every turn. So Ctrl-C or kill -9 at any moment
leaves a session that lists, replays and reports (marked incomplete, with the partial answer). The next report,
rescore or retranscribe transcribes that partial answer and keeps it as the session's last turn (`recover_partial`).

Recordings are private: the recordings folder and every session folder are 0700, every file in them 0600.
Every manifest read goes through `codec.decode_manifest`, so a malformed or hostile one is one SessionError.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehearse.codec import (
    MAX_MANIFEST_BYTES,
    SESSION_SCHEMA,
    SESSION_SCHEMA_VERSION,
    decode_manifest,
    manifest_dict,
    parse_json,
    report_dict,
    turn_dict,
)
from rehearse.errors import InputFileError, RehearseError, SessionError
from rehearse.textfiles import atomic_write_text, read_bounded
from rehearse.values import Audio, Session, SessionMode, Transcript, Turn, Word

if TYPE_CHECKING:
    from rehearse.audio.wav import WavAppender
    from rehearse.plan import Plan

SCHEMA = SESSION_SCHEMA
SCHEMA_VERSION = SESSION_SCHEMA_VERSION
MANIFEST = "manifest.json"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # no dots or slashes: an id never leaves the folder
PARTIAL_SUFFIX = ".partial.wav"
RECOVERED_NOTE = "interrupted (recovered after a crash)"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
MAX_AUDIO_BYTES = 512 * 1024 * 1024  # the import limit: two hours of 16 kHz audio is ~230 MB


def new_session_id(now: dt.datetime | None = None) -> str:
    """Date, time and millisecond: ids sort in the order the sessions were created, even within one second, so
    `last` is the newest (`create` waits out a millisecond that already has a session). Ids from before ended in
    4 random hex digits; they still sort by their date and time."""
    now = now or dt.datetime.now()
    return f"{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}"


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if needed; the folder itself is made 0700 whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)
    return path


def new_session(scenario: str, mode: SessionMode, plan: Plan | None, engine: str = "", session_id: str = "") -> Session:
    """The header of a rehearsal about to start: when, which scenario, typed or spoken, and the plan as JSON values."""
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Session(session_id, started, scenario, mode, plan=plan.to_json() if plan else {}, engine=engine)


def session_dir(root: Path, session_id: str) -> Path:
    if not ID_RE.match(session_id):
        raise SessionError(f"{session_id!r} is not a session id; `rehearse sessions` lists them")
    return root / session_id


turn_to_dict = turn_dict  # the codec owns the manifest's shape
manifest = manifest_dict


@dataclass
class SessionRecorder:
    """Writes one session's folder as the rehearsal goes (the loop's Recorder)."""

    folder: Path
    session: Session
    scores: list[dict[str, Any]]
    recording: str = ""  # file name of the answer being captured right now
    _saving: Future[None] | None = field(default=None, init=False, repr=False)  # add_turn's write, still going
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)

    @classmethod
    def create(cls, root: Path, session: Session | None = None) -> SessionRecorder:
        if not root.is_dir():
            private_dir(root)
        for _ in range(100):
            sid = new_session_id()
            try:
                (root / sid).mkdir(mode=PRIVATE_DIR)  # exclusive: a session started in the same millisecond retries
                os.chmod(root / sid, PRIVATE_DIR)  # whatever the umask
                break
            except FileExistsError:
                time.sleep(0.001)  # a session began this millisecond: the next id is later, so it sorts after
                continue
        else:  # pragma: no cover - the clock stood still for 100 tries
            raise SessionError(f"could not create a session folder in {root}")
        base = session or Session("", dt.datetime.now().astimezone().isoformat(timespec="seconds"), "", "typed")
        rec = cls(root / sid, replace(base, id=sid), [])
        rec._write()
        return rec

    def start(self, session: Session) -> None:
        """Adopt the session's header (plan, scenario, mode, engine) once the rehearsal knows it."""
        self.session = replace(session, id=self.session.id, turns=self.session.turns)
        self._write()

    def begin_answer(self) -> WavAppender:  # already open
        """Open the WAV the next answer is written into block by block while it is being said."""
        from rehearse.audio.wav import WavAppender

        self.recording = f"turn-{len(self.session.turns):03d}-candidate{PARTIAL_SUFFIX}"
        self._write()
        path = self.folder / self.recording
        # Created 0600 before the appender opens it ("wb" keeps an existing file's mode): the answer is private.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE))
        os.chmod(path, PRIVATE_FILE)
        return WavAppender(path).__enter__()

    def add_turn(self, turn: Turn, audio: Audio | None) -> Turn:
        """Record a turn. The files are written on a worker thread: the interviewer's reply to an answer starts
        while the answer is saved (an fsync takes 15-60 ms here, more on a laptop's disk), and every other write
        waits for it first, so the folder only ever moves forward. A write error comes out of the next call."""
        self.flush()
        wav = ""
        if audio is not None and len(audio.samples):
            wav = f"turn-{turn.index:03d}-{turn.speaker}.wav"
            turn = replace(turn, audio=wav)
        self.recording = ""
        self.session = replace(self.session, turns=(*self.session.turns, turn))
        text = self._manifest_text()
        partial = self.folder / f"turn-{turn.index:03d}-candidate{PARTIAL_SUFFIX}"

        def save() -> None:
            if wav and audio is not None:
                from rehearse.audio.wav import write_wav

                write_wav(self.folder / wav, audio)
            # The finished answer is saved whole (trimmed to the speech); the block-by-block copy has done its job.
            partial.unlink(missing_ok=True)
            atomic_write_text(self.folder / MANIFEST, text)

        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearse-save")
        self._saving = self._pool.submit(save)
        return turn

    def flush(self) -> None:
        """Wait for a turn still being written; raise what went wrong writing it."""
        saving, self._saving = self._saving, None
        if saving is not None:
            saving.result()

    def replace_turn(self, turn: Turn) -> None:
        """A turn corrected after it was saved (the full transcription replacing the quick draft)."""
        turns = tuple(turn if t.index == turn.index else t for t in self.session.turns)
        self.session = replace(self.session, turns=turns)
        self._write()

    def finish(self, session: Session) -> None:
        self.session = replace(session, id=self.session.id)
        if session.score is not None:
            self.scores.append(_score_entry(report_dict(session.score, None), "recorded"))
        try:
            self._write()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def _write(self) -> None:
        self.flush()
        atomic_write_text(self.folder / MANIFEST, self._manifest_text())

    def _manifest_text(self) -> str:
        return json.dumps(manifest(self.session, self.scores, self.recording), indent=1)


def _score_entry(report: dict[str, Any], why: str) -> dict[str, Any]:
    report = {k: v for k, v in report.items() if k not in ("transcript", "plan")}
    return {"scored_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "why": why, "report": report}


@dataclass(frozen=True)
class Stored:
    """A session read back from disk."""

    session: Session
    folder: Path
    scores: tuple[dict[str, Any], ...]  # oldest first; each has scored_at, why, report (JSON report, rubric_version)
    partial: str = ""  # an answer that was being recorded when the session stopped

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.scores[-1]["report"] if self.scores else None

    @property
    def duration(self) -> float:
        return max((t.end for t in self.session.turns), default=0.0)


def load(root: Path, session_id: str) -> Stored:
    folder = resolve(root, session_id)
    return parse_manifest(read_manifest(folder), folder)


def read_manifest(folder: Path) -> Any:
    """The manifest's JSON values, read with a size bound and no NaN or deep nesting; one SessionError otherwise."""
    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        raise SessionError(f"session {folder.name} has no manifest; the folder is not a rehearsal")
    try:
        raw = read_bounded(path, what="session manifest", max_bytes=MAX_MANIFEST_BYTES)
    except InputFileError as exc:
        raise SessionError(f"session {folder.name}: manifest.json is unreadable ({exc})") from None
    return parse_json(raw, f"session {folder.name}")


def parse_manifest(data: Any, folder: Path) -> Stored:
    """A manifest's JSON values as a Stored session, validated by the codec; the folder name is the id."""
    decoded = decode_manifest(data, folder.name)
    session = replace(decoded.session, id=folder.name)
    turns = session.turns
    partial = decoded.recording
    if partial and not (folder / partial).exists():
        # A recovery that renamed the partial answer but was stopped before it rewrote the manifest left it here.
        renamed = final_name(partial)
        unused = all(t.audio != renamed for t in turns)
        partial = renamed if unused and (folder / renamed).is_file() else ""
    return Stored(session, folder, decoded.scores, partial)


def read_session_file(stored: Stored, name: str) -> bytes | None:
    """The bytes of a file the manifest names (a turn's WAV), or None when it is missing or not a plain file.

    The codec has already made `name` a plain file name; a symbolic link or anything but a regular file in the
    session folder is still not followed, so a report never embeds a file from outside the session."""
    path = stored.folder / name
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    try:
        return read_bounded(path, what="recording", max_bytes=MAX_AUDIO_BYTES)
    except InputFileError:
        return None


def audio_reader(folder: Path) -> Callable[[Turn], Audio | None]:
    """Reads a turn's recording from a session folder for the voice measures: only a regular file the manifest
    names, never through a symbolic link; None when it is missing or unreadable (the measures then skip it)."""

    def read(turn: Turn) -> Audio | None:
        from rehearse.audio.wav import read_wav

        path = folder / turn.audio
        try:
            if not turn.audio or not stat.S_ISREG(os.lstat(path).st_mode):
                return None
            return read_wav(path)
        except (RehearseError, OSError):
            return None

    return read


def resolve(root: Path, session_id: str) -> Path:
    """The folder of a session given its id, a unique prefix of it, or "last"."""
    if session_id in ("last", "latest"):
        ids = session_ids(root)
        if not ids:
            raise SessionError(f"no rehearsals saved in {root} yet; run `rehearse practice` or `rehearse demo`")
        return root / ids[-1]
    folder = session_dir(root, session_id)
    if folder.is_dir():
        return folder
    matches = [i for i in session_ids(root) if i.startswith(session_id)]
    if len(matches) == 1:
        return root / matches[0]
    if matches:
        raise SessionError(f"{session_id!r} matches {len(matches)} sessions; give more of the id")
    raise SessionError(f"no session {session_id!r} in {root}; `rehearse sessions` lists them")


def session_ids(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and ID_RE.match(p.name) and (p / MANIFEST).exists())


def add_score(stored: Stored, report: dict[str, Any], why: str) -> None:
    """Store a new result beside the old ones; the recording itself is never rewritten."""
    path = stored.folder / MANIFEST
    data = read_manifest(stored.folder)
    data.setdefault("scores", []).append(_score_entry(report, why))
    atomic_write_text(path, json.dumps(data, indent=1))


def add_transcription(stored: Stored, texts: dict[int, tuple[str, tuple[Word, ...]]], model: str) -> None:
    """Keep a re-transcription beside the original turns (the original text stays in `turns`)."""
    path = stored.folder / MANIFEST
    data = read_manifest(stored.folder)
    data.setdefault("transcriptions", []).append(
        {
            "model": model,
            "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "turns": {
                str(i): {"text": t, "words": [[w.text, w.start, w.end, w.probability] for w in ws]}
                for i, (t, ws) in texts.items()
            },
        }
    )
    atomic_write_text(path, json.dumps(data, indent=1))


def final_name(partial: str) -> str:
    """A partial answer's name once it is a turn: turn-003-candidate.partial.wav → turn-003-candidate.wav."""
    return partial.removesuffix(PARTIAL_SUFFIX) + ".wav" if partial.endswith(PARTIAL_SUFFIX) else partial


def recover_partial(
    stored: Stored, transcribe: Callable[[Audio], Transcript], warn: Callable[[str], None] = lambda _: None
) -> Stored:
    """Keep the answer a crash interrupted as the session's last turn, transcribed; the session stays incomplete.

    The partial WAV becomes the turn's WAV by an atomic rename and the manifest is rewritten atomically, so running
    this again, or after it was itself stopped half-way, never loses the answer or adds it twice. A partial answer
    that holds no audio or cannot be read is dropped from the manifest with one line to `warn`; its file is left.
    """
    from rehearse.audio.wav import read_wav

    if not stored.partial:
        return stored
    source = stored.folder / stored.partial
    path = stored.folder / MANIFEST
    data = read_manifest(stored.folder)
    try:
        audio = read_wav(source)
    except (RehearseError, OSError) as exc:
        warn(f"the answer that was interrupted ({stored.partial}) could not be recovered: {exc}")
        data["recording"] = ""
        atomic_write_text(path, json.dumps(data, indent=1))
        return replace(stored, partial="")
    transcript = transcribe(audio)
    index = len(stored.session.turns)
    name = f"turn-{index:03d}-candidate.wav"
    start = stored.session.turns[-1].end if stored.session.turns else 0.0
    turn = Turn(
        index,
        "candidate",
        transcript.text,
        round(start, 3),
        round(start + audio.duration, 3),
        transcript.words,
        name,
        RECOVERED_NOTE,
    )
    os.replace(source, stored.folder / name)
    data.setdefault("turns", []).append(turn_to_dict(turn))
    data["recording"] = ""
    data["complete"] = False
    atomic_write_text(path, json.dumps(data, indent=1))
    session = replace(stored.session, turns=(*stored.session.turns, turn), complete=False)
    return replace(stored, session=session, partial="")
