#!/usr/bin/env python3
"""Figures of `glossary harvest` on the English and French Treaty and Protocol (../shared/reference/ctbt/).

Prints: segment alignment (share aligned, by label and by length) for both English copies against the
French, errors on a hand-checked sample of pairs; en->fr equivalents for the termbase concepts whose English
term occurs, scored against tests/fixtures/harvest/gold-en-fr.tsv (written from the French text before
tuning) beside a naive baseline (the most frequent co-occurring n-gram); what the review file would do to
the `proposed` French heads; and the seconds the whole Treaty+Protocol pair takes.

    python scripts/eval_harvest.py [--english en-CA|en]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.harvest import MIN_SCORE, Harvester, Tokenizer, align_documents, harvest  # noqa: E402
from glossary.termfile import load_termbase  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "ctbt"
GOLD = ROOT / "tests" / "fixtures" / "harvest" / "gold-en-fr.tsv"
SAMPLE = ROOT / "tests" / "fixtures" / "harvest" / "alignment-sample.tsv"


def read_gold(tokenizer_en: Tokenizer) -> dict[tuple, tuple[str, list[str]]]:
    gold = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, french, _where = line.split("\t")
        forms = [] if french.strip() == "-" else [f.strip() for f in french.split(" | ")]
        gold[tokenizer_en.stems(english)] = (english, forms)
    return gold


def pairs_for(english: str) -> list[tuple[str, str]]:
    return [(str(REFERENCE / f"ctbt-{doc}.{english}.txt"), str(REFERENCE / f"ctbt-{doc}.fr.txt"))
            for doc in ("treaty", "protocol")]


def naive_baseline(harvester: Harvester, concept_id: str):
    """The most frequent target n-gram in the segments where the source term occurs (ties: longer)."""
    counts: Counter = Counter()
    for i in harvester.occurrences[concept_id]:
        counts.update(list(harvester.target_ngrams[i]))
    if not counts:
        return None
    return max(counts, key=lambda g: (counts[g], len(g)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--english", choices=["en-CA", "en"], default="en-CA",
                        help="English copy for the equivalents (en-CA: line-aligned Canadian; en: Dutch record)")
    args = parser.parse_args()
    if not REFERENCE.is_dir():
        print(f"reference texts not found: {REFERENCE}", file=sys.stderr)
        return 2
    termbase = load_termbase([ROOT / "terms"])

    print("== Segment alignment (en/fr Treaty + Protocol)")
    for english in ("en-CA", "en"):
        alignment = align_documents(pairs_for(english), "en", "fr")
        s = alignment.summary()
        print(f"{english:>5} -> fr: {s['share']:.1%} of segments aligned ({s['pairs']} pairs: {s['by_label']} by label, "
              f"{s['by_length']} by length; unaligned {s['unaligned_source']} en, {s['unaligned_target']} fr "
              f"of {s['source_segments']} en / {s['target_segments']} fr)")
    if SAMPLE.exists():
        check_sample()

    print(f"\n== Equivalents en->fr ({args.english} English), gold {GOLD.relative_to(ROOT)}")
    start = time.perf_counter()
    result = harvest(pairs_for(args.english), termbase, "en", "fr", min_score=0.0)
    seconds = time.perf_counter() - start
    alignment = align_documents(pairs_for(args.english), "en", "fr")
    harvester = Harvester(alignment, termbase, "en", "fr")
    fr, en = harvester.target.tokenizer, harvester.source.tokenizer
    gold = read_gold(en)
    by_concept = {e.concept: e for e in result.equivalents}
    judged: list[tuple[float, bool]] = []
    scored = correct = baseline_correct = baseline_made = in_gold = proposals = 0
    wrong_examples = []
    for concept_id in harvester.concepts():
        source_text = harvester.source_term[concept_id]
        entry = gold.get(en.stems(source_text))
        if entry is None:
            continue
        english, forms = entry
        accepted = {fr.stems(f) for f in forms}
        in_gold += bool(forms)
        scored += 1
        found = by_concept.get(concept_id)
        if found is not None:
            proposals += 1
            ok = fr.stems(found.target_term) in accepted
            judged.append((found.score, ok))
            correct += ok
            if not ok:
                wrong_examples.append(f"{english!r}: proposed {found.target_term!r} (score {found.score:.2f}), gold {' | '.join(forms) or '-'}")
        naive = naive_baseline(harvester, concept_id)
        if naive is not None:
            baseline_made += 1
            baseline_correct += naive in accepted
    at_default = [ok for score, ok in judged if score >= MIN_SCORE]
    precision = sum(at_default) / len(at_default) if at_default else 0.0
    recall = sum(at_default) / in_gold if in_gold else 0.0
    print(f"concepts whose English term occurs: {len(harvester.concepts())}; of them in the gold list: {scored} "
          f"({in_gold} with a French equivalent)")
    print(f"harvest (score >= {MIN_SCORE}, the default): precision {precision:.3f} ({sum(at_default)}/{len(at_default)}), "
          f"recall {recall:.3f} ({sum(at_default)}/{in_gold})")
    print(f"harvest (every proposal, score > 0): precision {correct / proposals if proposals else 0:.3f} "
          f"({correct}/{proposals}), recall {correct / in_gold if in_gold else 0:.3f}")
    base_p = baseline_correct / baseline_made if baseline_made else 0.0
    print(f"baseline (most frequent co-occurring n-gram): precision {base_p:.3f} ({baseline_correct}/{baseline_made}), "
          f"recall {baseline_correct / in_gold if in_gold else 0:.3f}")
    for line in wrong_examples:
        print("  wrong:", line)
    print("precision/recall by score threshold (a terminologist can sort the review file by score):")
    for threshold in (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        kept = [ok for score, ok in judged if score >= threshold]
        if kept:
            print(f"  score >= {threshold:.2f}: precision {sum(kept) / len(kept):.3f}, recall {sum(kept) / in_gold:.3f} "
                  f"({sum(kept)}/{len(kept)})")

    by_concept = {c: e for c, e in by_concept.items() if e.score >= MIN_SCORE}
    print(f"\n== Review of the proposed French heads (proposals with score >= {MIN_SCORE})")
    verdicts = {"confirmed": Counter(), "corrected": Counter()}
    untouched = 0
    for concept in termbase.values():
        head = concept.head_term("fr")
        if head is None or head.status != "proposed" or concept.id not in harvester.occurrences:
            continue
        found = by_concept.get(concept.id)
        if found is None:
            untouched += 1
            continue
        kind = "confirmed" if fr.stems(head.text) == fr.stems(found.target_term) else "corrected"
        entry = gold.get(en.stems(found.source_term))
        if entry is None:
            verdicts[kind]["not in the gold"] += 1
        else:
            verdicts[kind]["right" if fr.stems(found.target_term) in {fr.stems(f) for f in entry[1]} else "wrong"] += 1
    for kind, counts in verdicts.items():
        print(f"{kind}: {sum(counts.values())} (by the gold: {counts['right']} right, {counts['wrong']} wrong, "
              f"{counts['not in the gold']} not in the gold)")
    print(f"proposed fr heads of concepts found in the text with no proposal: {untouched}")
    print(f"marks: {dict(Counter(e.mark for e in by_concept.values()))}")
    print(f"\n== Time: {seconds:.2f} s for the whole Treaty+Protocol pair ({args.english} -> fr), "
          f"{len(by_concept)} equivalents at the default threshold")
    return 0


def check_sample() -> None:
    """Errors on the hand-checked sample: each row names a source provision and the target line it must pair."""
    rows = [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    by_english: dict[str, list] = {}
    for row in rows:
        by_english.setdefault(row[0], []).append(row)
    for english, items in by_english.items():
        alignment = align_documents(pairs_for(english), "en", "fr")
        index = {}
        for pair in alignment.pairs:
            for s in pair.source:
                index[(s.ref.split()[0], s.line)] = pair
        errors = []
        for _copy, doc, line, fr_line, _note in items:
            pair = index.get((doc, int(line)))
            if pair is None or int(fr_line) not in {t.line for t in pair.target}:
                errors.append(f"{doc} line {line}")
        print(f"hand-checked sample ({english}): {len(items) - len(errors)}/{len(items)} correct"
              + (f"; errors: {', '.join(errors)}" if errors else ""))


if __name__ == "__main__":
    sys.exit(main())
