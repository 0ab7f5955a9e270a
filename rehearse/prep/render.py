"""A script as text, markdown or a printable HTML page.

The text form of the call is a transcript `rehearse score` reads as it is: one utterance per line, every note
(title, headings, advice, alternatives) on a `#` line the scorer skips. Outside text (the plan's words) is cleaned of
control characters in every format and escaped in HTML.
"""

from __future__ import annotations

import re
from html import escape

from rehearse.prep.callscript import Script, ScriptSection, label
from rehearse.report.plain import clean

SCRIPT_FORMATS = ("text", "markdown", "html")


def render(script: Script, fmt: str) -> str:
    text = {"text": as_text, "markdown": as_markdown, "html": as_html}[fmt](script)
    return clean(text)


def heading(script: Script) -> str:
    return f"{script.title}: {script.about}"


# --- text ----------------------------------------------------------------------------------------------------------


def as_text(script: Script) -> str:
    if script.kind == "email":
        return _email_text(script)
    out = [f"# {heading(script)}", *(f"# {n}" for n in script.notes), f"# {label('text_note')}"]
    for section in script.sections:
        titled = script.kind == "call"  # a voicemail or a receptionist line is one part, titled already
        out += ["", *([f"# {section.title}"] if titled else []), section.line]
        out += [f"#   {label('or')} {alt}" for alt in section.alternatives]
    for title, why in script.skipped:
        out += ["", f"# {title}: {why}"]
    return "\n".join(out) + "\n"


def _email_text(script: Script) -> str:
    notes = [f"# {n}" for n in script.notes]
    body = "\n\n".join(s.line for s in script.sections)
    return "\n".join([*notes, "", f"{label('subject')} {script.subject}", "", body]) + "\n"


# --- markdown ------------------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Plan words in markdown: emphasis, code, HTML and link syntax are escaped, so a plan cannot add markup or a
    link; a [fill in: ...] slot on its own stays readable (brackets without "(" after them are not a link)."""
    text = "".join(f"\\{ch}" if ch in "\\`*_<>|" else ch for ch in text)
    return text.replace("](", "]\\(")


def as_markdown(script: Script) -> str:
    out = [f"# {_md(heading(script))}", "", *(f"*{_md(n)}*  " for n in script.notes)]
    if script.kind == "email":
        out += ["", f"**{_md(label('subject'))}** {_md(script.subject)}", ""]
        for s in script.sections:
            out += ["  \n".join(_md(part) for part in s.line.split("\n")), ""]
        return "\n".join(out).rstrip() + "\n"
    for section in script.sections:
        out += ["", f"## {_md(section.title)}", ""]
        if section.advice:
            out += [f"*{_md(section.advice)}*", ""]
        out += [f"> {_md(section.line)}"]
        if section.alternatives:
            out += [""] + [f"- {_md(label('or'))} {_md(alt)}" for alt in section.alternatives]
    for title, why in script.skipped:
        out += ["", f"## {_md(title)}", "", f"*{_md(why)}*"]
    return "\n".join(out) + "\n"


# --- html ----------------------------------------------------------------------------------------------------------

CSS = """
body{margin:0;background:#f5f7fa;color:#1f2933;line-height:1.55;font-size:17px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
main{max-width:760px;margin:0 auto;padding:28px 20px 40px}
h1{font-size:1.5rem;margin:0 0 6px}h2{font-size:1.05rem;margin:0 0 6px}
.note{color:#52606d;margin:2px 0}
section{background:#fff;border:1px solid #e4e7eb;border-radius:12px;padding:16px 22px;margin:14px 0;
break-inside:avoid}
.advice{color:#52606d;font-style:italic;margin:0 0 8px}
.say{font-size:1.2rem;margin:0;border-left:4px solid #2f6fde;padding-left:12px}
.alt{color:#3e4c59;margin:8px 0 0;padding-left:18px}
.slot{background:#fff3c4;border-radius:4px;padding:0 3px}
.email p{margin:0 0 12px;white-space:pre-line}
@media print{body{background:#fff;font-size:13pt}main{padding:0}section{border:1px solid #999}}
"""


def _h(text: str) -> str:
    """Escaped, with [fill in: ...] slots highlighted so they are not missed on paper."""
    return re.sub(r"\[fill in:[^\]]*\]", lambda m: f'<mark class="slot">{m.group(0)}</mark>', escape(clean(text)))


def as_html(script: Script) -> str:
    notes = "".join(f'<p class="note">{_h(n)}</p>' for n in script.notes)
    if script.kind == "email":
        body = "".join(f"<p>{_h(s.line)}</p>" for s in script.sections)
        subject = f"<p><strong>{_h(label('subject'))}</strong> {_h(script.subject)}</p>"
        parts = f'<section class="email">{subject}{body}</section>'
    else:
        parts = "".join(_html_section(s) for s in script.sections)
        parts += "".join(
            f'<section><h2>{_h(t)}</h2><p class="advice">{_h(why)}</p></section>' for t, why in script.skipped
        )
    title = _h(heading(script))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head>"
        f"<body><main><h1>{title}</h1>{notes}{parts}</main></body></html>\n"
    )


def _html_section(s: ScriptSection) -> str:
    advice = f'<p class="advice">{_h(s.advice)}</p>' if s.advice else ""
    alts = "".join(f"<li>{_h(label('or'))} {_h(a)}</li>" for a in s.alternatives)
    alt_list = f'<ul class="alt">{alts}</ul>' if alts else ""
    return f'<section><h2>{_h(s.title)}</h2>{advice}<p class="say">{_h(s.line)}</p>{alt_list}</section>'
