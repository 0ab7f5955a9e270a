"""The JSON report <-> CallScore codec, below both the report writers and the session store.

The store keeps every result as a JSON report (so a saved session can be shown exactly as it was scored) and the
JSON writer prints the same document: one definition of "rehearse.report/1", owned by neither.
Additive changes keep the schema number; renaming or removing a field, or changing its meaning, bumps it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rehearse.values import CallScore, Delivery, ElementMatch, OrderCheck, PitfallHit, SectionScore

if TYPE_CHECKING:
    from rehearse.plan import Plan

SCHEMA = "rehearse.report/1"


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


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "words": d.words,
        "fillers": d.fillers,
        "filler_words": list(d.filler_words),
        "talk_time": d.talk_time,
        "wpm": d.wpm,
        "fillers_per_minute": d.fillers_per_minute,
        "longest_pause": d.longest_pause,
        "section_time": dict(d.section_time),
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
        "delivery": _delivery(score.delivery),
        "plan": plan.to_json() if plan else None,
        "transcript": score.transcript,
    }
    if session_id:
        data["session_id"] = session_id
    return data


def score_from_report(data: dict[str, Any], transcript: str = "") -> CallScore:
    """Rebuild a CallScore from a stored JSON report, so a saved result can be shown exactly as it was scored."""
    return CallScore(
        int(data["overall"]),
        tuple(_section_from(s) for s in data["sections"]),
        _order_from(data.get("order", {})),
        tuple(_pitfall_from(p) for p in data.get("pitfalls", [])),
        _delivery_from(data.get("delivery", {})),
        data.get("transcript", transcript),
        data.get("rubric_version", ""),
    )


def _element_from(e: dict[str, Any]) -> ElementMatch:
    return ElementMatch(
        e["id"],
        bool(e["matched"]),
        float(e["score"]),
        e.get("evidence", ""),
        int(e.get("start", -1)),
        int(e.get("end", -1)),
        bool(e.get("required", False)),
        e.get("description", ""),
    )


def _section_from(s: dict[str, Any]) -> SectionScore:
    elements = s.get("elements", [])
    return SectionScore(
        s["id"],
        s["title"],
        int(s["score"]),
        bool(s["present"]),
        tuple(_element_from(e) for e in elements),
        tuple(s.get("feedback", [])),
        s.get("suggestion", ""),
        _first_evidence(elements),
    )


def _order_from(o: dict[str, Any]) -> OrderCheck:
    return OrderCheck(
        bool(o.get("in_order", True)),
        tuple(o.get("sequence", [])),
        tuple(o.get("out_of_place", [])),
        o.get("feedback", ""),
    )


def _pitfall_from(p: dict[str, Any]) -> PitfallHit:
    return PitfallHit(
        p["id"], p["title"], p.get("evidence", ""), int(p.get("start", -1)), int(p.get("end", -1)), p.get("advice", "")
    )


def _delivery_from(d: dict[str, Any]) -> Delivery:
    return Delivery(
        int(d.get("words", 0)),
        int(d.get("fillers", 0)),
        tuple(d.get("filler_words", [])),
        d.get("talk_time"),
        d.get("wpm"),
        d.get("fillers_per_minute"),
        d.get("longest_pause"),
        tuple((d.get("section_time") or {}).items()),
    )


def _first_evidence(elements: list[dict[str, Any]]) -> int:
    # The same rule as the scorer: where the required evidence starts, else any evidence.
    matched = [e for e in elements if e.get("matched")]
    starts = [int(e["start"]) for e in matched if e.get("required")] or [int(e["start"]) for e in matched]
    return min(starts, default=-1)
