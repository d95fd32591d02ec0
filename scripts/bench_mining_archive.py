#!/usr/bin/env python3
"""Mining a synthetic archive three ways: local ``--jobs 1``, ``--jobs 2`` and a 2-worker Dask LocalCluster
(``--scheduler local:2``). Prints characters per second, peak memory of the whole process tree (the command,
its workers, the Dask scheduler and nannies; sampled from /proc) and whether the top-500 candidates are
identical.

The archive is paragraphs of the bundled report drawn at random (seeded) into files of about 200 kB,
``--mb`` megabytes of UTF-8 in all.

    python3 scripts/bench_mining_archive.py --mb 100
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_archive(directory: Path, megabytes: float, seed: int = 19) -> tuple[int, int]:
    from glossary.resources import BUNDLED_REPORT

    paragraphs = [p for p in BUNDLED_REPORT.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(seed)
    target, written, chars, files = int(megabytes * 1e6), 0, 0, 0
    while written < target:
        text = "\n".join(rng.choice(paragraphs) for _ in range(200)) + "\n"
        data = text.encode("utf-8")
        (directory / f"doc-{files:05d}.txt").write_bytes(data)
        written += len(data)
        chars += len(text)
        files += 1
    return chars, files


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run(command: list[str], env: dict) -> tuple[float, int, str]:
    """Wall time, peak tree RSS and stdout of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return elapsed, peak[0], out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=100.0)
    parser.add_argument("--top", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        archive.mkdir()
        chars, files = make_archive(archive, args.mb)
        print(f"archive: {args.mb:g} MB, {chars:,} characters in {files} files "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        env = {**os.environ, "GLOSSARY_CACHE_DIR": str(Path(tmp) / "cache")}
        base = [sys.executable, "-m", "glossary", "mine", "--discovery", "--top", str(args.top), "--format", "tsv",
                str(archive)]
        outputs = {}
        for label, extra in (("local --jobs 1", ["--jobs", "1"]), ("local --jobs 2", ["--jobs", "2"]),
                             ("Dask LocalCluster, 2 workers", ["--scheduler", "local:2"])):
            elapsed, peak, out = run(base + extra, env)
            outputs[label] = out
            print(f"  {label:30} {elapsed:7.1f} s  {chars / elapsed / 1e3:8.0f} k chars/s  "
                  f"peak memory {peak / 2**20:6.0f} MiB (process tree)")
        first = next(iter(outputs.values()))
        same = all(out == first for out in outputs.values())
        print(f"top-{args.top} candidates identical in all three runs: {same} ({first.count(chr(10)) - 1} rows)")


if __name__ == "__main__":
    main()
