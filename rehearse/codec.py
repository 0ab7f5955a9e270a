"""The JSON codecs, below both the report writers and the session store: JSON report <-> CallScore, and session
manifest <-> Session. This is the one validation boundary for stored documents.

The store keeps every result as a JSON report (so a saved session can be shown exactly as it was scored) and the
JSON writer prints the same document: one definition of "rehearse.report/1", owned by neither.
Additive changes keep the schema number; renaming or removing a field, or changing its meaning, bumps it.

A manifest comes from disk or from someone else's zip, so it is decoded strictly: every field of the right kind,
every number finite, every file name a plain name the recorder itself writes (`turn-003-candidate.wav`), never a
path. Anything else is one SessionError line, never a traceback and never a file read outside the session folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, get_args

from rehearse.codec_delivery import delivery_dict, delivery_from
from rehearse.codec_fields import (
    Malformed,
    _bool,
    _float,
    _get,
    _int,
    _list,
    _number,
    _obj,
    _opt_float,
    _str,
    _strs,
)
from rehearse.errors import InputFileError, SessionError
from rehearse.values import (
    ASKED_TOPICS,
    CUE_LEVELS,
    SECTION_IDS,
    CallScore,
    Cues,
    ElementMatch,
    OrderCheck,
    PitfallHit,
    SectionScore,
    Session,
    SessionMode,
    Speaker,
    Turn,
    Word,
)

if TYPE_CHECKING:
    from rehearse.plan import Plan

SCHEMA = "rehearse.report/1"
SESSION_SCHEMA = "rehearse.session/1"
SESSION_SCHEMA_VERSION = 1
MAX_MANIFEST_BYTES = 32 * 1024 * 1024  # an hour-long rehearsal's manifest is well under 1 MB
MAX_DEPTH = 24  # the deepest a manifest goes is ~7 (scores[].report.sections[].elements[]); more is hostile
TURN_AUDIO_RE = re.compile(r"^turn-\d{3,6}-(?:candidate|interviewer)\.wav$")  # what SessionRecorder writes
PARTIAL_RE = re.compile(r"^turn-\d{3,6}-candidate\.partial\.wav$")


def _section(s: SectionScore) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "score": s.score,
        "present": s.present,
        "elements": [
            {
                "id": e.id,
                "description": e.description,
                "required": e.required,
                "matched": e.matched,
                "score": e.score,
                "evidence": e.evidence,
                "start": e.start,
                "end": e.end,
            }
            for e in s.elements
        ],
        "feedback": list(s.feedback),
        "suggestion": s.suggestion,
    }


def report_dict(score: CallScore, plan: Plan | None, session_id: str = "") -> dict[str, Any]:
    """The JSON report of one result; `session_id` names the saved rehearsal it belongs to, when there is one."""
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "rubric_version": score.rubric_version,
        "overall": score.overall,
        "sections": [_section(s) for s in score.sections],
        "order": {
            "in_order": score.order.in_order,
            "sequence": list(score.order.sequence),
            "out_of_place": list(score.order.out_of_place),
            "feedback": score.order.feedback,
        },
        "pitfalls": [
            {"id": p.id, "title": p.title, "evidence": p.evidence, "start": p.start, "end": p.end, "advice": p.advice}
            for p in score.pitfalls
        ],
        "delivery": delivery_dict(score.delivery),
        "plan": plan.to_json() if plan else None,
        "transcript": score.transcript,
    }
    if session_id:
        data["session_id"] = session_id
    return data


def score_from_report(data: dict[str, Any], transcript: str = "") -> CallScore:
    """Rebuild a CallScore from a stored JSON report, so a saved result can be shown exactly as it was scored.

    Strict: a field of the wrong kind raises Malformed (a ValueError) naming it, never a TypeError or KeyError."""
    data = _obj(data, "report")
    w = "report."
    return CallScore(
        _int(data, "overall", w),
        tuple(
            _section_from(_obj(s, f"{w}sections[{i}]"))
            for i, s in enumerate(_list(data.get("sections"), f"{w}sections"))
        ),
        _order_from(_obj(data.get("order", {}), f"{w}order")),
        tuple(
            _pitfall_from(_obj(p, f"{w}pitfalls[{i}]"))
            for i, p in enumerate(_list(data.get("pitfalls", []), f"{w}pitfalls"))
        ),
        delivery_from(_obj(data.get("delivery", {}), f"{w}delivery")),
        _str(data, "transcript", w, transcript),
        _str(data, "rubric_version", w, ""),
    )


def _element_from(e: dict[str, Any], w: str) -> ElementMatch:
    return ElementMatch(
        _str(e, "id", w),
        _bool(e, "matched", w),
        _float(e, "score", w),
        _str(e, "evidence", w, ""),
        _int(e, "start", w, -1),
        _int(e, "end", w, -1),
        _bool(e, "required", w, False),
        _str(e, "description", w, ""),
    )


def _section_from(s: dict[str, Any]) -> SectionScore:
    w = "report.section."
    elements = [_obj(e, f"{w}elements[{i}]") for i, e in enumerate(_list(s.get("elements", []), f"{w}elements"))]
    decoded = tuple(_element_from(e, f"{w}element.") for e in elements)
    return SectionScore(
        _str(s, "id", w),
        _str(s, "title", w),
        _int(s, "score", w),
        _bool(s, "present", w),
        decoded,
        _strs(s.get("feedback", []), f"{w}feedback"),
        _str(s, "suggestion", w, ""),
        _first_evidence(decoded),
    )


def _order_from(o: dict[str, Any]) -> OrderCheck:
    w = "report.order."
    return OrderCheck(
        _bool(o, "in_order", w, True),
        _strs(o.get("sequence", []), f"{w}sequence"),
        _strs(o.get("out_of_place", []), f"{w}out_of_place"),
        _str(o, "feedback", w, ""),
    )


def _pitfall_from(p: dict[str, Any]) -> PitfallHit:
    w = "report.pitfall."
    return PitfallHit(
        _str(p, "id", w),
        _str(p, "title", w),
        _str(p, "evidence", w, ""),
        _int(p, "start", w, -1),
        _int(p, "end", w, -1),
        _str(p, "advice", w, ""),
    )


def _first_evidence(elements: tuple[ElementMatch, ...]) -> int:
    # The same rule as the scorer: where the required evidence starts, else any evidence.
    matched = [e for e in elements if e.matched]
    starts = [e.start for e in matched if e.required] or [e.start for e in matched]
    return min(starts, default=-1)


@dataclass(frozen=True)
class Manifest:
    """A session manifest, decoded: the session, its stored results (each checked to decode) and the answer that
    was being recorded when it stopped ("" for none)."""

    session: Session
    scores: tuple[dict[str, Any], ...]
    recording: str = ""


def turn_dict(t: Turn) -> dict[str, Any]:
    return {
        "index": t.index,
        "speaker": t.speaker,
        "text": t.text,
        "start": t.start,
        "end": t.end,
        "words": [[w.text, w.start, w.end, round(w.probability, 3)] for w in t.words],
        "audio": t.audio,
        "note": t.note,
        # Live calls only; left out otherwise, so typed sessions' manifests read as they always have.
        **({"audio_end": t.audio_end} if t.audio_end is not None else {}),
        **({"speech_start": t.speech_start} if t.speech_start is not None else {}),
        **({"asked": t.asked} if t.asked else {}),
    }


def manifest_dict(session: Session, scores: list[dict[str, Any]], recording: str = "") -> dict[str, Any]:
    return {
        "schema": SESSION_SCHEMA,
        "id": session.id,
        "started": session.started,
        "scenario": session.scenario,
        "mode": session.mode,
        "engine": session.engine,
        "plan": session.plan,
        "complete": session.complete,
        **({"noise_floor_db": session.noise_floor_db} if session.noise_floor_db is not None else {}),
        "recording": recording,
        "turns": [turn_dict(t) for t in session.turns],
        "scores": scores,
        # Additive (schema 1 still): written only when the rehearsal chose cues, so older sessions round-trip as
        # they were, and older readers, which ignore keys they do not know, read new ones.
        **({"cues": cues_dict(session.cues)} if session.cues.mode else {}),
    }


def cues_dict(cues: Cues) -> dict[str, Any]:
    return {"mode": cues.mode, "levels": dict(cues.levels)}


def _cues_from(value: Any) -> Cues:
    """The optional "cues" of a manifest: a known mode, and a known level for known sections only."""
    if value is None:
        return Cues()
    d = _obj(value, "cues")
    mode = _str(d, "mode", "cues.", "")
    if mode not in (*CUE_LEVELS, "auto"):
        raise Malformed(f"cues.mode {mode[:20]!r} is not one of {', '.join((*CUE_LEVELS, 'auto'))}")
    levels = _obj(d.get("levels", {}), "cues.levels")
    for section, level in levels.items():
        if section not in SECTION_IDS or level not in CUE_LEVELS:
            raise Malformed(f"cues.levels has {str(section)[:20]!r}: {str(level)[:20]!r}, not a section and a level")
    return Cues(mode, tuple((sid, str(levels[sid])) for sid in SECTION_IDS if sid in levels))


def parse_json(raw: bytes | str, name: str) -> Any:
    """JSON text to values, refusing NaN/Infinity and nesting deeper than any manifest has, with one line."""

    def no_constant(token: str) -> Any:
        raise Malformed(f"holds {token}, which is not a number")

    try:
        data = json.loads(raw, parse_constant=no_constant)
    except RecursionError:
        raise SessionError(f"{name}: manifest.json is nested far too deeply to be a rehearsal") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"{name}: manifest.json is unreadable ({exc.__class__.__name__})") from None
    except Malformed as exc:
        raise SessionError(f"{name}: manifest.json {exc}") from None
    _check_depth(data, name)
    return data


def _check_depth(data: Any, name: str) -> None:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SessionError(f"{name}: manifest.json is nested far too deeply to be a rehearsal")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def decode_manifest(data: Any, name: str) -> Manifest:
    """A manifest's JSON values as typed values, or one SessionError naming the session and the bad field."""
    if not isinstance(data, dict) or not isinstance(data.get("schema"), str):
        raise SessionError(f"session {name}: manifest.json is not a rehearse session")
    schema = data["schema"]
    if not schema.startswith("rehearse.session/"):
        raise SessionError(f"session {name}: manifest.json is not a rehearse session")
    version = schema.rsplit("/", 1)[-1]
    if not version.isdigit() or len(version) > 6 or int(version) < 1:
        raise SessionError(f"session {name}: manifest.json has an unknown schema {schema[:40]!r}")
    if int(version) > SESSION_SCHEMA_VERSION:
        raise SessionError(
            f"session {name} was saved by a newer rehearse (schema {schema[:40]}); upgrade rehearse to open it"
        )
    _check_depth(data, name)
    try:
        return _decode(data)
    except Malformed as exc:
        raise SessionError(f"session {name}: manifest.json is malformed ({exc})") from None
    except RecursionError:  # pragma: no cover - _check_depth bounds the nesting first
        raise SessionError(f"session {name}: manifest.json is nested far too deeply to be a rehearsal") from None


def _decode(data: dict[str, Any]) -> Manifest:
    w = ""
    mode = _str(data, "mode", w, "typed")
    if mode not in get_args(SessionMode):
        raise Malformed(f"mode {mode[:20]!r} is not one of {', '.join(get_args(SessionMode))}")
    plan = _obj(data.get("plan") or {}, "plan")
    if plan.get("candidate"):
        _check_plan(plan)
    turns = tuple(_turn_from(_obj(t, f"turns[{i}]"), i) for i, t in enumerate(_list(data.get("turns", []), "turns")))
    recording = _str(data, "recording", w, "")
    if recording and not PARTIAL_RE.match(recording):
        raise Malformed(f"recording {recording[:60]!r} is not the name of a partial answer in the session folder")
    scores = tuple(
        _score_entry_from(_obj(e, f"scores[{i}]"), i) for i, e in enumerate(_list(data.get("scores", []), "scores"))
    )
    for i, entry in enumerate(_list(data.get("transcriptions", []), "transcriptions")):
        _obj(entry, f"transcriptions[{i}]")
    session = Session(
        _str(data, "id", w, ""),
        _str(data, "started", w, ""),
        _str(data, "scenario", w, ""),
        cast(SessionMode, mode),
        turns,
        plan,
        _str(data, "engine", w, ""),
        _bool(data, "complete", w, False),
        cues=_cues_from(data.get("cues")),
        noise_floor_db=_opt_float(data, "noise_floor_db", w),
    )
    return Manifest(session, scores, recording)


def _check_plan(plan: dict[str, Any]) -> None:
    from rehearse.plan import plan_from_dict

    try:
        plan_from_dict(dict(plan))
    except InputFileError as exc:
        raise Malformed(f"plan: {exc}") from None


def _turn_from(d: dict[str, Any], i: int) -> Turn:
    w = f"turns[{i}]."
    speaker = _str(d, "speaker", w)
    if speaker not in get_args(Speaker):
        raise Malformed(f"{w}speaker {speaker[:20]!r} is neither interviewer nor candidate")
    audio = _str(d, "audio", w, "")
    if audio and not TURN_AUDIO_RE.match(audio):
        raise Malformed(f"{w}audio {audio[:60]!r} is not the name of a turn's WAV in the session folder")
    words = tuple(_word_from(x, f"{w}words[{j}]") for j, x in enumerate(_list(d.get("words", []), f"{w}words")))
    asked = _str(d, "asked", w, "")
    if asked not in ASKED_TOPICS:
        raise Malformed(f"{w}asked {asked[:20]!r} is not one of {', '.join(repr(a) for a in ASKED_TOPICS if a)}")
    return Turn(
        _int(d, "index", w),
        cast(Speaker, speaker),
        _str(d, "text", w, ""),
        _float(d, "start", w, 0.0),
        _float(d, "end", w, 0.0),
        words,
        audio,
        _str(d, "note", w, ""),
        _opt_float(d, "audio_end", w),
        _opt_float(d, "speech_start", w),
        asked,
    )


def _word_from(x: Any, w: str) -> Word:
    if not isinstance(x, list) or len(x) not in (3, 4) or not isinstance(x[0], str):
        raise Malformed(f"{w} is not [text, start, end, probability]")
    probability = _number(x[3], f"{w} probability") if len(x) == 4 else 1.0
    return Word(x[0], _number(x[1], f"{w} start"), _number(x[2], f"{w} end"), probability)


def _score_entry_from(e: dict[str, Any], i: int) -> dict[str, Any]:
    w = f"scores[{i}]."
    scored_at, why = _str(e, "scored_at", w, ""), _str(e, "why", w, "")
    try:
        score_from_report(_obj(_get(e, "report", w), f"{w}report"))
    except Malformed as exc:
        raise Malformed(f"{w}{exc}") from None
    return {**e, "scored_at": scored_at, "why": why}
