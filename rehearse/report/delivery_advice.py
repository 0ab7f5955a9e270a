"""Which piece of delivery advice matters most: every measure past its norm becomes a candidate, weighed by how
much it costs a follow-up call and how far past the norm it is, and the report shows the heaviest.

The order of the base weights: being hard to hear loses everything; talking over the interviewer is rude; uptalk and
hedges make the ask sound unsure (the point of the call); trailing off loses the ends of answers; a monotone,
a pace out of range, long hesitations and fillers cost less.
"""

from __future__ import annotations

from rehearse.report.delivery_view import (
    FILLERS_FINE,
    HEDGES_FINE,
    HESITANT_DELAY,
    PACE_FINE,
    TALK_SHARE_FINE,
    Advice,
    count,
    delay_summary,
    quote_list,
)
from rehearse.values import Delivery


def _volume(d: Delivery) -> list[Advice]:
    v = d.volume
    if v is None:
        return []
    out = []
    if v.too_quiet:
        out.append(
            Advice(
                "volume",
                100.0,
                f"You were hard to hear (median {v.median_dbfs:.0f} dBFS, {v.snr_db:.0f} dB above the room): "
                "move closer to the microphone or speak up.",
            )
        )
    if v.trailing_off:
        out.append(
            Advice(
                "trailing_off",
                55.0 + 5 * len(v.trailing_off),
                f"{count(len(v.trailing_off), 'answer')} trailed off at the end "
                f"({quote_list([t.text for t in v.trailing_off])}): "
                "keep your voice up through the last words; they are the ones remembered.",
            )
        )
    return out


def _pitch(d: Delivery) -> list[Advice]:
    out = []
    if d.uptalk:
        share = len(d.uptalk) / d.statements if d.statements else 1.0
        out.append(
            Advice(
                "uptalk",
                70.0 + 30 * share,
                f"{count(len(d.uptalk), 'statement')} rose at the end as if asking "
                f"({quote_list([u.text for u in d.uptalk])}): "
                "let them fall, above all when you say what you are asking for.",
            )
        )
    if d.pitch is not None and d.pitch.monotone:
        out.append(
            Advice(
                "monotone",
                45.0,
                f"Your pitch stayed within {d.pitch.range_semitones:.1f} semitones: lift the words that matter "
                "(your name, the role, what you are asking) so they stand out.",
            )
        )
    return out


def _words(d: Delivery) -> list[Advice]:
    out = []
    rate = d.hedges_per_minute
    if d.hedges and ((rate is None and len(d.hedges) >= 3) or (rate is not None and rate >= HEDGES_FINE)):
        out.append(
            Advice(
                "hedges",
                65.0 + 3 * len(d.hedges),
                f"{count(len(d.hedges), 'hedge')} ({quote_list([h.text for h in d.hedges], 3)}) "
                "soften what you ask for: "
                "say it plainly, “I'm calling to ask where things stand.”",
            )
        )
    if d.fillers_per_minute is not None and d.fillers_per_minute > FILLERS_FINE:
        out.append(
            Advice(
                "fillers",
                30.0 + d.fillers_per_minute,
                f"{d.fillers_per_minute:.0f} fillers a minute: pause silently instead; a pause sounds thoughtful.",
            )
        )
    return out


def _timing(d: Delivery) -> list[Advice]:
    out = []
    if d.overlaps:
        out.append(
            Advice(
                "overlaps",
                85.0 + 5 * d.overlaps,
                f"You started over the interviewer {'once' if d.overlaps == 1 else f'{d.overlaps} times'}: "
                "let them finish, then answer.",
            )
        )
    summary = delay_summary(d.response_delay) if d.response_delay else None
    if summary is not None and summary[0] >= HESITANT_DELAY:
        out.append(
            Advice(
                "response_delay",
                35.0 + 5 * summary[0],
                f"Your answers took {summary[0]:.1f} s to start (longest {summary[1]:.1f} s): have your first "
                "sentence ready for each part of the call.",
            )
        )
    if d.wpm is not None and not PACE_FINE[0] <= d.wpm <= PACE_FINE[1]:
        fast = d.wpm > PACE_FINE[1]
        out.append(
            Advice(
                "pace",
                40.0 + abs(d.wpm - (PACE_FINE[1] if fast else PACE_FINE[0])) / 5,
                f"{d.wpm:.0f} words a minute is {'fast' if fast else 'slow'} for the phone: aim for 125-150.",
            )
        )
    t = d.talk_share
    if t is not None and not TALK_SHARE_FINE[0] <= t.share <= TALK_SHARE_FINE[1]:
        more = t.share > TALK_SHARE_FINE[1]
        out.append(
            Advice(
                "talk_share",
                30.0,
                f"You did {t.share:.0%} of the talking: "
                + ("leave room for their answer." if more else "it is your call; say why you are calling."),
            )
        )
    return out


def delivery_advice(d: Delivery) -> list[Advice]:
    """Every piece of delivery advice that applies, the one that matters most first."""
    return sorted(_volume(d) + _pitch(d) + _words(d) + _timing(d), key=lambda a: -a.weight)


def top_advice(d: Delivery) -> Advice | None:
    """The one piece of delivery advice a report puts under "What to work on"."""
    ranked = delivery_advice(d)
    return ranked[0] if ranked else None
