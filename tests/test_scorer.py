"""The scorer on the guide's own examples, on deletions, on recogniser-style text, and on known traps."""

from __future__ import annotations

import re

import pytest

from rehearse.plan import Plan
from rehearse.scoring.scorer import score_call
from rehearse.values import SECTION_IDS, Utterance, Word
from tests.conftest import guide_example

# Which example sentence realises which section (the guide's examples give one sentence per section).
SENTENCE_SECTION = dict(enumerate(SECTION_IDS))


def asr_style(lines: list[str]) -> list[str]:
    """What a speech recogniser without punctuation would produce: lowercase, no punctuation."""
    return [re.sub(r"[^\w\s']", "", line.lower()) for line in lines]


@pytest.mark.parametrize("example", [1, 2])
def test_guide_examples_are_complete_calls(example: int, plan: Plan) -> None:
    result = score_call(guide_example(example, plan), plan)
    assert result.present == SECTION_IDS
    assert result.order.in_order
    assert result.pitfalls == ()
    assert result.overall >= 90


@pytest.mark.parametrize("example", [1, 2])
def test_guide_examples_complete_without_a_plan(example: int, plan: Plan) -> None:
    assert score_call(guide_example(example, plan), None).present == SECTION_IDS


@pytest.mark.parametrize("example", [1, 2])
@pytest.mark.parametrize("missing", range(6))
def test_deleting_a_section_makes_exactly_it_missing(example: int, missing: int, plan: Plan) -> None:
    lines = [s for i, s in enumerate(guide_example(example, plan)) if i != missing]
    result = score_call(lines, plan)
    absent = [s.id for s in result.sections if not s.present]
    assert absent == [SENTENCE_SECTION[missing]]


@pytest.mark.parametrize("example", [1, 2])
def test_lowercase_unpunctuated_one_line_still_passes(example: int, plan: Plan) -> None:
    text = " ".join(asr_style(guide_example(example, plan)))
    assert score_call([text], plan).present == SECTION_IDS


def test_evidence_offsets_point_into_the_transcript(plan: Plan) -> None:
    result = score_call(guide_example(1, plan), plan)
    for section in result.sections:
        for e in section.evidence:
            assert result.transcript[e.start : e.end] == e.evidence
            assert e.evidence


def test_one_sentence_can_realise_several_sections() -> None:
    plan = Plan(candidate="Dana Reyes", position="paralegal")
    said = "This is Dana, I interviewed Tuesday for the paralegal job and I'm calling to see where things stand."
    present = set(score_call([said], plan).present)
    assert {"greeting", "purpose", "next_steps"} <= present


@pytest.mark.parametrize(
    ("said", "section"),
    [
        ("Thanks to my last job I learned how to schedule a whole warehouse.", "closing"),
        ("My next step was to quit and go back to school.", "next_steps"),
        ("Quick question, what's the status of the parking situation for visitors?", "purpose"),
        ("I hope the team is well and the move went smoothly.", "greeting"),
    ],
)
def test_words_that_merely_occur_do_not_count(said: str, section: str) -> None:
    result = score_call(["Hello.", said], None)
    assert not result.section(section).present, result.section(section)


def test_homophones_and_spelled_numbers_survive() -> None:
    plan = Plan(candidate="Kevin Brant", position="journeyman electrician")
    said = ["hi this is kevin brant i interviewed four the journeyman electrician roll", "any update on the next steps"]
    result = score_call(said, plan)
    assert result.section("greeting").present
    assert result.section("next_steps").present


def test_misheard_name_still_introduces(plan: Plan) -> None:
    plan2 = Plan(candidate="Maribel Santos", position="paralegal")
    assert (
        score_call(["hello this is mater bell santos calling about the paralegal job"], plan2)
        .section("greeting")
        .present
    )


def test_no_plan_means_generic_name_matching() -> None:
    assert score_call(["Hi, this is Priya calling."], None).section("greeting").present
    assert not score_call(["Hi, this is about my application."], None).section("greeting").present


def test_empty_transcript_reports_everything_missing(plan: Plan) -> None:
    result = score_call([], plan)
    assert result.present == ()
    assert all(s.feedback for s in result.sections)
    assert result.overall == 0


def test_pitfalls_are_caught_with_evidence() -> None:
    said = [
        "Hey dude, it's Tyler, what's up.",
        "I've called several times and I need an answer today.",
        "Um, uh, I forgot your name, um, and uh which position was it again?",
        "I know you said to email, but I figured I'd just call.",
    ]
    result = score_call(said, None)
    found = {p.id: p for p in result.pitfalls}
    assert set(found) == {"pushy", "informal", "unprepared", "ignores_preferences"}
    for p in found.values():
        assert result.transcript[p.start : p.end] == p.evidence


def test_out_of_order_sections_are_flagged(plan: Plan) -> None:
    lines = guide_example(1, plan)
    swapped = [lines[0], lines[1], lines[4], lines[2], lines[3], lines[5]]  # next steps before strengths
    order = score_call(swapped, plan).order
    assert not order.in_order
    assert order.out_of_place
    assert order.feedback


def test_delivery_from_word_timings() -> None:
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(["um", "this", "is", "dana", "uh", "calling"]))
    words = (*words, Word("back", 6.0, 6.3))
    utt = Utterance("um this is dana uh calling back", 0.0, 6.3, words)
    d = score_call([utt], None).delivery
    assert d.fillers == 2
    assert d.filler_words == ("um", "uh")
    assert d.talk_time == pytest.approx(6.3)
    assert d.wpm == pytest.approx(7 * 60 / 6.3, rel=0.01)
    assert d.longest_pause == pytest.approx(6.0 - (5 * 0.4 + 0.3))
    times = dict(d.section_time)
    assert times["greeting"] > 0


def test_missing_feedback_uses_the_plan(plan: Plan) -> None:
    result = score_call(["Hello, this is Jordan Avery."], plan)
    strengths = result.section("strengths")
    assert "route planning" in " ".join(strengths.feedback) + strengths.suggestion


def test_questions_section_costs_nothing_without_a_concern() -> None:
    lines = guide_example(1, Plan("Jo Li", "Ann Park", "analyst", skills=("SQL",), concern="travel"))
    without = [ln for i, ln in enumerate(lines) if i != 3]
    no_concern = Plan("Jo Li", "Ann Park", "analyst", skills=("SQL",))
    with_concern = Plan("Jo Li", "Ann Park", "analyst", skills=("SQL",), concern="travel")
    assert score_call(without, no_concern).overall > score_call(without, with_concern).overall
