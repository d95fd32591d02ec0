#!/usr/bin/env python3
"""Recall and precision of the miner on unseen documents and on the bundled report, beside jieba's extractors.

Unseen set (tests/fixtures/mining/unseen/: short CTBT texts, each with a term list written by hand before the
miner was run on it):
- discovery mode: recall@100 of each text's list, per text and overall (all lists' terms together); the
  share of the top 50 that spans a verb or a clause boundary (see ``clause_problem``: a term of the text's own
  list never counts); the same for jieba's extract_tags and textrank on the same text;
- termbase mode: the listed terms the termbase knows (any of its Chinese terms, compared in simplified
  characters) must all be among the known terms the miner reports; the others are looked for among the
  top 100 new candidates.

Development set (tests/fixtures/mining/dev/: six texts written the same way on 2026-12-06, for tuning): the
same measures.

First and second held-out sets (tests/fixtures/mining/heldout/ and heldout2/: six texts each on other
topics, written with their lists before any miner output was seen): the same measures. They were reported and
never tuned on until their misses were studied; since then they are development data, like dev/.

Third held-out set (tests/fixtures/mining/heldout3/: six texts on topics none of the sets above covers,
written with their lists before any miner output on them was seen): reported the same way, never tuned on.
Fourth held-out set (tests/fixtures/mining/heldout4/: six more texts on new topics, written the same way):
likewise, and so is the fifth (tests/fixtures/mining/heldout5/). For these three only the figures are printed,
not the terms missed (--show-misses prints them, and spends the sets).

Bundled report, discovery mode: recall@K of tests/fixtures/report-terms.tsv (a list written from the report
without the termbase; skipped with a note where absent) and the bounds of any reordering of the miner's
candidates on it (every listed term it proposes ranked first; its own order kept within the candidates seen
twice or more and within those seen once, the two merged at the best point), then the measures below against
the termbase.

Gold: every Chinese term of terms/*.yaml that occurs in the report's normalised text (compared without
spaces). The miner runs in --discovery mode: it sees no termbase while segmenting or ranking.

Fragment (top 100): a candidate that is a proper substring of a gold term or of a higher-ranked candidate and
almost never occurs outside them: at most 10% of its occurrences in the text lie outside every occurrence of
those longer strings.

Termbase mode, held out: the concepts are split into ten folds; each is left out of the termbase while the
report is mined with the rest, and its terms are looked for among the candidates the termbase does not know
(what a terminologist asks of a new document).

Judged precision: the share of the top K that a terminologist's reading judged terms, without the termbase
(tests/fixtures/mining/judged-top300.tsv, judged on the ranking of 2026-11-25; a candidate outside it is counted
as unjudged, not as wrong).

Domain guess: the share of the candidates the termbase knows whose guessed domain (IMS, IDC, OSI, general) is
the concept's.

Two rows bound what any ranking of this one report can reach: "ceiling" (K slots for all the gold terms) and
"repeated-terms oracle" (every gold term that occurs at least twice ranked first). A term that occurs once has
a single occurrence to vouch for it; the last lines say how many of the once-seen n-grams the miner counts are
gold, which is the precision a ranking would need to beat to lift them.

    python3 scripts/eval_mining.py [--terms DIR] [--gold FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KS = (50, 100, 200, 500)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def load_gold(text: str, terms_dir: Path, gold_file: Path | None) -> tuple[set[str], dict[str, set[str]], str]:
    """Gold terms, gold concepts (id -> their zh terms that occur) and where they came from."""
    if gold_file:
        words = {_key(line) for line in gold_file.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")}
        gold = {w for w in words if w in text}
        return gold, {w: {w} for w in gold}, str(gold_file)
    from glossary.termfile import load_termbase

    termbase = load_termbase([terms_dir])
    concepts: dict[str, set[str]] = {}
    for concept in termbase.values():
        found = {k for k in (_key(t.text) for t in concept.terms.get("zh", ())) if k and k in text}
        if found:
            concepts[concept.id] = found
    gold = set().union(*concepts.values()) if concepts else set()
    return gold, concepts, f"{terms_dir}/*.yaml ({len(termbase)} concepts)"


def recall(ranked: list[str], gold: set[str], k: int) -> float:
    return len(gold & {_key(t) for t in ranked[:k]}) / len(gold)


def occurrences(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def fragment_rate(ranked: list[str], gold: set[str], text: str, n: int = 100) -> tuple[float, list[str]]:
    fragments = []
    top = [_key(t) for t in ranked[:n]]
    for i, term in enumerate(top):
        longer = {g for g in gold if term in g and g != term} | {h for h in top[:i] if term in h and h != term}
        if not longer:
            continue
        covered = set()
        for other in longer:
            for start in occurrences(text, other):
                offset = other.find(term)
                while offset >= 0:
                    covered.add(start + offset)
                    offset = other.find(term, offset + 1)
        own = occurrences(text, term)
        outside = [p for p in own if p not in covered]
        if own and len(outside) <= 0.1 * len(own):
            fragments.append(term)
    return len(fragments) / max(1, len(top)), fragments


def domain_accuracy(candidates, termbase, document) -> tuple[int, float, float]:
    """How often the miner's domain guess agrees with the termbase, on the candidates the termbase knows: as
    discovery mode reports it, and as termbase mode would guess it for an unknown term (each concept's own
    terms left out of the cues)."""
    from glossary.mining import MiningConfig, domain_cues, guess_domain, locate, termbase_index

    index = termbase_index(termbase)
    known = [(c, termbase[index[c.term]].domain) for c in candidates if c.term in index]
    if not known:
        return 0, 0.0, 0.0
    discovery = sum(c.domain == domain for c, domain in known) / len(known)
    agree = 0
    for candidate, domain in known:
        cues = domain_cues(termbase, leave_out=index[candidate.term])
        votes = locate([candidate.term], [document], cues, MiningConfig())[candidate.term].domains
        agree += (guess_domain(candidate.term, votes, cues) if votes else "general") == domain
    return len(known), discovery, agree / len(known)


def held_out_recall(document, terms_dir: Path, flat: str, concepts: dict[str, set[str]], folds: int = 10) -> dict:
    """Termbase mode as a terminologist meets it: the concepts are split into ``folds``; each fold is left out
    of the termbase, the report is mined with the rest, and the fold's terms are looked for among the
    candidates the termbase does not know. Recall@K over all folds together."""
    import random

    from glossary.mining import MiningConfig, mine
    from glossary.model import Termbase
    from glossary.termfile import load_termbase

    termbase = load_termbase([terms_dir])
    ids = sorted(concepts)
    random.Random(0).shuffle(ids)
    found = dict.fromkeys(KS, 0)
    total = 0
    for fold in (set(ids[i::folds]) for i in range(folds)):
        kept = Termbase([c for c in termbase.values() if c.id not in fold])
        result = mine(lambda: [document], termbase=kept, config=MiningConfig(top=3 * max(KS)))
        unknown = [_key(c.term) for c in result.candidates if not c.known]
        held = set().union(*(concepts[i] for i in fold)) - set().union(
            *(terms for i, terms in concepts.items() if i not in fold))
        total += len(held)
        for k in KS:
            found[k] += len(held & set(unknown[:k]))
    return {k: found[k] / total for k in KS}


JUDGED = ROOT / "tests" / "fixtures" / "mining" / "judged-top300.tsv"
UNSEEN = ROOT / "tests" / "fixtures" / "mining" / "unseen"
HELDOUT = ROOT / "tests" / "fixtures" / "mining" / "heldout"
HELDOUT2 = ROOT / "tests" / "fixtures" / "mining" / "heldout2"
HELDOUT3 = ROOT / "tests" / "fixtures" / "mining" / "heldout3"
HELDOUT4 = ROOT / "tests" / "fixtures" / "mining" / "heldout4"
HELDOUT5 = ROOT / "tests" / "fixtures" / "mining" / "heldout5"
DEV = ROOT / "tests" / "fixtures" / "mining" / "dev"
REPORT_TERMS = ROOT / "tests" / "fixtures" / "report-terms.tsv"
#: jieba.posseg tags that mark a clause rather than a term when inside a candidate: prepositions,
#: conjunctions, particles, pronouns, adverbs, modal particles, punctuation.
CLAUSE_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "r", "rr", "rz", "d", "x"}
VERB_TAGS = {"v", "vd", "vi", "vg", "vq"}
#: Marks that join the parts of one name rather than separate clauses.
WORD_JOINERS = {"-", "\u2010", "\u2011", "\u00b7"}
BOUND_SUFFIXES = set("率 点 器 仪 性 量 员 者 站 机 库 网 组 处 室 费 值 度 区 型 式 类 化 表 图 期".split())


def read_term_list(path: Path) -> list[str]:
    """The ``zh`` column of a hand-written term list (TSV with a header)."""
    import csv

    with path.open(encoding="utf-8") as handle:
        return [_key(row["zh"]) for row in csv.DictReader(handle, delimiter="\t") if row.get("zh", "").strip()]


def clause_problem(term: str, posseg, own_terms: set[str], nominal_verbs: set[str] = frozenset()) -> str | None:
    """Why a candidate spans a verb or a clause boundary, or None: jieba.posseg (its own HMM tagger, not the
    miner's tag table) on the candidate in simplified characters; a function word or punctuation anywhere
    inside, or a verb with more words after it (a predicate and its object; a verb at the end is a
    nominalised head, 数据处理; one before a bound suffix is inside a word, 提供率). A term of the text's
    own list never counts, nor does a verb that the list's own terms use as a noun (``nominal_verbs``:
    预算 of 预算总额, which jieba tags v)."""
    from glossary.textnorm import fold_traditional

    if _key(term) in own_terms:
        return None
    pairs = [(p.word, p.flag) for p in posseg.cut(fold_traditional(term))]
    for i, (word, flag) in enumerate(pairs):
        if flag == "x" and word in WORD_JOINERS and 0 < i < len(pairs) - 1:
            continue  # a hyphen inside a name joins it (氙-133, Cinderella-G2); it ends no clause
        if flag in CLAUSE_TAGS and (0 < i < len(pairs) - 1 or flag != "x"):
            return f"{word}/{flag}"
        if (flag in VERB_TAGS and i < len(pairs) - 1 and pairs[i + 1][0] not in BOUND_SUFFIXES
                and word not in nominal_verbs):
            return f"{word}/{flag}"
    return None


def baselines_for(text: str, segmenter, k: int) -> dict[str, list[str]]:
    """jieba's TF-IDF and TextRank keywords of ``text`` through our tokenizer (jieba's global one untouched)."""
    import jieba.analyse
    from jieba.posseg import POSTokenizer

    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = segmenter.tokenizer
    tfidf.postokenizer = POSTokenizer(segmenter.tokenizer)
    textrank = jieba.analyse.TextRank()
    textrank.tokenizer = textrank.postokenizer = POSTokenizer(segmenter.tokenizer)
    return {"extract_tags": tfidf.extract_tags(text, topK=k), "textrank": textrank.textrank(text, topK=k)}


def evaluate_unseen(terms_dir: Path, segmenter, k: int = 100, top: int = 50, directory: Path = UNSEEN,
                    name: str = "unseen set", blind: bool = False) -> None:
    """A set of texts with hand-written lists: discovery-mode recall and clause share beside jieba, then termbase
    mode. ``blind`` prints the figures only, not the terms behind them: a held-out set stays held out only while
    nobody has read what the miner misses on it."""
    from jieba.posseg import POSTokenizer

    from glossary.corpus import read_document
    from glossary.known_terms import KnownTermFinder
    from glossary.mining import MiningConfig, mine
    from glossary.termfile import load_termbase
    from glossary.textnorm import fold_traditional

    texts = sorted(directory.glob("*.txt"))
    if not texts:
        print(f"no texts in {directory}", file=sys.stderr)
        return
    posseg = POSTokenizer(segmenter.tokenizer)
    termbase = load_termbase([terms_dir])
    forms = set(KnownTermFinder(termbase).forms)
    systems = ("mine", "extract_tags", "textrank")
    found = dict.fromkeys(systems, 0)
    clause = dict.fromkeys(systems, 0)
    listed = 0
    known_total = known_found = new_total = new_found = 0
    known_missed: list[str] = []
    examples: list[str] = []
    print(f"{name}: {len(texts)} texts in {directory.relative_to(ROOT)}, term lists written before mining\n")
    print(f"{'discovery mode':<36}{'terms':>6}" + "".join(f"{f'{s} r@{k}':>18}" for s in systems)
          + f"{'clause share top ' + str(top) + ' (mine/tags/rank)':>40}")
    per_text_misses = []
    sizes: list[tuple[str, int]] = []
    for path in texts:
        gold = set(read_term_list(path.with_name(path.stem + ".terms.tsv")))
        document = read_document(path)
        text = "\n".join(p.text for p in document.paragraphs)
        result = mine(lambda: [document], discovery=True, config=MiningConfig(top=k), segmenter=segmenter)
        ranked = {"mine": [c.term for c in result.candidates], **baselines_for(text, segmenter, k)}
        listed += len(gold)
        sizes.append((path.stem, len(gold)))
        nominal = {p.word for g in gold for p in posseg.cut(fold_traditional(g)) if p.flag in VERB_TAGS}
        row = f"{path.stem:<36}{len(gold):>6}"
        shares = []
        for system in systems:
            hits = gold & {_key(t) for t in ranked[system][:k]}
            found[system] += len(hits)
            row += f"{len(hits) / len(gold):>18.3f}"
            problems = [(t, clause_problem(t, posseg, gold, nominal)) for t in ranked[system][:top]]
            bad = [(t, why) for t, why in problems if why]
            clause[system] += len(bad)
            shares.append(f"{len(bad) / max(1, min(top, len(ranked[system]))):.0%}")
            if system == "mine":
                examples.extend(f"{t} ({why})" for t, why in bad)
        print(row + f"{' / '.join(shares):>40}")
        per_text_misses.append((path.stem, sorted(gold - {_key(c.term) for c in result.candidates[:k]})))
        # termbase mode: every listed term the termbase knows must be reported known; the rest are new
        assisted = mine(lambda: [document], termbase=termbase,
                        config=MiningConfig(top=k, top_new=k), segmenter=None)
        known_here = {g for g in gold if fold_traditional(g) in forms}
        reported = {_key(t.term) for t in assisted.known_terms}
        new = {_key(c.term) for c in assisted.new_candidates}
        known_total += len(known_here)
        known_found += len(known_here & reported)
        known_missed.extend(sorted(known_here - reported))
        new_total += len(gold - known_here)
        new_found += len((gold - known_here) & new)
    n = len(texts)
    print(f"{'overall':<36}{listed:>6}" + "".join(f"{found[s] / listed:>18.3f}" for s in systems)
          + f"{' / '.join(f'{clause[s] / (n * top):.0%}' for s in systems):>40}")
    capped = [(stem, k / size) for stem, size in sizes if size > k]
    if capped:
        print(f"no ranking can reach 1.0 where a list has more than {k} terms: "
              + ", ".join(f"{stem} at most {ceiling:.3f}" for stem, ceiling in capped))
    if blind:
        print("\nheld out: the terms missed and the candidates spanning a clause are not printed (--show-misses "
              "prints them, and spends the set)")
        known_missed = []
    else:
        print("\nmine, top-50 candidates counted as spanning a verb or clause boundary: "
              + (", ".join(examples) if examples else "none"))
        for stem, misses in per_text_misses:
            print(f"missed in the top {k}, {stem} ({len(misses)}): " + ", ".join(misses))
    print(f"\ntermbase mode: known terms of the lists found {known_found}/{known_total} "
          f"({known_found / max(1, known_total):.3f})"
          + (f"; missed: {', '.join(known_missed)}" if known_missed else "")
          + f"; unknown terms among the top {k} new candidates {new_found}/{new_total} "
          f"({new_found / max(1, new_total):.3f})")


def report_terms_recall(ranked: dict[str, list[str]], flat: str, everything: list[str]) -> None:
    """Recall@K of the report-terms list (written from the report without the termbase), where present, and
    what a ranking of the miner's candidates (``everything``, in its order) could reach on it."""
    if not REPORT_TERMS.exists():
        print(f"\n{REPORT_TERMS.relative_to(ROOT)} is absent: report-terms recall not measured")
        return
    listed = set(read_term_list(REPORT_TERMS))
    gold = {g for g in listed if g in flat}
    print(f"\nreport-terms list ({REPORT_TERMS.relative_to(ROOT)}): {len(listed)} terms, {len(gold)} occur in "
          f"the report as written")
    print(f"{'recall@K':<26}" + "".join(f"{k:>8}" for k in KS))
    for name, terms in ranked.items():
        print(f"{name:<26}" + "".join(f"{recall(terms, gold, k):>8.3f}" for k in KS))
    missed = sorted(gold - {_key(t) for t in ranked["mine"][:500]}, key=lambda g: (-flat.count(g), g))
    print(f"not in the miner's top 500 ({len(missed)}): " + ", ".join(missed))
    report_terms_bounds(gold, flat, [_key(t) for t in everything])


def report_terms_bounds(gold: set[str], flat: str, everything: list[str], k: int = 500) -> None:
    """Upper bounds on recall@k of the report-terms list for any reordering of the miner's candidates.

    - ceiling: every listed term the miner proposes at all ranked first;
    - best merge: the miner's own order kept within the candidates seen twice or more and within those seen
      once, and the two lists merged at the best point, which is all a better mix of frequency and pattern
      evidence could do without ordering each class better."""
    proposed = set(everything)
    never = sorted(gold - proposed)
    by_rule = [g for g in never if flat.count(g) == 1 and re.search("[的和与及或]", g)]
    repeated = [t for t in everything if flat.count(t) >= 2]
    once = [t for t in everything if flat.count(t) == 1]
    once_gold = {g for g in gold if flat.count(g) == 1}
    merge, split = max((sum(t in gold for t in repeated[:r]) + sum(t in gold for t in once[:k - r]), r)
                       for r in range(k + 1))
    print(f"bounds on recall@{k} for any reordering of the miner's {len(everything)} candidates:")
    print(f"  ceiling (every listed term proposed ranked first): {len(gold & proposed)}/{len(gold)} = "
          f"{len(gold & proposed) / len(gold):.3f}; never proposed ({len(never)}): " + ", ".join(never))
    print(f"    of these, coordinations and 的-phrases seen once, which the boundary rules split: {len(by_rule)}")
    print(f"  listed terms the report uses twice or more: {len(gold) - len(once_gold)}/{len(gold)} = "
          f"{(len(gold) - len(once_gold)) / len(gold):.3f}; used once: {len(once_gold)}, of which "
          f"{len(once_gold & proposed)} are among the {len(once)} candidates seen once "
          f"({len(once_gold & proposed) / max(1, len(once)):.1%} listed)")
    print(f"  best merge of the miner's orders within candidates seen twice or more and seen once: "
          f"{merge}/{len(gold)} = {merge / len(gold):.3f} ({split} repeated and {k - split} once-seen candidates)")
    top, twice = set(everything[:k]), gold - once_gold
    print(f"  the miner's top {k} holds {len(top & twice)} of the {len(twice)} listed terms used twice or more "
          f"({len(top & twice) / max(1, len(twice)):.3f}) and {len(top & once_gold)} of the {len(once_gold)} "
          f"used once ({len(top & once_gold) / max(1, len(once_gold)):.3f})")


def judged_precision(ranked: list[str], path: Path = JUDGED) -> list[tuple[int, float, int]]:
    """(K, share of the judged candidates in the top K judged terms, how many of the top K were never judged):
    a precision that does not depend on what the termbase happens to hold."""
    import csv

    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        labels = {_key(row["candidate"]): row["label"] for row in rows}
    out = []
    for k in (50, 100, 200, 300):
        seen = [labels[_key(t)] for t in ranked[:k] if _key(t) in labels]
        out.append((k, sum(label == "term" for label in seen) / max(1, len(seen)), k - len(seen)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    parser.add_argument("--gold", type=Path, help="a word list instead of the termbase (development only)")
    parser.add_argument("--only", choices=("unseen", "dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
                                           "report"),
                        help="measure one set only")
    parser.add_argument("--show-misses", action="store_true",
                        help="print the misses of the held-out sets too (after that they are development data)")
    args = parser.parse_args()

    import jieba.analyse
    from jieba.posseg import POSTokenizer

    from glossary.corpus import read_document
    from glossary.mining import MiningConfig, count_documents, mine
    from glossary.resources import BUNDLED_REPORT
    from glossary.segment import Segmenter

    segmenter = Segmenter()
    if args.only in (None, "unseen"):
        evaluate_unseen(args.terms, segmenter)
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "dev"):
        evaluate_unseen(args.terms, segmenter, directory=DEV, name="development set (rules may be tuned on it)")
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "heldout"):
        evaluate_unseen(args.terms, segmenter, directory=HELDOUT,
                        name="first held-out set (spent: rules have been tuned on its misses)")
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "heldout2"):
        evaluate_unseen(args.terms, segmenter, directory=HELDOUT2,
                        name="second held-out set (spent: rules have been tuned on its misses)")
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "heldout3"):
        evaluate_unseen(args.terms, segmenter, directory=HELDOUT3,
                        name="third held-out set (reported, never tuned on)", blind=not args.show_misses)
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "heldout4"):
        evaluate_unseen(args.terms, segmenter, directory=HELDOUT4,
                        name="fourth held-out set (reported, never tuned on)", blind=not args.show_misses)
        print("\n" + "=" * 100 + "\n")
    if args.only in (None, "heldout5"):
        evaluate_unseen(args.terms, segmenter, directory=HELDOUT5,
                        name="fifth held-out set (reported, never tuned on)", blind=not args.show_misses)
        print("\n" + "=" * 100 + "\n")
    if args.only in ("unseen", "dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5"):
        return 0
    document = read_document(BUNDLED_REPORT)
    text = "\n".join(p.text for p in document.paragraphs)
    flat = _key(text)
    gold, concepts, origin = load_gold(flat, args.terms, args.gold)
    if not gold:
        print(f"no gold terms from {origin} occur in the report", file=sys.stderr)
        return 2
    result = mine(lambda: [document], discovery=True, config=MiningConfig(top=None), segmenter=segmenter)
    everything = [c.term for c in result.candidates]
    candidates = result.candidates[:max(KS)]
    miner = everything[:max(KS)]

    # the baselines run on the same normalised text, through our own tokenizer (jieba's global one untouched)
    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = segmenter.tokenizer
    tfidf.postokenizer = POSTokenizer(segmenter.tokenizer)
    textrank = jieba.analyse.TextRank()
    textrank.tokenizer = textrank.postokenizer = POSTokenizer(segmenter.tokenizer)
    baselines = {"extract_tags": tfidf.extract_tags(text, topK=max(KS)),
                 "textrank": textrank.textrank(text, topK=max(KS))}

    print(f"bundled report {document.symbol}, discovery mode")
    report_terms_recall({"mine": miner, **baselines}, flat, everything)
    print(f"\ngold: {len(gold)} Chinese terms of {origin} that occur in {document.symbol}")
    print("miner: glossary mine --discovery (no termbase while segmenting or ranking)\n")
    print(f"{'recall@K':<26}" + "".join(f"{k:>8}" for k in KS))
    print(f"{'ceiling':<26}" + "".join(f"{min(k, len(gold)) / len(gold):>8.3f}" for k in KS))
    repeated = {g for g in gold if flat.count(g) >= 2}
    # what frequency can vouch for: every gold term seen twice or more ranked first, and nothing else
    print(f"{'repeated-terms oracle':<26}" + "".join(f"{min(k, len(repeated)) / len(gold):>8.3f}" for k in KS))
    for name, ranked in [("mine", miner), *baselines.items()]:
        print(f"{name:<26}" + "".join(f"{recall(ranked, gold, k):>8.3f}" for k in KS))
    if not args.gold:
        held = held_out_recall(document, args.terms, flat, concepts)
        print(f"{'termbase mode, held out':<26}" + "".join(f"{held[k]:>8.3f}" for k in KS)
              + "   (10 folds of concepts; among the candidates the rest of the termbase does not know)")
    # extra views, never the headline: by concept (any of its zh terms found), and multi-token terms only
    # (those jieba's dictionary cuts into two or more words)
    multi = {g for g in gold if len(segmenter.cut(g)) > 1}
    print()
    for name, ranked in [("mine", miner), *baselines.items()]:
        top = {k: {_key(t) for t in ranked[:k]} for k in KS}
        print(f"{name + ' concepts':<26}" + "".join(
            f"{sum(bool(terms & top[k]) for terms in concepts.values()) / len(concepts):>8.3f}" for k in KS)
            + f"   ({len(concepts)} concepts)")
        print(f"{name + ' multi-token':<26}" + "".join(f"{len(multi & top[k]) / len(multi):>8.3f}" for k in KS)
              + f"   ({len(multi)} terms)")
        print(f"{name + ' seen twice+':<26}" + "".join(f"{len(repeated & top[k]) / len(repeated):>8.3f}" for k in KS)
              + f"   ({len(repeated)} terms occurring at least twice)")
    print()
    for name, ranked in [("mine", miner), *baselines.items()]:
        rate, fragments = fragment_rate(ranked, gold, flat)
        shown = ", ".join(fragments[:8]) + (" ..." if len(fragments) > 8 else "")
        print(f"fragment rate top 100, {name:<12} {rate:6.1%}  {shown}")
    spaced = [t for t in miner if re.search(r"[\u4e00-\u9fff]\s|\s[\u4e00-\u9fff]", t)]
    if spaced:
        print(f"miner candidates with spaces next to Chinese (not comparable to gold): {len(spaced)}")
    if JUDGED.exists():
        print("\nprecision against termhood judgements of the top 300 made without the termbase "
              f"({JUDGED.relative_to(ROOT)}): " + ", ".join(
                  f"@{k} {p:.3f}" + (f" ({n} unjudged)" if n else "") for k, p, n in judged_precision(miner)))
    if not args.gold:
        from glossary.termfile import load_termbase

        n, discovery, assisted = domain_accuracy(candidates, load_termbase([args.terms]), document)
        print(f"\ndomain guess on the {n} candidates of the top {max(KS)} the termbase knows: discovery mode "
              f"{discovery:.3f}; termbase mode, each concept's own terms left out of the cues, {assisted:.3f}")
    hapax_gold = gold - repeated
    table, _ = count_documents([document], [], MiningConfig(), segmenter)
    table.expand(MiningConfig())
    hapax = {k for k, n in table.counts.items() if n == 1 and flat.count(k) == 1}
    print(f"\ngold terms seen once: {len(hapax_gold)}; n-grams the miner counts that occur once in the report: "
          f"{len(hapax)}, of which gold: {len(hapax & hapax_gold)} ({len(hapax & hapax_gold) / max(1, len(hapax)):.1%})")
    missed = sorted(gold - {_key(t) for t in miner[:200]}, key=lambda g: (-flat.count(g), g))
    print(f"\nnot in the miner's top 200 ({len(missed)}), most frequent first: " + ", ".join(missed[:30]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
