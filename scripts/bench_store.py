#!/usr/bin/env python3
"""The compiled termbase store at scale: build, warm start, lookup speed and accuracy, memory, incremental
rebuild and YAML parse speed, on a synthetic termbase written as term files of ``--per-file`` concepts.

Prints, in one run:
- YAML parse MB/s of the full reader and of the canonical-layout fast path (synthetic and the real terms/);
- store build time (every shard compiled), and the warm start of ``glossary lookup`` and ``glossary stats``
  (subprocesses, median of ``--runs``) against ``python -c pass``;
- lookup p50/p99 (the quietest of ``--repeats`` runs, with all of them and the load average: the machine
  may be shared) and top-1 accuracy on the typo queries of scripts/bench_lookup.py, on the store index,
  for each n-gram budget of ``--budgets`` (0: every gram read, as before there was a budget); with
  ``--compare``, also on the in-memory index built from the same termbase, with their agreement;
- peak RSS of a ``glossary lookup`` process answering ``--rss-queries`` queries from stdin;
- the rebuild after one concept's term is edited in one file (the quietest of ``--repeats`` edits), and
  lookup again with the edited file's shard searched beside the merged segment.

    python3 scripts/bench_store.py --concepts 100000 --compare
    python3 scripts/bench_store.py --concepts 100000 --copies 10 --workdir DIR --budgets 700000,0   # 1M
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_lookup import percentile, synthetic_termbase, typo_queries  # noqa: E402

from glossary import termfile  # noqa: E402
from glossary.store import open_store  # noqa: E402
from glossary.store_index import store_lookup_index  # noqa: E402


#: Runs ``glossary`` and prints its own peak RSS (KiB, VmHWM) on stderr. Not getrusage: Linux carries
#: ru_maxrss across exec, so a child of this (large) process would report the parent's peak.
_RSS = """
import runpy, sys
sys.argv = ["glossary"] + sys.argv[1:]
try:
    runpy.run_module("glossary", run_name="__main__")
finally:
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    print(status["RssAnon"].split()[0], file=sys.stderr)
    print(status["VmHWM"].split()[0], file=sys.stderr)
"""


#: Opens the store (compiling what changed) and prints the seconds it took and the shards compiled.
_REBUILD = """
import sys, time
from glossary.store import open_store
start = time.perf_counter()
store = open_store([sys.argv[1]], sys.argv[2])
print(time.perf_counter() - start, len(store.compiled))
"""


def write_files(termbase, directory: Path, per_file: int) -> int:
    concepts = termbase.concepts()
    for concept in concepts:
        concept.definition = f"Synthetic concept {concept.id} for the store benchmark."
    size = 0
    for start in range(0, len(concepts), per_file):
        out = io.StringIO()
        termfile.write_term_file(out, concepts[start:start + per_file])
        path = directory / f"part-{start // per_file:05d}.yaml"
        path.write_text(out.getvalue(), encoding="utf-8")
        size += path.stat().st_size
    return size


def write_copies(directory: Path, copies: int) -> int:
    """``copies - 1`` more copies of the written files, each concept under a new id and each term with a
    ``kN`` word in front (a quick way to a termbase of millions; queries still target the first copy)."""
    size = 0
    originals = sorted(directory.glob("part-*.yaml"))
    for copy in range(1, copies):
        for path in originals:
            text = path.read_text(encoding="utf-8")
            text = text.replace("- id: synthetic.c", f"- id: synthetic.k{copy}c").replace(
                "{text: ", f"{{text: k{copy} ")
            target = directory / f"{path.stem}-k{copy:03d}.yaml"
            target.write_text(text, encoding="utf-8")
            size += target.stat().st_size
    return size


def parse_speed(files: list[Path]) -> str:
    """MB/s (CPU time, and wall time in brackets: the machine may be shared) of the full reader and of
    parse_term_file (the fast path where it applies), checked to give the same concepts and lines."""
    data = [(f.read_bytes(), str(f)) for f in files]
    size = sum(len(d) for d, _ in data) / 1e6

    def timed(parse):
        cpu, wall = time.process_time(), time.perf_counter()
        result = [parse(d, p) for d, p in data]
        return result, size / (time.process_time() - cpu), size / (time.perf_counter() - wall)

    full, full_cpu, full_wall = timed(termfile.parse_full_term_file)
    fast, fast_cpu, fast_wall = timed(termfile.parse_term_file)
    for a, b in zip(full, fast):
        assert a.concepts == b.concepts and [str(f) for f in a.findings] == [str(f) for f in b.findings]
        assert [c.origin for c in a.concepts] == [c.origin for c in b.concepts]
    return (f"full reader {full_cpu:.1f} MB/s ({full_wall:.1f} wall), fast path {fast_cpu:.1f} MB/s "
            f"({fast_wall:.1f} wall), {fast_cpu / full_cpu:.1f}x, {size:.1f} MB")


def real_accuracy() -> str:
    """Top-1 of the hand-written queries on the real termbase, every term scored and through the n-gram
    candidates (with their budget) that large termbases use."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_lookup import QUERIES

    from glossary.lookup import LookupIndex

    termbase = termfile.load_termbase([ROOT / "terms"])
    found = []
    for gram_index in (False, True):
        index = LookupIndex.build(termbase, gram_index=gram_index)
        found.append(sum(1 for query, expected, _what in QUERIES
                         if (hits := index.search(query, limit=3)) and hits[0].concept.id == expected))
    return f"top-1 {found[0]}/{len(QUERIES)} every term scored, {found[1]}/{len(QUERIES)} through n-gram candidates"


def median_run(command: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=1,
                        help="write the termbase this many times over (new ids, a kN word in each term)")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rss-queries", type=int, default=100)
    parser.add_argument("--compare", action="store_true", help="also build the in-memory index (slow)")
    parser.add_argument("--budgets", type=lambda text: [int(v) for v in text.split(",")], default=None,
                        help="n-gram budgets (postings a query reads; 0: every gram) to time lookup with, comma-separated "
                             "(default: the one lookup uses)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the queries per budget, and edits rebuilt (the quietest is shown)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the term files and the store here and reuse them on the next run with the same "
                             "--concepts, --per-file and --copies (the store build is then the warm open)")
    args = parser.parse_args()
    if args.budgets is None:
        from glossary.lookup import GRAM_BUDGET

        args.budgets = [GRAM_BUDGET]

    with (contextlib.nullcontext(args.workdir) if args.workdir else tempfile.TemporaryDirectory()) as tmp:
        terms, cache = Path(tmp) / "terms", Path(tmp) / "cache"
        stamp, wanted = Path(tmp) / "written", f"{args.concepts} {args.per_file} {args.copies}\n"
        start = time.perf_counter()
        termbase = synthetic_termbase(args.concepts)
        if stamp.is_file() and stamp.read_text() == wanted:
            written = sorted(terms.glob("*.yaml"))
            edited = written[len(written) // 2]  # the rebuild below edited this file: undo it
            if re.search(rb"\{text: edited\d* ", edited.read_bytes()):
                edited.write_bytes(re.sub(rb"\{text: edited\d* ", b"{text: ", edited.read_bytes(), count=1))
            size = sum(p.stat().st_size for p in terms.glob("*.yaml"))
        else:
            shutil.rmtree(terms, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            terms.mkdir(parents=True)
            size = write_files(termbase, terms, args.per_file)
            size += write_copies(terms, args.copies)
            stamp.write_text(wanted)
        files = sorted(terms.glob("*.yaml"))
        print(f"synthetic termbase: {args.concepts * args.copies:,} concepts, {size / 1e6:.0f} MB of YAML in {len(files)} files "
              f"(written in {time.perf_counter() - start:.0f} s)")

        print(f"YAML parse, synthetic: {parse_speed(files[:2])}")
        print(f"YAML parse, real terms/: {parse_speed(sorted((ROOT / 'terms').glob('*.yaml')))}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"real terms/, the hand-written queries of tests/test_lookup.py: {real_accuracy()}")

        start = time.perf_counter()
        store = open_store([terms], cache)
        built = time.perf_counter() - start
        disk = sum(p.stat().st_size for p in cache.glob("shard-*"))
        print(f"store build: {built:.1f} s ({len(store.compiled)} shards, {disk / 2**20:.0f} MiB on disk)")
        start = time.perf_counter()
        store_lookup_index(store)
        merged = sum(p.stat().st_size for p in cache.glob("merged-*"))
        print(f"merged n-gram segment, opened by the first lookup (written after a build): {time.perf_counter() - start:.1f} s "
              f"({merged / 2**20:.0f} MiB on disk; load average {os.getloadavg()[0]:.1f})")

        env = {**os.environ, "GLOSSARY_CACHE_DIR": str(cache), "GLOSSARY_TERMS": str(terms)}
        glossary = [sys.executable, "-m", "glossary", "--terms", str(terms)]
        queries = typo_queries(termbase, args.queries)
        lookup_s = median_run(glossary + ["lookup", queries[0][0], "--limit", "5"], env, args.runs)
        stats_s = median_run(glossary + ["stats", "--format", "json"], env, args.runs)
        bare_s = median_run([sys.executable, "-c", "pass"], env, args.runs)
        print(f"warm start (median of {args.runs}): glossary lookup {lookup_s:.2f} s, glossary stats {stats_s:.2f} s,"
              f" python -c pass {bare_s:.2f} s  (target < 1 s)")

        import glossary.lookup

        index = store_lookup_index(open_store([terms], cache))
        index.search(queries[0][0])
        first_tops = []
        for budget in args.budgets:
            glossary.lookup.GRAM_BUDGET = budget or 2**62
            tops = time_lookups(index, queries, args.repeats, f"n-gram budget {budget or 'none (every gram)'}")
            first_tops = first_tops or tops
        glossary.lookup.GRAM_BUDGET = args.budgets[0] or 2**62
        tops = first_tops
        if args.compare:
            from glossary.lookup import LookupIndex

            memory = LookupIndex.build(termbase)
            mtimes, mtops = [], []
            memory.search(queries[0][0])
            for query, _expected, _lang in queries:
                start = time.perf_counter()
                hits = memory.search(query, limit=5)
                mtimes.append(time.perf_counter() - start)
                mtops.append(hits[0].concept.id if hits else None)
            mcorrect = sum(t == e for t, (_q, e, _l) in zip(mtops, queries))
            agree = sum(a == b for a, b in zip(tops, mtops))
            print(f"in-memory index, same queries: p50 {percentile(mtimes, .5) * 1000:.1f} ms, "
                  f"p99 {percentile(mtimes, .99) * 1000:.1f} ms, top-1 {mcorrect / len(queries):.1%}; "
                  f"same top-1 as the store in {agree / len(queries):.1%}")
            del memory

        stdin = "\n".join(q for q, _e, _l in queries[:args.rss_queries]) + "\n"
        started = time.perf_counter()
        measured = subprocess.run([sys.executable, "-c", _RSS, "--terms", str(terms), "lookup", "--format", "json"],
                                  input=stdin, text=True, env=env, capture_output=True, check=False)
        private, rss = (int(v) for v in measured.stderr.strip().splitlines()[-2:])
        print(f"one glossary lookup process answering {args.rss_queries} queries (in "
              f"{time.perf_counter() - started:.1f} s): peak RSS {rss / 1024:.0f} MB, of which private (anonymous) "
              f"{private / 1024:.0f} MB at exit; the rest is mapped files (libraries)  (target < 200 MB)")

        edited = files[len(files) // 2]
        text = edited.read_text(encoding="utf-8")
        marker = "      - {text: "
        at = text.index(marker) + len(marker)
        runs = []
        for run in range(args.repeats):  # a word never written before, so that each edit compiles a shard
            edited.write_text(text[:at] + f"edited{os.getpid()}{run} " + text[at:], encoding="utf-8")
            # in a new process, as a command meets it (this one holds a large termbase, which the garbage
            # collector would walk during the compile)
            measured = subprocess.run([sys.executable, "-c", _REBUILD, str(terms), str(cache)], env=env,
                                      capture_output=True, text=True, check=True)
            seconds, compiled = measured.stdout.split()
            runs.append((float(seconds), os.getloadavg()[0], int(compiled)))
        store = open_store([terms], cache)
        print(f"incremental rebuild after editing one concept in {edited.name}: {min(runs)[0]:.2f} s "
              f"({min(r[2] for r in runs)} to {max(r[2] for r in runs)} shard compiled; quietest of {len(runs)}; all: "
              + ", ".join(f"{r[0]:.2f} s at load {r[1]:.1f}" for r in runs) + "; target < 2 s)")
        index = store_lookup_index(store)
        if store.merged is not None:
            print(f"after the edit: {sum(p < 0 for p in store.merged.place)} shard searched beside the merged segment")
            time_lookups(index, queries, args.repeats, "after the edit")


def time_lookups(index, queries, repeats: int, what: str) -> list:
    """Prints p50/p99 of ``queries`` on ``index`` (the quietest of ``repeats`` runs, with all of them) and top-1;
    returns the top concept of each query."""
    runs = []
    for _run in range(repeats):
        times, cpu, tops = [], [], []
        for query, _expected, _lang in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            hits = index.search(query, limit=5)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            tops.append(hits[0].concept.id if hits else None)
        runs.append((percentile(times, .5), percentile(times, .99), percentile(cpu, .5), percentile(cpu, .99),
                     os.getloadavg()[0]))
    correct = sum(t == e for t, (_q, e, _l) in zip(tops, queries))
    quiet = min(runs)
    print(f"store lookup, {len(queries)} typo queries, {what}: "
          f"p50 {quiet[0] * 1000:.1f} ms, p99 {quiet[1] * 1000:.1f} ms (CPU time p50 {quiet[2] * 1000:.1f} ms, "
          f"p99 {quiet[3] * 1000:.1f} ms), top-1 {correct / len(queries):.1%}  (quietest of {len(runs)} runs; "
          "all: " + ", ".join(f"{r[0] * 1000:.1f}/{r[1] * 1000:.1f} ms at load {r[4]:.1f}" for r in runs)
          + "; target p50 < 10 ms, p99 < 50 ms)")
    return tops


if __name__ == "__main__":
    main()
