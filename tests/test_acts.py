"""The speech-act detectors on sentences written for these tests (none comes from a corpus), and their data.

Each case is one short call; the detectors must find the act where a coach would, and not where the words only
occur: talking about strengths, someone else's record, a preference recalled, a question about parking.
"""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.acts import CallActs, find_acts
from rehearse.scoring.cues import GAP, NUMBER, CueSet, parse
from rehearse.scoring.reading import load_acts
from rehearse.scoring.rubric import load_rubric
from rehearse.scoring.text import normalise_call

PLAN = Plan(
    "Robin Ash",
    "Dana Cole",
    "warehouse team leader",
    skills=("forklift licence", "stock rotation"),
    concern="whether he could cover weekend shifts",
)


def acts(lines: list[str], plan: Plan | None = PLAN) -> CallActs:
    rubric = load_rubric()
    text = normalise_call(lines, rubric.words, frozenset(f for f in rubric.fillers if " " not in f))
    return find_acts(text, plan)


def kinds(lines: list[str], plan: Plan | None = PLAN) -> set[str]:
    return {a.kind for a in acts(lines, plan).acts}


STRENGTHS = [
    "I've been a certified pharmacy technician for six years.",
    "At the hospital I supervised a ward of twenty-eight beds.",
    "My team shipped the new checkout in three weeks and conversion rose by twelve percent.",
    "I hold a forklift licence and a first-aid certificate.",
    "I've trained over a hundred new starters.",
    "Coming from five years in retail banking, I know compliance inside out.",
    "We cut waiting times in half at my last clinic.",
    "I'm a qualified electrician.",
    "I managed the night shift for two years.",
    "Nine years on the tools, City and Guilds qualified.",
    "last year i closed forty two deals and i was first in the region",
    "I speak Spanish and Portuguese fluently.",
    "so yeah i done six years with the council doing bins and street cleaning and i got my hgv last year",
    "i am working in the kitchen since twenty nineteen",
    "i was team leader for three years in call centre",
    "i passed my level three in january",
    "we hit our targets every month last year",
    "I rebuilt the picking rota last spring. It cut overtime by twenty percent.",
    # alone, or better than before; a credential that is current; someone else named first, then "I"
    "I did the whole stocktake by myself last month, and I'm quicker now.",
    "I've got a current CSCS card.",
    "I went back and did the recert on Friday.",
    "Last winter I covered three stores across the county.",
    "My old manager was off sick, so I ran the stockroom and trained two new starters.",
    "I kept my practitioner status current and sat the renewal exam in May.",
    "Last year I was employee of the month twice.",
]
NOT_STRENGTHS = [
    "I'd love to bring my energy to the team.",
    "I'm really excited about the role.",
    "Should I tell you about my experience again?",
    "My brother has ten years in the trade, he's the one who told me about it.",
    "I interviewed on the twelfth for the two-year contract.",
    "It's been two weeks since the interview.",
    "I called three times last week.",
    "I sent you my references yesterday.",
    "I wasn't sure if I should go through my qualifications again, so I won't.",
    "She ran the warehouse for ten years and trained everyone there.",
    "I'm a hard worker and I'm always on time.",
    "i done the interview on tuesday with you and the manager",
    "my dad was a electrician for thirty years so it runs in the family",
    "I've been out of work for six months, so I really want this.",
    "We've been trying to reach you for three days.",
    "I've been looking forward to hearing from you for a week.",
    "I've got two kids, so evenings are tricky, and we met at 3pm on Tuesday.",
    "My manager rebuilt the picking rota. It cut overtime by twenty percent.",
    # a date, a visa's number, a phone number read out with zeros; a vague boast
    "I'm on a 482 skilled visa until June 2028.",
    "Call me on oh seven seven zero zero nine zero zero one two three.",
    "I'd be great for this, honestly.",
    # promising to tell names a background without claiming it; a two-word skill is one skill
    "I'd like to explain how my background in stock rotation fits the role.",
]


@pytest.mark.parametrize("said", STRENGTHS)
def test_a_claim_of_ones_own_is_a_strength(said: str) -> None:
    assert "strength" in kinds(["Hello, this is Robin Ash.", said]), said


@pytest.mark.parametrize("said", NOT_STRENGTHS)
def test_talk_about_strengths_or_someone_elses_is_not(said: str) -> None:
    assert "strength" not in kinds(["Hello, this is Robin Ash.", said]), said


@pytest.mark.parametrize(
    ("lines", "strength"),
    [
        # a record given in answer to the concern is a strength as well
        (["You asked about weekends. I worked every Saturday at the depot for three years."], True),
        (["you asked about my forklift licence i have had it nine years"], True),
        # what was done since the interview to close the gap answers it, and claims no record
        (
            ["You were unsure about my licence. Since the interview I've booked the refresher and passed the theory."],
            False,
        ),
        # the words that name the concern claim nothing, even without punctuation
        (["you asked whether i had my forklift licence for the weekend work i will bring a copy in"], False),
    ],
)
def test_an_answer_to_the_concern_may_also_claim_a_strength(lines: list[str], strength: bool) -> None:
    found = kinds(lines)
    assert "concern_answer" in found, lines
    assert ("strength" in found) == strength, lines


ANSWERED = [
    ["You'd wondered whether I could do weekends. I've sorted childcare, so every weekend works for me."],
    ["On the weekend shifts, I've spoken to my partner and I'm free Saturdays and Sundays."],
    ["I know the panel was unsure about my Excel, so I did an advanced course and I can send the certificate."],
    ["you asked me about weekends i worked weekends for two years at my last place so thats fine"],
    ["Regarding the weekend cover you raised: I can do two weekends in three, and my old manager will confirm it."],
    ["about the forklift thing you wanted to know about i got my licence renewed last month"],
    ["you had some doubts about my english but i have been taking classes twice a week"],
    ["The weekend shifts are fine for me now, I've sorted childcare with my sister."],
    ["With the weekend cover, I can do two weekends in every three."],
    # plain words, and an arrangement someone else makes
    ["On the weekends thing, my mum can have the kids, so Saturdays and Sundays are fine."],
    ["You weren't sure about the weekends. My brother drives me in, it's all arranged."],
    ["The weekend work you brought up, that's sorted now, my partner's changed her shifts."],
    ["You were a bit worried about weekends. My sister's been helping me with a rota, so they're covered."],
    # the gap closed since, a concern owned before it is raised, a number before the concern's word
    ["That gap you picked up on, I've been through the rota with my family and I can cover it."],
    ["I know I've only got one year behind me, but in that year I led the weekend team at Asda."],
    ["The two weekends a month, that's sorted, my partner works Monday to Friday."],
    ["I wanted to follow up on the weekend question. I've sorted childcare, so I can do every one."],
    ["I know weekends were a concern. My sister has the kids now, so Saturdays are covered."],
    ["You noticed I hadn't done much weekend work. I've since done six Saturdays at the depot."],
    ["I know I don't have much warehouse experience, but I ran the stockroom at Tesco for two years."],
    # someone else offering to speak is a reference; owning the weak point in plain words
    ["You asked about weekends. My old supervisor at the depot is happy to talk to you about my weekend cover."],
    ["You asked about weekends. The depot owner, Sam Reid, is happy to speak with you."],
    ["I know I sounded unsure about weekends. I've talked it through at home and I can do every Saturday."],
    # a plan answers it too
    ["You mentioned the weekends. My plan is to move closer to the depot next month."],
    ["You were worried about weekends. I'm going to ask my sister to take the kids on Saturdays."],
    # a changed arrangement told in the present
    ["And my bad about the weekends. I'm driving my cousin's car now, it actually runs."],
    # an offer to say more, as in the guide's own model of this section ("I'd be happy to provide further details")
    ["You had doubts about the weekends. I'd be happy to go into that in more detail if it helps."],
    ["I know the weekends were a worry for you. I'm glad to provide more information whenever you like."],
    ["You had questions about my experience with weekend shifts. Happy to send more details if needed."],
    ["you asked about the weekend shifts and i am more than happy to go over that with you or put it in writing"],
]
NOT_ANSWERED = [
    ["You mentioned the weekend shifts. Anyway, when will you decide?"],
    ["I know you asked about weekends. I've been thinking about it a lot."],
    ["You raised the weekends thing, I don't really have anything to add."],
    ["I know you said to email, but I thought I'd ring."],
    ["You said two weeks, so I thought I'd check in."],
    ["You mentioned the salary band; what's the top of the range?"],
    # an answer they do not have to hand
    ["You asked me about the weekends, I wrote it down, I just can't find it on this page."],
    # vague words are no fact; naming what was done is not telling it
    ["About the weekend cover, yeah, weekends are pretty good for me and stuff, I've done loads."],
    ["You wondered whether the weekends would be a lot more than what I have done before."],
    ["You were worried about weekends, honestly I'm just going to wing it."],
    # "you said" is their timing; a word of doubt far on in a long unpunctuated message is about something else
    [
        "hello its robin ash for dana i know you said you would email everyone by friday but i wanted to check if"
        " you could tell me where it stands i have had my forklift licence six years and i have got my own car so"
        " getting to the depot early is no problem at all my number is on the form thanks bye"
    ],
    # only thought about since, and about something else: a record of theirs follows, no answer to the concern
    ["Since we spoke I've been thinking about what you said about stock counts. I ran the counts at Asda for years."],
]


@pytest.mark.parametrize("lines", ANSWERED)
def test_pointing_back_and_answering_answers_the_concern(lines: list[str]) -> None:
    assert "concern_answer" in kinds(lines), lines


@pytest.mark.parametrize("lines", NOT_ANSWERED)
def test_naming_a_concern_or_a_preference_is_not_an_answer(lines: list[str]) -> None:
    assert "concern_answer" not in kinds(lines), lines


def test_a_message_left_is_no_word_of_a_concern_about_leaving() -> None:
    left = Plan("Robin Ash", "Dana Cole", "advisor", concern="he left his last job after only seven months")
    said = ["You said Friday, and I rang yesterday and left a message with your reception, so I'm trying again."]
    assert "concern_reference" not in kinds(said, left)
    assert "concern_answer" in kinds(["You asked why I left. The site closed, and I can send the letter."], left)


KITCHEN = Plan(
    "Robin Ash", "Dana Cole", "line cook", skills=("knife skills",), concern="keeping up in a fast-paced kitchen"
)


def test_the_concerns_word_is_found_in_another_form() -> None:
    """Short words share no stem but they inflect: "pace" is the plan's "paced"; "car" is not "card"."""
    assert "concern_answer" in kinds(
        ["You mentioned the pace. I worked the pass at a busy bistro for two years."], KITCHEN
    )
    card = Plan("Robin Ash", "Dana Cole", "labourer", concern="whether his CSCS card was valid")
    assert "concern_reference" not in kinds(["You mentioned my car. I've got it back from the garage."], card)


COMMUTE = Plan("Robin Ash", "Dana Cole", "porter", concern="whether he could get to the Hull site from York by 7")
SALARY = Plan("Robin Ash", "Dana Cole", "payroll clerk", concern="his salary expectation was over their budget")


@pytest.mark.parametrize(
    ("lines", "plan"),
    [
        # the concern in the candidate's own words: a word of the same family as the plan's
        (["On the travel, I've done the drive twice at six in the morning and it's fifty minutes."], COMMUTE),
        (["About the money, the top of your band works for us, we've done the sums."], SALARY),
        # coming back to it, and naming it mid-sentence
        (["I wanted to come back to the weekend cover. I did every Saturday at Asda for a year."], PLAN),
        (["Good news on the weekend shifts, my partner has moved to days so I'm free."], PLAN),
        # named last, answered in the next turn after the interviewer's "go on"
        (["Thanks. Before I forget, there was the bit about weekends.", "I've joined the Sunday rota at Lidl."], PLAN),
        # asked, then answered
        (["Were the weekends a problem, do you think? I worked every Sunday at my last job for two years."], PLAN),
        # someone who will walk them through it
        (["On the weekends, I'm happy to walk you through how I'd cover them."], PLAN),
        # a topic opened in the candidate's own words, none of them the plan's
        (["About getting in for seven, I did a trial run on Monday and I was at the gate by half six."], COMMUTE),
        # a topic announced in a few words, then answered
        (["The weekend cover. My sister has agreed to take the kids every Saturday."], PLAN),
        # the answer first, then what it answers: "given what we discussed"
        (["I've joined the Sunday rota at Lidl. I thought you'd want to know, given what we discussed."], PLAN),
        # learnt at work before is a record, not a promise to learn once hired
        (["On the weekend rota, I learned it on the job at Asda and ran it for a year."], PLAN),
        # "since I was in": since the interview
        (["since i was in ive sorted the childcare with my sister so i can do every saturday"], PLAN),
        # pointed back, nothing said to it in that turn; in the next, proof offered
        (
            [
                "and that thing you asked about weekends i fumbled it in the room to be honest",
                "my mum moved in with us in march so the kids are covered i can get you a letter off her if you like",
            ],
            PLAN,
        ),
        # a long unpunctuated turn: "the end of the month" far from the pointer is no contact preference of theirs
        (
            [
                "okay thank you so you ask me about the card for the truck i have booked the course at the centre in "
                "leeds it is five days starting the ninth i pay it myself so in the end of the month i will have it "
                "and i can send the photo of the booking if you want"
            ],
            Plan("Robin Ash", "Dana Cole", "warehouse operative", concern="he does not hold a counterbalance licence"),
        ),
    ],
)
def test_a_concern_comes_back_in_the_candidates_own_words(lines: list[str], plan: Plan) -> None:
    assert "concern_answer" in kinds(lines, plan), lines


@pytest.mark.parametrize(
    "lines",
    [
        # their own verb negated, a promise for after hiring, a brush-off, a self-assessment with nothing to stand on
        ["On the weekend question, I didn't do it justice, sorry."],
        ["The weekends, I'll work it out if I get the job."],
        ["About the weekends, I'll get up to speed on the rota once I start."],
        ["The weekend shifts, honestly I wouldn't worry about that, I know my way round a rota."],
        ["As for the weekends, I'm sure I would manage, I'm a quick learner."],
        # asked, and nothing follows
        ["Were the weekends a problem, do you think?"],
        # the action is asked about, not told
        ["The weekend shifts, is that the kind of thing I would be doing every week?"],
        # thanks said in passing, a question about the process, a promise for once they have started
        ["On the weekends, thank you again for showing me round the depot."],
        ["About the weekends, could I ask when you'll have finished interviewing?"],
        ["The weekend cover, I'd rather talk it through properly once I've started."],
        # a topic opened, then a promise with nothing to stand on
        ["About my nerves on the day, I'm sure it will be fine once I'm settled in."],
        # the family words are no concern when the plan's concern is another kind
        ["The travel is fine, I've done the drive twice at six in the morning and it's fifty minutes."],
        # called away before saying it
        ["About the weekends, I wanted to, sorry, hang on. Oh no, my son's fallen off the wall, I've got to go."],
        # pointed back with nothing said to it; the next turn tells a record, a new topic, not the weekends
        ["I remember you asked me about the weekends. Yes.", "At Morrisons I ran the goods-in bay for four years."],
    ],
)
def test_coming_back_without_substance_answers_nothing(lines: list[str]) -> None:
    assert "concern_answer" not in kinds(lines), lines


def test_a_topic_opened_is_a_concern_only_when_the_plan_has_one() -> None:
    """Without a concern in the plan, "On the take-home, ..." may be anything; "thank you for your time" opens no
    topic at all."""
    said = ["On the take-home exercise, I finished the tests at home that evening."]
    assert "concern_answer" in kinds(said, Plan("Robin Ash", "Dana Cole", "developer", concern="an unfinished task"))
    assert "concern_answer" not in kinds(said, Plan("Robin Ash", "Dana Cole", "developer"))
    assert "concern_answer" not in kinds(["Thank you for your time, I ran the pass for two years."], PLAN)


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("What would a typical day look like in the role?", "role_question"),
        ("Who would I be reporting to?", "role_question"),
        ("Is there much travel involved?", "role_question"),
        ("Can I ask, does the team work in shifts?", "role_question"),
        # a regional "here" opening the question, as a recogniser writes it
        ("ere how many would be on me team like is it the whole of goods in", "role_question"),
        ("Have you made a decision yet?", "timing_question"),
        ("When are you hoping to fill the position?", "timing_question"),
        ("How's the hiring going?", "timing_question"),
        ("Do you know when I might get an answer?", "timing_question"),
        ("Are you still interviewing candidates?", "timing_question"),
        ("If you could let me know where things stand, I'd be grateful.", "timing_question"),
        ("is the job still open or have you filled it", "timing_question"),
        ("can you tell me more about the team", "role_question"),
        ("Could you tell me a bit more about the projects the team is working on at the moment?", "role_question"),
        ("What does success look like in the first six months?", "role_question"),
        ("what shifts would i be on", "role_question"),
        ("any news on your end", "timing_question"),
        ("just wondering if youve made your mind up", "timing_question"),
        ("when do you think you will be offering the job", "timing_question"),
        # a stage of the hiring, asked outright
        ("Is there a start date in mind for the successful candidate?", "timing_question"),
        ("has it gone to the panel yet or is it still with HR", "timing_question"),
        ("Who is it I ought to chase up if I don't hear anything?", "timing_question"),
        ("Have you had a chance to get through the other candidates?", "timing_question"),
        ("i wanted to check have you been able to get in touch with my referees", "timing_question"),
        ("so like when do you reckon youll know", "timing_question"),
        ("yall still hiring for that or nah", "timing_question"),
        ("If I go forward, when will the medical and the assessment be?", "timing_question"),
        ("What's the process from here?", "timing_question"),
        ("Is there a trial shift?", "timing_question"),
        ("Has HR signed it off yet?", "timing_question"),
        ("When would I find out?", "timing_question"),
        ("Should I expect an email or a call?", "timing_question"),
        ("so where are you up to with it", "timing_question"),
        ("oh and while ive got you has a decision been made yet", "timing_question"),
        # how far it has got, and when people will hear, asked inside a request
        ("Would you mind telling me how far you've got with it all?", "timing_question"),
        ("Could you give me an idea of when applicants might be hearing?", "timing_question"),
        # unpunctuated: an auxiliary opening the sentence with a pronoun after it asks all of it
        ("and is it still the end of the month that youll be letting people know", "timing_question"),
        ("are they still planning to get everyone in for a second round", "timing_question"),
        # a stage's word naming a team, or training signed off, is the work's
        ("Does the assessment unit take referrals straight from the GPs, or through the hub?", "role_question"),
        ("can i ask is the competency sign off done by your own team", "role_question"),
        # a long question, asked from its first word; the job title's own words are the role's
        (
            "Does the packing line still run on two days, two nights, then four days off as its shift pattern?",
            "role_question",
        ),
        ("Would the leader be out on the floor with us on Thursdays?", "role_question"),
        # an errand in its own clause leaves the role's question in the other one
        ("Is there a pension, and what shifts would I be on?", "role_question"),
        # unpunctuated, a sentence that opens by asking the listener asks all of it
        (
            "would you happen to know at this point roughly what sort of start date the new person would get",
            "timing_question",
        ),
        (
            "do you know if the new starter would be spending most of the first month alongside the night team",
            "role_question",
        ),
    ],
)
def test_questions_are_told_apart(said: str, kind: str) -> None:
    found = kinds(["Hi, it's Robin.", said])
    assert kind in found, said
    other = {"role_question": "timing_question", "timing_question": "role_question"}[kind]
    assert other not in found, said


@pytest.mark.parametrize(
    "said",
    [
        "Is there parking on site?",
        "What's the salary for the role?",
        "I'll wait to hear from you then.",
        "My next step is to finish my course.",
        "I was going to ask when you'd decide, but I'll leave it.",
        "Is now a good time?",
        "I'll ring you when I hear back from my current employer.",
        # a time clause before its main clause: "when" opens a statement here
        "When you've decided, an email's probably the best way to get me.",
        "When our night senior was off last winter, she covered nights for six weeks.",
        "When I was at the depot, you know, we did the stock counts.",
        # a stage's words said, not asked
        "I did an assessment centre last year.",
        "My referees are happy to speak to you.",
        "I've already started the forklift course.",
        "I will follow up with an email.",
        "The panel was lovely, I enjoyed meeting everyone.",
        "Have you got to wear a uniform on the floor?",
        "I'll be in touch if anything changes.",
        "I'm still seeing a couple of other companies.",
        "The second round at my last job was tough.",
        "Oh sorry, this is the claims department? I think I have the wrong number.",
        # the terms of the job are errands, not its work
        "Does the role come with a pension?",
        "Is there a staff discount or any perks with the job?",
        # checking who is on the line, or leaving word, asks nothing about the role
        "Is this who I spoke to about the warehouse job?",
        "Could you tell her Robin rang about the warehouse job? My number's on the form.",
        # a wish, not "have you…"
        "Thanks again, have a good weekend on the shifts.",
    ],
)
def test_errands_statements_and_courtesies_ask_nothing(said: str) -> None:
    assert not {"role_question", "timing_question"} & kinds(["Hi, it's Robin.", said]), said


def test_a_withdrawal_carries_no_follow_up_acts() -> None:
    found = acts(
        [
            "Hi Dana, it's Robin Ash.",
            "I've accepted another offer, so I'd like to withdraw my application.",
            "I ran the night shift for four years, so I'll be fine. Is there anything you need from me?",
        ]
    )
    assert found.withdrawal and not found.acts


@pytest.mark.parametrize(
    "said",
    [
        "I'm no longer available on Mondays, but weekends are fine.",
        "I'm definitely not withdrawing, I'm still very keen.",
        "I said yes to the overtime at work so I'm used to long shifts.",
    ],
)
def test_words_of_withdrawal_without_withdrawing(said: str) -> None:
    assert not acts(["Hi Dana, it's Robin Ash, following up on my interview.", said]).withdrawal, said


def test_another_matter_keeps_only_a_question_about_the_decision() -> None:
    found = acts(
        [
            "Hi, it's Robin Ash, I came in on Monday.",
            "I'm ringing about my travel claim, is there a timeline for the refund?",
            "And do you know when you'll be letting people know about the job?",
        ]
    )
    assert found.other_matter
    assert [a.kind for a in found.acts] == ["timing_question"]


def test_an_errand_for_the_interview_is_another_matter() -> None:
    found = acts(
        [
            "Hi, it's Robin Ash, I came in on Friday.",
            "I'm calling about the travel expenses for the interview, the train fare you said you'd reimburse.",
            "I sent the receipts on Monday. How long does that usually take to come through?",
        ]
    )
    assert found.other_matter and not found.acts


@pytest.mark.parametrize(
    "said",
    [
        "I'm calling because I wanted to see if you'd made a decision.",
        "I'm ringing about, well, whether you've had a chance to decide yet.",
        "The reason I'm calling is that I'm still really keen on it.",
    ],
)
def test_a_reason_about_the_decision_is_a_follow_up(said: str) -> None:
    assert not acts(["Hi Dana, it's Robin Ash.", said]).not_a_follow_up, said


def test_a_follow_up_that_also_mentions_an_errand_is_a_follow_up() -> None:
    found = acts(["I'm calling to follow up on my interview.", "I'm also calling about the parking refund."])
    assert not found.not_a_follow_up


# --- the data ---------------------------------------------------------------------------------------------


def test_every_cue_word_is_already_normalised() -> None:
    """Patterns are matched against normalised words; a word the normaliser would rewrite never matches."""
    data = tomllib.loads((prompts_dir() / "acts.toml").read_text(encoding="utf-8"))
    words = load_rubric().words
    for cls, patterns in data["cues"].items():
        for pattern in patterns:
            parse(pattern, cls)
            for slot in pattern.split():
                for alt in slot.split("|"):
                    if alt in (GAP, NUMBER, "_") or alt.endswith("*"):
                        continue
                    assert words.normalise_word(alt) == [alt], f"[{cls}] {pattern!r}: {alt!r} is not normalised"


def test_a_pattern_cannot_start_with_a_gap() -> None:
    with pytest.raises(ValueError):
        parse(".. down", "result")


def test_patterns_match_words_gaps_prefixes_and_numbers() -> None:
    cues = CueSet.build({"x": ["brought .. down", "certif*", "# years"]}, ["four"])
    tags = cues.find("i brought our close right down and got certified four years".split())
    assert tags.spans["x"] == ((1, 6), (8, 9), (9, 11))


WORDS = st.sampled_from(
    "i my you we he she led ran years four 2019 certified licence asked about mentioned when decision next steps "
    "team role parking salary withdraw calling about refund anyway send thank bye ? . , the a".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=25).map(" ".join), max_size=5), st.booleans())
def test_acts_are_well_formed_on_any_words(lines: list[str], with_plan: bool) -> None:
    found = acts(lines, PLAN if with_plan else None)
    n = len(normalise_call(lines, load_rubric().words).tokens)
    for act in found.acts:
        assert 0 <= act.first < act.last <= n
    if found.withdrawal:
        assert not found.acts
    if found.other_matter:
        assert {a.kind for a in found.acts} <= {"timing_question"}
    assert found == acts(list(lines), PLAN if with_plan else None)  # deterministic


def test_the_lexicon_is_loaded_once() -> None:
    assert load_acts() is load_acts()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=25).map(" ".join), max_size=5))
def test_a_withdrawal_anywhere_voids_the_follow_up(lines: list[str]) -> None:
    found = acts([*lines, "So I'd like to withdraw my application, I've accepted another offer."])
    assert found.withdrawal and found.acts == ()


@pytest.mark.parametrize(
    "said",
    [
        "I went through the course pages with a screen reader and fixed about forty issues.",
        "I've done the meds round on nights for about three years now.",
        "Me and my uncle rebuilt two engines over the summer.",
        "I did build the readmissions dashboard, and it got used in every monthly meeting.",
        "The Millbrook basin was mine from concept to drawings.",
    ],
)
def test_strengths_told_plainly(said: str) -> None:
    assert "strength" in kinds([said], None), said


@pytest.mark.parametrize(
    "said",
    [
        "The gas licence, I'll get that sorted once I'm on with you.",
        "I'm registered to sit the licensing exam in April, and I'd see it through once I'm with you.",
        "I know my diploma is not recognised here yet.",
        # the interview's own task told back
        "I taught the Year 10 lesson on Thursday as part of the interview.",
    ],
)
def test_no_strength_in_a_promise_or_a_denied_credential(said: str) -> None:
    assert "strength" not in kinds([said], None), said


def test_the_interviewers_feedback_points_back_to_the_concern() -> None:
    lesson = Plan(
        "Robin Ash", "Dana Cole", "maths teacher", concern="in the observed lesson the back rows drifted off task"
    )
    said = [
        "Hi, it's Robin.",
        "I've been thinking about the feedback you gave me afterwards, that the back rows drifted. From the first"
        " lesson I'm going to move that group forward.",
    ]
    assert "concern_answer" in kinds(said, lesson), acts(said, lesson)


def test_what_was_done_since_the_interview_answers_the_concern() -> None:
    # No pointer back, no concern word: what the candidate did since is, in a follow-up call, about the worry
    said = ["Hi Dana, it's Robin Ash.", "Since we spoke I've arranged for my brother to do the Saturday school run."]
    assert "concern_answer" in kinds(said), acts(said)
    assert "concern_answer" not in kinds(said, Plan("Robin Ash", "Dana Cole", "warehouse team leader"))
