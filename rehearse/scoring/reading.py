"""Reading a call for the speech-act and pitfall rules: the act lexicon (prompts/acts.toml), the plan's own words,
and each call's words, sentences, clauses and numbers, worked out once and shared."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rehearse.plan import Plan
from rehearse.resources import prompts_dir
from rehearse.scoring.clauses import Layout, PlanWords, layout, number_flags
from rehearse.scoring.cues import CueSet
from rehearse.scoring.rubric import load_words
from rehearse.scoring.text import NormText, WordMap, normalise_phrase


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once
class ActLexicon:
    cues: CueSet
    words: WordMap
    generic: frozenset[str]  # plan words that identify nothing ("experience", "team")
    min_word: int
    lead: frozenset[str]  # words that may come before a question word at the start of a clause
    wh: frozenset[str]  # question words
    aux: frozenset[str]  # auxiliaries that open a question when their subject follows them
    subjects: frozenset[str]  # words that may follow an auxiliary as its subject ("is there", "would the")
    units: frozenset[str]  # what is counted ("years", "times"): "four" before one is a number, not "for"
    # Each kind of concern: the words that name it ("travel", "commute"), and the words that only put a concern in
    # it ("site"). A concern holding either may be named by any of the first.
    families: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()


@lru_cache(maxsize=4)
def load_acts(path: Path | None = None, words_path: Path | None = None) -> ActLexicon:
    base = prompts_dir()
    data = tomllib.loads((path or base / "acts.toml").read_text(encoding="utf-8"))
    words = load_words(words_path or base / "words.toml")[0]
    q = data["questions"]
    return ActLexicon(
        cues=CueSet.build(data["cues"], data["numbers"]["words"]),
        words=words,
        generic=frozenset(data["plan"]["generic"]),
        min_word=int(data["plan"]["min_word"]),
        lead=frozenset(q["lead"]),
        wh=frozenset(q["wh"]),
        aux=frozenset(q["aux"]),
        subjects=frozenset(q["subjects"]),
        units=frozenset(data["numbers"]["units"]),
        families=_families(data["plan"]),
    )


@lru_cache(maxsize=64)
def plan_words(lex: ActLexicon, plan: Plan | None) -> PlanWords:
    if plan is None:
        return PlanWords({}, {})
    fields = {"skill": plan.skills, "concern_word": _concern_words(lex, plan), "position_word": (plan.position,)}
    title = PlanWords.build({"position_word": (plan.position,)}, lex.words, frozenset(), 1)
    # A skill word that is also in the job title ("volunteer coordinator") names the job, not a skill.
    return PlanWords.build(fields, lex.words, lex.generic | lex.cues.numbers | frozenset(title.exact), lex.min_word)


def _families(plan_data: dict) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    triggers = plan_data.get("family_triggers", {})
    names = plan_data.get("concern_families", {})
    return tuple((frozenset(words), frozenset(words) | frozenset(triggers.get(k, ()))) for k, words in names.items())


def _concern_words(lex: ActLexicon, plan: Plan) -> tuple[str, ...]:
    """The concern as the plan words it, and every family it belongs to: candidates name it in their own words."""
    said = set(normalise_phrase(plan.concern, lex.words).split())
    return (plan.concern, *(" ".join(sorted(words)) for words, triggers in lex.families if triggers & said))


@dataclass(frozen=True)
class Reading:
    """A call's words with their sentences, clauses and numbers: worked out once, shared by acts and pitfalls."""

    words: tuple[str, ...]
    lay: Layout
    numbers: tuple[bool, ...]


def read(text: NormText, lex: ActLexicon | None = None) -> Reading:
    lex = lex or load_acts()
    return Reading(tuple(t.text for t in text.tokens), layout(text), number_flags(text, lex.cues.is_number, lex.units))
