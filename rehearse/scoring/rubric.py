"""Loading the rubric and word lists from prompts/ and checking them, so a typo in data is one clear line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rehearse.errors import InputFileError
from rehearse.resources import prompts_dir, resolved
from rehearse.scoring.text import WordMap
from rehearse.textfiles import read_toml
from rehearse.values import PITFALL_IDS, SECTION_IDS

# The acts a rubric element may name (rehearse/scoring/acts.py finds them); kept here so loading the rubric
# does not need the act rules.
ACT_KINDS = (
    "strength",
    "concern_reference",
    "concern_answer",
    "role_question",
    "timing_question",
    "status_question",
    "concern_offer",  # an answer to the concern that only offers to say more ("happy to go into it")
    "news_for_them",  # the call opens to tell them something new for the application ("I only wanted to say...")
)

POSITIONS = ("any", "start", "end")


@dataclass(frozen=True)
class ElementSpec:
    """One thing a section is expected to contain."""

    id: str
    description: str
    phrases: tuple[str, ...]  # variants, with plan placeholders
    required: bool = False
    weight: float = 1.0
    threshold: float = 86.0  # lowest fuzzy score that counts
    missing: str = ""  # feedback when it was not said
    unless: tuple[str, ...] = ()  # context that shows the words mean something else
    together: tuple[dict, ...] = ()  # co-occurrence rules: {groups = [[...], [...]], within = 8, question = false}
    act: str = ""  # a speech act (rehearse/scoring/acts.py) whose evidence realises the element, besides phrases
    thin_act: str = ""  # an act that realises the element only thinly (an offer to say more, and nothing else)...
    thin: str = ""  # ...and the feedback then: it counts, but how to make it land


@dataclass(frozen=True)
class SectionSpec:
    """One of the guide's six sections."""

    id: str
    title: str
    weight: float
    elements: tuple[ElementSpec, ...]
    advice: str = ""
    example: str = ""  # a suggested line with plan placeholders
    position: str = "any"  # "start" / "end": where in the call it may be said
    optional_without: str = ""  # a plan field without which skipping the section costs nothing
    present_with: tuple[str, ...] = ()  # elements of which one must be matched for the section to count
    follow_up_only: bool = False  # a call to withdraw, or about another matter, never realises it


@dataclass(frozen=True)
class PitfallSpec:
    id: str
    title: str
    advice: str
    phrases: tuple[str, ...]
    threshold: float = 88.0
    unless: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once, cached per plan
class Rubric:
    version: str
    sections: tuple[SectionSpec, ...]
    pitfalls: tuple[PitfallSpec, ...]
    pitfall_penalty: float
    order_penalty: float
    words: WordMap
    fillers: tuple[str, ...]  # normalised filler words and phrases
    not_names: frozenset[str]  # words after "this is" that are not a name
    name_prefixes: tuple[str, ...] = ()  # "this is", "my name is": followed by a name even when the plan has none


def _need(table: dict[str, Any], key: str, kind: type, where: str, path: Path) -> Any:
    value = table.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise InputFileError(f"{where} needs {key} ({kind.__name__}); add it", path=path)
    return value


def _strings(table: dict[str, Any], key: str, where: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputFileError(f"{where}: {key} must be a list of strings", path=path)
    return tuple(value)


def _element(data: dict[str, Any], where: str, default_threshold: float, path: Path) -> ElementSpec:
    eid = _need(data, "id", str, where, path)
    where = f"{where} element {eid!r}"
    phrases = _strings(data, "phrases", where, path)
    act = str(data.get("act", ""))  # one act, or alternatives: "status_question|news_for_them"
    if act and not set(act.split("|")) <= set(ACT_KINDS):
        raise InputFileError(f"{where}: act must be one of {', '.join(ACT_KINDS)}", path=path)
    if not phrases and not act:
        raise InputFileError(f"{where} has no phrases and no act; give one or the other", path=path)
    thin_act = str(data.get("thin_act", ""))
    if thin_act and thin_act not in ACT_KINDS:
        raise InputFileError(f"{where}: thin_act must be one of {', '.join(ACT_KINDS)}", path=path)
    return ElementSpec(
        id=eid,
        description=str(data.get("description", eid)),
        phrases=phrases,
        required=bool(data.get("required", False)),
        weight=float(data.get("weight", 1.0)),
        threshold=float(data.get("threshold", default_threshold)),
        missing=str(data.get("missing", "")),
        unless=_strings(data, "unless", where, path),
        together=_together(data, where, path),
        act=act,
        thin_act=thin_act,
        thin=str(data.get("thin", "")),
    )


def _together(data: dict[str, Any], where: str, path: Path) -> tuple[dict, ...]:
    rules = data.get("together", [])
    for rule in rules:
        groups = rule.get("groups") if isinstance(rule, dict) else None
        ok = (
            isinstance(groups, list)
            and len(groups) >= 2
            and all(isinstance(g, list) and g and all(isinstance(t, str) for t in g) for g in groups)
        )
        if not ok:
            raise InputFileError(f'{where}: together needs groups = [["word", ...], ["word", ...]]', path=path)
    return tuple(rules)


def _section(data: dict[str, Any], default_threshold: float, path: Path) -> SectionSpec:
    sid = _need(data, "id", str, "a section", path)
    where = f"section {sid!r}"
    elements = tuple(_element(e, where, default_threshold, path) for e in data.get("elements", []))
    if not elements:
        raise InputFileError(f"{where} has no elements", path=path)
    position = str(data.get("position", "any"))
    if position not in POSITIONS:
        raise InputFileError(f"{where}: position must be one of {', '.join(POSITIONS)}", path=path)
    return SectionSpec(
        id=sid,
        title=_need(data, "title", str, where, path),
        weight=float(data.get("weight", 1.0)),
        elements=elements,
        advice=str(data.get("advice", "")),
        example=str(data.get("example", "")),
        position=position,
        optional_without=str(data.get("optional_without", "")),
        present_with=_present_with(data, elements, where, path),
        follow_up_only=bool(data.get("follow_up_only", False)),
    )


def _present_with(data: dict[str, Any], elements: tuple[ElementSpec, ...], where: str, path: Path) -> tuple[str, ...]:
    names = _strings(data, "present_with", where, path)
    unknown = set(names) - {e.id for e in elements}
    if unknown:
        raise InputFileError(f"{where}: present_with names no element {', '.join(sorted(unknown))}", path=path)
    return names


def _pitfall(data: dict[str, Any], default_threshold: float, path: Path) -> PitfallSpec:
    pid = _need(data, "id", str, "a pitfall", path)
    where = f"pitfall {pid!r}"
    return PitfallSpec(
        id=pid,
        title=_need(data, "title", str, where, path),
        advice=str(data.get("advice", "")),
        phrases=_strings(data, "phrases", where, path),
        threshold=float(data.get("threshold", default_threshold)),
        unless=_strings(data, "unless", where, path),
    )


def load_words(path: Path) -> tuple[WordMap, tuple[str, ...], frozenset[str], tuple[str, ...]]:
    data = read_toml(path, "word list")
    replacements: dict[str, str] = {}
    for table in ("contractions", "homophones", "numbers"):
        for key, value in data.get(table, {}).items():
            replacements[str(key)] = str(value)
    words = WordMap(replacements, frozenset(data.get("abbreviations", {}).get("words", [])))
    fillers_table = data.get("fillers", {})
    fillers = tuple(fillers_table.get("words", [])) + tuple(fillers_table.get("phrases", []))
    names = data.get("names", {})
    return words, fillers, frozenset(names.get("not_names", [])), tuple(names.get("prefixes", []))


def load_rubric(path: Path | None = None, words_path: Path | None = None) -> Rubric:
    """Load and validate prompts/rubric.toml (or `path`) with its word lists."""
    base = prompts_dir()
    path = path or base / "rubric.toml"
    return _load_rubric_cached(resolved(path), resolved(words_path or base / "words.toml"))


@lru_cache(maxsize=8)
def _load_rubric_cached(path: Path, words_path: Path) -> Rubric:
    data = read_toml(path, "rubric")
    overall = data.get("overall", {})
    default_threshold = float(overall.get("default_threshold", 86.0))
    sections = tuple(_section(s, default_threshold, path) for s in data.get("sections", []))
    if tuple(s.id for s in sections) != SECTION_IDS:
        raise InputFileError(f"the rubric must define the sections {', '.join(SECTION_IDS)} in that order", path=path)
    pitfalls = tuple(_pitfall(p, default_threshold, path) for p in data.get("pitfalls", []))
    if tuple(p.id for p in pitfalls) != PITFALL_IDS:
        raise InputFileError(f"the rubric must define the pitfalls {', '.join(PITFALL_IDS)} in that order", path=path)
    words, fillers, not_names, name_prefixes = load_words(words_path)
    return Rubric(
        version=str(data.get("version", "")),
        sections=sections,
        pitfalls=pitfalls,
        pitfall_penalty=float(overall.get("pitfall_penalty", 8)),
        order_penalty=float(overall.get("order_penalty", 4)),
        words=words,
        fillers=fillers,
        not_names=not_names,
        name_prefixes=name_prefixes,
    )
