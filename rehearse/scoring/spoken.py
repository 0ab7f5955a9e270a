"""The delivery of a spoken call, added to its score: the voice figures of every answer (scoring.voice) and the
exchange with the interviewer - how long each answer took to start, which ones began over the interviewer, and who
did the talking.

The loop records two times on a live call's turns (values.Turn): when each interviewer line's audio finished
playing, and when the answer's first speech was detected, both on the session's clock. Everything else is worked out
here: the line's speech ends before its audio does (synthesised clips end in silence), so the silence at the end of
the saved line is taken off. Files and typed calls have no such times: their response delays and overlaps are None,
never 0. Nor does the demo: its clock counts audio and its answers are placed back from their ends (the scripted
microphone keeps no time), so a delay there would include the silence that ended the answer. Its talk share is
still true.

- **Hesitation**: an answer starting HESITANT_DELAY = 1.0 s or more after the line ended. People answer within
  about 200 ms (Stivers et al. 2009, ten languages); past about 700 ms a gap starts to signal trouble or reluctance
  (Kendrick & Torreira 2015). A second leaves room for the microphone's and speaker's latency (tens of ms here).
- **Overlap**: speech detected more than OVERLAP_TOLERANCE = 0.1 s before the line's audio ended (the echo guard
  keeps the line's own echo from counting as speech).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from rehearse.scoring.hedges import QuestionRules, load_delivery_words
from rehearse.scoring.rubric import load_rubric
from rehearse.scoring.text import WordMap
from rehearse.scoring.voice import Answer, VoiceFigures, measure_voice
from rehearse.values import AnswerFigures, Audio, CallScore, Session, TalkShare, Transcript, Turn

HESITANT_DELAY = 1.0
OVERLAP_TOLERANCE = 0.1
END_FRAME = 0.01  # seconds per frame when finding where a line's speech ends
SPEECH_BELOW_PEAK_DB = 40.0  # a frame this far below the line's loudest is silence (espeak's tails are exact 0)


@lru_cache(maxsize=1)
def _language() -> tuple[WordMap, QuestionRules]:
    rubric = load_rubric()
    return rubric.words, load_delivery_words(rubric).questions


def _answered(session: Session) -> list[tuple[Turn, Turn | None]]:
    """Each answer that said something, with the interviewer line just before it (None for none)."""
    out: list[tuple[Turn, Turn | None]] = []
    before: Turn | None = None
    for t in session.turns:
        if t.speaker == "interviewer":
            before = t
        elif t.text.strip():
            out.append((t, before))
    return out


def trailing_silence(clip: Audio) -> float:
    """Seconds of silence at the end of a clip: synthesised lines end in a few hundred ms of it, which the
    candidate does not hear as the interviewer still speaking."""
    frame = int(END_FRAME * clip.sample_rate)
    n = len(clip.samples) // frame
    if not n:
        return 0.0
    blocks = np.asarray(clip.samples[: n * frame], dtype=np.float64).reshape(n, frame)
    rms = np.sqrt(np.mean(blocks**2, axis=1))
    loud = np.nonzero(rms >= float(np.max(rms)) * 10 ** (-SPEECH_BELOW_PEAK_DB / 20))[0]
    return float(len(clip.samples) / clip.sample_rate - (int(loud[-1]) + 1) * END_FRAME) if len(loud) else 0.0


def response_delay(answer: Turn, line: Turn | None, tail: float = 0.0) -> float | None:
    """Seconds from the end of the line's speech (its audio's end, less the `tail` of silence in it) to the
    answer's first speech; negative when the answer began over the line."""
    if line is None or line.audio_end is None or answer.speech_start is None:
        return None
    return round(float(answer.speech_start - (line.audio_end - tail)), 2)


def _talk_share(
    pairs: Sequence[tuple[Turn, Turn | None]], session: Session, seconds: Callable[[Turn], float]
) -> TalkShare | None:
    ours = sum(max(t.words[-1].end - t.words[0].start, 0.0) if t.words else t.end - t.start for t, _ in pairs)
    theirs = sum(seconds(t) for t in session.turns if t.speaker == "interviewer" and t.audio)
    if ours + theirs <= 0:
        return None
    return TalkShare(round(ours, 1), round(theirs, 1), round(ours / (ours + theirs), 2))


def _with_delays(answers: Sequence[AnswerFigures], delays: dict[int, float | None]) -> tuple[AnswerFigures, ...]:
    return tuple(
        replace(a, response_delay=delays.get(a.turn), overlap=bool((delays.get(a.turn) or 0.0) < -OVERLAP_TOLERANCE))
        for a in answers
    )


def _apply(score: CallScore, voice: VoiceFigures, **extra: object) -> CallScore:
    delivery = replace(
        score.delivery,
        pitch=voice.pitch,
        uptalk=voice.uptalk if voice.answers else None,
        statements=voice.statements if voice.answers else None,
        volume=voice.volume,
        answers=voice.answers,
        **extra,  # type: ignore[arg-type]
    )
    return replace(score, delivery=delivery)


def with_session_voice(score: CallScore, session: Session, audio_of: Callable[[Turn], Audio | None]) -> CallScore:
    """The score with its delivery measured from the session's recordings and turn times; a typed session (no
    recordings) comes back unchanged."""
    pairs = _answered(session)
    answers = []
    for turn, _line in pairs:
        audio = audio_of(turn) if turn.audio else None
        if audio is not None:
            answers.append(Answer(turn.index, turn.start, audio, turn.words))
    if not answers:
        return score
    voice = measure_voice(answers, _language(), session.noise_floor_db)

    def seconds(t: Turn) -> float:
        clip = audio_of(t)
        return clip.duration if clip is not None else max(t.end - t.start, 0.0)

    share = _talk_share(pairs, session, seconds)
    if session.mode != "spoken" or all(t.audio_end is None for t in session.turns):
        return _apply(score, voice, talk_share=share)
    tails = {t.index: trailing_silence(c) for t in session.turns if t.audio_end is not None and (c := audio_of(t))}
    delays = {t.index: response_delay(t, line, tails.get(line.index, 0.0) if line else 0.0) for t, line in pairs}
    overlaps = sum(1 for d in delays.values() if d is not None and d < -OVERLAP_TOLERANCE)
    return _apply(
        score,
        replace(voice, answers=_with_delays(voice.answers, delays)),
        response_delay=tuple(delays[t.index] for t, _ in pairs),
        overlaps=overlaps,
        talk_share=share,
    )


def with_file_voice(score: CallScore, audio: Audio, transcript: Transcript) -> CallScore:
    """The score of a recording with its voice measured; a file has no interviewer, so no delays or talk share."""
    voice = measure_voice([Answer(0, 0.0, audio, transcript.words)], _language())
    return _apply(score, voice)
