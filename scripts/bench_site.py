#!/usr/bin/env python3
"""Write the web glossary for a synthetic 10,000-concept termbase, then time its search in headless Chromium.

Prints: export seconds (render + write) and site size; in the browser, the time to load the search page,
to build the typo index, to load the largest domain page, and per keystroke (every prefix of each query,
as typed) the search alone and
search + showing the results: median, 95th percentile and worst.

Usage: python3 scripts/bench_site.py [--concepts N] [--keep DIR]
Target: export in a few seconds; every keystroke well under 100 ms.
Needs Debian's chromium and chromium-driver (or GLOSSARY_CHROMIUM / GLOSSARY_CHROMEDRIVER) and selenium.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, unavailable  # noqa: E402
from synthetic import synthetic_concepts  # noqa: E402

from glossary.model import Termbase  # noqa: E402
from glossary.site import render_site, write_site  # noqa: E402

#: Queries typed a character at a time: typos, abbreviations and all six scripts.
QUERIES = ["internatonal monitoring sistem", "seismic station 4711", "radionucleide laboratory",
           "SSI999", "мониторинг станция", "现场视察网络", "現場視察", "محطة رصد زلزالي",
           "surveillance réseau", "estacion sismologica", "hydroacoustc infrasond"]

_MEASURE = """
const page = window.glossarySearchPage, q = arguments[0];
const search = [], shown = [];
for (let i = 1; i <= q.length; i++) {
  const prefix = q.slice(0, i);
  let t = performance.now();
  page.searcher.search(prefix, 20);
  search.push(performance.now() - t);
  t = performance.now();
  page.render(prefix);  // searches again and replaces the result list
  document.body.offsetHeight;  // force layout, as the reader would see it
  shown.push(performance.now() - t);
}
return [search, shown];
"""


def _summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    args = parser.parse_args()
    termbase = Termbase(synthetic_concepts(args.concepts))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "site"
        start, cpu = time.perf_counter(), time.process_time()
        files = render_site(termbase)
        write_site(out, files)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(map(len, files.values()))
        print(f"concepts: {args.concepts}  files: {len(files)}  bytes: {size:,}  "
              f"(search-index.js {len(files['search-index.js']):,})")
        print(f"export html (render + atomic write): {seconds:.2f} s wall, {cpu:.2f} s CPU")
        reason = unavailable()
        if reason:
            print(f"browser timings skipped: {reason}")
            return 0
        with chromium() as driver:
            start = time.perf_counter()
            driver.get((out / "index.html").as_uri())
            driver.execute_script("return window.glossarySearchPage !== undefined")
            loaded = time.perf_counter() - start
            build = driver.execute_script("""
                const s = window.glossarySearchPage.searcher, t = performance.now();
                s.grams = null; s.buildGrams(); return performance.now() - t;""")
            print(f"search page loaded and index parsed: {loaded * 1000:.0f} ms; typo index built in {build:.0f} ms "
                  ""
                  "(in 30 ms slices after load, so typing is never blocked)")
            search, shown = [], []
            for query in QUERIES:
                s, r = driver.execute_script(_MEASURE, query)
                search += s
                shown += r
            biggest = max((name for name in files if name.endswith(".html")), key=lambda name: len(files[name]))
            start = time.perf_counter()
            driver.get((out / biggest).as_uri())
            cards = driver.execute_script("return document.querySelectorAll('article.card').length")
            print(f"largest domain page ({biggest}, {cards} cards, {len(files[biggest]):,} bytes) loaded in "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms")
            print(f"machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            print(f"keystrokes: {len(search)} ({len(QUERIES)} queries typed a character at a time)")
            print(f"search per keystroke: {_summary(search)}")
            print(f"search + results shown per keystroke: {_summary(shown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
