"""Scorer accuracy on the labelled corpus: `python bench/accuracy.py [--errors]`.

Prints per-section precision / recall / F1 and per-pitfall precision / recall, for the part the rubric was tuned
on and for the held-out part it never was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rehearse.scoring.accuracy import Evaluation, evaluate, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


def table(title: str, ev: Evaluation) -> Table:
    t = Table(title=title, title_justify="left")
    for col in ("", "precision", "recall", "F1", "tp/fp/fn/tn"):
        t.add_column(col, justify="right" if col else "left")
    for name, c in [*ev.sections.items(), *(("pitfall " + k, v) for k, v in ev.pitfalls.items())]:
        t.add_row(name, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", f"{c.tp}/{c.fp}/{c.fn}/{c.tn}")
    t.add_section()
    t.add_row("section macro F1", "", "", f"[bold]{ev.macro_f1:.3f}[/]", "")
    return t


def main() -> int:
    calls = load_corpus(CORPUS)
    console = Console()
    for split in ("tune", "heldout"):
        part = [c for c in calls if c.split == split]
        ev = evaluate(part)
        console.print(table(f"{split}: {len(part)} calls", ev))
        # Only the tuning part's mistakes are ever shown: looking at held-out mistakes would be tuning on them.
        if "--errors" in sys.argv and split == "tune":
            for line in ev.errors:
                console.print(f"  {line}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
