"""The end of a live turn: what the words say (rehearse.stt_turn), drafts made in pieces while the candidate talks
(IncrementalTranscriber.feed_draft), and the endpointer's SpeechGap events that pace them."""

from __future__ import annotations

import numpy as np
import pytest

from rehearse.audio.devices import FileMicrophone
from rehearse.audio.endpoint import EndpointOptions, listen
from rehearse.audio.listen_events import Event, SpeechGap, SpeechPaused
from rehearse.stt import MIN_DRAFT_SECONDS, IncrementalTranscriber
from rehearse.stt_turn import Draft, TurnEndJudge, TurnEndTimes, lone_last_word, verdict
from rehearse.values import SAMPLE_RATE, Audio, Hints, Transcript, Word
from tests.audio_helpers import audio, silence, speech


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("When do you expect to make a decision?", "yielding"),
        ("and what are the next steps, if you don't mind me asking?", "yielding"),
        ("I look forward to hearing from you. Have a good afternoon, goodbye.", "yielding"),
        ("Thanks so much. Bye!", "yielding"),
        ("When do you expect to decide, and what comes next, if you do not mind me asking.", "yielding"),
        ("I know you are busy. So I only wanted to check when I might hear back from you.", "yielding"),
        ("Is there anything else you need from me.", "yielding"),  # Whisper's full stop on a question
        ("What I'd like to add is that I led the night shift.", "complete"),
        ("Could you tell me when you'll decide? Because I'd like to plan around it.", "complete"),
        ("Is that all right? I can also send it over.", "complete"),  # the question was not the last sentence
        ("I said goodbye to my old team. Then I moved here.", "complete"),  # a leave-taking word, not taking leave
        ("Thank you.", "complete"),
        ("I really enjoyed talking with you.", "complete"),
        ("I'm doing well.", "complete"),
        ("It was lovely to speak with you,", "hanging"),  # "you" leads on after a comma...
        ("I enjoyed meeting the team,", "complete"),  # ...other words do not
        ("and I'd like to thank you...", "hanging"),
        ("I am calling because", "hanging"),
        ("and I also, um", "hanging"),
        ("I wanted to mention the", "hanging"),
        ("", "unknown"),
    ],
)
def test_the_words_say_how_the_turn_stands(text: str, expected: str) -> None:
    assert verdict(text) == expected


def test_the_judge_waits_by_the_words_and_prepares_the_reply_once() -> None:
    said: dict[float, str] = {1.0: "I am calling about the", 3.0: "I led the night shift.", 5.0: "Any news yet?"}
    prepared: list[str] = []

    def prefix_at(not_before: float) -> Draft | None:
        text = next((t for at, t in said.items() if at >= not_before), None)
        return None if text is None else Draft(Transcript(text, (), "fake", 1.0))

    times = TurnEndTimes()
    judge = TurnEndJudge(prefix_at, times, prepared.append)
    assert judge.end_silence(1.0) == times.hanging
    assert judge.end_silence(3.0) == times.complete
    assert judge.end_silence(3.0) == times.complete  # asked every frame; judged once
    assert judge.end_silence(5.0) == times.yielding
    assert judge.end_silence(9.0) == times.unknown  # no words for this pause yet
    assert prepared == ["I led the night shift.", "Any news yet?"]
    assert times.yielding < times.complete < times.hanging <= times.unknown


def test_a_lone_word_after_finished_words_keeps_the_turn_open_unless_it_takes_leave() -> None:
    said = {1.0: "I built the SQL reporting my team uses.", 3.0: "Thank you so much for your time. Bye."}
    judge = TurnEndJudge(lambda t: Draft(Transcript(said[min(said, key=lambda a: abs(a - t))], (), "f", 1.0), True))
    assert judge.end_silence(1.2) == TurnEndTimes().hanging  # "...uses. And" with the "And" left out
    assert judge.end_silence(3.2) == TurnEndTimes().yielding  # the lone burst is the "Bye" in the words
    again = TurnEndJudge(
        lambda t: Draft(Transcript("We met about the analyst position.", (), "f", 1.0), True, "Position.")
    )
    assert again.end_silence(1.2) == TurnEndTimes().complete  # on its own the burst is the last word: not left out
    freight = Draft(Transcript("...and on joining Northwind Freight.", (), "f", 1.0), True, "That's right.")
    assert TurnEndJudge(lambda t: freight).end_silence(1.2) == TurnEndTimes().complete  # misheard alone, same word
    um = TurnEndJudge(lambda t: Draft(Transcript("We met about the analyst position.", (), "f", 1.0), True, "Um,"))
    assert um.end_silence(1.2) == TurnEndTimes().hanging


@pytest.mark.audio
@pytest.mark.parametrize("voice", ["en-us", "en-gb"])
@pytest.mark.parametrize(
    ("text", "lone"),
    [
        ("I think my reporting work is a good fit for what you need. And", True),
        ("I cut delivery costs by about ten percent at my last job. Um,", True),
        ("I think my reporting work is a good fit for what you need.", False),
        ("I cut delivery costs by about ten percent at my last job.", False),
    ],
)
def test_the_sound_shows_a_lone_word_at_the_end(voice: str, text: str, lone: bool) -> None:
    clip = np.concatenate([silence(0.3), speech(text, voice), silence(0.25)])
    floor = np.random.default_rng(1).normal(0.0, 0.002, len(clip)).astype(np.float32)  # a quiet room, not zeros
    assert (lone_last_word(clip + floor, SAMPLE_RATE) is not None) is lone


def test_no_lone_word_in_noise_as_loud_as_the_gaps() -> None:
    # Loud noise fills the gap before the last word: nothing can be told, and the words decide as before.
    clip = np.concatenate([np.full(SAMPLE_RATE, 0.3), np.zeros(2000), np.full(3000, 0.3), np.zeros(4000)])
    assert lone_last_word(clip.astype(np.float32), SAMPLE_RATE) == (17920, 21120)  # 10 ms frames
    noisy = clip + np.random.default_rng(2).normal(0.0, 0.1, len(clip))
    assert lone_last_word(noisy.astype(np.float32), SAMPLE_RATE) is None


class _Bursts:
    """A fake engine: every burst of sound is one word; records what it was given."""

    name = "bursts"

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []  # (clip seconds, the `previous` text it was told)

    def transcribe(self, clip: Audio, *, hints: Hints | None = None) -> Transcript:
        self.calls.append((clip.duration, hints.previous if hints else ""))
        loud = np.abs(clip.samples) > 0.01
        edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
        spans = zip(edges[::2] / SAMPLE_RATE, edges[1::2] / SAMPLE_RATE, strict=True)
        words = tuple(Word("w", float(a), float(b)) for a, b in spans)
        return Transcript(" ".join(w.text for w in words), words, self.name, clip.duration)


def _bursts(count: int, on: float = 0.8, off: float = 0.6) -> Audio:
    tone = np.full(int(on * SAMPLE_RATE), 0.3, np.float32)
    gap = np.zeros(int(off * SAMPLE_RATE), np.float32)
    return Audio(np.concatenate([x for _ in range(count) for x in (tone, gap)]))


def test_drafts_are_chained_so_the_last_one_decodes_only_the_tail() -> None:
    clip = _bursts(8)  # bursts every 1.4 s; pauses start at 0.8, 2.2, 3.6, ...
    engine = _Bursts()
    with IncrementalTranscriber(engine) as inc:
        for pause in (0.8, 2.2, 3.6, 5.0, 6.4, 7.8, 9.2):
            if inc.feed_draft(Audio(clip.samples[: int((pause + 0.3) * SAMPLE_RATE)]), pause):
                inc._drafts[-1].job.result(timeout=10)  # a live answer goes on while each draft is decoded
        final_pause = 10.6
        assert inc.feed_draft(clip, final_pause)
        draft = inc.draft(clip)
    assert draft.text.split() == ["w"] * 8  # every word once, none lost or repeated at the joins
    last_seconds, told = engine.calls[-1]
    assert MIN_DRAFT_SECONDS <= last_seconds < MIN_DRAFT_SECONDS + 1.5  # the tail, not the whole answer
    assert told.split() == ["w"] * round((final_pause - last_seconds) / 1.4)  # ...told the words before it
    assert [round(w.start, 2) for w in draft.words] == [round(1.4 * i, 2) for i in range(8)]  # times of the turn


def test_a_gap_draft_waits_its_step_but_a_pause_does_not() -> None:
    clip = _bursts(6)
    with IncrementalTranscriber(_Bursts()) as inc:
        assert inc.feed_draft(Audio(clip.samples[: int(1.1 * SAMPLE_RATE)]), 0.8)
        assert not inc.feed_draft(Audio(clip.samples[: int(2.5 * SAMPLE_RATE)]), 2.2, min_step=3.0)
        assert inc.feed_draft(Audio(clip.samples[: int(2.5 * SAMPLE_RATE)]), 2.2)


def test_a_pause_just_after_a_gap_draft_still_gets_its_own_words() -> None:
    # Speech runs on for 3.7 s with one 0.1 s gap between words at 3.2 s, then stops: the gap draft is cut there,
    # 0.5 s before the pause (as in a live call), and must not keep the pause from being drafted, or its verdict
    # waits for words that never come.
    tone = lambda seconds: np.full(int(seconds * SAMPLE_RATE), 0.3, np.float32)  # noqa: E731
    quiet = lambda seconds: np.zeros(int(seconds * SAMPLE_RATE), np.float32)  # noqa: E731
    clip = np.concatenate([tone(3.2), quiet(0.1), tone(0.4), quiet(0.8)])
    with IncrementalTranscriber(_Bursts()) as inc:
        assert inc.feed_draft(Audio(clip[: int(3.6 * SAMPLE_RATE)]), 3.25, min_step=3.0)
        assert inc.feed_draft(Audio(clip), 3.7)
        inc._drafts[-1].job.result(timeout=10)
        words = inc.prefix_at(3.7 - 0.2)
    assert words is not None and words.text.split() == ["w", "w"]


class _Sentences(_Bursts):
    """Bursts read as one finished sentence (or as the text given), so a lone last word can still matter."""

    def __init__(self, ending: str = ".") -> None:
        super().__init__()
        self.ending = ending

    def transcribe(self, clip: Audio, *, hints: Hints | None = None) -> Transcript:
        t = super().transcribe(clip, hints=hints)
        return Transcript(t.text + self.ending, t.words, t.engine, t.duration)


def _word_after_gap() -> Audio:
    tone = lambda seconds: np.full(int(seconds * SAMPLE_RATE), 0.3, np.float32)  # noqa: E731
    quiet = lambda seconds: np.zeros(int(seconds * SAMPLE_RATE), np.float32)  # noqa: E731
    return Audio(np.concatenate([quiet(0.3), tone(2.0), quiet(0.2), tone(0.3), quiet(0.8)]))


def test_a_lone_last_word_is_transcribed_on_its_own_before_the_turn_is_judged() -> None:
    engine = _Sentences()
    with IncrementalTranscriber(engine) as inc:
        assert inc.feed_draft(_word_after_gap(), 2.8)
        inc.wait_drafts(timeout=10)
        draft = inc.draft_at(2.8 - 0.2)
    assert draft is not None and draft.lone_last_word and draft.lone_text == "w.", draft
    assert engine.calls[-1][0] < 1.0 and engine.calls[-1][1] == "w w."  # the burst alone, told the draft


@pytest.mark.parametrize("ending", ["", ", and", ". Bye now."])
def test_a_lone_last_word_is_not_decoded_when_the_words_decide_alone(ending: str) -> None:
    # Hanging words stay hanging and a leave-taking ends the call whatever the burst was: decoding it would only
    # make the reply wait (~250 ms for a "Goodbye." measured through the virtual microphone).
    engine = _Sentences(ending)
    with IncrementalTranscriber(engine) as inc:
        assert inc.feed_draft(_word_after_gap(), 2.8)
        inc.wait_drafts(timeout=10)
        draft = inc.draft_at(2.8 - 0.2)
    assert draft is not None and draft.lone_last_word and draft.lone_text == ""
    assert [seconds > 2.0 for seconds, _ in engine.calls] == [True]  # the draft only


@pytest.mark.audio
@pytest.mark.parametrize("gap_event", [0.0, 0.4])
def test_speech_gaps_come_only_while_speech_goes_on_and_only_when_asked(gap_event: float) -> None:
    long = speech("I ran the receiving dock for three years and trained eleven people on the forklift and the scanners")
    events: list[Event] = []
    with FileMicrophone(audio(silence(0.8), long, silence(1.2))) as mic:
        cap = listen(mic, EndpointOptions(gap_event=gap_event), events.append)
    gaps = [e for e in events if isinstance(e, SpeechGap)]
    pause = next(e for e in events if isinstance(e, SpeechPaused))
    if not gap_event:
        assert gaps == []
        return
    spoken = cap.speech_end - cap.speech_start
    assert len(gaps) >= int(spoken / gap_event) - 2
    ats = [g.at for g in gaps]
    assert ats == sorted(ats) and ats[-1] < pause.pause_start  # none after the candidate stopped
    for g in gaps:  # each hands over the answer so far, with audio on both sides of the moment to cut
        assert g.audio_so_far.duration > g.at + 0.3
        assert np.array_equal(g.audio_so_far.samples, cap.audio.samples[: len(g.audio_so_far.samples)])
