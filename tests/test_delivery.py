"""The delivery measures that need no audio: hedges, questions, the JSON shape (and old reports), the exchange with
the interviewer from turn times, the advice picked, the norms shown, history and the HTML contour."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rehearse.codec import report_dict, score_from_report
from rehearse.history import delivery_measures
from rehearse.report import delivery_view
from rehearse.report.contour_svg import Mark, contour_chart
from rehearse.report.delivery_advice import delivery_advice, top_advice
from rehearse.report.delivery_view import delivery_rows
from rehearse.scoring import spoken, voice
from rehearse.scoring.hedges import is_question, load_delivery_words
from rehearse.scoring.rubric import load_rubric
from rehearse.scoring.scorer import score_call
from rehearse.values import (
    Audio,
    Contour,
    Delivery,
    PitchFigures,
    Session,
    TimedSpan,
    Turn,
    Utterance,
    VolumeFigures,
    Word,
)


def hedges_in(*lines: str) -> list[str]:
    return [h.text for h in score_call(list(lines)).delivery.hedges]


def test_hedges_are_found_with_their_evidence() -> None:
    said = "Hi, sorry to bother you. I just wanted to follow up, if that's okay. I guess I'm kind of a good fit."
    score = score_call([said])
    found = [h.text for h in score.delivery.hedges]
    assert found == ["sorry to bother you", "just wanted to", "if that's okay", "I guess", "kind of"]
    for h in score.delivery.hedges:
        assert score.transcript[h.start : h.end] == h.text  # evidence spans point into the transcript
        assert h.time is None  # typed: no times


def test_longest_hedge_wins_and_each_word_counts_once() -> None:
    assert hedges_in("I think maybe we could talk.") == ["I think maybe"]
    assert hedges_in("I was just wondering about the timeline.") == ["I was just wondering"]


@pytest.mark.parametrize(
    "said",
    [
        "What kind of role is it?",
        "That is the sort of work I love.",
        "I arrived just in time.",
        "Could you tell me a bit more about the team?",
    ],
)
def test_words_that_only_look_like_hedges_are_not(said: str) -> None:
    assert hedges_in(said) == []


def test_hedges_carry_times_and_a_rate_when_the_words_are_timed() -> None:
    words = tuple(
        Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate("I just wanted to check in, sorry to bother you.".split())
    )
    d = score_call([Utterance(" ".join(w.text for w in words), 10.0, 15.0, words)]).delivery
    assert [(h.text, h.time) for h in d.hedges] == [("just wanted to", 10.5), ("sorry to bother you", 13.0)]
    assert d.hedges_per_minute == pytest.approx(2 * 60 / 4.9, abs=0.1)


def test_a_hedge_never_spans_two_sentences() -> None:
    assert hedges_in("That is all I know. Kind regards, of course.") == []


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("Could you tell me where things stand?", True),
        ("So um when will you decide?", True),
        ("And is there anything else you need from me.", True),  # the words ask, whatever the punctuation
        ("I applied for the analyst role?", False),  # Whisper's "?" after a rise is what uptalk measures
        ("I'll call again on Friday, right?", True),
        ("I'll call again on Friday, right.", False),
        ("I have five years of experience.", False),
    ],
)
def test_questions_are_judged_by_their_words(sentence: str, question: bool) -> None:
    rubric = load_rubric()
    assert is_question(sentence, rubric.words, load_delivery_words(rubric).questions) is question


def test_sentences_are_cut_at_the_recognisers_punctuation() -> None:
    words = [Word(t, i, i + 0.5) for i, t in enumerate(["I", "applied.", "Is", "it", "open?", "Thanks"])]
    assert voice.sentences(words) == [(0, 1), (2, 4), (5, 5)]


def test_final_rise_reads_the_last_voiced_half_second() -> None:
    f0 = np.concatenate([np.full(100, 120.0), np.zeros(5), 120.0 * 2 ** (np.linspace(0, 5, 45) / 12)])
    rise = voice.final_rise(f0, 0.0, 0.0, 1.5)
    assert rise is not None and 3.5 < rise[0] <= 5.0
    falling = voice.final_rise(f0[::-1][::-1][:100], 0.0, 0.0, 1.0)
    assert falling is not None and falling[0] < 0.5
    assert voice.final_rise(np.zeros(100), 0.0, 0.0, 1.0) is None  # nothing voiced: not a statement's ending


FULL = Delivery(
    words=40,
    fillers=1,
    talk_time=20.0,
    wpm=120.0,
    pitch=PitchFigures(180.0, 2.5, True),
    uptalk=(TimedSpan("the analyst role", 3.0, 3.5, 3.1),),
    statements=4,
    volume=VolumeFigures(-25.0, -60.0, 35.0, "room", False, (TimedSpan("last week", 9.0, 9.6, 7.5),)),
    response_delay=(0.4, None, 1.2),
    overlaps=1,
)


def test_the_delivery_json_has_the_documented_shape() -> None:
    score = score_call(["Hi, this is Jordan. I just wanted to follow up."])
    from dataclasses import replace

    data = json.loads(json.dumps(report_dict(replace(score, delivery=FULL), None)))["delivery"]
    assert data["pitch"] == {"median_hz": 180.0, "range_semitones": 2.5, "monotone": True}
    assert data["uptalk"] == [{"text": "the analyst role", "start": 3.0, "end": 3.5, "rise_semitones": 3.1}]
    assert set(data["volume"]) == {
        "median_dbfs",
        "noise_floor_dbfs",
        "snr_db",
        "floor_from",
        "too_quiet",
        "trailing_off",
    }
    assert data["volume"]["trailing_off"] == [{"text": "last week", "start": 9.0, "end": 9.6, "drop_db": 7.5}]
    assert data["response_delay"] == [0.4, None, 1.2] and data["overlaps"] == 1
    typed = report_dict(score, None)["delivery"]
    assert typed["hedges"] == [{"text": "just wanted to", "start": 22, "end": 36, "time": None}]
    assert all(typed[k] is None for k in ("pitch", "uptalk", "volume", "response_delay", "overlaps", "talk_share"))


def test_delivery_round_trips_and_old_reports_still_decode() -> None:
    from dataclasses import replace

    score = replace(score_call(["Hi, this is Jordan."]), delivery=FULL)
    assert score_from_report(json.loads(json.dumps(report_dict(score, None)))).delivery == FULL
    old = report_dict(score, None)
    old["delivery"] = {k: old["delivery"][k] for k in ("words", "fillers", "filler_words", "talk_time", "wpm")}
    d = score_from_report(old).delivery
    assert (d.pitch, d.uptalk, d.volume, d.response_delay, d.overlaps, d.hedges) == (None, None, None, None, None, ())


def test_malformed_delivery_fields_are_one_clear_error() -> None:
    data = report_dict(score_call(["Hi."]), None)
    data["delivery"]["pitch"] = {"median_hz": "high", "range_semitones": 3, "monotone": False}
    with pytest.raises(ValueError, match=r"pitch\.median_hz"):
        score_from_report(data)


def _session(*turns: Turn, mode: str = "spoken") -> Session:
    return Session("s", "2026-11-20T10:00:00", "receptive", mode, turns)  # type: ignore[arg-type]


def test_response_delay_and_overlaps_come_from_the_turn_times() -> None:
    words = (Word("Hello.", 0.3, 0.8), Word("Thanks.", 1.0, 1.5))
    turns = (
        Turn(0, "interviewer", "Hello?", 0.0, 2.0, audio="turn-000-interviewer.wav", audio_end=2.0),
        Turn(1, "candidate", "Hello. Thanks.", 2.0, 4.0, words, "turn-001-candidate.wav", speech_start=2.45),
        Turn(2, "interviewer", "Go on.", 4.5, 6.0, audio="turn-002-interviewer.wav", audio_end=6.0),
        Turn(3, "candidate", "Hello. Thanks.", 5.5, 7.5, words, "turn-003-candidate.wav", speech_start=5.7),
    )
    clip = Audio(np.zeros(32000, dtype=np.float32))
    score = spoken.with_session_voice(
        score_call(["Hello. Thanks.", "Hello. Thanks."]), _session(*turns), lambda t: clip
    )
    d = score.delivery
    assert d.response_delay == (0.45, -0.3) and d.overlaps == 1
    assert [a.overlap for a in d.answers] == [False, True]
    assert d.talk_share is not None and d.talk_share.interviewer == 4.0  # two 2 s clips
    json.dumps(report_dict(score, None))  # plain JSON values all the way down (no numpy bools)
    demo = spoken.with_session_voice(score_call(["Hello."]), _session(*turns, mode="demo"), lambda t: clip).delivery
    assert demo.response_delay is None and demo.overlaps is None  # the demo's clock cannot say


def test_a_typed_session_has_no_voice_figures() -> None:
    turns = (Turn(0, "interviewer", "Hello?"), Turn(1, "candidate", "Hi, it's Jordan."))
    score = score_call(["Hi, it's Jordan."])
    assert spoken.with_session_voice(score, _session(*turns, mode="typed"), lambda t: None) == score


def test_the_norms_shown_are_the_thresholds_used() -> None:
    assert delivery_view.MONOTONE_RANGE_ST == voice.MONOTONE_RANGE_ST
    assert delivery_view.UPTALK_RISE_ST == voice.UPTALK_RISE_ST
    assert delivery_view.TOO_QUIET_DBFS == voice.TOO_QUIET_DBFS
    assert delivery_view.MIN_SNR_DB == voice.MIN_SNR_DB
    assert delivery_view.TRAIL_DROP_DB == voice.TRAIL_DROP_DB
    assert delivery_view.HESITANT_DELAY == spoken.HESITANT_DELAY


def test_one_line_per_measure_each_with_its_norm() -> None:
    rows = dict(delivery_rows(FULL))
    for label in ("Pace", "Pitch", "Uptalk", "Volume", "Trailing off", "Response delay", "Overlaps", "Hedges"):
        assert "fine" in rows[label] or "lively" in rows[label] or "people answer" in rows[label], label
    assert "1 of 4 statements" in rows["Uptalk"] and "monotone" in rows["Pitch"]


def test_what_to_work_on_picks_the_delivery_advice_that_matters_most() -> None:
    from dataclasses import replace

    ranked = [a.id for a in delivery_advice(FULL)]
    assert ranked[0] == "overlaps" and {"uptalk", "trailing_off", "monotone"} <= set(ranked)
    quiet = replace(FULL, volume=replace(FULL.volume, too_quiet=True))  # type: ignore[type-var]
    assert top_advice(quiet).id == "volume"  # type: ignore[union-attr]
    assert top_advice(Delivery(words=10, fillers=0)) is None


def test_history_reads_the_delivery_measures_of_stored_reports() -> None:
    from dataclasses import replace

    data = report_dict(replace(score_call(["Hi."]), delivery=FULL), None)["delivery"]
    measures = dict(delivery_measures(data))
    assert measures["range_semitones"] == 2.5 and measures["uptalk"] == 1.0 and measures["overlaps"] == 1.0
    assert measures["response_delay"] == 0.8  # the median of the answers that have one
    assert dict(delivery_measures({"words": 3}))["uptalk"] is None  # an old report: not measured, not zero


def test_the_contour_marks_what_was_found() -> None:
    c = Contour(0.01, tuple([150.0] * 100 + [0.0] * 20 + [170.0] * 80), tuple([-25.0] * 200))
    words = (Word("I", 0.0, 0.2), Word("just", 0.3, 0.6), Word("applied.", 1.2, 1.9))
    svg = contour_chart(c, words, [Mark("uptalk", 1.4, 1.9, "uptalk +3.0 st"), Mark("hedge", 0.3, 0.6, "just")], "A1")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "uptalk +3.0 st" in svg and ">applied.</text>" in svg
    assert svg.count(" M") + svg.count('"M') == 2  # the pitch line lifts over the unvoiced gap


def test_a_failure_measuring_the_voice_never_loses_the_saved_score(tmp_path, monkeypatch) -> None:
    from rehearse import store
    from rehearse.loop import finish
    from rehearse.practice import VoicedRecorder
    from rehearse.scoring import spoken as spoken_mod

    def broken(*_args: object) -> None:
        raise RuntimeError("the pitch tracker fell over")

    monkeypatch.setattr(spoken_mod, "with_session_voice", broken)
    inner = store.SessionRecorder.create(tmp_path, _session())
    recorder = VoicedRecorder(inner)
    recorder.add_turn(Turn(0, "candidate", "Hi, this is Jordan."), Audio(np.zeros(16000, dtype=np.float32)))
    recorder.finish(finish(inner.session, None))
    saved = store.load(tmp_path, inner.session.id)
    assert saved.latest is not None and saved.latest["delivery"]["pitch"] is None
