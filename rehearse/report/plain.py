"""Text from outside the program, made safe to show on a terminal.

Anything a user typed, a plan holds, a recogniser heard or an imported session carries is shown as plain text: it
is never read as rich markup (`Hi [/b] there` is printed as typed, `[laughs]` stays on screen, `:smile:` is not an
emoji), and escape sequences and control characters are removed first, so a plan or a shared session cannot change
the window title, clear the screen or move the cursor.

`clean` is the string, `plain` the same as a rich `Text` (never markup), and `line` puts styled labels and plain
text together for one `console.print`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# ESC sequences: CSI (colours, cursor, clear), OSC (window title, hyperlinks, clipboard) up to BEL or ST, the
# string controls DCS/SOS/PM/APC up to ST, and any other two-character escape.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -~]?"
)
# Every other control character: C0 but tab and newline, DEL, C1 (0x9b is a CSI on its own in some terminals), and
# the bidirectional overrides and isolates, which reorder what is shown.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """`text` without escape sequences or control characters; tabs become spaces, newlines stay."""
    return _CONTROLS.sub("", _ESCAPES.sub("", str(text))).replace("\t", " ")


def one_line(text: str) -> str:
    """`text` cleaned and on one line: for error messages, which may quote a file's contents."""
    return " ".join(clean(text).replace("\u2028", "\n").replace("\u2029", "\n").split())


def plain(text: str, style: str = "") -> Text:
    """`text`, cleaned, as a rich Text: printed exactly as written, never read as markup."""
    from rich.text import Text

    return Text(clean(text), style=style)


def line(*parts: str | tuple[str, str]) -> Text:
    """One printable line from parts: a string is outside text (cleaned, no markup), a (text, style) pair is a
    styled piece whose text is cleaned too. E.g. line(("You:", "bold green"), " ", answer)."""
    from rich.text import Text

    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(clean(part[0]), style=part[1])
        else:
            out.append(clean(part))
    return out
