"""The page frame every HTML report shares: its stylesheet, escaping, cards. Split from html.py so the report's
parts (html.py, html_delivery.py) can each use them without importing one another."""

from __future__ import annotations

from html import escape

from rehearse.report.svg import SECTION_COLOURS

CSS = """
:root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;--warn:#b3261e}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.55;font-size:16px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif}
main{max-width:900px;margin:0 auto;padding:32px 20px 48px}
h1,h2,h3{line-height:1.25;margin:0}
h2{font-size:1.15rem;margin-bottom:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:22px 26px;margin:0 0 18px;
box-shadow:0 1px 2px rgba(31,41,51,.05)}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;font-weight:700;color:var(--muted)}
.top{display:flex;gap:24px;align-items:center;justify-content:space-between}
.top h1{font-size:1.7rem;margin:6px 0 4px}
.meta{color:var(--muted);margin:0}
.meta span+span:before{content:"·";margin:0 .5em}
.overall{text-align:center;flex:none}
.verdict{font-weight:700;margin-top:2px}
.notice{border-left:5px solid var(--warn);background:#fdf2f1}
.legend{display:flex;flex-wrap:wrap;gap:8px 16px;margin:0 0 16px;padding:0;list-style:none;font-size:.9rem}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{width:14px;height:14px;border-radius:4px;display:inline-block}
.turn{display:grid;grid-template-columns:120px 1fr;gap:14px;padding:12px 0;border-top:1px solid var(--line)}
.turn:first-of-type{border-top:0}
.who{font-size:.85rem;color:var(--muted)}
.speaker{display:block;font-weight:700;color:var(--ink)}
.turn.interviewer .said{color:var(--muted);font-style:italic}
.turn.candidate .said{border-left:3px solid var(--line);padding-left:12px}
.said p{margin:0;white-space:pre-wrap}
.tag{display:inline-block;font-size:.75rem;border:1px solid var(--line);border-radius:99px;padding:0 8px;
margin-top:4px;font-style:normal;color:var(--muted)}
audio{display:block;margin-top:8px;height:32px;width:min(100%,340px)}
mark.ev{color:inherit;border-radius:3px;padding:1px 0;border-bottom:2px solid;
-webkit-box-decoration-break:clone;box-decoration-break:clone}
mark.ev[style]{box-shadow:inset 0 -5px 0 var(--also)}
.pit{text-decoration:underline wavy var(--warn);text-decoration-thickness:1.5px;text-underline-offset:4px}
.pit-key{text-decoration:underline wavy var(--warn);text-underline-offset:4px}
.sections{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-bottom:18px}
.sec{margin:0;border-top:5px solid var(--c)}
.sec header{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap;margin-bottom:10px}
.sec h3{font-size:1.05rem;flex:1}
.num{font-size:1.4rem;font-weight:800}
.chip{font-size:.75rem;font-weight:700;border-radius:99px;padding:2px 10px;border:1px solid}
.chip.ok{color:#0b6b50;background:#e6f4ef;border-color:#9fd3c1}
.chip.no{color:var(--warn);background:#fdf2f1;border-color:#f0b9b4}
.quotes{list-style:none;margin:0 0 10px;padding:0}
.quotes li{border-left:3px solid var(--c);padding:2px 0 2px 10px;margin:6px 0;font-style:italic}
.none{color:var(--muted);margin:0 0 10px}
.feedback{margin:0 0 10px;padding-left:20px}
.try{background:#f1f5fb;border-radius:10px;padding:10px 14px;margin:0}
.try b{display:block;font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.flow{display:flex;flex-wrap:wrap;gap:8px 26px;align-items:center;list-style:none;padding:0;margin:0 0 12px}
.flow li{border:2px solid;border-radius:99px;padding:1px 12px;font-size:.85rem;font-weight:600;position:relative}
.flow li.late{border-style:dashed;background:#fdf2f1}
.flow li+li:before{content:"→";position:absolute;left:-20px;color:var(--muted)}
.pitfall{border-left:4px solid var(--warn);padding:4px 0 4px 14px;margin:0 0 12px}
.pitfall p{margin:2px 0}
.good{color:#0b6b50;font-weight:600;margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
th[scope=row]{text-transform:none;letter-spacing:0;font-size:1rem;font-weight:600;color:var(--ink);width:38%}
td.n{font-variant-numeric:tabular-nums;font-weight:700}
.focus{border-left:6px solid var(--c)}
.focus .big{font-size:1.5rem;font-weight:800;margin:4px 0}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin-top:24px}
.advice{border-left:5px solid #0072B2;background:#f1f5fb;border-radius:8px;padding:10px 14px;margin:0 0 14px}
.advice b{display:block;font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.answer{margin:0 0 18px}.answer h3{font-size:.95rem;margin:0 0 2px}.answer .meta{font-size:.85rem}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:10px;background:#fcfcfd}
.key{display:inline-block;width:22px;height:10px;border-radius:3px;vertical-align:middle;margin-right:4px}
.spark{vertical-align:middle}
@media (max-width:640px){.sections{grid-template-columns:1fr}.top{flex-direction:column-reverse}
.turn{grid-template-columns:1fr;gap:4px}}
@media print{body{background:#fff;font-size:12pt}main{max-width:none;padding:0}
.card{box-shadow:none;break-inside:avoid}audio{display:none}*{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def _section_css() -> str:
    # The 8-digit hex tints the highlight while the text on it keeps full contrast.
    return "".join(
        f"mark.s-{sid}{{background:{hexa}38;border-color:{hexa}}}.sw-{sid}{{background:{hexa}}}"
        for sid, hexa in SECTION_COLOURS.items()
    )


def page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}{_section_css()}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


def card(heading: str, inner: str, cls: str = "", style: str = "") -> str:
    attrs = f' class="card {cls}"' if cls else ' class="card"'
    attrs += f' style="{esc(style)}"' if style else ""
    return f"<section{attrs}><h2>{esc(heading)}</h2>{inner}</section>"
