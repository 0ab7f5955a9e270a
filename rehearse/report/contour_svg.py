"""One answer's voice as an inline SVG: pitch over loudness, the words underneath where they were said, and what
the delivery measures found marked on it (uptalk, hedges, trailing off).

Time runs at a fixed PX_PER_SECOND, so words stay readable however long the answer; the page scrolls the figure
sideways instead of squeezing it. Pitch is drawn in semitones around the answer's median (how a listener hears it),
loudness as a grey area in dBFS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from rehearse.report.svg import GRID, INK, MUTED
from rehearse.values import Contour, Word

PX_PER_SECOND = 110
LEFT, RIGHT, TOP = 44, 16, 26
PLOT_H = 120  # the pitch and loudness area
ROW_H = 15  # one row of words
WORD_ROWS = 3  # words that would overlap go to the next row
CHAR_PX = 6.6  # width of one character at the words' font size
PITCH_SPAN_ST = 10.0  # semitones shown above and below the answer's median
LEVEL_FLOOR_DB = -60.0  # the bottom of the loudness area
DRAW_EVERY = 2  # frames per point drawn (20 ms)
PITCH_COLOUR, LEVEL_COLOUR = "#0072B2", "#cfd6de"
Scale = Callable[[float], float]  # seconds -> x pixels
MARK_COLOURS = {"uptalk": "#D55E00", "hedge": "#8E44AD", "trailing": "#B3261E"}


@dataclass(frozen=True)
class Mark:
    """Something the measures found in this answer, in seconds from the answer's start."""

    kind: str  # "uptalk", "hedge" or "trailing"
    start: float
    end: float
    label: str  # what the band says, e.g. "uptalk +2.6 st"


def _t(x: float, y: float, body: str, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(body)}</text>'


def _pitch_path(c: Contour, x: Scale, top: float) -> str:
    hz = np.asarray(c.pitch_hz)
    voiced = hz[hz > 0]
    if not len(voiced):
        return ""
    median = float(np.median(voiced))
    parts: list[str] = []
    pen_up = True
    for i in range(0, len(hz), DRAW_EVERY):
        if hz[i] <= 0:
            pen_up = True
            continue
        st = max(-PITCH_SPAN_ST, min(PITCH_SPAN_ST, 12 * np.log2(hz[i] / median)))
        y = top + PLOT_H / 2 - st * (PLOT_H / 2) / PITCH_SPAN_ST
        parts.append(f"{'M' if pen_up else 'L'}{x(i * c.step):.1f},{y:.1f}")
        pen_up = False
    return (
        f'<path d="{" ".join(parts)}" fill="none" stroke="{PITCH_COLOUR}" stroke-width="2.2" stroke-linejoin="round"/>'
    )


def _level_area(c: Contour, x: Scale, top: float) -> str:
    base = top + PLOT_H
    pts = [f"{x(0):.1f},{base:.1f}"]
    for i in range(0, len(c.level_db), DRAW_EVERY):
        share = (max(LEVEL_FLOOR_DB, min(0.0, c.level_db[i])) - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB
        pts.append(f"{x(i * c.step):.1f},{base - share * PLOT_H:.1f}")
    pts.append(f"{x((len(c.level_db) - 1) * c.step):.1f},{base:.1f}")
    return f'<polygon points="{" ".join(pts)}" fill="{LEVEL_COLOUR}" opacity=".8"/>'


def _word_rows(words: Sequence[Word], x: Scale) -> list[tuple[Word, int]]:
    placed: list[tuple[Word, int]] = []
    ends = [-1e9] * WORD_ROWS
    for w in words:
        left = x(w.start)
        row = next((r for r in range(WORD_ROWS) if left >= ends[r] + 4), min(range(WORD_ROWS), key=lambda r: ends[r]))
        ends[row] = left + CHAR_PX * len(w.text.strip())
        placed.append((w, row))
    return placed


def _marks(marks: Sequence[Mark], x: Scale, top: float, bottom: float) -> list[str]:
    out = []
    for m in marks:
        colour = MARK_COLOURS.get(m.kind, MUTED)
        x0, x1 = x(m.start), max(x(m.end), x(m.start) + 6)
        out.append(
            f'<rect x="{x0:.1f}" y="{top - 14:.1f}" width="{x1 - x0:.1f}" height="{bottom - top + 14:.1f}" '
            f'fill="{colour}" opacity=".13"><title>{escape(m.label)}</title></rect>'
        )
        out.append(
            f'<line x1="{x0:.1f}" y1="{top - 14:.1f}" x2="{x1:.1f}" y2="{top - 14:.1f}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
        out.append(_t(x0, top - 18, m.label, f' fill="{colour}" font-size="11" font-weight="700"'))
    return out


def contour_chart(c: Contour, words: Sequence[Word], marks: Sequence[Mark], label: str) -> str:
    """The answer's pitch (blue, semitones around its median) over its loudness (grey), words below, marks on top."""
    duration = max(len(c.pitch_hz) * c.step, words[-1].end if words else 0.0, 0.5)
    width = int(LEFT + RIGHT + duration * PX_PER_SECOND)
    height = TOP + PLOT_H + 10 + ROW_H * WORD_ROWS + 6

    def x(seconds: float) -> float:
        return LEFT + seconds * PX_PER_SECOND

    hedged = [(m.start, m.end) for m in marks if m.kind == "hedge"]
    out = [
        f'<svg class="contour" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" font-size="12" fill="{INK}">',
        f'<line x1="{LEFT}" y1="{TOP + PLOT_H / 2}" x2="{width - RIGHT}" y2="{TOP + PLOT_H / 2}" stroke="{GRID}" '
        'stroke-dasharray="4 4"/>',
        _t(4, TOP + PLOT_H / 2 + 4, "median", f' fill="{MUTED}" font-size="10"'),
        _t(4, TOP + 10, f"+{PITCH_SPAN_ST:.0f} st", f' fill="{MUTED}" font-size="10"'),
        _t(4, TOP + PLOT_H, f"−{PITCH_SPAN_ST:.0f} st", f' fill="{MUTED}" font-size="10"'),
    ]
    for s in range(int(duration) + 1):
        out.append(_t(x(s) - 3, height - 2, f"{s}s", f' fill="{MUTED}" font-size="9"') if s % 2 == 0 else "")
    out += [_level_area(c, x, TOP), _pitch_path(c, x, TOP)]
    out += _marks(marks, x, TOP, TOP + PLOT_H)
    for w, row in _word_rows(words, x):
        hedge = any(a - 0.05 <= w.start < b for a, b in hedged)
        style = f' fill="{MARK_COLOURS["hedge"]}" font-weight="700"' if hedge else ""
        out.append(_t(x(w.start), TOP + PLOT_H + 14 + row * ROW_H, w.text.strip(), style))
    out.append("</svg>")
    return "".join(out)


def legend() -> str:
    """What the colours of contour_chart mean, as HTML list items."""
    keys = [
        (PITCH_COLOUR, "pitch (semitones around your median)"),
        (LEVEL_COLOUR, "loudness"),
        (MARK_COLOURS["uptalk"], "uptalk: a statement rising at the end"),
        (MARK_COLOURS["hedge"], "hedge"),
        (MARK_COLOURS["trailing"], "trailing off"),
    ]
    return "".join(f'<li><span class="key" style="background:{c}"></span>{escape(t)}</li>' for c, t in keys)
