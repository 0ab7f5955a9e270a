"""The delivery parts of the HTML reports: the figures with their norms and the advice that matters most, the voice
of every answer drawn as a contour, and how the delivery measures moved over the rehearsals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rehearse.history import DELIVERY_TRENDS, History, format_measure
from rehearse.report.contour_svg import Mark, contour_chart, legend
from rehearse.report.delivery_advice import top_advice
from rehearse.report.delivery_view import delivery_rows
from rehearse.report.html_base import card, esc
from rehearse.report.svg import sparkline
from rehearse.values import AnswerFigures, CallScore, Contour, Delivery, Session, Turn


def _table(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows) + "</table>"


def delivery_card(d: Delivery) -> str:
    """Every delivery figure with its norm, under the one thing to work on first."""
    advice = top_advice(d)
    first = f'<p class="advice"><b>Work on this first</b>{esc(advice.text)}</p>' if advice else ""
    return card("Delivery", first + _table(delivery_rows(d)))


def _marks(d: Delivery, turn: Turn, duration: float) -> list[Mark]:
    """What the measures found inside this answer, moved onto its own clock."""
    start, end = turn.start, turn.start + duration
    marks = [
        Mark("uptalk", u.start - start, u.end - start, f"uptalk +{u.amount:.1f} st")
        for u in d.uptalk or ()
        if start <= u.start < end
    ]
    if d.volume is not None:
        marks += [
            Mark("trailing", t.start - start, t.end - start, f"trailing off −{t.amount:.0f} dB")
            for t in d.volume.trailing_off
            if start <= t.start < end
        ]
    for h in d.hedges:
        if h.time is None or not start <= h.time < end:
            continue
        n = max(1, len(h.text.split()))
        at = min(range(len(turn.words)), key=lambda i: abs(turn.words[i].start - (h.time or 0) + start), default=None)
        if at is not None:
            span = turn.words[at : at + n]
            marks.append(Mark("hedge", span[0].start, span[-1].end, f"“{h.text}”"))
    return marks


def _answer_meta(a: AnswerFigures | None) -> str:
    if a is None:
        return ""
    facts = [f"{a.words} words"]
    facts += [f"{a.wpm:.0f} words/min"] if a.wpm is not None else []
    facts += [f"{a.median_hz:.0f} Hz, range {a.range_semitones:.1f} st"] if a.median_hz and a.range_semitones else []
    facts += [f"{a.median_dbfs:.0f} dBFS"] if a.median_dbfs is not None else []
    if a.response_delay is not None:
        facts.append("began over the interviewer" if a.overlap else f"answered after {a.response_delay:.1f} s")
    return "".join(f"<span>{esc(f)}</span>" for f in facts)


def voice_card(score: CallScore, session: Session | None, contours: Mapping[int, Contour]) -> str:
    """Each recorded answer's pitch and loudness with its words, and what was found in it; "" without recordings."""
    if session is None or not contours:
        return ""
    figures = {a.turn: a for a in score.delivery.answers}
    parts = []
    number = 0
    for turn in session.turns:
        if turn.speaker != "candidate" or not turn.text.strip():
            continue
        number += 1
        c = contours.get(turn.index)
        if c is None:
            continue
        label = f"Answer {number}: pitch and loudness, with the words as said"
        chart = contour_chart(c, turn.words, _marks(score.delivery, turn, len(c.pitch_hz) * c.step), label)
        head = f"Answer {number} · “{' '.join(turn.text.split()[:8])}{'…' if len(turn.text.split()) > 8 else ''}”"
        parts.append(
            f'<figure class="answer"><h3>{esc(head)}</h3><p class="meta">{_answer_meta(figures.get(turn.index))}</p>'
            f'<div class="scroll">{chart}</div></figure>'
        )
    if not parts:
        return ""
    return card("Your voice, answer by answer", f'<ul class="legend">{legend()}</ul>' + "".join(parts))


def delivery_history_card(history: History) -> str:
    """How each delivery measure moved over the rehearsals: a sparkline, the latest value and the norm."""
    head = "<tr><th>Measure</th><th>Trend</th><th>Latest</th><th>Fine</th></tr>"
    rows = []
    for key, name, unit, norm in DELIVERY_TRENDS:
        values: Sequence[float | None] = [p.measure(key) for p in history.points]
        if all(v is None for v in values):
            continue
        rows.append(
            f"<tr><td>{esc(name)}</td><td>{sparkline(values)}</td>"
            f"<td class='n'>{esc(format_measure(values[-1], unit))}</td><td>{esc(norm)}</td></tr>"
        )
    if not rows:
        return ""
    return card("Delivery over time", f"<table>{head}{''.join(rows)}</table>")
