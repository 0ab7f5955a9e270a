"""The personal script: the guide's call written out for one plan, plus the voicemail, the receptionist line and the
thank-you email. Sections, order, titles and advice come from the rubric; the words from prompts/script.toml.

A sentence is a list of options, best first; the first one the plan can fill is said. That keeps every plan
working (only `candidate` is required) without a line like "for the  role" when the position is missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rehearse.errors import InputFileError
from rehearse.plan import TITLES, Plan
from rehearse.prep.phone import spoken_number
from rehearse.report.plain import one_line
from rehearse.resources import prompts_dir
from rehearse.scoring.placeholders import PLACEHOLDER_RE, substitute
from rehearse.scoring.rubric import load_rubric
from rehearse.textfiles import read_toml

Kind = Literal["call", "voicemail", "gatekeeper", "email"]
KINDS: tuple[Kind, ...] = ("call", "voicemail", "gatekeeper", "email")
ALWAYS = frozenset({"candidate", "candidate_first"})  # what every valid plan fills
NO_NAME = "[fill in: your name]"
WORDS_PER_SECOND = 2.5  # 150 words a minute: an unhurried phone voice (the demo candidate's espeak rate)
DIGIT_SECONDS = 0.45  # a digit said slowly, in its group
PAUSE_SECONDS = {",": 0.25, ".": 0.45, "?": 0.45, ";": 0.3}
Sentence = tuple[str, ...]  # options, best first


@dataclass(frozen=True)
class ScriptSection:
    """One part of a script: a rubric section of the call, or the whole of a voicemail or receptionist line."""

    id: str  # a rubric section id, or "voicemail", "gatekeeper", "email"
    title: str
    line: str  # what to say (for the email: a paragraph)
    advice: str = ""
    alternatives: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # two or three words, the faded cue


@dataclass(frozen=True)
class Script:
    kind: Kind
    title: str  # "Your follow-up call"
    about: str  # "to Maribel Santos about the operations analyst role at Northwind Freight"
    sections: tuple[ScriptSection, ...]
    notes: tuple[str, ...] = ()  # shown before the lines
    skipped: tuple[tuple[str, str], ...] = ()  # (section title, why it is not in this script)
    subject: str = ""  # the email's subject line
    seconds: float | None = None  # the voicemail's estimated length

    def section(self, section_id: str) -> ScriptSection | None:
        return next((s for s in self.sections if s.id == section_id), None)


def build(kind: Kind, plan: Plan) -> Script:
    return {"call": build_call, "voicemail": build_voicemail, "gatekeeper": build_gatekeeper, "email": build_email}[
        kind
    ](plan)


def build_call(plan: Plan) -> Script:
    """The model call, one line per rubric section; the concern section only when the plan names a concern."""
    data, values = phrasing(), plan_values(plan)
    sections: list[ScriptSection] = []
    skipped: list[tuple[str, str]] = []
    for spec in load_rubric().sections:
        table = data["call"].get(spec.id)
        if spec.optional_without and not getattr(plan, spec.optional_without, ""):
            skipped.append((spec.title, label("no_concern")))
            continue
        vals = _with_slots(values, table or {}, data)
        say = _sentences(table, "say") if table else ((spec.example,),)
        line = " ".join(s for s in (_pick(opts, vals) for opts in say) if s)
        sections.append(
            ScriptSection(
                spec.id,
                spec.title,
                line,
                spec.advice,
                _usable_all(table.get("alternatives", []) if table else [], vals),
                _usable_all(table.get("keywords", []) if table else [], vals)[:3],
            )
        )
    notes = [label("say_it")] + ([label("fill_in_note")] if any("[fill in:" in s.line for s in sections) else [])
    return Script("call", label("title_call"), about(plan), tuple(sections), tuple(notes), tuple(skipped))


def build_voicemail(plan: Plan) -> Script:
    """The message: at most `seconds` (30) at an unhurried pace; long names fall back to shorter sentences."""
    data = phrasing()
    table = data["voicemail"]
    vals = _with_slots(plan_values(plan), table, data)
    limit = float(table.get("seconds", 30))
    say = _sentences(table, "say")
    chosen = [_first_usable(opts, vals) for opts in say]
    text = _join(say, chosen, vals)
    while estimate_seconds(text) > limit:
        shorter = {i: j for i, opts in enumerate(say) if (j := _shorter(opts, chosen[i], vals)) is not None}
        if not shorter:
            break  # as short as the phrasing goes; the note gives the estimate
        longest = max(shorter, key=lambda i: len(substitute(say[i][chosen[i]], vals)))
        chosen[longest] = shorter[longest]
        text = _join(say, chosen, vals)
    seconds = estimate_seconds(text)
    keywords = _usable_all(table.get("keywords", []), vals)[:3]
    section = ScriptSection("voicemail", label("title_voicemail"), text, keywords=keywords)
    notes = [label("voicemail_note", {"seconds": str(round(seconds))})]
    if seconds > limit:
        notes.append(label("voicemail_long", {"limit": str(round(limit))}))
    return Script("voicemail", label("title_voicemail"), about(plan), (section,), tuple(notes), seconds=seconds)


def build_gatekeeper(plan: Plan) -> Script:
    data = phrasing()
    table = data["gatekeeper"]
    vals = _with_slots(plan_values(plan), table, data)
    line = " ".join(s for s in (_pick(opts, vals) for opts in _sentences(table, "say")) if s)
    keywords = _usable_all(table.get("keywords", []), vals)[:3]
    section = ScriptSection("gatekeeper", label("title_gatekeeper"), line, keywords=keywords)
    return Script("gatekeeper", label("title_gatekeeper"), about(plan), (section,), (label("say_it"),))


def build_email(plan: Plan) -> Script:
    """The thank-you email: subject, thanks, one detail (a slot), continued interest, one strength, sign-off."""
    data = phrasing()
    table = data["email"]
    vals = _with_slots(plan_values(plan), table, data)
    paragraphs = [_paragraph(p, vals, " ") for p in table["body"]]
    paragraphs.append(_paragraph(table["sign_off"], vals, "\n"))
    sections = tuple(ScriptSection("email", "", p) for p in paragraphs if p)
    subject = _pick(tuple(table["subject"]), vals)
    notes = (label("email_note"), label("fill_in_email"))
    return Script("email", label("title_email"), about(plan), sections, notes, subject=subject)


# --- the plan's words ---------------------------------------------------------------------------------------------


def plan_values(plan: Plan) -> dict[str, str]:
    """Every placeholder the plan can fill, each on one line (a plan's newline must not split an utterance)."""
    from rehearse.dialogue.timeframe import spoken_timeframe

    skills = [_words(s) for s in plan.skills if _words(s)]
    interviewer = _words(plan.interviewer)
    if all(w.lower().rstrip(".") in TITLES for w in interviewer.split()):
        interviewer = ""  # "Dr." alone names nobody
    values = {
        # A plan always has a name, but one of only control characters cleans away to nothing: keep a slot.
        "candidate": _words(plan.candidate) or NO_NAME,
        "candidate_first": _words(plan.first_name) or NO_NAME,
        "interviewer": interviewer,
        "interviewer_address": address(interviewer),
        "position": _role(plan.position),
        "company": _words(plan.company),
        "concern": _words(plan.concern),
        "skill": skills[0] if skills else "",
        "skill2": skills[1] if len(skills) > 1 else "",
        "interview_day": day_name(plan.interview_date) if plan.interview_date else "",
        "phone": one_line(plan.phone),
        "phone_spoken": spoken_number(plan.phone) or "",
        "timeframe": spoken_timeframe(one_line(plan.timeframe)) if plan.timeframe.strip() else "",
    }
    return {k: v for k, v in values.items() if v}


def _words(text: str) -> str:
    """A plan value as it goes into a sentence: one line, no closing punctuation of its own ("Avery." would end
    "This is Avery.." twice)."""
    return one_line(text).rstrip(" .,;:")


def _role(position: str) -> str:
    """The position as it fits "the {position} role": "the analyst role" or "an analyst position" say it twice."""
    words = _words(position).split()
    if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in ("role", "position", "job", "post", "vacancy"):
        words = words[:-1]
    return " ".join(words)


def address(interviewer: str) -> str:
    """How to address the interviewer: "Ms. Smith" as written when it has a title, otherwise the first name."""
    words = interviewer.split()
    if not words:
        return ""
    if words[0].lower().rstrip(".") in TITLES:
        return interviewer  # "Ms. Smith": as the interview had it
    return words[0]


def day_name(day: Any) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def about(plan: Plan) -> str:
    """Who calls whom about what: "Jordan Avery to Maribel Santos, operations analyst at Northwind Freight"."""
    values = plan_values(plan)
    who = label("who", values) if _usable(_raw_label("who"), values) else values["candidate"]
    role = " ".join(label(k, values) for k in ("role", "at") if _usable(_raw_label(k), values))
    return f"{who}, {role}" if role else who


def estimate_seconds(text: str) -> float:
    """How long `text` takes said unhurriedly: words at 150 a minute, digits slower, a beat at punctuation."""
    digits = len(re.findall(r"\d", text))
    words = len(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text))
    pauses = sum(PAUSE_SECONDS.get(ch, 0.0) for ch in text)
    return words / WORDS_PER_SECOND + digits * DIGIT_SECONDS + pauses


# --- the phrasing file -------------------------------------------------------------------------------------------


def phrasing() -> dict[str, Any]:
    return _load(prompts_dir() / "script.toml")


def label(key: str, values: Mapping[str, str] | None = None) -> str:
    return substitute(_raw_label(key), values or {})


def _raw_label(key: str) -> str:
    return str(phrasing()["labels"].get(key, ""))


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    data = read_toml(path, "script phrasing")
    for key in ("call", "voicemail", "gatekeeper", "email", "labels"):
        if not isinstance(data.get(key), dict):
            raise InputFileError(f"needs a [{key}] table; see the comments at the top of the shipped file", path=path)
    # A section the rubric makes optional without a plan field ("questions" without a concern) is only written
    # when the plan has that field, so its sentences may rely on it.
    given = {spec.id: spec.optional_without for spec in load_rubric().sections if spec.optional_without}
    tables = [(f"call.{k}", "say", v, given.get(k, "")) for k, v in data["call"].items()]
    tables += [("voicemail", "say", data["voicemail"], ""), ("gatekeeper", "say", data["gatekeeper"], "")]
    tables += [("email", "subject", {"subject": [data["email"].get("subject")]}, "")]
    tables += [("email", "body", {"body": p}, "") for p in data["email"].get("body", [])]
    tables += [("email", "sign_off", {"sign_off": data["email"].get("sign_off")}, "")]
    for where, key, table, known in tables:
        _check_sentences(table, key, where, path, known)
    return data


def _check_sentences(table: Any, key: str, where: str, path: Path, known: str) -> None:
    """Each sentence is a list of strings whose last option every plan can fill: a script never has a hole."""
    say = table.get(key) if isinstance(table, dict) else None
    if not isinstance(say, list) or not all(
        isinstance(s, list) and s and all(isinstance(o, str) for o in s) for s in say
    ):
        shape = '[["option", "shorter option"], ["next sentence"]]'
        raise InputFileError(f"[{where}] {key} must be a list of sentences, each a list of options: {shape}", path=path)
    for options in say:
        needs = set(PLACEHOLDER_RE.findall(options[-1])) - ALWAYS - {known}
        if any(not n.startswith("fill_in") for n in needs):
            raise InputFileError(
                f"[{where}] the last option of each sentence must need only {{candidate}}: {options[-1][:60]!r}",
                path=path,
            )


def _sentences(table: Mapping[str, Any], key: str) -> tuple[Sentence, ...]:
    return tuple(tuple(options) for options in table.get(key, []))


def _with_slots(values: dict[str, str], table: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """The plan's values plus this table's [fill in: ...] slots: {fill_in}, {fill_in_position}..."""
    pattern = str(data.get("fill_in", "[fill in: {what}]"))
    slots = {k: substitute(pattern, {"what": str(v)}) for k, v in table.items() if k.startswith("fill_in")}
    return values | slots


def _usable(template: str, values: Mapping[str, str]) -> bool:
    return all(values.get(name) for name in PLACEHOLDER_RE.findall(template))


def _first_usable(options: Sentence, values: Mapping[str, str]) -> int:
    return next((i for i, o in enumerate(options) if _usable(o, values)), len(options) - 1)


def _shorter(options: Sentence, current: int, values: Mapping[str, str]) -> int | None:
    """The next option the plan can fill, never one that trades a real value for a [fill in] slot: the number on a
    voicemail is worth more than a shorter message."""
    slot = "{fill_in" in options[current]
    later = range(current + 1, len(options))
    return next((i for i in later if _usable(options[i], values) and (slot or "{fill_in" not in options[i])), None)


def _pick(options: Sentence, values: Mapping[str, str]) -> str:
    return substitute(options[_first_usable(options, values)], values).strip()


def _join(say: Sequence[Sentence], chosen: Sequence[int], values: Mapping[str, str]) -> str:
    return " ".join(t for t in (substitute(say[i][c], values).strip() for i, c in enumerate(chosen)) if t)


def _paragraph(sentences: Sequence[Sequence[str]], values: Mapping[str, str], sep: str) -> str:
    return sep.join(t for t in (_pick(tuple(s), values) for s in sentences) if t)


def _usable_all(templates: Sequence[str], values: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(substitute(t, values) for t in templates if isinstance(t, str) and _usable(t, values))
