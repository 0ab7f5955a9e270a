"""Has the candidate finished? The end of a turn judged from the words as well as the silence.

A fixed silence cannot serve both ends: long enough not to cut a thinking pause (1.2 s and more) is too slow for a
reply after a finished sentence. The answer so far is already being transcribed at every pause
(stt.IncrementalTranscriber), so its last words are known a few hundred milliseconds into the pause: a complete
sentence or a question ends the turn after a short silence; a thought left hanging on "and", "because", "the" or
"um" waits longer, and so does a pause whose words are not known yet. The word list is prompts/turn_end.toml.

Measured offline on 72 answers of 7.7-9.3 s (5 espeak-ng and 4 flite voices; 24 each with a 0.6 s pause at a
sentence boundary, a 0.6 s pause mid-clause, and a 1.2 s thinking pause mid-clause), judged 0.2 s into each pause
on tiny.en's transcript of the answer so far:

    judge                                  true ends judged complete  0.6 s sentence  0.6 s mid-clause  1.2 s think
    these words (last word decides)        70/72 (97 %)               24/24           6/24              1/24
    ...with a trailing comma as hanging    67/72 (93 %)               23/24           4/24              1/24
    pipecat Smart Turn v3.2, p > 0.5       5-12/72 (7-17 %)           6-7/24          1-3/24            4/24

    policy (complete X / hanging Y)        splits at 0.6 s sentence / 0.6 s mid-clause / 1.2 s thinking
    fixed 1.0 s (the old default)          0 / 0 / 24 of 24
    words, X 0.7 s, Y 1.3 s                0 / 0 / 1 of 24

No judge tells a 0.6 s pause between two sentences from the end of the answer (the words say "complete" 96-100 % of
the time), so a complete statement still needs 0.7 s of silence. Through the virtual microphone the endpointer saw
the robot candidate's 0.6 s pauses as 0.58-0.80 s of silence (Silero is slow to hear speech start again), so 0.7 s
is already the floor for statements. A last sentence that asks something or takes leave ("...when you expect to
decide?", "...have a good afternoon, goodbye.") hands the turn over: the interviewer answers after 0.45 s, as people
do. The price, taken on purpose: a candidate who asks and then goes on after a 0.6 s pause is answered in that
pause, as a person on the phone would answer them. Smart
Turn (an 8.7 MB ONNX model inside the pipecat-ai wheel) recognised few true ends of these synthetic voices, cost
~155 ms of CPU per decision, and would add 275 MB of dependencies (numba, llvmlite, openai, pydantic...) with
pipecat-ai installed normally: not adopted.

Two more judges, measured 2026-11-30 on 90 commas inside sentences and 90 sentence-final full stops from the blind
corpora's lines (flite slt and rms, espeak-ng en-us), each drafted 0.2 s into the silence:
- Whisper's own odds of a comma against a full stop where the draft ends (CTranslate2's logits at that token): of
  the commas whose draft read complete, 24/65 had a comma share of 0.2 or more, and so did 9/61 true ends. Waiting
  1.3 s on that share would keep a third of those clauses whole and slow one true end in seven: not adopted.
- Drafting later, 0.5 s into the silence: Whisper then writes a full stop more often, so 12 fewer true ends read as
  hanging (17 -> 5 of 90) but 12 more commas read as finished (65 -> 77 of 90): the missing full stop at 0.2 s is a
  weak sign of a thought going on, and it is kept.
- LiveKit's audio end-of-turn model ships inside the livekit-local-inference wheel on PyPI (35 MB), but its model
  licence allows it only inside LiveKit Agents: not usable here.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rehearse.audio.levels import frame_rms
from rehearse.resources import prompts_dir
from rehearse.values import Transcript

log = logging.getLogger(__name__)

Verdict = Literal["yielding", "complete", "hanging", "unknown"]

COMPLETE_SILENCE = 0.7  # seconds of silence that end a turn whose words are a finished statement
HANGING_SILENCE = 1.3  # ... whose words are left hanging: a 1.2 s thinking pause is kept whole
# ... while the words are not known yet: as long as a hanging thought, so that a slow transcription never cuts a
# thinking pause; when the words arrive and are complete, the turn ends at once if 0.7 s have passed.
UNKNOWN_SILENCE = HANGING_SILENCE
# ... whose last sentence asks something or takes leave: the turn is handed over, and people answer at once.
YIELDING_SILENCE = 0.45
# A prefix transcription belongs to the current pause when its cut lies no earlier than this before the pause.
CUT_TOLERANCE = 0.2
# Whisper leaves out a lone "and", "so" or "um" said after a finished sentence ("...what you need. And"), and the
# words then read as complete: a robot call split there at a 1.2 s pause. The sound still shows it: a last burst of
# at most LONE_WORD_SECONDS after a gap of at least LONE_GAP_SECONDS. That burst is then transcribed on its own
# (130-330 ms more on the draft's worker); if it is the draft's own last word, nothing was left out. Measured on 8
# sentences x 6 voices (flite slt/kal/awb/rms, espeak-ng en-us/en-gb) in a quiet room (noise -60 to -45 dBFS), where
# tiny.en's draft read as complete: 47 of the 53 trailing words it dropped end on such a burst, and 42 of those are
# held open; 4 of 48 true ends do too, 3 of them cleared by the burst's own words, so 1 waits 1.3 s, not 0.7 s. In
# noise 14 dB under the speech nothing is judged (LONE_MIN_RANGE_DB): the words decide, as before.
SAME_WORD_RATIO = 75  # RapidFuzz ratio at which the lone burst's words repeat the draft's last word
LONE_WORD_SECONDS = 0.45
LONE_GAP_SECONDS = 0.1
LONE_FRAME_SECONDS = 0.01
LONE_BRIDGE_SECONDS = 0.06  # shorter dips are inside a word (stop closures)
LONE_BELOW_LOUD_DB = 26.0  # sound: within this of the answer's loud frames...
LONE_OVER_NOISE_DB = 10.0  # ...and this far above its quiet ones
LONE_MIN_RANGE_DB = 18.0  # loud frames less than this over quiet ones (heavy noise): no judgement, the words decide
LONE_PERCENTILES = (10, 90)  # the answer's quiet and loud frames
_FINAL = re.compile(r"[.!?]['\")\]]*$")
_WORD = re.compile(r"[\w']+")
_SENTENCE_END = re.compile(r"[.!?…]+\s+")
_AUX = r"(?:do|does|did|is|are|was|were|will|would|could|can|should|might|may|have|has)"
_QUESTION_OPENING = re.compile(
    r"^(?:(?:so|and|also|just|okay|ok|well|um|uh|sorry)[,\s]+)*"
    rf"(?:(?:when|what|where|who|how|which|why)\s+(?:{_AUX}|long|soon|much|many|comes|happens)\b"
    rf"|{_AUX}\s+(?:you|we|i|there|it|they|anyone|someone|the|that|this)\b)"
)


@functools.lru_cache(maxsize=1)
def _word_lists() -> dict[str, list[str]]:
    return tomllib.loads((prompts_dir() / "turn_end.toml").read_text("utf-8"))


def hanging_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _word_lists()["hanging"])


def ambiguous_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in _word_lists().get("ambiguous", []))


@functools.lru_cache(maxsize=4)
def _phrases(key: str) -> re.Pattern[str]:
    phrases = sorted((re.escape(str(p).lower()) for p in _word_lists().get(key, [])), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b") if phrases else re.compile(r"(?!)")


def _hands_over(sentence: str) -> bool:
    """The last sentence asks something (by its opening or a phrase of asking) or takes leave."""
    s = sentence.lower().replace("’", "'")
    return bool(_QUESTION_OPENING.match(s) or _phrases("asking").search(s) or _phrases("leave_taking").search(s))


def _leave_taking_at_end(text: str) -> bool:
    """The last words thank or take leave: a short last burst is then those words, not one left out."""
    last = " ".join(_WORD.findall(text.lower().replace("’", "'"))[-4:])
    return bool(_phrases("leave_taking").search(last) or re.search(r"\bthank(?:s| you)(?: very much)?$", last))


def verdict(text: str) -> Verdict:
    """Whether the words so far end a thought: final punctuation, and a last word that needs nothing after it."""
    text = text.strip()
    if not text:
        return "unknown"
    # The last word decides: Whisper's commas and ellipses at a pause were wrong as often as right (see above).
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not words or words[-1] in hanging_words():
        return "hanging"
    final = bool(_FINAL.search(text)) and not text.endswith(("…", "..."))
    if not final and (words[-1] in ambiguous_words() or not text.endswith((",", "…", "..."))):
        return "hanging"
    last = _SENTENCE_END.split(text.rstrip(" .!?…,\"')"))[-1]
    return "yielding" if text.rstrip("\"')] ").endswith("?") or _hands_over(last) else "complete"


def lone_last_word(samples: np.ndarray, rate: int) -> tuple[int, int] | None:
    """The answer's last sound is one short word on its own, after a gap: a word a draft may have left out.
    Returns its (start, end) sample span, or None."""
    levels = frame_rms(samples, rate, LONE_FRAME_SECONDS)
    if len(levels) < 10:
        return None
    quiet, loud = (float(x) for x in np.percentile(levels, LONE_PERCENTILES))
    if loud < quiet * 10 ** (LONE_MIN_RANGE_DB / 20):
        return None
    sound = levels > max(loud * 10 ** (-LONE_BELOW_LOUD_DB / 20), quiet * 10 ** (LONE_OVER_NOISE_DB / 20), 1e-6)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], sound.astype(np.int8), [0]])))
    bursts = [[int(a), int(b)] for a, b in zip(edges[::2], edges[1::2], strict=True)]
    bridge = round(LONE_BRIDGE_SECONDS / LONE_FRAME_SECONDS)
    merged: list[list[int]] = []
    for a, b in bursts:
        if merged and a - merged[-1][1] < bridge:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    if len(merged) < 2:
        return None
    (_, end_before), (start, end) = merged[-2], merged[-1]
    short = (end - start) * LONE_FRAME_SECONDS <= LONE_WORD_SECONDS
    apart = (start - end_before) * LONE_FRAME_SECONDS >= LONE_GAP_SECONDS - 1e-9
    frame = round(LONE_FRAME_SECONDS * rate)
    return (start * frame, end * frame) if short and apart else None


def lone_word_matters(text: str) -> bool:
    """Whether a lone last sound could change the verdict on these words: only a finished thought can be held
    open by a word left out, and a leave-taking at the end is taken as said (the call is ending)."""
    return verdict(text) in ("complete", "yielding") and not _leave_taking_at_end(text)


def _repeats_last_word(text: str, lone: str) -> bool:
    """The lone sound, transcribed on its own, is the draft's own last word: it was not left out after all."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not words or len(words[-1]) < 3 or words[-1] in hanging_words():
        return False
    from rapidfuzz import fuzz

    # Fuzzy: a word heard alone is often misheard ("Freight" came back as "That's right.").
    return any(fuzz.ratio(words[-1], w) >= SAME_WORD_RATIO for w in _WORD.findall(lone.lower().replace("’", "'")))


@dataclass(frozen=True)
class Draft:
    """The answer's words up to a pause, and what its sound says about the end."""

    transcript: Transcript
    lone_last_word: bool = False  # the sound ends on a short burst after a gap (see lone_last_word)
    lone_text: str = ""  # that burst transcribed on its own


@dataclass(frozen=True)
class TurnEndTimes:
    """Seconds of silence that end a turn, by what the words say."""

    complete: float = COMPLETE_SILENCE
    hanging: float = HANGING_SILENCE
    unknown: float = UNKNOWN_SILENCE
    yielding: float = YIELDING_SILENCE

    def of(self, v: Verdict) -> float:
        return getattr(self, v)


PrefixLookup = Callable[[float], Draft | None]


class TurnEndJudge:
    """The endpointer's TurnJudge for one answer: asks the transcriber what was said up to the current pause.

    `prefix_at(pause_start)` returns the finished transcript of the answer up to a cut inside that pause, or None
    while it is still being decoded (IncrementalTranscriber.prefix_at). `on_complete` hears the words once per
    pause when they end a thought, so the reply can be prepared while the silence runs out.
    """

    def __init__(
        self,
        prefix_at: PrefixLookup,
        times: TurnEndTimes | None = None,
        on_complete: Callable[[str], None] | None = None,
    ) -> None:
        self.prefix_at, self.times, self.on_complete = prefix_at, times or TurnEndTimes(), on_complete
        self._judged: tuple[float, Verdict] | None = None  # (pause start, verdict) once the words are known
        self.verdicts: list[tuple[float, Verdict]] = []  # every pause's final verdict, for tests and benches

    def end_silence(self, pause_start: float) -> float:
        if self._judged is not None and self._judged[0] == pause_start:
            return self.times.of(self._judged[1])
        draft = self.prefix_at(pause_start - CUT_TOLERANCE)
        if draft is None:
            return self.times.unknown
        text = draft.transcript.text
        v = verdict(text)
        if draft.lone_last_word and lone_word_matters(text):
            # A word the draft left out, unless it is the draft's own last word; a lone "bye" or "thanks" is in the
            # words anyway, and ends the call.
            v = v if _repeats_last_word(text, draft.lone_text) else "hanging"
        log.debug(
            "pause at %.2f s: %s after %r%s",
            pause_start,
            v,
            text[-60:],
            f" + a lone {draft.lone_text!r}" * draft.lone_last_word,
        )
        self._judged = (pause_start, v)
        self.verdicts.append(self._judged)
        if v in ("complete", "yielding") and self.on_complete is not None:
            self.on_complete(text)
        return self.times.of(v)
