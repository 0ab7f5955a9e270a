"""The JSON report: a documented, versioned contract (see docs/report-schema.md), defined in rehearse.codec."""

from __future__ import annotations

import json

from rehearse.codec import SCHEMA, report_dict, score_from_report
from rehearse.plan import Plan
from rehearse.report.common import ReportContext
from rehearse.values import CallScore

# The codec is re-exported so `rehearse.report.jsonreport` stays the documented home of the JSON report.
__all__ = ["SCHEMA", "JsonWriter", "report_dict", "score_from_report"]


class JsonWriter:
    """Writes the report as indented JSON."""

    extension = "json"

    def render(self, score: CallScore, plan: Plan | None, context: ReportContext | None = None) -> str:
        session_id = context.session.id if context and context.session else ""
        return json.dumps(report_dict(score, plan, session_id), indent=2, ensure_ascii=False) + "\n"
