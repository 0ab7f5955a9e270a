"""The terminal report: score bars, quoted evidence, what to say instead — meant to be looked at, not read."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rehearse.plan import Plan
from rehearse.report.common import ReportContext, bar, unique_evidence, verdict
from rehearse.report.delivery_advice import top_advice
from rehearse.report.delivery_view import delivery_rows
from rehearse.report.plain import clean, plain
from rehearse.values import CallScore, SectionScore


def colour(score: int) -> str:
    return "green" if score >= 75 else "yellow" if score >= 50 else "red"


def _evidence(s: SectionScore) -> Text:
    text = Text()
    for i, e in enumerate(unique_evidence(s)):
        if i:
            text.append("  ")
        text.append(f"“{clean(e.evidence)}”", style="italic")
    if not s.evidence:
        text.append("not heard", style="dim")
    return text


def sections_table(score: CallScore) -> Table:
    table = Table(box=None, padding=(0, 1), show_header=False, expand=False)
    table.add_column(width=1)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for s in score.sections:
        mark = Text("✓", style="green") if s.present else Text("✗", style="red")
        meter = Text(bar(s.score, 12), style=colour(s.score)).append(f" {s.score:>3}", style="bold")
        table.add_row(mark, meter, plain(s.title, style="bold"))
        table.add_row("", "", _evidence(s))
    return table


def advice_block(score: CallScore) -> Group | None:
    parts: list[Text] = []
    for s in score.sections:
        if not s.feedback:
            continue
        parts.append(Text.assemble((f"{clean(s.title)}: ", "bold"), clean(" ".join(s.feedback))))
        if s.suggestion:
            parts.append(Text.assemble(("   try: ", "dim"), (f"“{clean(s.suggestion)}”", "cyan")))
    if not score.order.in_order:
        parts.append(Text.assemble(("Order: ", "bold"), clean(score.order.feedback)))
    advice = top_advice(score.delivery)
    if advice is not None:  # only the one that matters most; the Delivery panel has every figure
        parts.append(Text.assemble(("Delivery: ", "bold"), clean(advice.text)))
    return Group(*parts) if parts else None


def pitfalls_block(score: CallScore) -> Group:
    if not score.pitfalls:
        return Group(Text("None caught.", style="green"))
    rows = []
    for p in score.pitfalls:
        rows.append(
            Text.assemble(("⚠ ", "yellow"), (clean(p.title), "bold yellow"), ": ", (f"“{clean(p.evidence)}”", "italic"))
        )
        rows.append(plain(f"   {p.advice}", style="dim"))
    return Group(*rows)


def delivery_table(score: CallScore) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column(style="bold")
    table.add_column()
    for label, value in delivery_rows(score.delivery):
        table.add_row(plain(label), plain(value))  # a str cell would be read as markup
    return table


class TerminalWriter:
    """Renders the report with rich, to a console or to plain text."""

    extension = "txt"

    def print(
        self, console: Console, score: CallScore, plan: Plan | None, context: ReportContext | None = None
    ) -> None:
        who = (
            f"{plan.candidate} → {plan.interviewer or 'the interviewer'}" if plan else "no call plan (generic matching)"
        )
        heading = Text.assemble(
            ("Overall ", "bold"),
            (f"{score.overall}", f"bold {colour(score.overall)}"),
            ("/100  ", "bold"),
            (bar(score.overall, 20), colour(score.overall)),
            ("  " + verdict(score.overall), "italic"),
        )
        console.print(Panel(Group(heading, plain(who, style="dim")), title="Follow-up call rehearsal", expand=False))
        console.print(sections_table(score))
        advice = advice_block(score)
        if advice is not None:
            console.print(Panel(advice, title="What to work on", title_align="left", border_style="cyan"))
        console.print(Panel(pitfalls_block(score), title="Pitfalls", title_align="left", border_style="yellow"))
        console.print(Panel(delivery_table(score), title="Delivery", title_align="left", border_style="blue"))

    def render(self, score: CallScore, plan: Plan | None, context: ReportContext | None = None) -> str:
        import io

        buffer = io.StringIO()
        self.print(Console(file=buffer, width=100, force_terminal=False, color_system=None), score, plan, context)
        return buffer.getvalue()
