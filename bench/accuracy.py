"""Scorer accuracy on the labelled corpora: `python bench/accuracy.py [--errors]`.

For each corpus, and for its tuning and held-out parts, prints per-section precision / recall / F1, the section
macro F1, and per-pitfall precision / recall (with all pitfalls pooled).

- tests/corpus: the first corpus (74 calls, 16 held out).
- tests/corpus_blind: 112 calls written blind by two helpers who never saw the rubric (issue 9). Its held-out third
  (38 calls) was frozen before the scorer first ran on it; it is never tuned on and its errors are never shown.
  The frozen files, by name:

    a05-informal-coffee-supervisor a07-asr-forklift-operator a09-wrong-person-hospital
    a12-repeated-calls-truck-driver a14-asr-voicemail-maintenance-tech a17-scottish-plumber
    a18-nervous-rambler-designer a21-out-of-order-it-support a22-asr-hvac-tech a24-different-job-leisure-centre
    a29-voicemail-early-customer-success a32-asks-about-strengths-marketing a35-irish-maths-teacher
    a37-asr-unprepared-medical-receptionist a38-informal-pushy-scaffolder a45-formal-branch-librarian
    a48-voicemail-cutoff-facilities a50-asr-withdrawal-environmental-health a51-asr-expenses-research-coordinator
    b05-assistant-accountant-withdraws b07-forklift-third-call-asr b09-medical-receptionist-wrong-person
    b12-library-assistant-older-nervous b14-customer-service-parking-ticket b17-marketing-coordinator-email-asked
    b18-sen-teaching-assistant-yorkshire-voicemail b21-pharmacy-technician-second-call
    b22-customer-assistant-asks-other-vacancy b24-hvac-technician-southern-story b29-relief-pharmacist-formal
    b32-assistant-store-manager-desperate b35-early-years-nervous-rambling-asr
    b37-diesel-mechanic-southern-early-asr b38-receptionist-nervous-voicemail
    b45-carpenter-aussie-voicemail-informal b48-housekeeping-supervisor-ukrainian-asr
    b50-car-sales-pushy-informal-asr b51-collections-assistant-short-call

  They hash, run inside tests/corpus_blind (the file names are part of what is hashed), to

    sha256sum $(grep -l 'split = "heldout"' *.toml | sort) | sha256sum
    6e0f3db05416423dc6d844ab21156522bd52ca2ef8d00cfb4ba67fb151dadbb8

  and this bench checks that hash before printing any held-out figure.

- tests/corpus_questions: 45 calls written blind by a third helper (2026-11-30) about the questions section above
  all (the interviewer's concern answered, named only or forgotten; questions about the role, pay or timing). Its
  held-out third (15 calls, seeded shuffle) was frozen before the scorer first ran on it:

    e04-asr-epic-receptionist e08-email-asked-relocation e09-reordered-sap e10-short-line-cook e11-withdrawal
    e14-pay-band-pension e16-benefits-plus-schedule e19-asr-apprentice-licence e22-pushy-decision-only
    e25-first-month e27-the-drive e34-emailed-twice-saturdays e35-python-forecast-formal e37-no-own-name
    e44-voicemail-too-early

  hashed the same way to ef3c7027a1e1fc148c8bb0151ffe350d284b09d057440568a6f352a6bd74b545.

- tests/corpus_concern: 160 excerpts (one to three candidate turns from the middle of a call) written blind by two
  more helpers (2026-11-30), each labelled by whether it answers the interviewer's concern: polished speakers
  (f01-f10) and plain, regional, second-language and speech-recogniser ones (g01-g10). Hard negatives name the concern
  and sound about to answer it. Per writer a seeded draw held out whole plans (56 excerpts) before the scorer first
  ran on any:

    f01-maintenance-electrician f03-office-manager f06-science-teacher g02-care-night-shifts g05-warehouse-commute
    g06-sous-chef-experience g10-dental-reception-difficult-patient

  hashed the same way to 1a8a102cb76314a00cfc79f272b6975488f12e20bd24a5cf079870e7da9a0645. After tuning on f and g, two
  more writers added 160 excerpts about ten other kinds of concern each (a behavioural answer that fell flat, being
  overqualified, heights, short stays in past jobs...): polished (h01-h10) and plain (i01-i10). Again whole plans were
  held out (48 excerpts) before the scorer first ran on any:

    h01-store-difficult-customer h02-council-overqualified h05-telecoms-heights i04-parks-back-injury
    i06-servicedesk-short-stays i10-credit-presentation-nerves

  The held-out files of both batches hashed to d78b1afeb0215c546e36b7c8ae4419e3475f2de57a57bc2c1ef4bda6384fa628.
  After tuning on batches 1 and 2, a third pair of writers (j: polished, k: plain) added 160 excerpts about the
  concerns interviewers raise most, and half their plans (80 excerpts) were held out before the scorer first ran:

    j01-electrician-18th-edition j02-care-assistant-nights-weekends j05-devops-kubernetes
    j07-warehouse-team-leader-cv-gap j10-account-manager-from-teaching k03-admin-excel k05-devops-docker-answer
    k06-teaching-assistant-gap k08-sous-chef-banqueting k10-practice-manager-sector

  All held-out files of the three batches hash to 2f099afd139d2c1d17b52970f80fe11f77361cd545d044b6638aaa47a4cdfb33.
  Printed, per batch: precision and recall of the questions section's answered-concern element against the writers.

- tests/corpus_openings: 240 call openings written blind by four more helpers (2026-11-30), labelled for greeting,
  purpose and next steps. Four of each writer's ten plans (96 excerpts) were held out before the scorer first ran:

    l01-accounts-payable-lead l03-planning-policy-officer l06-chemistry-teacher l10-senior-ux-designer
    m02-care-assistant-leeds m03-retail-supervisor-letterkenny m05-line-cook-savannah m08-hotel-reception-glasgow
    n01-electrician n02-care-assistant n04-assistant-store-manager n06-teaching-assistant
    o03-accounts-carrow o04-retail-hallam o06-teacher-stbrendans o07-warehouse-tarrant

  They hash to 1931c3a5b5ac204c8af904d87a8dfdbf1f2c00a86f71801f4e3d1a2915f4e030.

  After tuning on that batch's tuning part, four more writers (p-s: North American callers, nervous and returning
  ones, recogniser transcripts of Indian, West African, Caribbean, Filipino and South African English, and
  voicemails and switchboards) added 240 more from a brief without example phrasings. Half their plans were held out
  before the scorer first ran on them:

    p02-site-reliability-engineer p03-emergency-nurse p04-motion-designer p07-journeyman-electrician
    p10-hotel-front-office-manager q02-apprentice-electrician q03-accounts-assistant q07-teaching-assistant
    q08-commis-chef q09-healthcare-assistant r01-test-engineer r02-staff-nurse r06-shift-supervisor r07-class-teacher
    r08-front-office s02-senior-care-assistant s05-junior-devops-engineer s07-transport-planner
    s09-community-staff-nurse s10-housing-officer

  All held-out openings hash to 37c332687e941f344b49d5dc9cbbafab19a7ddbb52fb562c966c381b612601c5.

- tests/corpus_strengths: 240 excerpts from the middle of calls written blind by four more helpers (2026-11-30),
  labelled by whether the candidate states a strength of their own. Four of each writer's ten plans (96 excerpts)
  were held out before the scorer first ran:

    t01-senior-accountant t03-icu-nurse t05-policy-analyst t06-executive-assistant u03-warehouse u04-line-cook
    u05-cleaning-supervisor u09-head-housekeeper v01-icu-nurse v04-hvac-technician v05-payroll-specialist
    v10-cdl-driver w01-school-office w06-support-worker w08-leisure-assistant w09-library-assistant

  They hash to 13f0fc25203a50429577f03f2b71c853a1f9b32c06c50d59d56e04ddfb5eeb79.

- tests/corpus_calls: 192 whole calls written blind by fifteen more helpers (2026-11-30) in four batches of 48.
  Batch 1 (x): polished, regional, recogniser-style second-language callers, and the edges of each label; batch 2
  (y), written while batch 1 was being tuned on: public-sector callers in long turns, young casual callers,
  recogniser transcripts of strong native accents, and traps (soft withdrawals, a relative's application, a team's
  record); batch 3 (z, the next session): concerns answered in plain words, role questions asked in passing,
  one-feature professional calls in the first corpus's manner, and traps at each label's edge; batch 4 (w, three
  writers of sixteen): the questions section in the first corpus's polished manner (concerns pointed back to in
  each caller's own way, role questions in many forms, half of one writer's as recogniser transcripts). Four of
  each writer's twelve calls (five of sixteen in batch 4) were held out before the scorer first ran on that batch:

    xa01-oncology-pharmacist xa03-primary-teacher-voicemail xa06-quantity-surveyor-enthusiasm xa10-transport-planner
    xb02-cork-care-returner xb03-glasgow-bus-terse xb05-sydney-labourer-informal xb06-jamaican-domestic-voicemail
    xc01-it-support-mac-fleet xc02-filipino-staff-nurse-pin xc04-ghanaian-assistant-accountant-xero
    xc05-polish-welder-forgets-concern xd04-payroll-voicemail-name-last xd06-teaching-assistant-decision-first
    xd11-care-home-wrong-extension xd12-bus-driver-second-voicemail ya03-social-work-switchboard
    ya04-vice-principal-igcse ya11-maintenance-expenses ya12-museum-education-flustered yb02-gaming-store-yo
    yb03-gym-netball-sponsors yb04-call-centre-lease yb10-care-home-nan-voicemail yc01-scottish-electrician-ev
    yc03-irish-hca-voicemail yc04-southern-night-auditor yc06-aussie-cleaning-supervisor
    yd02-physio-withdrawal-voicemail yd03-warehouse-sister-calls yd08-backend-engineer-voicemail
    yd10-chef-lost-knife-roll za01-early-starts-home-care za03-sundays-garden-centre-vm
    za05-spreadsheets-solicitors-admin za10-targets-phone-shop-unprepared zb03-hca-voicemail-floor
    zb04-bakery-pay-sacks zb09-security-train-fare zb12-print-designer-chef zc01-nurse-formal zc04-software-nervous
    zc05-pharmacist-compact zc09-architect-pushy zd01-maintenance-electrician zd06-year4-teacher-voicemail
    zd08-licensing-officer-wrong-extension zd09-motion-designer-expenses wa01-electrician-three-phase
    wa03-assistant-store-manager-shrinkage wa05-backend-engineer-kubernetes wa13-quantity-surveyor-travel-receipts
    wa16-joiner-voicemail-staircases wb02-staff-nurse-amu-pace wb03-junior-backend-team-pairing
    wb06-night-shift-lead-manhattan wb09-store-manager-second-stage wb10-home-care-senior-driving
    wc03-transport-planner-paragon wc07-product-designer-research-writeup wc08-housing-policy-officer-process
    wc09-home-care-mileage-parking wc11-it-support-team-questions

  They hash to e5113b6a60ad62e10a5afffa3b33f39477b105043083f0e4744da7ce2bbd8c2a
  (batch 1's alone to 1b059c683de772e2a51ece1df66344f655ee865fedd90c55d53cdcd5babb4476; batch 3's alone to
  57a5c85f1f45526c0862a4dda77b90df3d1874a34dbea4f92ef1522d74c80ad5; batch 4's alone to
  af038441dbc4ee695adc74ae7458d78db3ab4adc6459a52d85626f6c8f9c2765; batches 1-3 before batch 4 was added to
  5a7080c74750e069bb97b5e5913756a2a6c1dfeb96063a49c5dca6cbcd1d6700).

Only the tuning parts' mistakes are ever listed (`--errors`): reading held-out mistakes would be tuning on them.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rehearse.scoring.accuracy import (
    OPENING_LABELS,
    STRENGTH_LABELS,
    Counts,
    Evaluation,
    evaluate,
    evaluate_concern,
    evaluate_excerpts,
    heldout_hash,
    load_concern_items,
    load_corpus,
    load_excerpts,
    pooled,
)
from rehearse.scoring.scorer import score_call
from rehearse.values import CallScore

TESTS = Path(__file__).resolve().parent.parent / "tests"
CORPORA = (
    ("first corpus", TESTS / "corpus"),
    ("blind corpus", TESTS / "corpus_blind"),
    ("questions corpus", TESTS / "corpus_questions"),
    ("second blind corpus", TESTS / "corpus_calls"),
)
# the concern corpus's writers, by the first letter of their files
CONCERN_BATCHES = {"f, g": "fg", "h, i": "hi", "j, k": "jk", "all": "fghijk"}
# the openings corpus's writers, by the first letter of their files
OPENING_BATCHES = {"l-o": "lmno", "p-s": "pqrs", "all": "lmnopqrs"}
STRENGTH_BATCHES = {"all": "tuvw"}
HELDOUT_SHA256 = {
    "corpus_blind": "6e0f3db05416423dc6d844ab21156522bd52ca2ef8d00cfb4ba67fb151dadbb8",
    "corpus_questions": "ef3c7027a1e1fc148c8bb0151ffe350d284b09d057440568a6f352a6bd74b545",
    "corpus_concern": "2f099afd139d2c1d17b52970f80fe11f77361cd545d044b6638aaa47a4cdfb33",
    "corpus_openings": "37c332687e941f344b49d5dc9cbbafab19a7ddbb52fb562c966c381b612601c5",
    "corpus_strengths": "13f0fc25203a50429577f03f2b71c853a1f9b32c06c50d59d56e04ddfb5eeb79",
    "corpus_calls": "e5113b6a60ad62e10a5afffa3b33f39477b105043083f0e4744da7ce2bbd8c2a",
}


def table(title: str, ev: Evaluation) -> Table:
    t = Table(title=title, title_justify="left")
    for col in ("", "precision", "recall", "F1", "tp/fp/fn/tn"):
        t.add_column(col, justify="right" if col else "left")
    rows = [*ev.sections.items(), *(("pitfall " + k, v) for k, v in ev.pitfalls.items())]
    if ev.pitfalls:
        rows.append(("pitfalls, all", pooled(ev.pitfalls)))
    for name, c in rows:
        t.add_row(name, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", f"{c.tp}/{c.fp}/{c.fn}/{c.tn}")
    t.add_section()
    t.add_row("section macro F1", "", "", f"[bold]{ev.macro_f1:.3f}[/]", "")
    return t


SECTIONS = ("greeting", "purpose", "strengths", "questions", "next_steps", "closing")


def _f1(gold: dict[str, dict], other: dict[str, dict], section: str) -> float:
    tp = sum(gold[n][section] and other[n][section] for n in gold)
    wrong = sum(gold[n][section] != other[n][section] for n in gold)
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def _presence(score: CallScore) -> dict[str, bool]:
    return {s.id: s.present for s in score.sections}


def agreement(console: Console, name: str, folder: Path) -> None:
    """How far people agree on a corpus's held-out calls: two more helpers labelled them blind (without the writers'
    labels). The scorer cannot be expected to beat this; it is set beside each of them on the same calls."""
    second = tomllib.loads((folder / "agreement" / "second_labels.toml").read_text("utf-8"))
    held = [c for c in load_corpus(folder) if c.split == "heldout"]
    writers = {f"{c.name}.toml": c.sections for c in held}
    scorer = {f"{c.name}.toml": _presence(score_call(list(c.utterances), c.plan)) for c in held}
    one, two = second["labeller1"], second["labeller2"]
    pairs = {
        "people agree, writer ~ labeller 1": (writers, one),
        "people agree, writer ~ labeller 2": (writers, two),
        "people agree, labeller 1 ~ 2": (one, two),
        "scorer ~ labeller 1": (scorer, one),
        "scorer ~ labeller 2": (scorer, two),
    }
    for pair, (a, b) in pairs.items():
        a = {n: v for n, v in a.items() if n in b}
        per = {s: _f1(a, b, s) for s in SECTIONS}
        detail = ", ".join(f"{s} {v:.2f}" for s, v in per.items())
        # Macro F1 weighs a decision by how rare its section's positives are; the plain count sits beside it.
        differ = sum(a[n][s] != b[n][s] for n in a for s in SECTIONS)
        console.print(
            f"{name}, {pair}: section macro F1 {sum(per.values()) / len(per):.3f} ({detail}); "
            f"{differ} of {len(a) * len(SECTIONS)} section decisions differ"
        )


def concern_items(console: Console) -> None:
    items = load_concern_items(TESTS / "corpus_concern")
    t = Table(title="concern answers (tests/corpus_concern)", title_justify="left")
    for col in ("", "excerpts", "precision", "recall", "F1", "tp/fp/fn/tn"):
        t.add_column(col, justify="right" if col else "left")
    errors: list[str] = []
    for split in ("tune", "heldout"):
        for batch, writers in CONCERN_BATCHES.items():
            part = [i for i in items if i.split == split and i.name[0] in writers]
            c, wrong = evaluate_concern(part)
            errors += wrong if split == "tune" and batch == "all" else ()
            row = (f"{split} {batch}", str(len(part)), f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}")
            t.add_row(*row, _tally(c))
    console.print(t)
    if "--errors" in sys.argv:
        for line in errors:
            console.print(f"  {line}", highlight=False)
    second = tomllib.loads((TESTS / "corpus_concern" / "agreement" / "second_labels.toml").read_text("utf-8"))
    writers = {i.name: i.sections["clarifies"] for i in items if i.split == "heldout" and i.name in second["labeller1"]}
    one, two = second["labeller1"], second["labeller2"]
    for pair, (a, b) in {"writers ~ labeller 1": (writers, one), "writers ~ labeller 2": (writers, two)}.items():
        same = sum(a[k] == b[k] for k in a)
        console.print(f"concern answers, people agree, {pair}: {same} of {len(a)} held-out excerpts")
    console.print(f"concern answers, people agree, labeller 1 ~ 2: {sum(one[k] == two[k] for k in one)} of {len(one)}")


def excerpt_table(console: Console, name: str, folder: str, labels: dict[str, str], batches: dict[str, str]) -> None:
    """An excerpt corpus's F1 per labelled section, per batch of writers and split; tuning mistakes on --errors."""
    items = load_excerpts(TESTS / folder, labels)
    t = Table(title=f"{name} (tests/{folder}): F1", title_justify="left")
    macro = ("macro F1",) if len(labels) > 1 else ()
    for col in ("", "excerpts", *labels.values(), *macro):
        t.add_column(col, justify="right" if col else "left")
    errors: list[str] = []
    pr: list[str] = []
    for split in ("tune", "heldout"):
        for batch, writers in batches.items():
            part = [i for i in items if i.split == split and i.name[0] in writers]
            if not part:
                continue
            ev = evaluate_excerpts(part, labels.values())
            errors += ev.errors if split == "tune" and batch == "all" else ()
            f1 = (f"{c.f1:.2f}" for c in ev.sections.values())
            t.add_row(f"{split} {batch}", str(len(part)), *f1, *(f"{ev.macro_f1:.3f}" for _ in macro))
            if batch == "all":
                each = (f"{k} {c.precision:.2f}/{c.recall:.2f}" for k, c in ev.sections.items())
                pr.append(f"{split}: " + ", ".join(each))
    console.print(t)
    console.print(f"{name}, precision/recall, " + "; ".join(pr))
    if "--errors" in sys.argv:
        for line in errors:
            console.print(f"  {line}", highlight=False)


def opening_agreement(console: Console) -> None:
    items = load_excerpts(TESTS / "corpus_openings", OPENING_LABELS)
    second = tomllib.loads((TESTS / "corpus_openings" / "agreement" / "second_labels.toml").read_text("utf-8"))
    one, two = second["labeller1"], second["labeller2"]
    writers = {i.name: i.sections for i in items if i.split == "heldout" and i.name in one}
    pairs = {
        "writers ~ labeller 1": (writers, one),
        "writers ~ labeller 2": (writers, two),
        "labeller 1 ~ 2": (one, two),
    }
    for pair, (a, b) in pairs.items():
        per = {s: _f1(a, b, s) for s in OPENING_LABELS.values()}
        detail = ", ".join(f"{s} {v:.2f}" for s, v in per.items())
        console.print(f"call openings, people agree, {pair}: macro F1 {sum(per.values()) / len(per):.3f} ({detail})")


def _tally(c: Counts) -> str:
    return f"{c.tp}/{c.fp}/{c.fn}/{c.tn}"


def main() -> int:
    console = Console()
    for folder, digest in HELDOUT_SHA256.items():
        if heldout_hash(TESTS / folder) != digest:
            console.print(f"[red]tests/{folder}'s held-out files changed: their figures would not be comparable.[/]")
            return 1
    for name, folder in CORPORA:
        calls = load_corpus(folder)
        for split in ("tune", "heldout"):
            part = [c for c in calls if c.split == split]
            ev = evaluate(part)
            console.print(table(f"{name}, {split}: {len(part)} calls", ev))
            if "--errors" in sys.argv and split == "tune":
                for line in ev.errors:
                    console.print(f"  {line}", highlight=False)
    concern_items(console)
    excerpt_table(console, "call openings", "corpus_openings", OPENING_LABELS, OPENING_BATCHES)
    opening_agreement(console)
    excerpt_table(console, "strengths", "corpus_strengths", STRENGTH_LABELS, STRENGTH_BATCHES)
    for name, folder in CORPORA:
        if (folder / "agreement").is_dir():
            agreement(console, name, folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
