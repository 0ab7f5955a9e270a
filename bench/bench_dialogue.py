"""The conversation corpus: pass rate, and dialogue-act precision/recall/F1 per label, tune and held-out apart.

Acts are read from the real Interviewer as it plays each script (so each answer is classified knowing what the
other side had just asked), and compared with the authors' gold labels as sets per answer.

    python bench/bench_dialogue.py [--part tune|heldout|both] [--write-xfail]

--write-xfail records the held-out scripts that fail in tests/conversations/heldout_xfail.txt (the test marks
them xfail, "held-out: not tuned on"); it prints counts only, never the held-out failure messages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rehearse.dialogue.acts import ACT_LABELS
from rehearse.plan import plan_from_dict
from rehearse.scenario import Interviewer, load_scenario
from tests.conversations.corpus import HERE, Script, check, run_script, scripts


def predicted_acts(script: Script) -> list[tuple[str, ...]]:
    plan = plan_from_dict({k: v for k, v in script.plan.items()})
    iv = Interviewer(load_scenario(script.scenario), plan)
    iv.opening()
    out: list[tuple[str, ...]] = []
    for turn in script.turns:
        if iv.ended:
            break
        iv.respond(turn.say)
        out.append(tuple(a.label for a in iv.last_acts))
    return out


def act_scores(all_scripts: list[Script]) -> tuple[dict[str, tuple[float, float, float]], Counter]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for script in all_scripts:
        for turn, got in zip(script.turns, predicted_acts(script), strict=False):
            gold, pred = set(turn.acts), set(got)
            for label in gold & pred:
                tp[label] += 1
            for label in pred - gold:
                fp[label] += 1
            for label in gold - pred:
                fn[label] += 1
    per = {}
    for label in ACT_LABELS:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if tp[label] + fp[label] + fn[label]:
            per[label] = (p, r, f)
    micro_p = sum(tp.values()) / max(sum(tp.values()) + sum(fp.values()), 1)
    micro_r = sum(tp.values()) / max(sum(tp.values()) + sum(fn.values()), 1)
    micro = (micro_p, micro_r, 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0)
    macro = tuple(sum(v[i] for v in per.values()) / max(len(per), 1) for i in range(3))
    per["(micro)"], per["(macro)"] = micro, macro  # type: ignore[assignment]
    return per, tp + fn


def pass_rate(all_scripts: list[Script], *, verbose: bool) -> list[str]:
    os.environ["COLUMNS"] = "10000"
    failing = []
    for script in all_scripts:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["REHEARSE_RECORDINGS"] = str(Path(tmp) / "rec")
            _status, events, _err = run_script(script, Path(tmp))
            problems = check(script, events)
        if problems:
            failing.append(script.id)
            if verbose:
                print(f"  FAIL {script.id}: " + "; ".join(problems))
    return failing


def report(part: str, *, write_xfail: bool) -> None:
    all_scripts = scripts(part)
    failing = pass_rate(all_scripts, verbose=part == "tune")
    print(f"{part}: {len(all_scripts) - len(failing)}/{len(all_scripts)} scripts pass")
    per, support = act_scores(all_scripts)
    print(f"  {'act':<16} {'P':>5} {'R':>5} {'F1':>5} {'n':>4}")
    for label, (p, r, f) in per.items():
        print(f"  {label:<16} {p:5.2f} {r:5.2f} {f:5.2f} {support.get(label, ''):>4}")
    if write_xfail and part == "heldout":
        (HERE / "heldout_xfail.txt").write_text("".join(f"{s}\n" for s in failing))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("tune", "heldout", "both"), default="both")
    ap.add_argument("--write-xfail", action="store_true")
    args = ap.parse_args()
    started = dt.datetime.now()
    for part in ("tune", "heldout") if args.part == "both" else (args.part,):
        report(part, write_xfail=args.write_xfail)
    print(f"({(dt.datetime.now() - started).total_seconds():.1f} s)")


if __name__ == "__main__":
    main()
