"""Saved rehearsals: one folder per session, written as the session goes, never half-written.

recordings/<id>/manifest.json          plan, scenario, engine, every turn, every score (schema rehearse.session/1)
recordings/<id>/turn-003-candidate.wav 16-bit mono, one per spoken turn, any audio tool opens them

Each turn's WAV appears by rename once complete; an answer being recorded goes to a `.partial.wav` that is valid
after every block. The manifest is rewritten atomically after every turn. So Ctrl-C or kill -9 at any moment
leaves a session that lists, replays and reports (marked incomplete, with the partial answer). The next report,
rescore or retranscribe transcribes that partial answer and keeps it as the session's last turn (`recover_partial`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehearse.codec import report_dict
from rehearse.errors import RehearseError, SessionError
from rehearse.textfiles import atomic_write_text
from rehearse.values import Audio, Session, SessionMode, Transcript, Turn, Word

if TYPE_CHECKING:
    from rehearse.audio.wav import WavAppender
    from rehearse.plan import Plan

SCHEMA = "rehearse.session/1"
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # no dots or slashes: an id never leaves the folder
PARTIAL_SUFFIX = ".partial.wav"
RECOVERED_NOTE = "interrupted (recovered after a crash)"


def new_session_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def new_session(scenario: str, mode: SessionMode, plan: Plan | None, engine: str = "", session_id: str = "") -> Session:
    """The header of a rehearsal about to start: when, which scenario, typed or spoken, and the plan as JSON values."""
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return Session(session_id, started, scenario, mode, plan=plan.to_json() if plan else {}, engine=engine)


def session_dir(root: Path, session_id: str) -> Path:
    if not ID_RE.match(session_id):
        raise SessionError(f"{session_id!r} is not a session id; `rehearse sessions` lists them")
    return root / session_id


def turn_to_dict(t: Turn) -> dict[str, Any]:
    return {
        "index": t.index,
        "speaker": t.speaker,
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "words": [[w.text, w.start, w.end, round(w.probability, 3)] for w in t.words],
        "audio": t.audio,
        "note": t.note,
    }


def turn_from_dict(d: dict[str, Any]) -> Turn:
    words = tuple(
        Word(str(w[0]), float(w[1]), float(w[2]), float(w[3]) if len(w) > 3 else 1.0) for w in d.get("words", [])
    )
    speaker = d["speaker"]
    if speaker not in ("interviewer", "candidate"):
        raise ValueError(f"unknown speaker {speaker!r}")
    return Turn(
        int(d["index"]),
        speaker,
        str(d.get("text", "")),
        float(d.get("start", 0.0)),
        float(d.get("end", 0.0)),
        words,
        str(d.get("audio", "")),
        str(d.get("note", "")),
    )


@dataclass
class SessionRecorder:
    """Writes one session's folder as the rehearsal goes (the loop's Recorder)."""

    folder: Path
    session: Session
    scores: list[dict[str, Any]]
    recording: str = ""  # file name of the answer being captured right now

    @classmethod
    def create(cls, root: Path, session: Session | None = None) -> SessionRecorder:
        root.mkdir(parents=True, exist_ok=True)
        for _ in range(20):
            sid = new_session_id()
            try:
                (root / sid).mkdir()  # exclusive: two sessions started in the same second get different ids
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - 20 collisions of 16 random bits in one second
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
        return WavAppender(self.folder / self.recording).__enter__()

    def add_turn(self, turn: Turn, audio: Audio | None) -> Turn:
        if audio is not None and len(audio.samples):
            from rehearse.audio.wav import write_wav

            name = f"turn-{turn.index:03d}-{turn.speaker}.wav"
            write_wav(self.folder / name, audio)
            turn = replace(turn, audio=name)
        # The finished answer is saved whole (trimmed to the speech); the block-by-block copy has done its job.
        (self.folder / f"turn-{turn.index:03d}-candidate{PARTIAL_SUFFIX}").unlink(missing_ok=True)
        self.recording = ""
        self.session = replace(self.session, turns=(*self.session.turns, turn))
        self._write()
        return turn

    def replace_turn(self, turn: Turn) -> None:
        """A turn corrected after it was saved (the full transcription replacing the quick draft)."""
        turns = tuple(turn if t.index == turn.index else t for t in self.session.turns)
        self.session = replace(self.session, turns=turns)
        self._write()

    def finish(self, session: Session) -> None:
        self.session = replace(session, id=self.session.id)
        if session.score is not None:
            self.scores.append(_score_entry(report_dict(session.score, None), "recorded"))
        self._write()

    def _write(self) -> None:
        atomic_write_text(
            self.folder / MANIFEST,
            json.dumps(manifest(self.session, self.scores, self.recording), indent=1),
        )


def _score_entry(report: dict[str, Any], why: str) -> dict[str, Any]:
    report = {k: v for k, v in report.items() if k not in ("transcript", "plan")}
    return {"scored_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "why": why, "report": report}


def manifest(session: Session, scores: list[dict[str, Any]], recording: str = "") -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "id": session.id,
        "started": session.started,
        "scenario": session.scenario,
        "mode": session.mode,
        "engine": session.engine,
        "plan": session.plan,
        "complete": session.complete,
        "recording": recording,
        "turns": [turn_to_dict(t) for t in session.turns],
        "scores": scores,
    }


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
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SessionError(f"session {folder.name} has no manifest; the folder is not a rehearsal") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"session {folder.name}: manifest.json is unreadable ({exc.__class__.__name__})") from None
    return parse_manifest(data, folder)


def parse_manifest(data: Any, folder: Path) -> Stored:
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("rehearse.session/"):
        raise SessionError(f"session {folder.name}: manifest.json is not a rehearse session")
    version = str(data["schema"]).rsplit("/", 1)[-1]
    if not version.isdigit() or int(version) > SCHEMA_VERSION:
        raise SessionError(
            f"session {folder.name} was saved by a newer rehearse (schema {data['schema']}); "
            "upgrade rehearse to open it"
        )
    try:
        turns = tuple(turn_from_dict(t) for t in data.get("turns", []))
        session = Session(
            str(data.get("id", folder.name)),
            str(data.get("started", "")),
            str(data.get("scenario", "")),
            data.get("mode", "typed"),
            turns,
            dict(data.get("plan") or {}),
            str(data.get("engine", "")),
            bool(data.get("complete", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SessionError(f"session {folder.name}: manifest.json has a malformed turn ({exc})") from None
    partial = str(data.get("recording", ""))
    if partial and not (folder / partial).exists():
        # A recovery that renamed the partial answer but was stopped before it rewrote the manifest left it here.
        renamed = final_name(partial)
        unused = all(t.audio != renamed for t in turns)
        partial = renamed if unused and (folder / renamed).is_file() else ""
    return Stored(session, folder, tuple(data.get("scores", [])), partial)


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
    data = json.loads(path.read_text("utf-8"))
    data.setdefault("scores", []).append(_score_entry(report, why))
    atomic_write_text(path, json.dumps(data, indent=1))


def add_transcription(stored: Stored, texts: dict[int, tuple[str, tuple[Word, ...]]], model: str) -> None:
    """Keep a re-transcription beside the original turns (the original text stays in `turns`)."""
    path = stored.folder / MANIFEST
    data = json.loads(path.read_text("utf-8"))
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
    data = json.loads(path.read_text("utf-8"))
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
