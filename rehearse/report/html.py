"""The HTML report: one self-contained page to open in a browser, keep, print or send to a coach.

Everything is inline (CSS, SVG charts, audio as data: URIs) so the file works offline and from an attachment.
Every string that came from the user, the plan or the session goes through `_e` on its way into the page.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from itertools import groupby

from rehearse.history import History, HistoryPoint
from rehearse.plan import Plan
from rehearse.report.common import ReportContext, unique_evidence, verdict
from rehearse.report.html_base import card, page
from rehearse.report.html_base import esc as _e
from rehearse.report.html_delivery import delivery_card, delivery_history_card, voice_card
from rehearse.report.svg import OVERALL_COLOUR, bar_chart, colour, line_chart, score_ring
from rehearse.values import SECTION_IDS, CallScore, OrderCheck, SectionScore, Session, Turn, section_label

# A highlight run: the sections covering it (guide order) and the pitfalls covering it.
RunKey = tuple[tuple[str, ...], tuple[str, ...]]


def _when(started: str, fmt: str = "%d %b %Y, %H:%M") -> str:
    try:
        return dt.datetime.fromisoformat(started).strftime(fmt)
    except ValueError:
        return started


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _people(plan: Plan | None, session: Session | None) -> dict[str, str]:
    """Who and what the call is about: the plan when given, else the plan saved with the session."""
    saved = session.plan if session else {}
    keys = ("candidate", "interviewer", "position", "company")
    return {k: str(getattr(plan, k, "") if plan else "") or str(saved.get(k, "") or "") for k in keys}


def _header(score: CallScore, plan: Plan | None, session: Session | None) -> str:
    who = _people(plan, session)
    line = " → ".join(p for p in (who["candidate"], who["interviewer"] or "the interviewer") if p)
    facts = [who["position"], who["company"]]
    if session:
        facts += [_when(session.started) if session.started else "", session.scenario]
    meta = "".join(f"<span>{_e(f)}</span>" for f in facts if f)
    return (
        '<header class="card top"><div><div class="eyebrow">Follow-up call rehearsal</div>'
        f"<h1>{_e(line) if who['candidate'] else 'Your follow-up call'}</h1>"
        f'<p class="meta">{meta or "No call plan: generic matching"}</p></div>'
        f'<div class="overall">{score_ring(score.overall)}'
        f'<div class="verdict">{_e(verdict(score.overall).capitalize())}</div></div></header>'
    )


def _run_key(pos: int, sec_spans: list[tuple[int, int, str]], pit_spans: list[tuple[int, int, str]]) -> RunKey:
    secs = tuple(dict.fromkeys(sid for a, b, sid in sec_spans if a <= pos < b))
    return secs, tuple(dict.fromkeys(pid for a, b, pid in pit_spans if a <= pos < b))


def _wrap(chunk: str, key: RunKey, titles: dict[str, str]) -> str:
    """One run of characters with the same highlights; each run opens and closes its own tags, so overlaps nest."""
    secs, pits = key
    inner = _e(chunk)
    if pits:
        inner = f'<span class="pit" title="{_e("Pitfall: " + ", ".join(titles[p] for p in pits))}">{inner}</span>'
    if secs:
        # Coloured by the first section in guide order; a second one shows as an inner underline.
        also = "".join(f" also-{s}" for s in secs[1:])
        style = f' style="--also:{colour(secs[1])}"' if len(secs) > 1 else ""
        name = " + ".join(titles[s] for s in secs)
        inner = f'<mark class="ev s-{secs[0]}{also}" title="{_e(name)}"{style}>{inner}</mark>'
    return inner


def highlight(text: str, base: int, score: CallScore) -> str:
    """Escape `text` (which starts at offset `base` of score.transcript) with evidence and pitfalls marked."""
    sec_spans = [(e.start, e.end, s.id) for s in score.sections for e in s.evidence if 0 <= e.start < e.end]
    pit_spans = [(p.start, p.end, p.id) for p in score.pitfalls if 0 <= p.start < p.end]
    titles = {s.id: s.title for s in score.sections} | {p.id: p.title for p in score.pitfalls}
    runs = groupby(range(len(text)), key=lambda i: _run_key(base + i, sec_spans, pit_spans))
    return "".join(_wrap("".join(text[i] for i in idx), key, titles) for key, idx in runs)


def _audio(data: bytes | None) -> str:
    if not data:
        return ""
    uri = "data:audio/wav;base64," + base64.b64encode(data).decode("ascii")
    return f'<audio controls preload="none" src="{uri}"></audio>'


def _turn_html(speaker: str, name: str, body: str, start: float | None, extras: str = "") -> str:
    time = f'<span class="time">{_clock(start)}</span>' if start is not None else ""
    return (
        f'<div class="turn {speaker}"><div class="who"><span class="speaker">{_e(name)}</span>{time}</div>'
        f'<div class="said">{f"<p>{body}</p>" if body else ""}{extras}</div></div>'
    )


def _session_turns(score: CallScore, session: Session, audio: Mapping[int, bytes], names: dict[str, str]) -> list[str]:
    said = [t.text.strip() for t in session.turns if t.speaker == "candidate" and t.text.strip()]
    # Offsets only mean something if the score was made from these very turns; otherwise show them unmarked.
    marked = "\n".join(said) == score.transcript
    out, base = [], 0
    for t in session.turns:
        text = t.text.strip()
        if t.speaker == "candidate" and text:
            body = highlight(text, base, score) if marked else _e(text)
            base += len(text) + 1
        else:
            body = _e(text)
        out.append(_turn_html(t.speaker, names[t.speaker], body, t.start, _turn_extras(t, audio)))
    return out


def _turn_extras(turn: Turn, audio: Mapping[int, bytes]) -> str:
    note = turn.note or ("" if turn.text.strip() else "no speech")
    note = f'<span class="tag">{_e(note)}</span>' if note else ""
    return note + _audio(audio.get(turn.index))


def _legend(score: CallScore) -> str:
    items = [f'<li><span class="swatch sw-{_e(s.id)}"></span>{_e(s.title)}</li>' for s in score.sections]
    if score.pitfalls:
        items.append('<li><span class="pit-key">Pitfall</span></li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _transcript(score: CallScore, plan: Plan | None, session: Session | None, audio: Mapping[int, bytes]) -> str:
    who = _people(plan, session)
    names = {"candidate": "You", "interviewer": who["interviewer"] or "Interviewer"}
    if session is not None:
        turns = _session_turns(score, session, audio, names)
    else:
        turns, base = [], 0
        for line in score.transcript.split("\n"):
            turns.append(_turn_html("candidate", "You", highlight(line, base, score), None))
            base += len(line) + 1
    if not score.transcript.strip() and session is None:
        turns = ['<p class="none">Nothing was said.</p>']
    return card("Transcript", _legend(score) + f'<div class="turns">{"".join(turns)}</div>', "transcript")


def _section_card(s: SectionScore) -> str:
    chip = '<span class="chip ok">present</span>' if s.present else '<span class="chip no">missing</span>'
    quotes = "".join(f"<li>“{_e(e.evidence)}”</li>" for e in unique_evidence(s))
    evidence = f'<ul class="quotes">{quotes}</ul>' if quotes else '<p class="none">Not heard in this call.</p>'
    feedback = "".join(f"<li>{_e(f)}</li>" for f in s.feedback)
    advice = f'<ul class="feedback">{feedback}</ul>' if feedback else ""
    suggestion = f'<p class="try"><b>Try saying</b>“{_e(s.suggestion)}”</p>' if s.suggestion else ""
    return (
        f'<article class="card sec" style="--c:{colour(s.id)}"><header><h3>{_e(s.title)}</h3>'
        f'<span class="num">{s.score}</span>{chip}</header>{evidence}{advice}{suggestion}</article>'
    )


def _order_html(order: OrderCheck, titles: dict[str, str]) -> str:
    if not order.sequence:
        return card("Order", '<p class="none">No section was recognised, so there is no order to check.</p>')
    chips = "".join(
        f'<li class="{"late" if sid in order.out_of_place else ""}" style="border-color:{colour(sid)}">'
        f"{_e(titles.get(sid, section_label(sid)))}</li>"
        for sid in order.sequence
    )
    verdict_line = '<p class="good">✓ In the guide\'s order.</p>' if order.in_order else f"<p>{_e(order.feedback)}</p>"
    return card("Order", f'<ol class="flow">{chips}</ol>{verdict_line}')


def _pitfalls_html(score: CallScore) -> str:
    if not score.pitfalls:
        return card("Pitfalls", '<p class="good">✓ None caught.</p>')
    items = "".join(
        f'<div class="pitfall"><p><strong>⚠ {_e(p.title)}</strong></p>'
        f"<p><em>“{_e(p.evidence)}”</em></p><p>{_e(p.advice)}</p></div>"
        for p in score.pitfalls
    )
    return card("Pitfalls", items)


class HtmlWriter:
    """Writes the report as one self-contained HTML page."""

    extension = "html"

    def render(self, score: CallScore, plan: Plan | None, context: ReportContext | None = None) -> str:
        context = context or ReportContext()
        session, audio, partial = context.session, context.audio, context.partial
        titles = {s.id: s.title for s in score.sections}
        chart = bar_chart([(s.id, s.title, s.score) for s in score.sections])
        body = [
            _header(score, plan, session),
            card("Interrupted", f"<p>{_e(partial)}</p>", "notice") if partial else "",
            card("Sections at a glance", chart),
            _transcript(score, plan, session, audio),
            '<h2 class="eyebrow">Section by section</h2>',
            '<div class="sections">' + "".join(_section_card(s) for s in score.sections) + "</div>",
            _order_html(score.order, titles),
            _pitfalls_html(score),
            delivery_card(score.delivery),
            voice_card(score, session, context.contours),
            f"<footer>Made offline by rehearse{_e(' · rubric ' + score.rubric_version) if score.rubric_version else ''}"
            "</footer>",
        ]
        return page("Follow-up call rehearsal", body)


def _history_table(history: History) -> str:
    head = "<tr><th>Section</th><th>Latest</th><th>Best</th><th>Since last time</th></tr>"
    rows = [("overall", "Overall", [p.overall for p in history.points])]
    rows += [(sid, section_label(sid), [p.section(sid) for p in history.points]) for sid in SECTION_IDS]
    body = []
    for sid, name, scores in rows:
        change = scores[-1] - scores[-2] if len(scores) > 1 else None
        delta = "—" if change is None else "no change" if change == 0 else f"{change:+d}".replace("-", "−")
        sw = f'<span class="swatch sw-{sid}"></span> ' if sid != "overall" else ""
        weight = ' style="font-weight:700"' if sid == "overall" else ""
        body.append(
            f"<tr{weight}><td>{sw}{_e(name)}</td><td class='n'>{scores[-1]}</td>"
            f"<td class='n'>{max(scores)}</td><td>{_e(delta)}</td></tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _practise_next(history: History) -> str:
    sid = history.practise_next()
    if sid is None:
        return ""
    inner = (
        f'<p class="big">{_e(section_label(sid))}</p><p>Latest score {history.latest(sid)}, best {history.best(sid)}. '
        "Rehearse this part of the call first next time; the report of your latest call has a line to try.</p>"
    )
    return card("Practise next", inner, "focus", f"--c:{colour(sid)}")


def _sessions_table(points: tuple[HistoryPoint, ...]) -> str:
    head = "<tr><th>#</th><th>When</th><th>Scenario</th><th>Position</th><th>Cues</th><th>Overall</th></tr>"
    cut = ' <span class="tag">interrupted</span>'
    rows = "".join(
        f"<tr><td>{i}</td><td>{_e(_when(p.started))}</td><td>{_e(p.scenario)}</td><td>{_e(p.position)}</td>"
        f"<td>{_e(p.cues.mode or '—')}</td><td class='n'>{p.overall}{'' if p.complete else cut}</td></tr>"
        for i, p in enumerate(points, 1)
    )
    return f"<table>{head}{rows}</table>"


def render_history(history: History, title: str = "Rehearsal history") -> str:
    """A progress page: scores per section across rehearsals, best and latest, and what to practise next."""
    points = tuple(sorted(history.points, key=lambda p: p.started))
    history = History(points)
    header = f'<header class="card"><div class="eyebrow">rehearse</div><h1>{_e(title)}</h1>'
    if not points:
        return page(title, [header + '<p class="meta">No rehearsals saved yet.</p></header>'])
    span = f"{_when(points[0].started, '%d %b %Y')} – {_when(points[-1].started, '%d %b %Y')}"
    header += f'<p class="meta"><span>{len(points)} rehearsals</span><span>{_e(span)}</span></p></header>'
    series = [(section_label(s), colour(s), [p.section(s) for p in points], 2.0) for s in SECTION_IDS]
    series.append(("Overall", OVERALL_COLOUR, [p.overall for p in points], 4.0))
    chart = line_chart([_when(p.started, "%d %b") for p in points], series)
    legend = "".join(f'<li><span class="swatch" style="background:{c}"></span>{_e(n)}</li>' for n, c, _, _ in series)
    return page(
        title,
        [
            header,
            _practise_next(history),
            card("Scores over time", chart + f'<ul class="legend">{legend}</ul>'),
            card("Best and latest", _history_table(history)),
            delivery_history_card(history),
            card("Rehearsals", _sessions_table(points)),
        ],
    )
