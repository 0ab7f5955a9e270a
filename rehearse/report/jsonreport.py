"""The JSON report: a documented, versioned contract (see docs/report-schema.md).

Additive changes keep "rehearse.report/1"; renaming or removing a field, or changing its meaning, bumps the number.
"""

from __future__ import annotations

import json
from typing import Any

from rehearse.plan import Plan
from rehearse.values import CallScore, Delivery, SectionScore

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


def report_dict(score: CallScore, plan: Plan | None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
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
        "plan": _plan_json(plan),
        "transcript": score.transcript,
    }
    if extra:
        data.update(extra)
    return data


def _plan_json(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in plan.to_dict().items()}


class JsonWriter:
    """Writes the report as indented JSON."""

    extension = "json"

    def render(self, score: CallScore, plan: Plan | None, extra: dict[str, Any] | None = None) -> str:
        return json.dumps(report_dict(score, plan, extra), indent=2, ensure_ascii=False) + "\n"


def score_from_report(data: dict[str, Any], transcript: str = "") -> CallScore:
    """Rebuild a CallScore from a stored JSON report, so a saved result can be shown exactly as it was scored."""
    from rehearse.values import ElementMatch, OrderCheck, PitfallHit

    sections = tuple(
        SectionScore(
            s["id"],
            s["title"],
            int(s["score"]),
            bool(s["present"]),
            tuple(
                ElementMatch(
                    e["id"],
                    bool(e["matched"]),
                    float(e["score"]),
                    e.get("evidence", ""),
                    int(e.get("start", -1)),
                    int(e.get("end", -1)),
                    bool(e.get("required", False)),
                    e.get("description", ""),
                )
                for e in s.get("elements", [])
            ),
            tuple(s.get("feedback", [])),
            s.get("suggestion", ""),
            _first_evidence(s.get("elements", [])),
        )
        for s in data["sections"]
    )
    o = data.get("order", {})
    order = OrderCheck(
        bool(o.get("in_order", True)),
        tuple(o.get("sequence", [])),
        tuple(o.get("out_of_place", [])),
        o.get("feedback", ""),
    )
    pitfalls = tuple(
        PitfallHit(
            p["id"],
            p["title"],
            p.get("evidence", ""),
            int(p.get("start", -1)),
            int(p.get("end", -1)),
            p.get("advice", ""),
        )
        for p in data.get("pitfalls", [])
    )
    d = data.get("delivery", {})
    delivery = Delivery(
        int(d.get("words", 0)),
        int(d.get("fillers", 0)),
        tuple(d.get("filler_words", [])),
        d.get("talk_time"),
        d.get("wpm"),
        d.get("fillers_per_minute"),
        d.get("longest_pause"),
        tuple((d.get("section_time") or {}).items()),
    )
    return CallScore(
        int(data["overall"]),
        sections,
        order,
        pitfalls,
        delivery,
        data.get("transcript", transcript),
        data.get("rubric_version", ""),
    )


def _first_evidence(elements: list[dict[str, Any]]) -> int:
    # The same rule as the scorer: where the required evidence starts, else any evidence.
    matched = [e for e in elements if e.get("matched")]
    starts = [int(e["start"]) for e in matched if e.get("required")] or [int(e["start"]) for e in matched]
    return min(starts, default=-1)
