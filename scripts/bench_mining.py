#!/usr/bin/env python3
"""Characters per second of the miner against bare ``jieba.lcut`` on the same ~1M-character corpus.

The corpus is the bundled report repeated to about a million characters, in one file. Both sides include
building their tokenizer (from jieba's cache) and reading the text; the miner also normalises, counts,
scores and locates its top 100 candidates.

Each side runs ``--repeat`` times, interleaved, and the best time counts: on a shared host the slowest
runs measure the neighbours, not the code.

    python3 scripts/bench_mining.py [--chars 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import logging

    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)

    from glossary.corpus import read_document
    from glossary.mining import MiningConfig, mine
    from glossary.resources import BUNDLED_REPORT
    from glossary.segment import Segmenter, cache_dir

    Segmenter()  # warm jieba's prefix-dictionary cache so that no side pays for building it
    report = BUNDLED_REPORT.read_text(encoding="utf-8")
    corpus = report * max(1, round(args.chars / len(report)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        path.write_text(corpus, encoding="utf-8")
        chars = len(corpus)

        def bare_lcut() -> list[str]:
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir, tokenizer.cache_file = str(cache_dir()), "jieba.cache"
            return tokenizer.lcut(path.read_text(encoding="utf-8"))

        def mine_with(jobs: int):
            return mine(lambda: [read_document(path)], discovery=True, config=MiningConfig(top=100, jobs=jobs))

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        best = {"lcut": float("inf"), 1: float("inf"), 2: float("inf")}
        tops = {}
        for _ in range(max(1, args.repeat)):
            for side, run in (("lcut", bare_lcut), (1, lambda: mine_with(1)), (2, lambda: mine_with(2))):
                start = time.perf_counter()
                result = run()
                best[side] = min(best[side], time.perf_counter() - start)
                if side == "lcut":
                    tokens = len(result)
                else:
                    tops[side] = ", ".join(c.term for c in result.candidates[:3])
        bare = best["lcut"]
        print(f"corpus: {chars:,} characters (the report x{round(args.chars / len(report))}); "
              f"bare jieba.lcut: {tokens:,} tokens")
        print(f"{os.cpu_count()} CPUs, load average {load:.2f} before the runs (--jobs 2 needs two idle cores); "
              f"best of {max(1, args.repeat)} interleaved runs")
        print(f"{'':<22}{'seconds':>9}{'chars/s':>12}{'vs lcut':>9}")
        print(f"{'jieba.lcut':<22}{bare:>9.2f}{chars / bare:>12,.0f}{1.0:>9.2f}")
        for jobs in (1, 2):
            took = best[jobs]
            print(f"{f'mine --jobs {jobs}':<22}{took:>9.2f}{chars / took:>12,.0f}{bare / took:>9.2f}"
                  f"   top: {tops[jobs]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
