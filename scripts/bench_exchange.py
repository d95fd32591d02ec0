#!/usr/bin/env python3
"""Exchange figures: agreement with the UN thesaurus scrape per language, and seconds per exchange command
on the real termbase and on a synthetic one (10,000 concepts by default).

Usage: python3 scripts/bench_exchange.py [--concepts N] [--skip-synthetic]
Each command runs as its own process (`python -m glossary ...`), so the seconds include start-up, as a
user sees them. The UN thesaurus is general UN vocabulary, not CTBT usage: its disagreements are prompts
for a terminologist, not errors of the termbase.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from synthetic import synthetic_concepts  # noqa: E402

from glossary.termfile import write_term_file  # noqa: E402

SCRAPE = ROOT.parent / "shared" / "peer-data" / "csv" / "unthesaurus_scraping__out.csv"


def run(terms: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "glossary", "--terms", str(terms), *args],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"glossary {' '.join(args)} failed: {done.stderr.strip()}")
    return seconds, done


def commands(work: Path) -> list[tuple[str, list[str]]]:
    tbx, tbx2, csv, xlsx = work / "g.tbx", work / "g2.tbx", work / "g.csv", work / "g.xlsx"
    return [
        ("export tbx", ["export", "tbx", "--out", str(tbx)]),
        ("export tbx --version 2", ["export", "tbx", "--version", "2", "--out", str(tbx2)]),
        ("export csv", ["export", "csv", "--out", str(csv)]),
        ("export xlsx", ["export", "xlsx", "--out", str(xlsx)]),
        ("import tbx (own export)", ["import", "tbx", str(tbx), "--review", str(work / "review.csv")]),
        ("import-review csv --dry-run", ["import-review", str(csv), "--dry-run", "--format", "json"]),
        ("import-review xlsx --dry-run", ["import-review", str(xlsx), "--dry-run", "--format", "json"]),
        ("compare (own tbx)", ["compare", str(tbx), "--format", "json"]),
        ("compare (UN thesaurus)", ["compare", str(SCRAPE), "--format", "json"]),
    ]


def time_commands(label: str, terms: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run(terms, "stats", "--format", "json")  # warm the termbase cache, as a second run would find it
        print(f"\n{label}")
        for name, args in commands(work):
            seconds, _ = run(terms, *args)
            print(f"  {name:32} {seconds:7.2f} s")


def agreement(terms: Path) -> None:
    _, done = run(terms, "compare", str(SCRAPE), "--format", "json")
    report = json.loads(done.stdout)
    print(f"UN thesaurus scrape: {report['concepts']} concepts, {report['matched']} match ours "
          f"(on a shared English term, or terms shared in two or more languages)")
    print("  lang  agreement  agree  ours-among-theirs  differ  we-lack  they-lack")
    for lang, row in report["per_language"].items():
        share = "-" if row["agreement"] is None else f"{row['agreement']:.1%}"
        print(f"  {lang:4}  {share:>9}  {row['agree']:5}  {row['ours-among-theirs']:17}  {row['differ']:6}  "
              f"{row['we-lack']:7}  {row['they-lack']:9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    terms = ROOT / "terms"
    if SCRAPE.is_file():
        agreement(terms)
    else:
        print(f"{SCRAPE} not found: agreement figures skipped")
    time_commands(f"real termbase ({terms.name}/)", terms)
    if not args.skip_synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic = Path(tmp) / "terms"
            synthetic.mkdir()
            buffer = io.StringIO()
            write_term_file(buffer, synthetic_concepts(args.concepts))
            (synthetic / "synthetic.yaml").write_text(buffer.getvalue(), encoding="utf-8")
            time_commands(f"synthetic termbase ({args.concepts} concepts)", synthetic)
            shutil.rmtree(synthetic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
