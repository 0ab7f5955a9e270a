"""Report writers, one class per output format, all with `render(score, plan, extra) -> str`."""

from __future__ import annotations

from typing import Any, Protocol

from rehearse.plan import Plan
from rehearse.values import CallScore

FORMATS = ("text", "json", "markdown")


class ReportWriter(Protocol):
    extension: str

    def render(self, score: CallScore, plan: Plan | None, extra: dict[str, Any] | None = None) -> str: ...


def writer_for(fmt: str) -> ReportWriter:
    if fmt == "json":
        from rehearse.report.jsonreport import JsonWriter

        return JsonWriter()
    if fmt == "markdown":
        from rehearse.report.markdown import MarkdownWriter

        return MarkdownWriter()
    if fmt == "html":
        from rehearse.report.html import HtmlWriter

        return HtmlWriter()
    from rehearse.report.terminal import TerminalWriter

    return TerminalWriter()
