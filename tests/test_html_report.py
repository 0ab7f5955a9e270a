"""The HTML report and history page: well-formed, self-contained, escaped, evidence where the offsets say.

The last tests render the pages in a real headless Chromium (skipped when /usr/bin/chromium is absent).
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from rehearse.demo import example_call
from rehearse.history import History, HistoryPoint
from rehearse.plan import Plan, sample_plan
from rehearse.report import writer_for
from rehearse.report.common import ReportContext
from rehearse.report.html import HtmlWriter, render_history
from rehearse.scoring.scorer import score_call
from rehearse.values import SECTION_IDS, CallScore, Session, Turn

CHROMIUM = Path("/usr/bin/chromium")
NASTY = '<script>alert("x")</script> & "quotes"'
WEAK_CALL = [
    "Hey Maribel, it is Jordan.",
    "So um, did I get the job or what? I really need an answer, I will keep calling every day.",
    "I built the SQL reporting.",  # a strength after next steps: the order check has something to say
    "ok bye",
]
VOID = {"meta", "br", "img", "input", "link", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}


def tiny_wav(seconds: float = 0.2, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buf = io.BytesIO()
    sf.write(buf, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate, format="WAV")
    return buf.getvalue()


def make_session(lines: list[str], plan: Plan) -> Session:
    """Interviewer and candidate turns alternating, with an empty candidate turn the offsets must skip."""
    turns: list[Turn] = []
    clock = 0.0
    for line in [*lines[:2], "   ", *lines[2:]]:
        turns.append(Turn(len(turns), "interviewer", "Mm-hm, go on.", clock, clock + 1.5))
        turns.append(Turn(len(turns), "candidate", f"  {line} ", clock + 2, clock + 7, audio="x.wav"))
        clock += 8
    return Session("s1", "2026-11-26T10:30:00", "friendly <b>", "spoken", tuple(turns), plan.to_dict(), "", True)


@pytest.fixture(scope="module")
def model() -> tuple[Plan, Session, CallScore]:
    plan = sample_plan()
    lines = example_call(1, plan)
    session = make_session([*lines[:3], NASTY, *lines[3:]], plan)
    return plan, session, score_call(session.candidate_utterances(), plan)


@pytest.fixture(scope="module")
def weak() -> tuple[Plan, Session, CallScore]:
    plan = sample_plan()
    session = make_session(WEAK_CALL, plan)
    return plan, session, score_call(session.candidate_utterances(), plan)


@pytest.fixture(scope="module")
def report(model: tuple[Plan, Session, CallScore]) -> str:
    plan, session, score = model
    return HtmlWriter().render(score, plan, ReportContext(session, {1: tiny_wav()}))


def sample_history() -> History:
    points = []
    for k in range(6):
        sections = tuple((sid, min(100, 20 + 12 * k + 5 * i)) for i, sid in enumerate(SECTION_IDS))
        overall = sum(v for _, v in sections) // len(sections)
        started = f"2026-11-{10 + 2 * k:02d}T09:00:00"
        points.append(HistoryPoint(f"s{k}", started, "analyst <i>", "friendly", overall, sections, k != 2))
    return History(tuple(reversed(points)))  # out of order on purpose: the page sorts by date


class Balance(HTMLParser):
    """Fails on the mistakes a string-built page can make: a close tag that does not match, or one left open."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def parse(page: str) -> Balance:
    p = Balance()
    p.feed(page)
    p.close()
    assert not p.errors, p.errors[:5]
    assert not p.stack, f"left open: {p.stack}"
    return p


class CandidateText(HTMLParser):
    """Each candidate turn's text, every character with the sections and pitfalls of the tags around it."""

    def __init__(self) -> None:
        super().__init__()
        self.turns: list[list[tuple[str, frozenset[str]]]] = []
        self.open: list[set[str]] = []  # labels of each open element inside a candidate turn's text
        self.depth = 0  # open elements inside the current candidate turn, 0 when outside one
        self.in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "div" and {"turn", "candidate"} <= classes:
            self.turns.append([])
            self.depth = 1
            return
        if self.depth and tag not in VOID:
            self.depth += 1
            self.in_text = self.in_text or tag == "p"
            labels = {c[2:] for c in classes if c.startswith("s-")} | {c[5:] for c in classes if c.startswith("also-")}
            self.open.append(labels | ({"PIT"} if "pit" in classes else set()))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.depth and self.open:
                self.open.pop()
            self.in_text = self.in_text and tag != "p"

    def handle_data(self, data: str) -> None:
        if self.depth and self.in_text:
            labels = frozenset().union(*self.open)
            self.turns[-1].extend((ch, labels) for ch in data)


def candidate_chars(page: str) -> list[tuple[str, frozenset[str]]]:
    p = CandidateText()
    p.feed(page)
    out: list[tuple[str, frozenset[str]]] = []
    for i, turn in enumerate(t for t in p.turns if t):
        out += ([("\n", frozenset())] if i else []) + turn
    return out


def test_writer_for_html_gives_the_html_writer() -> None:
    writer = writer_for("html")
    assert isinstance(writer, HtmlWriter)
    assert writer.extension == "html"


def test_report_is_well_formed_html5(report: str) -> None:
    assert report.startswith("<!DOCTYPE html>")
    tags = [t for t, _ in parse(report).tags]
    assert tags.count("html") == tags.count("body") == tags.count("style") == 1
    assert "svg" in tags


def test_nothing_is_fetched_from_the_network(report: str) -> None:
    page = report + render_history(sample_history())
    assert "http://" not in page
    assert "https://" not in page
    assert "url(" not in page and "@import" not in page
    for tag, attrs in parse(report).tags:
        for key in ("src", "href"):
            assert not attrs.get(key, "data:").lstrip().startswith("//"), (tag, attrs)


def test_audio_is_embedded_as_a_data_uri(report: str) -> None:
    sources = [a["src"] for t, a in parse(report).tags if t == "audio"]
    assert len(sources) == 1
    assert sources[0].startswith("data:audio/wav;base64,")
    assert base64.b64decode(sources[0].split(",", 1)[1]) == tiny_wav()


def test_transcript_text_is_escaped(report: str) -> None:
    assert "<script" not in report.lower()
    assert html.escape(NASTY) in report
    assert "&lt;b&gt;" in report  # the scenario name comes from the session, so it is escaped too


def test_header_shows_people_score_and_verdict(model: tuple[Plan, Session, CallScore], report: str) -> None:
    plan, _, score = model
    assert "Follow-up call rehearsal" in report
    assert f"{html.escape(plan.candidate)} → {html.escape(plan.interviewer)}" in report
    assert plan.position in report
    assert f">{score.overall}</text>" in report
    assert "26 Nov 2026" in report


@pytest.mark.parametrize("call", ["model", "weak"])
def test_every_section_has_marks_exactly_where_its_evidence_is(call: str, request: pytest.FixtureRequest) -> None:
    plan, session, score = request.getfixturevalue(call)
    page = HtmlWriter().render(score, plan, ReportContext(session))
    parse(page)
    chars = candidate_chars(page)
    assert "".join(c for c, _ in chars) == score.transcript
    marks = [a.get("class", "").split() for t, a in parse(page).tags if t == "mark"]
    covered: set[int] = set()
    for s in score.sections:
        assert bool(s.evidence) == any(f"s-{s.id}" in c or f"also-{s.id}" in c for c in marks), s.id
        for e in s.evidence:
            assert all(s.id in chars[i][1] for i in range(e.start, e.end)), (s.id, e.evidence)
            covered.update(range(e.start, e.end))
    for p in score.pitfalls:
        covered.update(range(p.start, p.end))
        assert all("PIT" in chars[i][1] for i in range(p.start, p.end)), p.evidence
    assert all(not labels for i, (_, labels) in enumerate(chars) if i not in covered)


def test_weak_call_shows_overlaps_pitfalls_feedback_and_order(weak: tuple[Plan, Session, CallScore]) -> None:
    plan, session, score = weak
    assert score.pitfalls and not score.order.in_order  # the fixture must exercise these paths
    page = HtmlWriter().render(score, plan, ReportContext(session, partial="Cut off <mid-answer>"))
    parse(page)
    assert 'class="pit"' in page and "Pitfall" in page
    assert "Cut off &lt;mid-answer&gt;" in page
    for s in score.sections:
        for line in s.feedback:
            assert html.escape(line) in page
        if s.suggestion:
            assert html.escape(s.suggestion) in page
    assert html.escape(score.order.feedback) in page
    assert "missing" in page


def test_without_a_session_the_scored_transcript_is_shown(model: tuple[Plan, Session, CallScore]) -> None:
    _, _, score = model
    page = HtmlWriter().render(score, None)
    parse(page)
    assert "".join(c for c, _ in candidate_chars(page)) == score.transcript
    assert "<audio" not in page
    assert "No call plan" in page


def test_history_page(tmp_path: Path) -> None:
    history = sample_history()
    page = render_history(history, title="Jordan's <progress>")
    tags = parse(page).tags
    assert "Jordan&#x27;s &lt;progress&gt;" in page
    assert sum(t == "polyline" for t, _ in tags) == len(SECTION_IDS) + 1
    assert "Practise next" in page and "Closing" in page
    assert "analyst &lt;i&gt;" in page and "interrupted" in page
    dates = re.findall(r">(\d\d Nov)</text>", page)
    assert dates == sorted(dates)


def test_empty_history_page() -> None:
    page = render_history(History(()))
    parse(page)
    assert "No rehearsals saved yet" in page


# --- real rendering in a headless browser ---------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, check=False)


def screenshot(tmp_path: Path, name: str, content: str) -> bytes:
    page = tmp_path / f"{name}.html"
    page.write_text(content, encoding="utf-8")
    png = tmp_path / f"{name}.png"
    result = chromium(tmp_path, page, f"--screenshot={png}", "--window-size=1000,1800")
    assert png.exists(), result.stderr[-2000:]
    return png.read_bytes()


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines (filter bytes included) of a PNG: enough to tell blank from not."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", (0, 0)
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    return size[0], size[1], zlib.decompress(idat)


@needs_chromium
def test_report_renders_in_chromium(tmp_path: Path, model: tuple[Plan, Session, CallScore]) -> None:
    plan, session, score = model
    blank = screenshot(tmp_path, "blank", "<!DOCTYPE html><html><body></body></html>")
    shot = screenshot(tmp_path, "report", HtmlWriter().render(score, plan, ReportContext(session, {1: tiny_wav()})))
    width, height, raw = png_pixels(shot)
    assert (width, height) == (1000, 1800)
    # A blank page compresses to almost nothing; text, charts and highlights do not.
    assert len(shot) > 8 * len(blank)
    assert len(set(raw)) > 200


@needs_chromium
def test_history_renders_in_chromium(tmp_path: Path) -> None:
    blank = screenshot(tmp_path, "blank", "<!DOCTYPE html><html><body></body></html>")
    shot = screenshot(tmp_path, "history", render_history(sample_history()))
    assert len(shot) > 8 * len(blank)
    assert len(set(png_pixels(shot)[2])) > 200


@needs_chromium
def test_rendered_dom_has_the_score_and_sections(tmp_path: Path, weak: tuple[Plan, Session, CallScore]) -> None:
    plan, session, score = weak
    page = tmp_path / "report.html"
    page.write_text(HtmlWriter().render(score, plan, ReportContext(session)), encoding="utf-8")
    dom = chromium(tmp_path, page, "--dump-dom").stdout
    assert f">{score.overall}</text>" in dom
    for s in score.sections:
        assert html.escape(s.title) in dom
    assert dom.count("<mark") >= len([s for s in score.sections if s.evidence])
    assert "<script" not in dom.lower()
