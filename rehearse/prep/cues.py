"""Rehearsals that fade the script: while the candidate answers, the screen shows the next section's line (full),
two or three of its key words (keywords), or nothing (none).

`auto` decides per section, from history: the full line until that section has scored 80 or more twice, then the
key words until it has done so twice more without the full line, then nothing. Per section, not per call, because
sections are learned at different speeds: the greeting is known by heart after a rehearsal or two while the answer
to the concern takes longer, and a call-wide level would either keep prompting the one or drop the other too soon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rehearse.values import CUE_LEVELS, SECTION_IDS, Cues, section_label

if TYPE_CHECKING:
    from rehearse.history import HistoryPoint
    from rehearse.plan import Plan
    from rehearse.prep.callscript import Script, ScriptSection

CUE_MODES = (*CUE_LEVELS, "auto")
MASTERED = 80  # a section scored this or more counts as said well
TIMES = 2  # ...this many times before the cue fades a step
FADED = frozenset({"keywords", "none"})  # said without the full line in front of you
# What the other side just asked for, and the section that answers it: a cue follows the conversation, not only the
# guide's order (the interviewer may raise the concern before the candidate reaches it).
ANSWERS = {
    "concern": "questions",
    "probe": "questions",
    "example": "strengths",
    "who": "greeting",
    "what_about": "purpose",
}


@dataclass(frozen=True)
class Cue:
    """What to show before one answer."""

    section: str  # a rubric section id, or "gatekeeper" / "voicemail"
    title: str
    level: str  # one of CUE_LEVELS
    text: str  # the line, or the key words joined; "" at level none


def fixed(mode: str) -> Cues:
    """The same level for every section."""
    return Cues(mode, tuple((sid, mode) for sid in SECTION_IDS))


def auto(points: Sequence[HistoryPoint]) -> tuple[Cues, tuple[str, ...]]:
    """Per-section levels from past rehearsals (oldest first), and one reason per section."""
    levels: list[tuple[str, str]] = []
    reasons: list[str] = []
    for sid in SECTION_IDS:
        good = [p for p in points if p.section(sid) >= MASTERED]
        faded = [p for p in good if p.cues.level(sid) in FADED]
        if len(good) < TIMES:
            level, why = "full", f"{len(good)} of {TIMES} rehearsals at {MASTERED}+ so far"
        elif len(faded) < TIMES:
            level, why = "keywords", f"{MASTERED}+ {len(good)} times; {len(faded)} of {TIMES} without the full line"
        else:
            level, why = "none", f"{MASTERED}+ {len(faded)} times without the full line"
        levels.append((sid, level))
        reasons.append(f"{section_label(sid)}: {level} ({why})")
    return Cues("auto", tuple(levels)), tuple(reasons)


def most_support(cues: Cues) -> str:
    """The most help any section gets: a voicemail or receptionist line is the whole call in one breath."""
    return min((cues.level(sid) for sid in SECTION_IDS), key=CUE_LEVELS.index)


def next_cue(
    scripts: dict[str, Script], cues: Cues, said: Sequence[str], plan: Plan | None, stage: str, expecting: str
) -> Cue | None:
    """The cue for the answer about to be given: the receptionist or voicemail line at those stages, else the
    section the other side just asked for, else the first section of the script not yet said."""
    if stage == "ended":
        return None
    if stage in ("reception", "voicemail"):
        # A receptionist who offers to take a message gets the voicemail: who, the role, why, the number.
        message = stage == "voicemail" or expecting == "message"
        part = scripts["voicemail" if message else "gatekeeper"].sections[0]
        return _cue(part, most_support(cues))
    call = scripts["call"]
    asked = call.section(ANSWERS.get(expecting, ""))
    if asked is not None:
        return _cue(asked, cues.level(asked.id))
    present = _present(said, plan)
    for part in call.sections:
        if part.id not in present:
            return _cue(part, cues.level(part.id))
    return None


def _present(said: Sequence[str], plan: Plan | None) -> frozenset[str]:
    if not said:
        return frozenset()
    from rehearse.scoring.scorer import score_call

    return frozenset(score_call(list(said), plan).present)


def _cue(part: ScriptSection, level: str) -> Cue:
    text = {"full": part.line, "keywords": " · ".join(part.keywords)}.get(level, "")
    return Cue(part.id, part.title, level, text)
