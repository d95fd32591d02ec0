"""What checking a cache costs on a warm start: reading the lookup index from its bytes against the checksum
and shape checks that decide whether to trust it, on a synthetic termbase (default 20k concepts).

    python scripts/bench_cache_check.py [--concepts 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import synthetic_concepts  # noqa: E402

from glossary.lookup import LookupIndex, _consistent  # noqa: E402
from glossary.model import Termbase  # noqa: E402


def best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    payload = LookupIndex.build(Termbase(synthetic_concepts(args.concepts)), gram_index=True).to_bytes()
    index = LookupIndex.from_bytes(payload)
    load = best_of(args.runs, lambda: LookupIndex.from_bytes(payload))
    checksum = best_of(args.runs, lambda: hashlib.sha256(payload).hexdigest())
    shape = best_of(args.runs, lambda: _consistent(index))
    print(f"lookup index: {args.concepts:,} concepts, {len(index):,} entries, {len(payload) / 1e6:.1f} MB")
    print(f"read from bytes (marshal):  {load:.3f} s")
    print(f"payload SHA-256:            {checksum:.3f} s ({checksum / load:.0%} of the read)")
    print(f"shape and reference checks: {shape:.3f} s ({shape / load:.0%} of the read)")


if __name__ == "__main__":
    main()
