"""Reading a typed or exported transcript: one utterance per line, the candidate's side only.

Lines may carry a speaker label ("Interviewer: ...", "Me: ...", "Candidate: ..."); the other side's lines are
dropped, so a full exchange pasted from notes scores the same as the candidate's words alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from rehearse.textfiles import read_text_file

LABEL_RE = re.compile(r"^\s*\[?(?P<label>[A-Za-z][A-Za-z .'-]{0,30}?)\]?\s*[:>]\s+(?P<text>.*)$")
CANDIDATE_LABELS = frozenset({"me", "i", "candidate", "caller", "you", "myself", "applicant"})
OTHER_LABELS = frozenset({"interviewer", "them", "receptionist", "voicemail", "hr", "recruiter", "manager", "they"})
MAX_TRANSCRIPT_BYTES = 1024 * 1024  # an hour of speech is ~60 KB of text; a megabyte is not a transcript


def parse_transcript(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    labelled = [LABEL_RE.match(ln) for ln in lines]
    uses_labels = sum(1 for m in labelled if m and _is_label(m.group("label"))) >= max(1, len(lines) // 2)
    if not uses_labels:
        return lines
    out = []
    for ln, m in zip(lines, labelled, strict=True):
        if m is None:
            out.append(ln)  # a continuation line keeps the previous speaker's words
        elif m.group("label").strip().lower() in OTHER_LABELS:
            continue
        else:
            out.append(m.group("text").strip())
    return [u for u in out if u]


def _is_label(label: str) -> bool:
    key = label.strip().lower()
    return key in CANDIDATE_LABELS or key in OTHER_LABELS


def read_transcript(path: Path) -> list[str]:
    return parse_transcript(read_text_file(path, what="transcript", max_bytes=MAX_TRANSCRIPT_BYTES))
