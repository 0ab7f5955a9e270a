"""Delivery figures read from the words and their timings: pace (overall and by section), fillers, hedges, pauses,
and how long each section took to say. What needs the audio itself (pitch, uptalk, volume) is in scoring.voice;
what needs the other side's turns (response delay, overlaps, talk share) is in scoring.exchange."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.scoring.hedges import HedgeSpec, find_hedges
from rehearse.scoring.text import NormText
from rehearse.values import Delivery, SectionScore, Utterance, Word

MIN_SECTION_SECONDS = 1.5  # a section said in less time gets no pace: three words in a second is not a pace

TimedSpan = tuple[int, int, float, float]  # source chars start, end; seconds start, end (from call start)


def count_fillers(text: NormText, fillers: Sequence[str]) -> list[str]:
    """Hesitations (dropped from the tokens earlier) and multi-word fillers ("you know", counted once)."""
    tokens = [t.text for t in text.tokens]
    # Longest first, filed by first word: only the phrases that start with the word at hand are tried.
    by_first: dict[str, list[list[str]]] = {}
    for p in sorted((f.split() for f in fillers if " " in f), key=len, reverse=True):
        if p:
            by_first.setdefault(p[0], []).append(p)
    found: list[str] = list(text.fillers)
    i = 0
    while i < len(tokens):
        for p in by_first.get(tokens[i], ()):
            if tokens[i : i + len(p)] == p:
                found.append(" ".join(p))
                i += len(p)
                break
        else:
            i += 1
    return found


def _word_spans(utts: Sequence[Utterance], source: str) -> list[TimedSpan]:
    """Place each timed word in the joined source text by searching forward from the previous one."""
    spans: list[TimedSpan] = []
    base = 0
    for u in utts:
        text = u.text.strip()
        cursor = base
        offset = u.start or 0.0
        for w in u.words:
            needle = w.text.strip().strip(".,!?;:\"'()").strip()
            if not needle:
                continue
            at = source.find(needle, cursor, base + len(text))
            if at < 0:
                continue
            spans.append((at, at + len(needle), offset + w.start, offset + w.end))
            cursor = at + len(needle)
        base += len(text) + 1
    return spans


def _talk_time(utts: Sequence[Utterance]) -> float | None:
    total = 0.0
    known = False
    for u in utts:
        if u.words:
            total += max(u.words[-1].end - u.words[0].start, 0.0)
            known = True
        elif u.start is not None and u.end is not None:
            total += max(u.end - u.start, 0.0)
            known = True
    return total if known else None


def _longest_pause(utts: Sequence[Utterance]) -> float | None:
    gaps = [b.start - a.end for u in utts for a, b in zip(u.words, u.words[1:], strict=False)]
    if not any(u.words for u in utts):
        return None
    return round(max(gaps, default=0.0), 2)


def _merged(intervals: list[tuple[float, float]]) -> float:
    """Seconds covered by possibly overlapping intervals."""
    total, cur_s, cur_e = 0.0, None, None
    for ws, we in sorted(intervals):
        if cur_e is None or ws > cur_e:
            total += (cur_e - cur_s) if cur_e is not None and cur_s is not None else 0.0
            cur_s, cur_e = ws, we
        else:
            cur_e = max(cur_e, we)
    if cur_e is not None and cur_s is not None:
        total += cur_e - cur_s
    return total


def _section_time(
    spans: list[TimedSpan], sections: Sequence[SectionScore]
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]:
    """(section id, seconds) for every section, and (section id, words per minute) for those said long enough."""
    times: list[tuple[str, float]] = []
    paces: list[tuple[str, float]] = []
    for s in sections:
        words = {(ws, we) for e in s.elements if e.matched for (cs, ce, ws, we) in spans if cs < e.end and ce > e.start}
        total = _merged(list(words))
        times.append((s.id, round(total, 2)))
        if total >= MIN_SECTION_SECONDS:
            paces.append((s.id, round(len(words) * 60.0 / total, 1)))
    return tuple(times), tuple(paces)


def measure(
    utts: Sequence[Utterance],
    text: NormText,
    sections: Sequence[SectionScore],
    fillers: Sequence[str],
    hedges: Sequence[HedgeSpec] = (),
) -> Delivery:
    found = count_fillers(text, fillers)
    words = len({t.start for t in text.tokens}) + len(text.fillers)
    talk = _talk_time(utts)
    timed = any(u.words for u in utts)
    spans = _word_spans(utts, text.source) if timed else []
    hedge_hits = find_hedges(text, hedges, spans)
    wpm = fpm = hpm = None
    if talk and talk > 0:
        wpm = round(words * 60.0 / talk, 1)
        fpm = round(len(found) * 60.0 / talk, 1)
        hpm = round(len(hedge_hits) * 60.0 / talk, 1)
    section_time, section_wpm = _section_time(spans, sections) if timed else ((), ())
    return Delivery(
        words=words,
        fillers=len(found),
        filler_words=tuple(found),
        talk_time=round(talk, 2) if talk is not None else None,
        wpm=wpm,
        fillers_per_minute=fpm,
        longest_pause=_longest_pause(utts),
        section_time=section_time,
        hedges=hedge_hits,
        hedges_per_minute=hpm,
        section_wpm=section_wpm,
    )


__all__ = ["Word", "count_fillers", "measure"]
