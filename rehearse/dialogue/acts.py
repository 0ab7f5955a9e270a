"""Dialogue acts: what each part of an answer does in the call, in the order it was said.

An answer is cut into clauses (sentences, then dashes, colons and commas) and each clause is labelled from the
lexicon in prompts/dialogue.toml, from the speech acts the scorer itself credits (rehearse/scoring/acts.py: a
strength, a question about the decision or the role, an answer to the concern) and from the scorer's phrase
evidence for greetings, purposes and closings. Labels inside a clause keep their order, so "Thanks — and one more
question: when…" is (courtesy, timing_question), and "Thank you, I look forward to hearing from you" is one closing.

Closing needs a leave-taking: thanks alone is a courtesy, and a courtesy never ends a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rehearse.dialogue.lexicon import compiled, find, first_hit, load_lexicon, norm
from rehearse.plan import Plan
from rehearse.scoring.scorer import reply_to_concern, score_with_acts

ACT_LABELS = (
    "greeting",
    "courtesy",
    "purpose",
    "strength",
    "answer",
    "timing_question",
    "other_question",
    "ask_for",
    "hold",
    "call_back",
    "closing",
    "goodbye",
    "unclear",
)
# Labels that only exist while classifying; the rules below turn them into real acts.
_INTERNAL = ("thanks", "leave_taking")
SENTENCE_RE = re.compile(r"[^.!?;\n…]+[.!?;\n…]*")
CLAUSE_SPLIT_RE = re.compile(r"\s+[—–-]+\s+|[—–:]|,\s*|\s+-{1,2}\s+")
SHORT_CLAUSE = 4  # one-word courtesies and answers ("great", "yes") count only in clauses this short
MINOR = frozenset(("sure", "great", "yes", "yeah", "okay", "ok", "perfect", "right", "absolutely", "certainly"))
# An answer to a question the interviewer asked: these expectations make an unlabelled clause an answer.
ANSWERABLE = ("concern", "probe", "example")
LEAVE_REACH = 2  # clauses: "Thank you, Claire, have a good day" is one closing; thanks long before a bye is not
EV = "evidence:"  # marks a label found by the section scorer rather than the act lexicon


@dataclass(frozen=True)
class Act:
    label: str  # one of ACT_LABELS
    text: str  # the clause it was found in
    clause: int  # index of the clause in the answer


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # character offsets in the answer
    end: int
    question: bool  # its sentence ends with "?", or it reads as a question


def clauses(answer: str) -> list[Clause]:
    """Sentences, each cut at dashes, colons and commas; every clause knows whether its sentence asks."""
    out: list[Clause] = []
    lex = load_lexicon()
    for sm in SENTENCE_RE.finditer(answer):
        sentence = sm.group(0)
        asks = sentence.rstrip().endswith("?")
        pos = 0
        for piece in [*CLAUSE_SPLIT_RE.split(sentence)]:
            at = sentence.find(piece, pos)
            pos = at + len(piece)
            text = piece.strip(" \t.!?;…\n\"'")
            if not text:
                continue
            low = norm(text)
            # Only the clause that carries the question mark asks: "one more question: when…" asks once.
            last = not sentence[pos:].strip(" \t.!?;…\n\"'")
            starts = any(low.startswith(q + " ") for q in lex.question_starts) and len(low.split()) > 2
            asks_here = (asks and last) or starts or any(find(w, low) >= 0 for w in lex.asking)
            start = sm.start() + at
            out.append(Clause(text, start, start + len(piece), asks_here))
    return out


def classify(answer: str, plan: Plan | None = None, expecting: str = "") -> tuple[Act, ...]:
    """The acts of one answer in order. `expecting` is what the other side last asked for ("concern", "who"…)."""
    if not answer.strip():
        return (Act("unclear", "", 0),)
    parts = clauses(answer)
    found: list[tuple[int, float, str]] = []  # (clause, relative position, label)
    for i, clause in enumerate(parts):
        found += [(i, pos, label) for pos, label in _clause_labels(clause, plan)]
    found += _evidence_labels(answer, parts, plan)
    per_clause: dict[int, list[str]] = {}
    for i, _pos, label in sorted(found):
        per_clause.setdefault(i, []).append(label)
    acts: list[Act] = []
    for i, clause in enumerate(parts):
        found_here = per_clause.get(i, [])
        timing = {EV + "timing_question", "timing_question"}
        if timing <= set(found_here) and not {"thanks", "leave_taking"} & set(found_here):
            # The scorer asks for question words itself; recognisers often drop the question mark.
            clause = replace(clause, question=True)
        labels = _resolve_clause(list(dict.fromkeys(_provenance(found_here))), clause, expecting, plan)
        acts += [Act(label, clause.text, i) for label in labels]
    resolved = _resolve_answer(acts, expecting)
    if expecting in ANSWERABLE and all(a.label == "unclear" for a in resolved):
        return (Act("answer", answer, 0),)  # whatever was said in reply to the question is its answer
    return resolved


def _provenance(labels: list[str]) -> list[str]:
    """Labels without their source; the scorer's purpose evidence in an introduction ("we met about the role")
    is the introduction, not the purpose."""
    own = {lb for lb in labels if not lb.startswith(EV)}
    drop = {EV + "purpose"} if "greeting" in own and "purpose" not in own else set()
    return [lb.removeprefix(EV) for lb in labels if lb not in drop]


def _clause_labels(clause: Clause, plan: Plan | None) -> list[tuple[float, str]]:
    lex = load_lexicon()
    text = norm(clause.text)
    if not text or text in lex.fillers:
        return []
    n = max(len(text), 1)
    out: list[tuple[float, str]] = []
    for label, phrases in lex.acts.items():
        for phrase in compiled(phrases, plan):
            if " " not in phrase and label in ("courtesy", "answer") and len(text.split()) > SHORT_CLAUSE:
                continue  # "great" in "I'm great at SQL" is no courtesy
            at = find(phrase, text)
            if at >= 0:
                out.append((at / n, label))
                break
    return out


def _evidence_labels(answer: str, parts: list[Clause], plan: Plan | None) -> list[tuple[int, float, str]]:
    """Acts found by the scorer's own detectors, placed in the clause their evidence starts in: the speech acts
    the scorer credits sections with (scoring/acts.py, in the same pass that scores the answer), and the phrase
    evidence of greeting, purpose and closing."""
    lex = load_lexicon()
    starts: list[tuple[int, str]] = []
    scored = score_with_acts([answer], plan, opening=0)  # a question about the decision is no purpose here
    for section in scored.score.sections:
        for match in section.elements:
            label = lex.evidence.get(f"{section.id}.{match.id}")
            if label and match.matched and match.start >= 0:
                starts.append((match.start, label))
    for act in scored.acts.acts:
        if label := lex.act_evidence.get(act.kind, ""):
            starts.append((scored.text.span(act.first, act.last)[0], label))
    out: list[tuple[int, float, str]] = []
    for start, label in starts:
        for i, clause in enumerate(parts):
            if clause.start <= start < clause.end:
                out.append((i, (start - clause.start) / max(clause.end - clause.start, 1), EV + label))
                break
    return out


def _names(plan: Plan | None) -> set[str]:
    return {norm(n) for n in plan.names("interviewer")} if plan and plan.interviewer else set()


def _resolve_clause(labels: list[str], clause: Clause, expecting: str, plan: Plan | None) -> list[str]:
    lex = load_lexicon()
    text = norm(clause.text)
    if not clause.question:
        labels = [lb for lb in labels if lb not in ("timing_question", "other_question")]
    else:
        labels = [lb for lb in labels if lb != "strength"]  # the scorer reads "my portfolio?" as a strength
    if "goodbye" in labels and "leave_taking" in labels:
        labels.remove("leave_taking")
    if "call_back" in labels and "timing_question" in labels and first_hit(("when",), text) < 0:
        labels.remove("timing_question")  # "call me back" is no question about hearing back
    elif "timing_question" in labels and "other_question" in labels:
        timing = first_hit(lex.timing_words, text) >= 0
        labels = [lb for lb in labels if lb != ("other_question" if timing else "timing_question")]
    if text in lex.fillers or text in _names(plan):
        return []
    if clause.question and not {
        "timing_question",
        "other_question",
        "ask_for",
        "courtesy",
        "greeting",
        "call_back",
    } & set(labels):
        labels.append("other_question")
    if "courtesy" in labels and "other_question" in labels:
        # "How are you?" asks nothing the interviewer must answer; "is now a good time?" does.
        labels.remove("other_question" if other_kind(clause.text) == "general" else "courtesy")
    if "ask_for" in labels and "other_question" in labels:
        labels.remove("other_question")
    if "call_back" in labels and "other_question" in labels:
        labels.remove("other_question")
    if expecting in ("concern", "probe") and "strength" in labels:
        labels = ["answer" if lb == "strength" else lb for lb in labels]
    return list(dict.fromkeys(labels))


def _resolve_answer(acts: list[Act], expecting: str) -> tuple[Act, ...]:
    """Answer-wide rules: thanks with a leave-taking is a closing, thanks alone a courtesy; no repeats."""
    leaves = [a.clause for a in acts if a.label in ("leave_taking", "goodbye")]
    leaving = bool(leaves)
    out: list[Act] = []
    for act in acts:
        label = act.label
        if label == "thanks":  # a closing only when a leave-taking follows it closely
            label = "closing" if any(0 <= c - act.clause <= LEAVE_REACH for c in leaves) else "courtesy"
        elif label == "leave_taking":
            label = "closing"
        if label == "courtesy" and out and out[-1].label == "closing":
            continue
        if out and out[-1].label == label:
            continue
        if label == "closing" and any(a.label == "closing" for a in out):
            continue
        if label == "courtesy" and leaving and act.clause >= _first_closing_clause(acts, leaves):
            continue
        out.append(Act(label, act.text, act.clause))
    real = [a for a in out if a.label in ACT_LABELS]
    if len({a.clause for a in real}) > 1:
        # A lone "sure" or "great" before the real content adds nothing to the answer's acts.
        real = [a for a in real if not _minor(a)] or real
    return tuple(real) or (Act("unclear", acts[0].text if acts else "", 0),)


def _minor(act: Act) -> bool:
    return act.label in ("courtesy", "answer") and norm(act.text) in MINOR


def _first_closing_clause(acts: list[Act], leaves: list[int]) -> int:
    closing = [a.clause for a in acts if a.label == "thanks" and any(0 <= c - a.clause <= LEAVE_REACH for c in leaves)]
    return min(closing + leaves, default=10**6)


def labels(acts: tuple[Act, ...]) -> tuple[str, ...]:
    return tuple(a.label for a in acts)


def has(acts: tuple[Act, ...], *wanted: str) -> bool:
    return any(a.label in wanted for a in acts)


def other_kind(text: str) -> str:
    """What an other question is about, for the reply: anything_else, send, good_time, team, or general."""
    lex = load_lexicon()
    t = norm(text)
    for kind, phrases in lex.other_kinds.items():
        if any(find(norm(p), t) >= 0 for p in phrases):
            return kind
    return "general"


def concern_answer_quality(text: str, plan: Plan | None) -> str:
    """'specific' when the answer gives a fact, a record, an arrangement or proof, by the scorer's own rule for
    answering the concern (what counts as substance is the same as in the report); 'vague' when it only offers to say
    more, promises, or brushes it off: the interviewer who raised the worry then asks once for an example."""
    return "specific" if reply_to_concern(text, plan) == "answer" else "vague"
