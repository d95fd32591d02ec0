#!/usr/bin/env python3
"""Export a synthetic 10,000-concept termbase to the POT and all six catalogs; print seconds and peak memory.

Usage: python3 scripts/bench_export.py [--concepts N] [--mo]
Target: under 3 s for 10,000 concepts on one core.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc

from glossary.catalogs import render_catalogs, read_report, write_catalogs
from glossary.model import LANGUAGES, Concept, Source, Term, Termbase
from glossary.resources import BUNDLED_REPORT

SAMPLE = {"ar": "نظام الرصد الدولي", "zh": "国际监测系统", "en": "International Monitoring System",
          "fr": "Système de surveillance international", "ru": "Международная система мониторинга",
          "es": "Sistema Internacional de Vigilancia"}


def synthetic_termbase(size: int) -> Termbase:
    """Concepts shaped like the real ones: a head term per language, abbreviations, variants, sources."""
    concepts = []
    for i in range(size):
        terms = {}
        for lang in LANGUAGES:
            status = "proposed" if (i + len(lang)) % 7 == 0 else "preferred"
            terms[lang] = [Term(f"{SAMPLE[lang]} {i}", "fullForm", status)]
            if i % 3 == 0:
                terms[lang].append(Term(f"ABR{i}", "abbreviation", "admitted"))
            if i % 5 == 0:
                terms[lang].append(Term(f"{SAMPLE[lang]} variant {i}", "variant", "admitted"))
        concepts.append(Concept(
            id=f"ims.synthetic-{i}", domain="IMS", subject="stations",
            definition=("A synthetic concept whose definition is about as long as a real one, so that the "
                        f"comment wrapping costs what it costs on real data, number {i}."),
            terms=terms, sources=[Source("CTBT/WGB-62/INF.4", [str(i % 90 + 1), str(i % 50 + 1)]),
                                  Source("CTBT", location="Article IV, para. 16")]))
    return Termbase(concepts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--mo", action="store_true", help="also compile the MO files")
    args = parser.parse_args()
    termbase = synthetic_termbase(args.concepts)
    report = read_report(BUNDLED_REPORT)

    start, cpu_start = time.perf_counter(), time.process_time()
    files = render_catalogs(termbase, report=report, mo=args.mo)
    with tempfile.TemporaryDirectory() as out:
        write_catalogs(out, files)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    tracemalloc.start()
    render_catalogs(termbase, report=report, mo=args.mo)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = sum(len(data) for data in files.values())
    print(f"concepts: {args.concepts}  files: {len(files)}  bytes: {size:,}")
    print(f"export (render + atomic write): {seconds:.2f} s wall, {cpu:.2f} s CPU  (target < 3 s)")
    print(f"peak traced memory during render: {peak / 2**20:.1f} MiB  (process max RSS {rss:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
