#!/usr/bin/env python3
"""Alignment precision and recall against the hand-written gold list, per method and overall.

A prediction is a candidate the aligner ties to a concept (exact, normalised, shortform, compositional,
fuzzy); it is right when that concept is the gold one. Precision = right / predicted; recall = right / gold
pairs that have a concept. Candidates whose gold is ``-`` must get no concept: any concept given to them is
a wrong prediction. The threshold table shows what the fuzzy threshold buys and costs.

Two hand-written lists are evaluated by default: ``gold.tsv`` (written with the aligner) and
``gold-independent.tsv`` (written from the report and the term files without the aligner's output).

    python3 scripts/eval_align.py [--terms DIR] [--gold FILE ...] [--errors]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.align import CONCEPT_METHODS, FUZZY_THRESHOLD, Aligner  # noqa: E402
from glossary.mining import Candidate  # noqa: E402
from glossary.termfile import load_termbase  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "align" / "gold.tsv"
INDEPENDENT_GOLD = GOLD.with_name("gold-independent.tsv")
THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def read_gold(path: Path) -> list[tuple[str, str | None, str]]:
    """(candidate, concept id or None, case) rows; ``#`` lines are comments."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, concept, case = line.split("\t")
        rows.append((term, None if concept == "-" else concept, case))
    return rows


def candidate(n: int, term: str) -> Candidate:
    kind = "code" if term.isascii() else "term"
    return Candidate(rank=n, term=term, kind=kind, score=0.0, frequency=1, documents=1, domain="general")


def evaluate(aligner: Aligner, gold) -> dict:
    """Counts per method and per gold case, with the wrong predictions and the misses."""
    predicted, right = Counter(), Counter()
    case_total, case_right = Counter(), Counter()
    errors = []
    positives = sum(1 for _, concept, _ in gold if concept)
    for n, (term, concept, case) in enumerate(gold, 1):
        match = aligner.match(candidate(n, term))
        got = match.concept_id if match.is_concept else None
        case_total[case] += 1
        if got == concept:
            case_right[case] += 1
        if got is not None:
            predicted[match.method] += 1
            if got == concept:
                right[match.method] += 1
        if got != concept:
            errors.append((term, concept or "-", got or "-", match.method, match.score))
    return {"predicted": predicted, "right": right, "positives": positives, "errors": errors,
            "case_total": case_total, "case_right": case_right}


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    parser.add_argument("--gold", type=Path, action="append", help="a gold list (repeatable; default: both)")
    parser.add_argument("--errors", action="store_true", help="list every wrong prediction and miss")
    args = parser.parse_args()
    termbase = load_termbase([args.terms])
    for n, path in enumerate(args.gold or [GOLD, INDEPENDENT_GOLD]):
        if n:
            print("\n" + "=" * 100 + "\n")
        report(termbase, path, args.errors)
    return 0


def report(termbase, path: Path, errors: bool) -> None:
    gold = read_gold(path)
    result = evaluate(Aligner(termbase, FUZZY_THRESHOLD), gold)
    predicted, right, positives = result["predicted"], result["right"], result["positives"]
    print(f"gold list {path.name}: {len(gold)} candidates, {positives} with a concept, {len(gold) - positives} with none; "
          f"termbase: {len(termbase)} concepts; fuzzy threshold {FUZZY_THRESHOLD}")
    print()
    print(f"{'method':<14}{'predicted':>10}{'right':>7}{'precision':>11}{'recall share':>14}")
    for method in CONCEPT_METHODS:
        print(f"{method:<14}{predicted[method]:>10}{right[method]:>7}{ratio(right[method], predicted[method]):>11}"
              f"{ratio(right[method], positives):>14}")
    total_p, total_r = sum(predicted.values()), sum(right.values())
    print(f"{'overall':<14}{total_p:>10}{total_r:>7}{ratio(total_r, total_p):>11}{ratio(total_r, positives):>14}")
    print()
    print("per gold case (share handled correctly):")
    for case in sorted(result["case_total"]):
        print(f"  {case:<14}{result['case_right'][case]:>3}/{result['case_total'][case]:<3}"
              f" {ratio(result['case_right'][case], result['case_total'][case])}")
    print()
    print("fuzzy threshold (overall precision / recall; fuzzy predictions right/made):")
    for threshold in (*THRESHOLDS, None):
        r = evaluate(Aligner(termbase, threshold), gold)
        p, t = sum(r["predicted"].values()), sum(r["right"].values())
        label = f"{threshold:.2f}" if threshold is not None else "off "
        mark = "  <- default" if threshold == FUZZY_THRESHOLD else ""
        print(f"  {label}  P {ratio(t, p)}  R {ratio(t, r['positives'])}  "
              f"fuzzy {r['right']['fuzzy']}/{r['predicted']['fuzzy']}{mark}")
    if errors and result["errors"]:
        print()
        print("wrong or missed (candidate, gold, got, method, score):")
        for row in result["errors"]:
            print("  " + "\t".join(map(str, row)))


if __name__ == "__main__":
    sys.exit(main())
