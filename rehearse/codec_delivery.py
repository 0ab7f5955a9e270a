"""The `delivery` object of a JSON report (rehearse.report/1), both ways.

Every field added since the first reports is optional on the way in, so an old report still decodes: a figure
that was never measured comes back as None (or empty), never as 0. See docs/report-schema.md.
"""

from __future__ import annotations

from typing import Any

from rehearse.codec_fields import _bool, _float, _int, _list, _number, _obj, _opt_float, _str, _strs
from rehearse.values import (
    AnswerFigures,
    Delivery,
    HedgeHit,
    PitchFigures,
    TalkShare,
    TimedSpan,
    VolumeFigures,
)


def _spans(spans: tuple[TimedSpan, ...], amount: str) -> list[dict[str, Any]]:
    return [{"text": s.text, "start": s.start, "end": s.end, amount: s.amount} for s in spans]


def _answer(a: AnswerFigures) -> dict[str, Any]:
    return {
        "turn": a.turn,
        "start": a.start,
        "end": a.end,
        "words": a.words,
        "wpm": a.wpm,
        "median_hz": a.median_hz,
        "range_semitones": a.range_semitones,
        "median_dbfs": a.median_dbfs,
        "response_delay": a.response_delay,
        "overlap": a.overlap,
    }


def _voice_dict(d: Delivery) -> dict[str, Any]:
    p, v, t = d.pitch, d.volume, d.talk_share
    return {
        "pitch": {"median_hz": p.median_hz, "range_semitones": p.range_semitones, "monotone": p.monotone}
        if p
        else None,
        "uptalk": _spans(d.uptalk, "rise_semitones") if d.uptalk is not None else None,
        "statements": d.statements,
        "volume": {
            "median_dbfs": v.median_dbfs,
            "noise_floor_dbfs": v.noise_floor_dbfs,
            "snr_db": v.snr_db,
            "floor_from": v.floor_from,
            "too_quiet": v.too_quiet,
            "trailing_off": _spans(v.trailing_off, "drop_db"),
        }
        if v
        else None,
        "response_delay": list(d.response_delay) if d.response_delay is not None else None,
        "overlaps": d.overlaps,
        "talk_share": {"candidate": t.candidate, "interviewer": t.interviewer, "share": t.share} if t else None,
        "answers": [_answer(a) for a in d.answers],
    }


def delivery_dict(d: Delivery) -> dict[str, Any]:
    return {
        "words": d.words,
        "fillers": d.fillers,
        "filler_words": list(d.filler_words),
        "talk_time": d.talk_time,
        "wpm": d.wpm,
        "fillers_per_minute": d.fillers_per_minute,
        "longest_pause": d.longest_pause,
        "section_time": dict(d.section_time),
        "section_wpm": dict(d.section_wpm),
        "hedges": [{"text": h.text, "start": h.start, "end": h.end, "time": h.time} for h in d.hedges],
        "hedges_per_minute": d.hedges_per_minute,
        **_voice_dict(d),
    }


def _pairs(value: Any, what: str) -> tuple[tuple[str, float], ...]:
    return tuple((str(k), _number(v, f"{what}.{k}")) for k, v in _obj(value or {}, what).items())


def _span_list(value: Any, amount: str, w: str) -> tuple[TimedSpan, ...]:
    out = []
    for i, x in enumerate(_list(value, w)):
        x = _obj(x, f"{w}[{i}]")
        where = f"{w}[{i}]."
        out.append(
            TimedSpan(
                _str(x, "text", where), _float(x, "start", where), _float(x, "end", where), _float(x, amount, where)
            )
        )
    return tuple(out)


def _hedges(value: Any, w: str) -> tuple[HedgeHit, ...]:
    out = []
    for i, x in enumerate(_list(value, w)):
        x = _obj(x, f"{w}[{i}]")
        where = f"{w}[{i}]."
        out.append(
            HedgeHit(
                _str(x, "text", where), _int(x, "start", where), _int(x, "end", where), _opt_float(x, "time", where)
            )
        )
    return tuple(out)


def _pitch(value: Any, w: str) -> PitchFigures | None:
    if value is None:
        return None
    p = _obj(value, w)
    return PitchFigures(_float(p, "median_hz", w), _float(p, "range_semitones", w), _bool(p, "monotone", w))


def _volume(value: Any, w: str) -> VolumeFigures | None:
    if value is None:
        return None
    v = _obj(value, w)
    return VolumeFigures(
        _float(v, "median_dbfs", w),
        _float(v, "noise_floor_dbfs", w),
        _float(v, "snr_db", w),
        _str(v, "floor_from", w, ""),
        _bool(v, "too_quiet", w, False),
        _span_list(v.get("trailing_off", []), "drop_db", f"{w}trailing_off"),
    )


def _talk_share(value: Any, w: str) -> TalkShare | None:
    if value is None:
        return None
    t = _obj(value, w)
    return TalkShare(_float(t, "candidate", w), _float(t, "interviewer", w), _float(t, "share", w))


def _answers(value: Any, w: str) -> tuple[AnswerFigures, ...]:
    out = []
    for i, x in enumerate(_list(value, w)):
        a = _obj(x, f"{w}[{i}]")
        where = f"{w}[{i}]."
        out.append(
            AnswerFigures(
                _int(a, "turn", where),
                _float(a, "start", where),
                _float(a, "end", where),
                _int(a, "words", where, 0),
                _opt_float(a, "wpm", where),
                _opt_float(a, "median_hz", where),
                _opt_float(a, "range_semitones", where),
                _opt_float(a, "median_dbfs", where),
                _opt_float(a, "response_delay", where),
                _bool(a, "overlap", where, False),
            )
        )
    return tuple(out)


def _delays(value: Any, w: str) -> tuple[float | None, ...] | None:
    if value is None:
        return None
    return tuple(None if x is None else _number(x, f"{w}[{i}]") for i, x in enumerate(_list(value, w)))


def _opt_int(d: dict[str, Any], key: str, w: str) -> int | None:
    return None if d.get(key) is None else _int(d, key, w)


def delivery_from(d: dict[str, Any]) -> Delivery:
    """A report's delivery object as a Delivery; fields a report from before they existed lacks stay None/empty."""
    w = "report.delivery."
    uptalk = d.get("uptalk")
    return Delivery(
        _int(d, "words", w, 0),
        _int(d, "fillers", w, 0),
        _strs(d.get("filler_words", []), f"{w}filler_words"),
        _opt_float(d, "talk_time", w),
        _opt_float(d, "wpm", w),
        _opt_float(d, "fillers_per_minute", w),
        _opt_float(d, "longest_pause", w),
        _pairs(d.get("section_time"), f"{w}section_time"),
        _hedges(d.get("hedges", []), f"{w}hedges"),
        _opt_float(d, "hedges_per_minute", w),
        _pairs(d.get("section_wpm"), f"{w}section_wpm"),
        _pitch(d.get("pitch"), f"{w}pitch."),
        None if uptalk is None else _span_list(uptalk, "rise_semitones", f"{w}uptalk"),
        _opt_int(d, "statements", w),
        _volume(d.get("volume"), f"{w}volume."),
        _delays(d.get("response_delay"), f"{w}response_delay"),
        _opt_int(d, "overlaps", w),
        _talk_share(d.get("talk_share"), f"{w}talk_share."),
        _answers(d.get("answers", []), f"{w}answers"),
    )
