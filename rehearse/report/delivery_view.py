"""The delivery figures as every report shows them: one line per measure with its norm, and the one piece of
delivery advice that matters most.

The norms are the thresholds of scoring.voice and scoring.spoken (whose docstrings give their sources), repeated
here because a report sits below the scorer; tests/test_delivery.py checks the two agree.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from rehearse.values import Delivery, section_label

PACE_FINE = (100, 165)  # words per minute coaches call fine (Speaker Coach); phone talk sits at 125-150
FILLERS_FINE = 5.0  # per minute, unnoticed up to about this many
HEDGES_FINE = 2.0  # per minute: this project's line; each one softens the ask
MONOTONE_RANGE_ST = 4.0  # scoring.voice.MONOTONE_RANGE_ST
UPTALK_RISE_ST = 2.0  # scoring.voice.UPTALK_RISE_ST
TOO_QUIET_DBFS = -40.0  # scoring.voice.TOO_QUIET_DBFS
MIN_SNR_DB = 15.0  # scoring.voice.MIN_SNR_DB
TRAIL_DROP_DB = 6.0  # scoring.voice.TRAIL_DROP_DB
HESITANT_DELAY = 1.0  # scoring.spoken.HESITANT_DELAY
TALK_SHARE_FINE = (0.4, 0.75)  # your call, but a conversation: this project's line


@dataclass(frozen=True)
class Advice:
    """One thing to change about how the call was said."""

    id: str  # which measure it is about: "volume", "overlaps", "uptalk", "hedges", ...
    weight: float  # how much it matters: how badly a listener is put off, times how far past the norm
    text: str  # what to do, with the evidence


def quote_list(texts: list[str], most: int = 2) -> str:
    picked = list(dict.fromkeys(t for t in texts if t))[:most]
    return ", ".join(f"“{t}”" for t in picked)


def count(n: int, noun: str) -> str:
    """ "1 answer", "3 answers"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def delay_summary(delays: tuple[float | None, ...]) -> tuple[float, float] | None:
    """(median, longest) response delay over the answers that have one."""
    known = [d for d in delays if d is not None]
    return (statistics.median(known), max(known)) if known else None


def _pace_rows(d: Delivery) -> list[tuple[str, str]]:
    rows = []
    if d.wpm is not None:
        rows.append(("Pace", f"{d.wpm:.0f} words/min (fine: {PACE_FINE[0]}-{PACE_FINE[1]}; phone talk 125-150)"))
    if d.section_wpm:
        by = ", ".join(f"{section_label(s)} {w:.0f}" for s, w in d.section_wpm)
        rows.append(("Pace by section", f"{by} words/min"))
    if d.talk_share is not None:
        t = d.talk_share
        rows.append(
            (
                "Talk time",
                f"you {t.candidate:.0f} s, interviewer {t.interviewer:.0f} s: {t.share:.0%} yours "
                f"(fine: {TALK_SHARE_FINE[0]:.0%}-{TALK_SHARE_FINE[1]:.0%})",
            )
        )
    elif d.talk_time is not None:
        rows.append(("Talk time", f"{d.talk_time:.1f} s"))
    return rows


def _word_rows(d: Delivery) -> list[tuple[str, str]]:
    filler_list = ", ".join(dict.fromkeys(d.filler_words))
    rows = [("Words", str(d.words)), ("Fillers", f"{d.fillers}" + (f" ({filler_list})" if filler_list else ""))]
    if d.fillers_per_minute is not None:
        rows.append(("Fillers per minute", f"{d.fillers_per_minute:.1f} (fine: up to about {FILLERS_FINE:.0f})"))
    quotes = quote_list([h.text for h in d.hedges], 3)
    rate = f"{d.hedges_per_minute:.1f}/min, " if d.hedges_per_minute is not None else ""
    rows.append(
        ("Hedges", f"{len(d.hedges)} ({rate}fine: under {HEDGES_FINE:.0f}/min){' ' + quotes if quotes else ''}")
    )
    if d.longest_pause is not None:
        rows.append(("Longest pause", f"{d.longest_pause:.1f} s"))
    return rows


def _voice_rows(d: Delivery) -> list[tuple[str, str]]:
    rows = []
    if d.pitch is not None:
        p = d.pitch
        flag = " — monotone" if p.monotone else ""
        rows.append(
            (
                "Pitch",
                f"median {p.median_hz:.0f} Hz, range {p.range_semitones:.1f} semitones{flag} "
                f"(lively: {MONOTONE_RANGE_ST:.0f} or more)",
            )
        )
    if d.uptalk is not None:
        of = f" of {count(d.statements, 'statement')}" if d.statements else ""
        quotes = quote_list([u.text for u in d.uptalk])
        rows.append(
            (
                "Uptalk",
                f"{f'{len(d.uptalk)}{of}' if of else count(len(d.uptalk), 'statement')} rose at the end"
                f"{' ' + quotes if quotes else ''} "
                f"(fine: none; a rise of {UPTALK_RISE_ST:.0f}+ semitones)",
            )
        )
    if d.volume is not None:
        v = d.volume
        where = "the room before the call" if v.floor_from == "room" else "your pauses"
        rows.append(
            (
                "Volume",
                f"median {v.median_dbfs:.0f} dBFS, {v.snr_db:.0f} dB above {where} "
                f"(fine: above {TOO_QUIET_DBFS:.0f} dBFS and {MIN_SNR_DB:.0f} dB)",
            )
        )
        quotes = quote_list([t.text for t in v.trailing_off])
        rows.append(
            (
                "Trailing off",
                f"{count(len(v.trailing_off), 'answer')}{' ' + quotes if quotes else ''} "
                f"(fine: none; last words {TRAIL_DROP_DB:.0f} dB below the answer)",
            )
        )
    return rows


def _exchange_rows(d: Delivery) -> list[tuple[str, str]]:
    rows = []
    summary = delay_summary(d.response_delay) if d.response_delay is not None else None
    if summary is not None:
        rows.append(
            (
                "Response delay",
                f"median {summary[0]:.1f} s, longest {summary[1]:.1f} s "
                f"(people answer in ~0.2 s; past {HESITANT_DELAY:.0f} s sounds hesitant)",
            )
        )
    if d.overlaps is not None:
        rows.append(("Overlaps", f"{count(d.overlaps, 'answer')} began over the interviewer (fine: none)"))
    return rows


def delivery_rows(d: Delivery) -> list[tuple[str, str]]:
    """One (label, value with its norm) per measure, in the order a listener notices them."""
    rows = _pace_rows(d) + _word_rows(d) + _voice_rows(d) + _exchange_rows(d)
    if d.talk_time is None:
        rows.append(("Timing", "not known for a typed transcript"))
    elif d.pitch is None and d.volume is None:
        rows.append(("Voice", "not measured: no recording, or a result from before it was (`rehearse rescore ID`)"))
    return rows
