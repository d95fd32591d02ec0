#!/usr/bin/env python3
"""Coverage of the hand-written term lists by the termbase, and how many head terms are still proposed.

Lists (written from the texts before the concepts, never naming one; a term is found by its wording):
  tests/fixtures/treaty-terms.tsv  the Treaty and Protocol (column ``en``)
  tests/fixtures/report-terms.tsv  the report, when present (column ``zh``, compared after NFC)

For each list: the share of terms some concept holds (any status or type), the share whose concept has a
head term in all six languages, and the share whose six heads are all confirmed (none ``proposed``).
For the Treaty concepts (those holding a Treaty-list term, and the ``treaty`` domain): the English and
French heads found in the Treaty text (../shared/reference/ctbt, when present). Last, per language, the
share of head terms still ``proposed``, over the whole termbase and over the Treaty concepts.

    python3 scripts/eval_coverage.py [--terms DIR] [--reference DIR] [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.coverage import (heads_in_text, list_coverage, proposed_heads, read_term_list,  # noqa: E402
                               treaty_concepts)
from glossary.termfile import load_termbase  # noqa: E402
from glossary.treaty_text import ReferenceText  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
LISTS = (("treaty-terms", FIXTURES / "treaty-terms.tsv", "en"), ("report-terms", FIXTURES / "report-terms.tsv", "zh"))


def measure(terms_dir: Path, reference: Path) -> dict:
    termbase = load_termbase([terms_dir])
    treaty_list = read_term_list(LISTS[0][1], "en")
    treaty = treaty_concepts(termbase, treaty_list)
    lists = [list_coverage(name, read_term_list(path, lang), termbase).as_dict()
             for name, path, lang in LISTS if path.is_file()]
    texts = {lang: ReferenceText.load(reference, lang) for lang in ("en", "fr")} if reference.is_dir() else {}
    return {
        "lists": lists,
        "treaty_concepts": len(treaty),
        "treaty_heads_in_text": heads_in_text(treaty, texts) if texts else None,
        "proposed_heads": {"all": proposed_heads(termbase.values()), "treaty": proposed_heads(treaty)},
    }


def print_text(result: dict) -> None:
    for item in result["lists"]:
        print(f"{item['list']}: {item['covered']}/{item['terms']} covered ({item['covered_share']:.1%}), "
              f"{item['six_languages_share']:.1%} with six languages, "
              f"{item['six_confirmed_share']:.1%} with six confirmed heads")
        for text in item["uncovered"][:20]:
            print(f"  uncovered: {text}")
    print(f"Treaty concepts: {result['treaty_concepts']}")
    if result["treaty_heads_in_text"] is None:
        print("Treaty heads in the reference text: n/a (reference directory absent)")
    else:
        for lang, found in result["treaty_heads_in_text"].items():
            print(f"  {lang} heads found in the Treaty text: {found['found']}/{found['heads']} ({found['share']:.1%})")
            for missing in found["missing"]:
                print(f"    not found: {missing}")
    print("proposed heads      " + "  ".join(f"{lang:>6}" for lang in result["proposed_heads"]["all"]))
    for scope, shares in result["proposed_heads"].items():
        print(f"  {scope:<17} " + "  ".join(f"{s['share']:>6.1%}" for s in shares.values())
              + f"   (of {next(iter(shares.values()))['concepts']} concepts)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "ctbt")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    result = measure(args.terms, args.reference)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
