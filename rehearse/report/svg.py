"""Inline SVG charts and the section palette shared by the HTML reports.

Charts are plain SVG strings so a report stays one self-contained file that opens anywhere, prints, and needs no
script to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Okabe-Ito: stays distinguishable under the common colour-vision deficiencies. Yellow is left out because it is
# too pale for thin lines on white.
SECTION_COLOURS = {
    "greeting": "#0072B2",
    "purpose": "#E69F00",
    "strengths": "#009E73",
    "questions": "#CC79A7",
    "next_steps": "#56B4E9",
    "closing": "#D55E00",
}
OVERALL_COLOUR = "#1f2933"
INK, GRID, MUTED = "#1f2933", "#e4e7eb", "#52606d"


def colour(section_id: str) -> str:
    return SECTION_COLOURS.get(section_id, "#7b8794")


def _text(x: float, y: float, body: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(body)}</text>'


def bar_chart(rows: Sequence[tuple[str, str, int]], width: int = 820) -> str:
    """Horizontal bars, one per (section id, title, score): titles read better beside a bar than under it."""
    # Room for the longest title at ~8.4 px a bold character, so no label is ever clipped.
    left = int(min(width * 0.45, 28 + 8.4 * max((len(t) for _, t, _ in rows), default=8)))
    right, row_h, top = 48, 38, 30
    plot = width - left - right
    height = top + row_h * len(rows) + 8
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Score per section, 0 to 100" font-size="14" fill="{INK}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        x = left + plot * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 6}" stroke="{GRID}"/>')
        out.append(_text(x, top - 12, str(tick), "middle", f' fill="{MUTED}" font-size="12"'))
    for i, (sid, title, score) in enumerate(rows):
        y = top + i * row_h
        value = max(0, min(100, score))
        w = plot * value / 100
        out.append(_text(left - 12, y + 23, title, "end", ' font-weight="600"'))
        out.append(f'<rect x="{left}" y="{y + 7}" width="{plot}" height="22" rx="5" fill="#f1f3f5"/>')
        if w > 0:
            out.append(
                f'<rect x="{left}" y="{y + 7}" width="{max(w, 4):.1f}" height="22" rx="5" fill="{colour(sid)}">'
                f"<title>{escape(title)}: {value}</title></rect>"
            )
        out.append(_text(left + plot + 8, y + 23, str(value), "start", ' font-weight="700"'))
    out.append("</svg>")
    return "".join(out)


def score_ring(score: int, size: int = 132) -> str:
    """The overall score as a ring: the fraction filled is readable at a glance, the number inside is exact."""
    value = max(0, min(100, score))
    r = size / 2 - 10
    circumference = 2 * 3.141592653589793 * r
    filled = circumference * value / 100
    c = size / 2
    return (
        f'<svg class="ring" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" '
        f'aria-label="Overall score {value} out of 100">'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{GRID}" stroke-width="12"/>'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="#0072B2" stroke-width="12" '
        f'stroke-linecap="round" stroke-dasharray="{filled:.1f} {circumference:.1f}" '
        f'transform="rotate(-90 {c} {c})"/>'
        f'<text x="{c}" y="{c + 12}" text-anchor="middle" font-size="38" font-weight="800" fill="{INK}">'
        f"{value}</text>"
        f'<text x="{c}" y="{c + 32}" text-anchor="middle" font-size="12" fill="{MUTED}">out of 100</text>'
        "</svg>"
    )


def _x_labels(xs: Sequence[float], labels: Sequence[str], y: float) -> list[str]:
    # Thin the labels out so they never overlap, whatever the number of rehearsals.
    step = max(1, -(-len(labels) // 10))
    return [
        _text(x, y, text, "middle", f' fill="{MUTED}" font-size="12"')
        for i, (x, text) in enumerate(zip(xs, labels, strict=True))
        if i % step == 0 or i == len(labels) - 1
    ]


def _series(xs: Sequence[float], ys: Sequence[float], stroke: str, width: float, name: str) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    line = f'<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round"/>'
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{width + 1.5}" fill="{stroke}" stroke="#fff" stroke-width="1.5"/>'
        for x, y in zip(xs, ys, strict=True)
    )
    return f'<g class="series"><title>{escape(name)}</title>{line}{dots}</g>'


def line_chart(
    x_labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[int], float]], width: int = 820
) -> str:
    """Scores over rehearsals; each series is (name, colour, scores 0-100, stroke width), drawn in the given order."""
    left, right, top, bottom, height = 56, 36, 16, 58, 340
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(x_labels)
    xs = [left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2) for i in range(n)]
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Scores per rehearsal, 0 to 100" font-size="13" fill="{INK}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 8, y + 4, str(tick), "end", f' fill="{MUTED}" font-size="12"'))
    out += _x_labels(xs, x_labels, top + plot_h + 20)
    out.append(_text(left + plot_w / 2, height - 8, "Rehearsal (oldest to newest)", "middle", f' fill="{MUTED}"'))
    out.append(
        _text(16, top + plot_h / 2, "Score", "middle", f' fill="{MUTED}" transform="rotate(-90 16 {top + plot_h / 2})"')
    )
    for name, stroke, scores, stroke_w in series:
        ys = [top + plot_h * (1 - max(0, min(100, s)) / 100) for s in scores]
        out.append(_series(xs, ys, stroke, stroke_w, name))
    out.append("</svg>")
    return "".join(out)


def sparkline(values: Sequence[float | None], width: int = 120, height: int = 24) -> str:
    """A small trend line for a table cell; a rehearsal without the measure leaves a gap."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = [(i * step, height - 3 - (v - low) / span * (height - 6)) for i, v in enumerate(values) if v is not None]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last = points[-1]
    return (
        f'<svg class="spark" viewBox="-3 0 {width + 6} {height}" width="{width + 6}" height="{height}" '
        f'role="img" aria-label="trend">'
        f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.5"/>'
        f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.5" fill="{INK}"/></svg>'
    )
