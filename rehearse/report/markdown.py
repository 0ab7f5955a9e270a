"""The Markdown report: for pasting into notes or sending to a coach."""

from __future__ import annotations

from rehearse.plan import Plan
from rehearse.report.common import ReportContext, bar, unique_evidence, verdict
from rehearse.report.delivery_advice import top_advice
from rehearse.report.delivery_view import delivery_rows
from rehearse.values import CallScore


def _md_escape(text: str) -> str:
    # Transcript text is the user's; keep it from turning into Markdown markup.
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


class MarkdownWriter:
    """Writes the report as GitHub-flavoured Markdown."""

    extension = "md"

    def render(self, score: CallScore, plan: Plan | None, context: ReportContext | None = None) -> str:
        out: list[str] = []
        who = (
            f" — {_md_escape(plan.candidate)}" + (f", {_md_escape(plan.position)}" if plan.position else "")
            if plan
            else ""
        )
        out += [
            f"# Follow-up call rehearsal{who}",
            "",
            f"**Overall: {score.overall}/100** — {verdict(score.overall)}",
            "",
        ]
        out += ["| Section | Score | Present | Evidence |", "|---|---|---|---|"]
        for s in score.sections:
            quotes = "; ".join(f"“{_md_escape(e.evidence)}”" for e in unique_evidence(s)) or "—"
            out.append(
                f"| {s.title} | `{bar(s.score, 10)}` {s.score} | {'yes' if s.present else '**no**'} | {quotes} |"
            )
        out.append("")
        weak = [s for s in score.sections if s.feedback]
        advice = top_advice(score.delivery)
        if weak or advice:
            out += ["## What to work on", ""]
            for s in weak:
                out.append(f"- **{s.title}**: " + " ".join(_md_escape(f) for f in s.feedback))
                if s.suggestion:
                    out.append(f"  - Try: _{_md_escape(s.suggestion)}_")
            if advice:
                out.append(f"- **Delivery**: {_md_escape(advice.text)}")
            out.append("")
        if not score.order.in_order:
            out += ["## Order", "", _md_escape(score.order.feedback), ""]
        out += ["## Pitfalls", ""]
        out += [f"- **{p.title}**: “{_md_escape(p.evidence)}” — {_md_escape(p.advice)}" for p in score.pitfalls] or [
            "None caught."
        ]
        out += ["", "## Delivery", ""]
        out += [f"- {label}: {_md_escape(value)}" for label, value in delivery_rows(score.delivery)]
        out += ["", "## Transcript", ""]
        out += [f"> {_md_escape(line)}" if line else ">" for line in score.transcript.splitlines()] or [
            "_(nothing was said)_"
        ]
        return "\n".join(out) + "\n"
