"""Load time of a synthetic 100k-concept termbase (four term files): parsing the YAML, and reading it back
from the parsed-termbase cache that `glossary` commands use for large termbases.

Usage: python scripts/bench_load.py [--concepts N]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from glossary.cache import load_termbase_cached  # noqa: E402
from glossary.termfile import load_termbase, write_term_file  # noqa: E402
from synthetic import synthetic_concepts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    concepts = synthetic_concepts(args.concepts)
    with tempfile.TemporaryDirectory() as tmp:
        size = 0
        for domain in ("IMS", "IDC", "OSI", "general"):
            out = io.StringIO()
            write_term_file(out, [c for c in concepts if c.domain == domain])
            path = Path(tmp) / f"{domain.lower()}.yaml"
            path.write_text(out.getvalue(), encoding="utf-8")
            size += path.stat().st_size
        terms = sum(len(ts) for c in concepts for ts in c.terms.values())
        print(f"termbase: {len(concepts):,} concepts, {terms:,} terms, {size / 1e6:.1f} MB of YAML in 4 files")
        print(f"PyYAML C loader available: {yaml.__with_libyaml__}")
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            loaded = load_termbase([tmp])
            times.append(time.perf_counter() - start)
        assert len(loaded) == len(concepts)
        print(f"load_termbase: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
              f"over {args.repeat} runs ({len(concepts) / min(times):,.0f} concepts/s)")
        start = time.perf_counter()
        for path in sorted(Path(tmp).glob("*.yaml")):
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        print(f"reference, bare yaml.load(CSafeLoader) to plain dicts: {time.perf_counter() - start:.2f} s")
        cache_dir = Path(tmp) / "cache"
        start = time.perf_counter()
        load_termbase_cached([tmp], cache_dir)
        print(f"first cached load (parse + write cache): {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        cached = load_termbase_cached([tmp], cache_dir)
        elapsed = time.perf_counter() - start
        assert list(cached) == list(loaded)
        print(f"warm cached load (hash files + read the cache): {elapsed:.2f} s, "
              f"{min(times) / elapsed:.0f}x faster than parsing")


if __name__ == "__main__":
    main()
