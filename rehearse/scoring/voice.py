"""How the answers sounded: pitch, uptalk on statements, volume against the room, and trailing off.

Every figure comes from the answers' own audio and the recogniser's word timings; the words decide what a sentence
is (statement or question, scoring.hedges). The thresholds, and where they come from:

- **Monotone**: the 10th-90th percentile pitch range of the call under MONOTONE_RANGE_ST = 4 semitones. Spoken
  English spreads F0 by roughly two to four semitones SD, the same in semitones for men and women and wider the
  livelier the talk (Traunmueller & Eriksson 1995, "The frequency range of the voice fundamental"); a normal
  distribution's 10-90 span is 2.56 SD, so ordinary talk spans about 5-10 semitones. Listeners' liveliness ratings
  follow the normalised F0 spread closely (Hincks 2005, r = .83), which is what Speaker Coach's monotone flag is
  built on. 4 semitones is an SD of ~1.6: flatter than ordinary talk. On the bench, espeak-ng's narrowed voices
  span 0.5-1 semitone, its default voice 2.6 (it sounds robotic), its widened ones 8-9.
- **Uptalk**: a statement whose last voiced 300-500 ms (UPTALK_WINDOW) rises by UPTALK_RISE_ST = 2 semitones or
  more, from the lowest point of the window to the top of its last 80 ms (a 50 ms running median first, so one
  stray frame cannot make a rise). Statements end falling (final lowering); a pitch movement of 0.3-0.5 s is heard
  as a movement from about 0.3-0.6 semitone ('t Hart, Collier & Cohen 1990, glissando threshold 0.16/T^2 ST/s),
  so 2 semitones is a rise anyone hears, and above the largest "rise" the tracker found in an unbent synthetic
  statement on the bench. 3 semitones ('t Hart's step for telling two movements' sizes apart) missed most
  statements bent up 6 semitones: the bend rides on the statement's own fall of 3-5 semitones.
- **Too quiet**: speech below TOO_QUIET_DBFS = -40 dBFS (the endpointer's own "too quiet" level), or an SNR under
  MIN_SNR_DB = 15 dB: this project's recogniser goes from 7 % WER clean to 26 % at 10 dB (README, bench_stt), and
  a listener on a phone line loses words the same way.
- **Trailing off**: the last words of an answer - its last TRAIL_SECONDS = 0.5 s of sound, frames ACTIVE_DB above
  the room - TRAIL_DROP_DB = 6 dB or more below the answer, as the issue asks, both levels read at their loud
  frames (75th percentile: the vowels). 6 dB is half the amplitude, well past the 1-2 dB a listener needs to
  notice a level change. (The median of all frames, consonants and stop closures included, flagged unramped
  statements ending in "last week": their end is full of quiet consonants.)
- **Noise floor**: the room as calibrated before a live call (audio.endpoint.calibrate_room, kept on the session);
  for files and the demo, the NOISE_PERCENTILE-th percentile of all 20 ms frames: the quietest frames, the pauses.

Measured on 200 clips made at bench time (`python bench/bench_delivery.py`: espeak-ng and flite statements, Whisper
for the words): uptalk precision 0.95, recall 0.70 (bent up 6 semitones 21/25 found, 4 semitones 14/25; unbent or
bent down 2/50 flagged; the misses are espeak-ng statements whose own final fall of 3-5 semitones eats the bend);
monotone precision and recall 1.00 (40 clips); trailing off precision 0.96, recall 0.87 (60 clips).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rehearse.scoring.hedges import QuestionRules, is_question
from rehearse.scoring.prosody import STEP, frame_levels, semitones, spread_semitones, track_pitch
from rehearse.scoring.text import WordMap
from rehearse.values import AnswerFigures, Audio, PitchFigures, TimedSpan, VolumeFigures, Word

MONOTONE_RANGE_ST = 4.0
UPTALK_RISE_ST = 2.0
UPTALK_WINDOW = (0.3, 0.5)  # seconds of voicing at a statement's end that are looked at: at least, at most
UPTALK_END_FRAMES = 8  # the last 80 ms: where the rise is read
SMOOTH_FRAMES = 5  # running median over 50 ms
TOO_QUIET_DBFS = -40.0
MIN_SNR_DB = 15.0
TRAIL_DROP_DB = 6.0
TRAIL_SECONDS = 0.5  # the "last words": as many final words as it takes to cover this much speech
TRAIL_MIN_WORDS = 4  # an answer of a word or two has no ending to trail off from
TRAIL_MIN_FRAMES = 10  # frames of sound (0.1 s) at the end before a drop means anything
NUCLEUS_PERCENTILE = 75  # the level of the loud frames: syllable nuclei, not the consonants between them
ACTIVE_DB = 10.0  # a frame this far above the room is sound: where an answer ends, whatever the word timings say
NOISE_PERCENTILE = 10
MIN_GAP_FRAMES = 20  # 0.2 s of pauses between words before they alone decide the floor
GAP_MARGIN = 0.1  # seconds around a word that still belong to it (the recogniser's word edges are loose)
MIN_VOICED_FRAMES = 50  # half a second of voicing before a pitch figure means anything
SENTENCE_END_RE = re.compile(r"[.!?;…]$")


@dataclass(frozen=True)
class Answer:
    """One answer to measure: its audio, where it sits in the call, and what the recogniser heard in it."""

    turn: int  # the turn's index in the session (0 for a recording scored as a file)
    start: float  # seconds from the start of the call at the audio's first sample
    audio: Audio
    words: tuple[Word, ...]  # times relative to the audio's start


@dataclass(frozen=True)
class Heard:
    """One answer measured: its frames and its figures, before the call's are pooled."""

    answer: Answer
    voiced_hz: np.ndarray  # every voiced frame's F0
    speech_db: np.ndarray  # the level of every frame inside a word
    all_db: np.ndarray  # the level of every frame
    gap_db: np.ndarray  # the level of the frames well away from any word: the pauses, where the room is heard
    uptalk: tuple[TimedSpan, ...]
    statements: int  # statements whose ending could be measured
    trailing: TimedSpan | None


@dataclass(frozen=True)
class VoiceFigures:
    pitch: PitchFigures | None
    uptalk: tuple[TimedSpan, ...]
    statements: int
    volume: VolumeFigures | None
    answers: tuple[AnswerFigures, ...]


def sentences(words: Sequence[Word]) -> list[tuple[int, int]]:
    """(first, last) word index of each sentence, cut where a word ends with sentence punctuation."""
    out: list[tuple[int, int]] = []
    first = 0
    for i, w in enumerate(words):
        if SENTENCE_END_RE.search(w.text.strip()) or i == len(words) - 1:
            out.append((first, i))
            first = i + 1
    return out


def _smooth(values: np.ndarray, k: int = SMOOTH_FRAMES) -> np.ndarray:
    h = k // 2
    return np.array([np.median(values[max(0, i - h) : i + h + 1]) for i in range(len(values))])


def final_rise(f0: np.ndarray, first: float, start: float, end: float) -> tuple[float, float, float] | None:
    """(rise in semitones, window start, window end) over the last voiced 300-500 ms before `end`; None when the
    stretch has too little voicing to judge. Times are seconds in the clip."""
    times = first + np.arange(len(f0)) * STEP
    voiced = np.nonzero((f0 > 0) & (times >= start) & (times <= end + 0.15))[0]
    if not len(voiced):
        return None
    last = times[voiced[-1]]
    window = voiced[times[voiced] >= last - UPTALK_WINDOW[1]]
    span = last - times[window[0]]
    if span < UPTALK_WINDOW[0] - 0.05 or len(window) < UPTALK_END_FRAMES + 10:
        return None
    track = _smooth(semitones(f0[window], float(np.median(f0[window]))))
    rise = float(np.max(track[-UPTALK_END_FRAMES:]) - np.min(track[:-UPTALK_END_FRAMES]))
    return rise, float(times[window[0]]), float(last)


def _words_text(words: Sequence[Word], start: float, end: float) -> str:
    picked = [w.text.strip() for w in words if w.end > start and w.start < end]
    return " ".join(picked).strip()


def _uptalk(
    answer: Answer, f0: np.ndarray, first: float, language: tuple[WordMap, QuestionRules]
) -> tuple[tuple[TimedSpan, ...], int]:
    found: list[TimedSpan] = []
    measured = 0
    words = answer.words
    cuts = sentences(words)
    for k, (a, b) in enumerate(cuts):
        text = " ".join(w.text.strip() for w in words[a : b + 1])
        if is_question(text, *language):
            continue
        # A sentence's voice runs on until the next one starts: the recogniser often ends a word early, or drops
        # the last one, exactly when its pitch does something unusual.
        until = words[cuts[k + 1][0]].start - 0.15 if k + 1 < len(cuts) else answer.audio.duration
        rise = final_rise(f0, first, words[a].start, max(until, words[b].end))
        if rise is None:
            continue
        measured += 1
        if rise[0] >= UPTALK_RISE_ST:
            said = _words_text(words[a : b + 1], rise[1], rise[2]) or words[b].text.strip()
            found.append(
                TimedSpan(said, round(answer.start + rise[1], 2), round(answer.start + rise[2], 2), round(rise[0], 1))
            )
    return tuple(found), measured


def _in_words(times: np.ndarray, words: Sequence[Word]) -> np.ndarray:
    inside = np.zeros(len(times), dtype=bool)
    for w in words:
        inside |= (times >= w.start) & (times < w.end)
    return inside


def _trailing(answer: Answer, times: np.ndarray, levels: np.ndarray, floor: float) -> TimedSpan | None:
    """The answer's last TRAIL_SECONDS of sound against all of it, both read at their loud frames (the
    NUCLEUS_PERCENTILE: the vowels; a final "st" or "k" is quiet in anyone's voice). Sound, not the recogniser's
    words, marks where the answer ends: Whisper stretches a last word into the silence after it, or drops a faded
    one altogether."""
    if len([w for w in answer.words if w.text.strip()]) < TRAIL_MIN_WORDS:
        return None
    active = np.nonzero(levels >= floor + ACTIVE_DB)[0]
    if len(active) < MIN_VOICED_FRAMES:
        return None
    last = times[active[-1]] + STEP
    tail = active[times[active] >= last - TRAIL_SECONDS]
    if len(tail) < TRAIL_MIN_FRAMES:
        return None
    whole, end = (float(np.percentile(levels[i], NUCLEUS_PERCENTILE)) for i in (active, tail))
    drop = whole - end
    if drop < TRAIL_DROP_DB:
        return None
    start = float(times[tail[0]])
    text = _words_text(answer.words, start, last) or answer.words[-1].text.strip()
    return TimedSpan(text, round(answer.start + start, 2), round(answer.start + last, 2), round(drop, 1))


def hear(answer: Answer, language: tuple[WordMap, QuestionRules], room_db: float | None = None) -> Heard:
    """Track one answer and find its uptalk and trailing off."""
    f0, first = track_pitch(answer.audio)
    times = np.arange(int(answer.audio.duration / STEP)) * STEP
    levels = frame_levels(answer.audio, times) if len(times) else np.zeros(0)
    inside = _in_words(times, answer.words) if answer.words else np.zeros(len(times), dtype=bool)
    padded = [Word(w.text, w.start - GAP_MARGIN, w.end + GAP_MARGIN) for w in answer.words]
    gaps = levels[~_in_words(times, padded)] if answer.words else np.zeros(0)
    uptalk, statements = _uptalk(answer, f0, first, language) if answer.words else ((), 0)
    floor = room_db if room_db is not None else float(np.percentile(levels, NOISE_PERCENTILE)) if len(levels) else 0.0
    trailing = _trailing(answer, times, levels, floor)
    return Heard(answer, f0[f0 > 0], levels[inside], levels, gaps, uptalk, statements, trailing)


def _pitch(voiced: np.ndarray) -> PitchFigures | None:
    if len(voiced) < MIN_VOICED_FRAMES:
        return None
    spread = spread_semitones(voiced)
    return PitchFigures(round(float(np.median(voiced)), 1), round(spread, 1), bool(spread < MONOTONE_RANGE_ST))


def _volume(heard: Sequence[Heard], room_db: float | None) -> VolumeFigures | None:
    speech = np.concatenate([h.speech_db for h in heard]) if heard else np.zeros(0)
    if not len(speech):
        return None
    if room_db is not None:
        floor, source = room_db, "room"
    else:
        floor, source = _quietest(heard), "quietest frames"
    median = float(np.median(speech))
    snr = median - floor
    trailing = tuple(h.trailing for h in heard if h.trailing is not None)
    quiet = bool(median < TOO_QUIET_DBFS or snr < MIN_SNR_DB)
    return VolumeFigures(round(median, 1), round(floor, 1), round(snr, 1), source, quiet, trailing)


def _quietest(heard: Sequence[Heard]) -> float:
    """The room from the recordings themselves: a low percentile of the frames between words (the pauses) or of
    all frames, whichever is quieter. A recogniser that drops a word leaves speech in the "pauses"; a clip trimmed
    to its speech has no pauses, and its floor is then an upper bound (quiet consonants)."""
    floor = float(np.percentile(np.concatenate([h.all_db for h in heard]), NOISE_PERCENTILE))
    gaps = np.concatenate([h.gap_db for h in heard])
    return min(floor, float(np.percentile(gaps, NOISE_PERCENTILE))) if len(gaps) >= MIN_GAP_FRAMES else floor


def _answer_figures(h: Heard) -> AnswerFigures:
    a = h.answer
    words = [w for w in a.words if w.text.strip()]
    talk = words[-1].end - words[0].start if words else 0.0
    pitch = _pitch(h.voiced_hz)
    return AnswerFigures(
        turn=a.turn,
        start=round(a.start, 2),
        end=round(a.start + a.audio.duration, 2),
        words=len(words),
        wpm=round(len(words) * 60.0 / talk, 1) if talk >= 2.0 else None,
        median_hz=pitch.median_hz if pitch else None,
        range_semitones=pitch.range_semitones if pitch else None,
        median_dbfs=round(float(np.median(h.speech_db)), 1) if len(h.speech_db) else None,
        response_delay=None,
    )


def measure_voice(
    answers: Sequence[Answer], language: tuple[WordMap, QuestionRules], room_db: float | None = None
) -> VoiceFigures:
    """The call's voice figures from its answers; `room_db` is the floor calibrated before a live call."""
    heard = [hear(a, language, room_db) for a in answers if a.audio.duration > 0]
    voiced = np.concatenate([h.voiced_hz for h in heard]) if heard else np.zeros(0)
    return VoiceFigures(
        pitch=_pitch(voiced),
        uptalk=tuple(u for h in heard for u in h.uptalk),
        statements=sum(h.statements for h in heard),
        volume=_volume(heard, room_db),
        answers=tuple(_answer_figures(h) for h in heard),
    )
