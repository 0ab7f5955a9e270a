"""The four pitfalls on calls written for these tests (none comes from a corpus): caught where a coach would
catch them, and not on friendly regional speech, one earlier call, or a single forgotten detail."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterator

import pytest

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.scorer import score_call

PLAN = Plan("Sam Reid", "Priya Shah", "data analyst", "Acme Foods", skills=("SQL",), timeframe="two weeks")
OPENING = "Good morning Priya, this is Sam Reid, I interviewed for the data analyst role."


def pitfalls(lines: list[str], plan: Plan | None = PLAN) -> set[str]:
    return {p.id for p in score_call([OPENING, *lines], plan).pitfalls}


@pytest.mark.parametrize(
    ("lines", "pitfall"),
    [
        (["hey whats up its jay so like i was kinda wondering if yall decided lol"], "informal"),
        (["Yo, dude, any word on the job? Gonna keep my fingers crossed, bro."], "informal"),
        (["Hiya babe, just checking in on the job, cool cool, cheers."], "informal"),
        (["So basically I'm just kinda checking in, like, you know, on the job and stuff, I guess."], "informal"),
        (
            ["Oh my gosh, hi! So I was, like, wanting to sort of check in? No pressure, haha, it was kind of insane."],
            "informal",
        ),
        (["alright jo its sam, proper rough today ngl, big night out, anyway whats the word on the job"], "informal"),
        (["Hiya darling, just me, wondering if you'd decided, cheers hun."], "informal"),
        (["Yeah the test was bloody hard, gimme a sec, lemme think, oh damn, what a day. Cheers man."], "informal"),
        # "mate" again and again to an interviewer, with little else casual
        (
            [
                "Alright mate, just ringing about the analyst job from Tuesday, I'm still really keen on it.",
                "I did the SQL course you mentioned, mate, the two-day one in town, and I passed it on Friday.",
                "Before that I ran the stock reports at the depot for three years, every Monday, on my own.",
                "When do you think you'll know, mate? Cheers for your time, see ya.",
            ],
            "informal",
        ),
        (["Nice one. Here, you're a legend, know what I mean? Fair dos, that was doing my head in."], "informal"),
        (["This is the fourth time I've called this week."], "pushy"),
        (["Could you ring me by Thursday? Because otherwise I'll have to take the other one."], "pushy"),
        (["I spoke with, oh, it's gone right out of my head, Priya? Yes, sorry."], "unprepared"),
        (["I need to know by tomorrow, I have another offer."], "pushy"),
        (["I'll keep ringing until someone gives me an answer."], "pushy"),
        (["Why haven't you called me back yet?"], "pushy"),
        (["I have an offer elsewhere. Unless I hear from you by Thursday, I'll be accepting it."], "pushy"),
        (["Can't you just ask your manager now? It would take two minutes."], "pushy"),
        (["It's been nine days. I think I'm owed an answer by now."], "pushy"),
        (["If I don't hear today, I'll have to accept the other offer."], "pushy"),
        (["Can I speak to your manager instead? Maybe they can tell me."], "pushy"),
        (["Sorry, what was your name again?"], "unprepared"),
        (["I've applied to so many places I'm not sure which this was."], "unprepared"),
        (["Remind me, which role was this for? I've had a few interviews."], "unprepared"),
        (["I don't have my notes in front of me, so what was the position?"], "unprepared"),
        (["Sorry, I've got my interviews mixed up, that was a different company."], "unprepared"),
        (["Saturday clinics? Oh, I was thinking of another practice, sorry."], "unprepared"),
        (["I wanted to come back to your point, but I can't recall what it was."], "unprepared"),
        (["Sorry, what's the company called again? I've got a few saved in my phone."], "unprepared"),
        (["I didn't really think about what I wanted to say before I rang."], "unprepared"),
        (["There was something else, what was I... no, it'll come to me."], "unprepared"),
        (["I'm not sure of the exact job title, it's in an email somewhere."], "unprepared"),
        (["Who was it I spoke to at the interview? Was it you?"], "unprepared"),
        (["Hang on, I just can't find the email with the job title."], "unprepared"),
        (["i cant find my notes sorry what was the role"], "unprepared"),
        (["Sorry, can you remind me what the role was called?"], "unprepared"),
        (["Um, I had a list of things but I've left it at home."], "unprepared"),
        (["You asked about something with the software. Sorry, it'll come to me."], "unprepared"),
        (["I came in sometime last week, I think it was the Tuesday."], "unprepared"),
        (["I'm not sure why I'm ringing, my wife said I should."], "unprepared"),
        (["I had something else I wanted to ask but it's gone out of my head."], "unprepared"),
        (["Was it the Monday? Or the Monday before? The days are running into each other."], "unprepared"),
        (["is this priya or whoever, its about the analyst thing or whatever it was"], "unprepared"),
        # names said against the plan: the interviewer's, the company's
        (["Could I speak with Mrs Patel, please? Oh, Ms Shah, sorry."], "unprepared"),
        (["Could I speak with Mr. Patel, please? Oh, Ms. Shah, sorry."], "unprepared"),
        (["I enjoyed meeting you and Dr Shaw, sorry, Dr Shah, last week."], "unprepared"),
        (["I'm calling about the data analyst role at Harlow Logistics."], "unprepared"),
        # correcting oneself onto the plan's role or company: another application spoke first
        (["I'm calling about the office manager post, sorry, the data analyst role."], "unprepared"),
        (["I've always admired Brightway. Sorry, Acme. I'm still keen."], "unprepared"),
        (["I know you said you'd email by Friday, but I thought I'd give you a ring."], "ignores_preferences"),
        (["I realise you asked us not to call, sorry, I just couldn't wait."], "ignores_preferences"),
        (["I know it's only been a few days, I'm probably jumping the gun."], "ignores_preferences"),
        (["You asked us not to chase before the panel sits, but I wanted to get in touch."], "ignores_preferences"),
        (["I got your personal mobile from a friend, I hope you don't mind."], "ignores_preferences"),
        (["I know HR are handling it, but I thought I'd go straight to you."], "ignores_preferences"),
    ],
)
def test_pitfalls_are_caught(lines: list[str], pitfall: str) -> None:
    assert pitfall in pitfalls(lines), lines


@pytest.mark.parametrize(
    "lines",
    [
        ["Hey Priya, it's Sam. I'm calling to follow up on the analyst role. Thanks so much, bye."],
        ["G'day, no worries at all, cheers mate, have a good one."],
        ["Well, how are y'all doing? I'm fixing to follow up on that job."],
        ["That's awesome, thank you, I'm super excited."],
        ["I was, you know, hoping to hear about the decision. I mean, I'm still very keen."],
        ["I called last week and left a message, so I thought I'd try again."],
        ["I can call back later if that's easier."],
        ["I'll wait to hear from you by Friday then."],
        ["I forgot to mention that I've got my forklift licence."],
        ["I'm not sure if you've had a chance to decide."],
        ["Could you remind me of the start date you mentioned?"],
        ["I know you said two weeks, and it's been two weeks, so I'm calling as agreed."],
        ["You said to call after Friday, so here I am."],
        ["Um, sorry, I'm a bit nervous, um, I just wanted to follow up, um, on the interview."],
        # nervous but prepared; other people and places named in their own right
        ["Sorry Ms Shah, I'm really nervous, I wrote some notes so I don't forget anything."],
        ["I spoke with my old manager Mr Thompson and he's happy to be a referee."],
        ["My current role at Brightway Logistics taught me stock control."],
        ["When was it you said you'd decide?"],
        ["I can send it to you or whoever handles references."],
        ["Sorry, Priya, I'll be quick.", "No, Acme is my first choice, to be honest."],
        ["Thanks Priya, sorry Priya, the line broke up for a second."],
        ["okay thank you so much sorry priya one more thing is there parking on site"],
        ["Sorry, the line is bad, what was the question again?", "sorry what was that again"],
        ["I can't remember if I mentioned it, but I also hold a forklift licence."],
        ["Oh, that was the other thing I wanted to say: I forgot the best bit, I passed my SQL exam."],
        ["I'm not sure which day suits you best, so I'll keep my phone on."],
        ["Could you remind me which day you said you'd decide?"],
        # a prepared caller's own words: small talk, other interviews honestly mentioned, the company praised
        ["I can't remember the last time I enjoyed an interview so much."],
        ["I've had a few interviews this month, but Acme is the one I really want."],
        ["I mean, Acme is exactly the kind of place I want to work.", "Sorry, Acme Foods was my first choice."],
        ["I did not prepare a presentation last time, but I've made one since."],
        ["Who was it I should send my references to?", "I don't know much about the pension scheme, is there one?"],
        ["I left my umbrella in reception, could I pop in for it on Friday?"],
        # an apology that addresses her corrects nothing
        ["That's really interesting — oh, I'm sorry, Priya, that's the fire alarm, I'll have to go."],
        # someone else's trouble finding things is no sign of the caller's unpreparedness
        ["I did three years on a help desk, sixty calls a day, folks who can't find the power button."],
        # an honest word about another offer, and asking whom to chase, press no one
        [
            "I've been offered another post and they want an answer by the 10th. You're my first choice, and I "
            "understand if your timeline can't work around that."
        ],
        ["If I don't hear anything by Friday, who should I follow up with?"],
        ["Whenever you know, one way or the other before the holidays, I'd be glad to hear."],
        # one "mate" in a long polite call
        [
            "Thanks, mate, for picking up, I know it's busy.",
            "I'm following up on the analyst interview and I'm still very keen on the role at Acme.",
            "Since we spoke I finished the advanced SQL course and built a dashboard for our warehouse team.",
            "Could you tell me when you expect to decide? Thank you for your time, Priya. Goodbye.",
        ],
        ["Unless you have any other questions, I'll let you go. I'll be taking the bus in on Monday."],
        ["A second interview on Thursday? Hang on, I'll grab a pen. Yes, ten o'clock is fine."],
        ["Surely you've had lots of applicants. I'd love to show you something concrete, like my portfolio."],
        # a long, chatty call gathers a few casual words without being slangy
        [
            "Hey, so I'm calling to follow up on the data analyst interview, you know, the one last Tuesday.",
            "I've been thinking about the SQL exercise you set, and I'm totally still keen on the role.",
            "At my last job I built the monthly sales report from scratch, cut the refresh from a day to an hour, "
            "and trained two colleagues to maintain it, which freed the team for the quarterly planning work.",
            "I'm gonna be around all week, so whenever suits you is fine, and I can send the report as a sample.",
            "Could you tell me when you expect to make a decision, and whether there is a second round?",
            "Thank you so much for your time today, Priya, I really appreciate it. Have a good afternoon.",
        ],
    ],
)
def test_friendly_calls_fall_into_none(lines: list[str]) -> None:
    assert pitfalls(lines) == set(), lines


@pytest.mark.parametrize(
    ("preference", "ignored"),
    [
        ("email", True),
        ("no calls before Friday", True),
        ("outcomes go on the recruitment portal", True),
        ("email only; HR asked candidates not to telephone", True),
        ("in writing only, please", True),
        ("phone or email", False),
        ("a phone call is fine, or email", False),
        ("phone", False),
        ("", False),
    ],
)
def test_calling_when_the_plan_says_email_ignores_it(preference: str, ignored: bool) -> None:
    plan = Plan("Sam Reid", "Priya Shah", "data analyst", contact_preference=preference)
    result = score_call([OPENING, "I'm calling to follow up on my interview."], plan)
    hit = next((p for p in result.pitfalls if p.id == "ignores_preferences"), None)
    assert (hit is not None) == ignored
    if hit is not None:
        assert preference in hit.evidence and hit.start == -1


def test_another_panel_member_named_beside_the_interviewer_is_no_mix_up() -> None:
    said = "Hello, Ms. Shah, this is Sam Reid — I interviewed with you and Ms. Desjarlais for the data analyst post."
    assert "unprepared" not in {p.id for p in score_call([said], PLAN).pitfalls}


def test_one_follow_up_on_the_answer_is_not_asking_again() -> None:
    lines = [
        "I'm just ringing to see how it's going, because I'm still keen.",
        "I did my Level 2 with a distinction in the practical.",
        "Can I ask what happens next? Is there another interview?",
        "Oh, a half day on site. Do you know roughly when you'd be doing them?",
    ]
    assert "pushy" not in pitfalls(lines)


@pytest.mark.parametrize(
    ("said", "ignored"),
    [
        ("You'd mentioned not to call before Wednesday, so I waited till today.", False),
        ("I'm following up on my interview for the data analyst role.", True),
    ],
)
def test_keeping_to_a_not_before_respects_it(said: str, ignored: bool) -> None:
    plan = Plan("Sam Reid", "Priya Shah", "data analyst", contact_preference="no calls before Wednesday")
    assert ("ignores_preferences" in pitfalls([said], plan)) is ignored


def test_asking_again_and_again_is_pushy() -> None:
    lines = ["Have you decided yet?", "So when will you decide?", "Any news on the decision at all?"]
    hit = next(p for p in score_call([OPENING, *lines], PLAN).pitfalls if p.id == "pushy")
    assert hit.evidence == "asked for an update 3 times"


def test_pitfall_evidence_quotes_the_transcript() -> None:
    result = score_call([OPENING, "Yo bro, lol, I've called like four times, what was your name again?"], PLAN)
    assert {p.id for p in result.pitfalls} >= {"informal", "pushy", "unprepared"}
    for p in result.pitfalls:
        assert result.transcript[p.start : p.end] == p.evidence


def _patterns(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        yield from (p for p in node if isinstance(p, str))


@pytest.mark.parametrize("name", ["pitfalls.toml", "acts.toml"])
def test_no_alternative_repeats_the_slot_beside_it(name: str) -> None:
    """A "|" joins single words, not phrases: "can not|do not remember" reads as can, not|do, not, remember and
    never matches "can not remember"; it is written "can|do not remember"."""
    data = tomllib.loads((prompts_dir() / name).read_text(encoding="utf-8"))
    for pattern in _patterns(data):
        raw = [s.split("|") for s in pattern.split()]
        assert all(len(set(alts)) == len(alts) for alts in raw), pattern  # "come|come back": a phrase split
        slots = [set(alts) for alts in raw]
        for a, b in itertools.pairwise(slots):
            assert len(a) == len(b) == 1 or not a & b, pattern
        for before, alts, after in zip(slots, slots[1:], slots[2:], strict=False):
            assert len(alts) == 1 or not before & after - {"..", "#", "_"}, pattern  # "not sure|do not know"
