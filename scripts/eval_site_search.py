#!/usr/bin/env python3
"""The web glossary's search against `glossary lookup` on hand-written queries (tests/fixtures/site/queries.tsv).

Prints, for the browser's search (headless Chromium on the exported site) and for lookup: how often the
expected concept comes first and in the top 3, how often both put the same concept first, and every miss.

Usage: python3 scripts/eval_site_search.py [--queries FILE] [--terms DIR]
Needs Debian's chromium and chromium-driver (or GLOSSARY_CHROMIUM / GLOSSARY_CHROMEDRIVER) and selenium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, unavailable  # noqa: E402

from glossary.lookup import LookupIndex  # noqa: E402
from glossary.site import render_site, write_site  # noqa: E402
from glossary.termfile import load_termbase  # noqa: E402


def read_queries(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, concept = line.split("\t")
            rows.append((query, concept))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "fixtures" / "site" / "queries.tsv")
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    queries = read_queries(args.queries)
    termbase = load_termbase([args.terms])
    missing = [c for _q, c in queries if c not in termbase]
    if missing:
        print(f"error: {args.queries}: concepts not in the termbase: {', '.join(missing)}", file=sys.stderr)
        return 2
    lookup = LookupIndex.build(termbase)
    python = [[h.concept.id for h in lookup.search(q, limit=3)] for q, _c in queries]
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        write_site(tmp, render_site(termbase))
        driver.get((Path(tmp) / "index.html").as_uri())
        browser = driver.execute_script("""
            const s = window.glossarySearchPage.searcher, concepts = GLOSSARY.index.concepts;
            return arguments[0].map(q => s.search(q, 3).map(h => concepts[h.concept][0]));""",
                                        [q for q, _c in queries])
    n = len(queries)
    for name, results in (("browser search", browser), ("glossary lookup", python)):
        first = sum(r[:1] == [c] for r, (_q, c) in zip(results, queries))
        top3 = sum(c in r for r, (_q, c) in zip(results, queries))
        print(f"{name:16} first {first}/{n} ({first / n:.0%})  top 3 {top3}/{n} ({top3 / n:.0%})")
    same = sum(b[:1] == p[:1] for b, p in zip(browser, python))
    print(f"same concept first in both: {same}/{n}")
    for (query, concept), b, p in zip(queries, browser, python):
        if b[:1] != [concept] or p[:1] != [concept]:
            print(f"  miss: {query!r} -> expected {concept}; browser {b[:2]}; lookup {p[:2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
