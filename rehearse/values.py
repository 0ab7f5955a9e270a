"""The frozen values every stage of rehearse passes to the next.

audio -> transcript -> section scores -> turn -> session. Nothing here does I/O or imports anything heavy, so every
layer (and every test) can build these by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy is only needed by code that actually holds audio
    import numpy as np

SAMPLE_RATE = 16000  # every stage after capture works on 16 kHz mono float32
SECTION_IDS = ("greeting", "purpose", "strengths", "questions", "next_steps", "closing")
PITFALL_IDS = ("pushy", "informal", "unprepared", "ignores_preferences")
# Short names for charts, tables and history (a rubric's own titles are longer: "Greeting and introduction").
SECTION_LABELS = {
    "greeting": "Greeting",
    "purpose": "Purpose",
    "strengths": "Strengths",
    "questions": "Questions",
    "next_steps": "Next steps",
    "closing": "Closing",
}

Speaker = Literal["interviewer", "candidate"]
ASKED_TOPICS = ("", "concern")  # what an interviewer's line may be marked as asking about (Turn.asked)
SessionMode = Literal["spoken", "typed", "demo", "file"]


@dataclass(frozen=True, eq=False)
class Audio:
    """A mono clip held in memory."""

    samples: np.ndarray  # float32, mono, nominally in [-1, 1]
    sample_rate: int = SAMPLE_RATE  # Hz

    @property
    def duration(self) -> float:
        return len(self.samples) / float(self.sample_rate) if self.sample_rate else 0.0


@dataclass(frozen=True)
class Word:
    """One recognised word with its timing inside the utterance's clip."""

    text: str  # as the recogniser wrote it, punctuation included
    start: float  # seconds from the start of the utterance
    end: float  # seconds from the start of the utterance
    probability: float = 1.0  # recogniser confidence, 0..1


@dataclass(frozen=True)
class Transcript:
    """What a transcriber heard in one clip."""

    text: str  # the whole text, stripped
    words: tuple[Word, ...] = ()  # empty when the engine gives no timings
    engine: str = ""  # e.g. "faster-whisper:tiny.en"
    duration: float = 0.0  # seconds of audio transcribed


def section_label(section_id: str) -> str:
    return SECTION_LABELS.get(section_id, section_id.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Hints:
    """Names and terms from the call plan that the recogniser should expect (spelled as the user writes them)."""

    candidate: str = ""  # the user's own name
    interviewer: str = ""  # who they are calling
    company: str = ""  # the employer
    position: str = ""  # the job title
    skills: tuple[str, ...] = ()  # tools and skills the candidate will mention
    terms: tuple[str, ...] = ()  # any other unusual words (product names, places)
    previous: str = ""  # what was said just before this clip in the same turn; the clip continues it

    @classmethod
    def from_plan(cls, plan: object) -> Hints:
        """Hints from anything with the call plan's attribute names (rehearse.plan.Plan); missing ones stay empty."""
        return cls(
            candidate=str(getattr(plan, "candidate", "") or ""),
            interviewer=str(getattr(plan, "interviewer", "") or ""),
            company=str(getattr(plan, "company", "") or ""),
            position=str(getattr(plan, "position", "") or ""),
            skills=tuple(str(s) for s in getattr(plan, "skills", ()) or ()),
        )

    def vocabulary(self) -> tuple[str, ...]:
        """Every non-empty entry once, names first because they matter most and the prompt may be cut."""
        kept: list[str] = []
        seen: set[str] = set()
        for entry in (self.candidate, self.interviewer, self.company, self.position, *self.skills, *self.terms):
            cleaned = " ".join(entry.split())
            if cleaned and cleaned.lower() not in seen:
                kept.append(cleaned)
                seen.add(cleaned.lower())
        return tuple(kept)


@dataclass(frozen=True)
class Utterance:
    """One stretch of the candidate's speech, as the scorer sees it."""

    text: str
    start: float | None = None  # seconds from the start of the call, when known
    end: float | None = None
    words: tuple[Word, ...] = ()  # word times relative to `start`
    # "concern" when the interviewer had just asked about the interview's concern: the answer needs no pointing back
    reply_to: str = ""


@dataclass(frozen=True)
class ElementMatch:
    """Whether one expected element of a section was said, and where."""

    id: str
    matched: bool
    score: float  # best fuzzy match, 0..100, even when below the threshold
    evidence: str = ""  # the words of the transcript that matched ("" when not matched)
    start: int = -1  # character offsets of the evidence in CallScore.transcript (-1 when not matched)
    end: int = -1
    required: bool = False  # the section counts as present only when every required element matched
    description: str = ""  # what the element is, in words a coach would use


@dataclass(frozen=True)
class SectionScore:
    """The judgement of one of the guide's six sections."""

    id: str  # one of SECTION_IDS
    title: str
    score: int  # 0..100
    present: bool
    elements: tuple[ElementMatch, ...]
    feedback: tuple[str, ...] = ()  # what is weak or missing, in plain words
    suggestion: str = ""  # an example line in the plan's own terms, offered when the section is weak
    start: int = -1  # offset of the earliest evidence, -1 when absent

    @property
    def evidence(self) -> tuple[ElementMatch, ...]:
        return tuple(e for e in self.elements if e.matched)


@dataclass(frozen=True)
class OrderCheck:
    """Did the present sections come in the guide's order?"""

    in_order: bool
    sequence: tuple[str, ...]  # present sections in the order they were said
    out_of_place: tuple[str, ...] = ()  # sections that broke the order
    feedback: str = ""


@dataclass(frozen=True)
class PitfallHit:
    """One of the guide's pitfalls, caught in the act."""

    id: str  # one of PITFALL_IDS
    title: str
    evidence: str  # the words (or the figure) that show it
    start: int = -1  # character offsets in the transcript, -1 for evidence that is not a quote
    end: int = -1
    advice: str = ""


@dataclass(frozen=True)
class HedgeHit:
    """A hedge or weak word ("just", "sort of", "sorry to bother you"), quoted from the transcript."""

    text: str  # the words as the transcript has them
    start: int  # character offsets in CallScore.transcript, like every other piece of evidence
    end: int
    time: float | None = None  # seconds from the start of the call when the words are timed, else None


@dataclass(frozen=True)
class TimedSpan:
    """Words that did something audible (rose at the end of a statement, trailed off), with when and how much."""

    text: str  # the words it happened on
    start: float  # seconds from the start of the call (of the recording, for a file)
    end: float
    amount: float  # uptalk: the rise in semitones; trailing off: how many dB below the answer's median level


@dataclass(frozen=True)
class PitchFigures:
    """The voice's pitch over every answer of the call."""

    median_hz: float  # median fundamental frequency of the voiced frames
    range_semitones: float  # 10th to 90th percentile of the voiced frames, in semitones: a robust spread
    monotone: bool  # the range is below scoring.voice.MONOTONE_RANGE_ST


@dataclass(frozen=True)
class VolumeFigures:
    """How loud the candidate was, against the room."""

    median_dbfs: float  # median level of the frames inside words, dBFS
    noise_floor_dbfs: float  # the room: calibrated before a live call, else the quietest frames of the answers
    snr_db: float  # median_dbfs minus noise_floor_dbfs
    floor_from: str  # "room" (calibrated at the start of the call) or "quietest frames"
    too_quiet: bool  # level or SNR below scoring.voice's limits: "move closer / speak up"
    trailing_off: tuple[TimedSpan, ...] = ()  # answers whose last words fell well below the answer's median


@dataclass(frozen=True)
class AnswerFigures:
    """One answer's own figures, so a coach can see which answer sounded which way."""

    turn: int  # index of the turn in the session; 0 for a recording scored as a file
    start: float  # seconds from the start of the call
    end: float
    words: int  # words recognised in it
    wpm: float | None  # pace over its own speech, None for a very short answer
    median_hz: float | None  # None when too little of it was voiced to measure
    range_semitones: float | None
    median_dbfs: float | None
    response_delay: float | None  # seconds from the end of the interviewer's line to the first speech; live only
    overlap: bool = False  # began while the interviewer was still speaking (live calls only)


@dataclass(frozen=True)
class TalkShare:
    """Who did the talking: seconds of speech from each side of a spoken call."""

    candidate: float  # seconds the candidate's answers lasted
    interviewer: float  # seconds the interviewer's lines played
    share: float  # candidate / (candidate + interviewer), 0..1


@dataclass(frozen=True)
class Contour:
    """Pitch and loudness of one clip frame by frame, for the report's drawing (never stored)."""

    step: float  # seconds between frames
    pitch_hz: tuple[float, ...]  # 0.0 where the frame is unvoiced
    level_db: tuple[float, ...]  # dBFS of each frame


@dataclass(frozen=True)
class Delivery:
    """How the call was said; every figure is None when the transcript carries no timings.

    The voice figures (pitch, uptalk, volume) are None when there was no audio to measure (typed calls, transcripts);
    response_delay and overlaps are None for everything but a spoken call.
    """

    words: int  # words spoken by the candidate
    fillers: int  # um, uh, you know ...
    filler_words: tuple[str, ...] = ()  # which fillers, in order
    talk_time: float | None = None  # seconds the candidate spoke
    wpm: float | None = None  # words per minute over talk time
    fillers_per_minute: float | None = None
    longest_pause: float | None = None  # seconds, the longest silence inside one answer
    section_time: tuple[tuple[str, float], ...] = ()  # (section id, seconds of speech realising it)
    hedges: tuple[HedgeHit, ...] = ()  # hedges and weak words, in order (prompts/delivery.toml)
    hedges_per_minute: float | None = None  # over talk time
    section_wpm: tuple[tuple[str, float], ...] = ()  # (section id, words per minute while realising it)
    pitch: PitchFigures | None = None
    uptalk: tuple[TimedSpan, ...] | None = None  # statements whose ending rose
    statements: int | None = None  # statements whose ending could be measured (what uptalk is out of)
    volume: VolumeFigures | None = None
    response_delay: tuple[float | None, ...] | None = None  # per answer; None inside for an answer with no speech
    overlaps: int | None = None  # answers begun while the interviewer was still speaking
    talk_share: TalkShare | None = None  # spoken calls only
    answers: tuple[AnswerFigures, ...] = ()  # per answer, when there was audio


@dataclass(frozen=True)
class CallScore:
    """The whole judgement of a call: what `rehearse score` reports."""

    overall: int  # 0..100, see prompts/rubric.toml [overall] for the weights
    sections: tuple[SectionScore, ...]  # in guide order
    order: OrderCheck
    pitfalls: tuple[PitfallHit, ...]
    delivery: Delivery
    transcript: str  # the candidate's words the offsets refer to (utterances joined by newlines)
    rubric_version: str = ""

    def section(self, section_id: str) -> SectionScore:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections if s.present)


@dataclass(frozen=True)
class Turn:
    """One line of the conversation, from either side."""

    index: int  # 0-based position in the session
    speaker: Speaker
    text: str
    start: float = 0.0  # seconds from the session start
    end: float = 0.0
    words: tuple[Word, ...] = ()  # times relative to `start`
    audio: str = ""  # file name of this turn's WAV inside the session folder, "" for typed turns
    note: str = ""  # e.g. "re-prompt", "no speech", "interrupted"
    # Live calls only, seconds from the session start on the loop's clock; None elsewhere. They give the candidate's
    # response delay and overlaps (scoring.exchange): the turn's start and end include synthesis and pre-roll.
    audio_end: float | None = None  # interviewer: when the line's audio finished playing
    speech_start: float | None = None  # candidate: when the answer's first speech was detected
    asked: str = ""  # interviewer: "concern" when the line asked about the interview's concern ("" for anything else)


CUE_LEVELS = ("full", "keywords", "none")  # how much of the script a rehearsal showed, most support first


@dataclass(frozen=True)
class Cues:
    """Which cues a rehearsal showed while the candidate answered (`practice --cues`)."""

    mode: str = ""  # "full", "keywords", "none" or "auto"; "" for a session saved before cues existed
    levels: tuple[tuple[str, str], ...] = ()  # (section id, one of CUE_LEVELS), in guide order

    def level(self, section_id: str) -> str:
        """The level shown for a section; a session from before cues showed none."""
        return dict(self.levels).get(section_id, "none")


@dataclass(frozen=True)
class Session:
    """A whole rehearsal: who was called, what was said, how it scored."""

    id: str
    started: str  # ISO 8601 local time
    scenario: str
    mode: SessionMode
    turns: tuple[Turn, ...] = ()
    plan: dict[str, object] = field(default_factory=dict)  # the call plan as the user wrote it
    engine: str = ""  # transcriber used, "" for typed sessions
    complete: bool = False  # False while recording, or when interrupted
    score: CallScore | None = None
    cues: Cues = field(default_factory=Cues)  # what the screen showed while the candidate answered
    noise_floor_db: float | None = None  # the room as calibrated before a live call, dBFS; None when not measured

    def candidate_utterances(self) -> tuple[Utterance, ...]:
        """The candidate's side, each answer marked with what the interviewer's last line asked about, if anything."""
        out: list[Utterance] = []
        asked = ""
        for t in self.turns:
            if t.speaker != "candidate":
                asked = t.asked
            elif t.text.strip():
                out.append(Utterance(t.text, t.start, t.end, t.words, reply_to=asked))
                asked = ""  # a second answer after the same question is the candidate going on, not replying
        return tuple(out)
