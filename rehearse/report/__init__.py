"""Report writers, one class per output format, all with `render(score, plan, context) -> str`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rehearse.report.common import ReportContext

if TYPE_CHECKING:
    from rehearse.plan import Plan
    from rehearse.values import CallScore

__all__ = ["FORMATS", "PRINTED_FORMATS", "ReportContext", "ReportWriter", "writer_for"]

FORMATS = ("text", "json", "markdown", "html")
PRINTED_FORMATS = ("text", "json", "markdown")  # what score, practice and demo print; HTML is a file to keep


class ReportWriter(Protocol):
    extension: str

    def render(self, score: CallScore, plan: Plan | None, context: ReportContext | None = None) -> str: ...


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
