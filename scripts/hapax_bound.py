#!/usr/bin/env python3
"""How far could any ranking lift the gold terms that occur only once in the bundled report?

A check of the recall target rather than of the miner. Every n-gram the miner counts that occurs once in the
report is described by surface features (its words' number, length, tags and general-language frequencies,
how many repeated candidates start or end with its edge words, its neighbours in the clause, its first and
last characters: 系统, 网络, 探测器 make terms), and a logistic
regression is trained on the gold itself: 5-fold, each n-gram scored by the model that did not see it. That
is more than a discovery-mode miner may know, so its precision is a generous estimate of what such features
can do. The last line puts it together with a perfect ranking of the repeated gold terms.

Gold is the termbase's Chinese terms found in the report, or with ``--report-terms`` the hand-written
report-terms list (tests/fixtures/report-terms.tsv), whose target is recall@500 (``--k``).

    python3 scripts/hapax_bound.py [--terms DIR] [--report-terms] [--k 200]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

TAGS = ("n", "v", "vn", "nz", "a", "d", "b", "j", "l", "ns", "nt", "nr", "m", "q", "x", "f", "c", "p", "u", "r",
        "t", "eng")


def _tag_vector(tag: str | None) -> list[float]:
    return [float(tag == t) for t in TAGS] + [float(tag not in TAGS)]


def once_seen_ngrams(table, flat: str, max_tokens: int) -> dict[str, tuple[str | None, str | None, tuple]]:
    """n-gram -> (word before it, word after it, its words), for every counted n-gram occurring once."""
    found = {}
    for run in table.runs:
        for i in range(len(run)):
            key = ""
            for j in range(i, min(len(run), i + max_tokens)):
                key += run[j]
                if table.counts.get(key) == 1 and flat.count(key) == 1:
                    found[key] = (run[i - 1] if i else None, run[j + 1] if j + 1 < len(run) else None, run[i:j + 1])
    return found


def features(ngrams, table, tags, general_frequency) -> np.ndarray:
    from glossary.noun_phrases import CONNECTIVES
    from glossary.termhood import words_of

    starts, ends = Counter(), Counter()
    for key, n in table.counts.items():
        if n >= 2 and table.splits[key][0] > 1:
            words = words_of(key, table.counts, table.splits)
            starts[words[0]] += 1
            ends[words[-1]] += 1
    first_chars = [c for c, _ in Counter(key[0] for key in ngrams).most_common(80)]
    last_chars = [c for c, _ in Counter(key[-1] for key in ngrams).most_common(80)]
    rows = []
    for key, (before, after, words) in ngrams.items():
        first, last = words[0], words[-1]
        rows.append([len(words), sum(map(len, words)), math.log1p(general_frequency(first)),
                     math.log1p(general_frequency(last)), math.log1p(starts[first]), math.log1p(ends[last]),
                     before is None, after is None, any(w in CONNECTIVES for w in words),
                     math.log1p(max(table.counts.get(w, 0) for w in words)),
                     sum(tags.get(w) == "v" for w in words)]
                    + _tag_vector(tags.get(first)) + _tag_vector(tags.get(last))
                    + _tag_vector(tags.get(before) if before else "x") + _tag_vector(tags.get(after) if after else "x")
                    + [key[0] == c for c in first_chars] + [key[-1] == c for c in last_chars])
    x = np.array(rows, dtype=float)
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-9)
    return np.hstack([x, np.ones((len(x), 1))])


def logistic_regression(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 2000) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= (x.T @ (p - y) + l2 * w) / len(y)
    return w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    parser.add_argument("--report-terms", action="store_true",
                        help="gold is the hand-written report-terms list, not the termbase")
    parser.add_argument("--k", type=int, default=200, help="the K of the recall@K put together in the last line")
    args = parser.parse_args()

    from eval_mining import REPORT_TERMS, _key, load_gold, read_term_list

    from glossary.corpus import read_document
    from glossary.mining import MiningConfig, count_documents
    from glossary.resources import BUNDLED_REPORT
    from glossary.segment import Segmenter

    document = read_document(BUNDLED_REPORT)
    flat = _key("\n".join(p.text for p in document.paragraphs))
    if args.report_terms:
        gold, origin = {g for g in read_term_list(REPORT_TERMS) if g in flat}, str(REPORT_TERMS.relative_to(ROOT))
    else:
        gold, _concepts, origin = load_gold(flat, args.terms, None)
    repeated = {g for g in gold if flat.count(g) >= 2}
    segmenter = Segmenter()
    config = MiningConfig()
    table, _ = count_documents([document], [], config, segmenter)
    table.expand(config)
    ngrams = once_seen_ngrams(table, flat, config.max_tokens)
    keys = list(ngrams)
    y = np.array([k in gold for k in keys], dtype=float)
    x = features(ngrams, table, segmenter.tags, segmenter.general_frequency)

    scores = np.zeros(len(y))
    order = np.random.default_rng(0).permutation(len(y))
    for fold in np.array_split(order, 5):
        train = np.setdiff1d(order, fold)
        scores[fold] = x[fold] @ logistic_regression(x[train], y[train])
    ranked = np.argsort(-scores, kind="stable")

    print(f"gold: {len(gold)} Chinese terms of {origin} that occur in the report; {len(repeated)} occur at "
          f"least twice, {len(gold) - len(repeated)} once")
    print(f"n-grams the miner counts that occur once: {len(keys)}, of which gold: {int(y.sum())} ({y.mean():.1%})")
    print("logistic regression trained on the gold, 5-fold, out-of-fold precision among them:")
    slots = max(0, args.k - len(repeated))
    for k in sorted({20, 60, 100, 200, slots} - {0}):
        print(f"  top {k:>3}: {y[ranked[:k]].mean():.3f} ({int(y[ranked[:k]].sum())} gold)")
    lifted = int(y[ranked[:slots]].sum())
    print(f"recall@{args.k} with every repeated gold term first and this model's top {slots} once-seen n-grams "
          f"after them: {(len(repeated) + lifted) / len(gold):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
