#!/usr/bin/env python3
"""Check and lookup on inflected text: scored against hand-written test sets, before and after.

Prints, per language (ar en es fr ru):
- ``check`` precision and recall of its flags (errors and warnings) against the marked sentences of
  tests/fixtures/inflection/check.LANG.txt, and of term recognition (every term found, correct ones
  included, with the level expected);
- the same with ``--baseline`` matching: exact words of the search key, as check matched before the
  matching layer (the Arabic article stripped, apostrophes separating words);
- lookup top-1 on the 100 inflected queries of tests/fixtures/inflection/lookup.tsv, before and after;
- the speed of check on a 1 MB document per language (the test sentences repeated).

A hit counts when its words and its term are the ones marked (case and spacing aside) and, for flags,
its level too. Target: precision and recall of flags >= 0.95 in every language; lookup top-1 >= 95%.

The levels were marked from the statuses of the termbase of the day, so the sets are scored against that
termbase, kept in tests/fixtures/inflection/termbase/: adding a concept or confirming a Treaty wording
must not move the gold. The same scores on today's terms/ are printed beside them; there a difference is
a changed status (a Treaty wording now preferred, a new concept), not a matching error.

    python3 scripts/eval_inflection.py
    python3 scripts/eval_inflection.py --no-speed
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary import matching  # noqa: E402
from glossary.lookup import LookupIndex  # noqa: E402
from glossary.term_check import TermChecker  # noqa: E402
from glossary.termfile import load_termbase  # noqa: E402
from glossary.textnorm import search_key, strip_arabic_article  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "inflection"
LANGS = ("ar", "en", "es", "fr", "ru")
FLAGS = ("error", "warning")
_MARK = re.compile(r"\[([^|\]]+)\|([^|\]]+)\|(ok|info|warning|error)\]")


def read_sentences(lang: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(plain sentence, [(surface, term, level)]) for each marked line."""
    result = []
    for line in (FIXTURES / f"check.{lang}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        marks = [(m.group(1), m.group(2), m.group(3)) for m in _MARK.finditer(line)]
        result.append((_MARK.sub(lambda m: m.group(1), line), marks))
    return result


def read_queries() -> list[tuple[str, str, str]]:
    rows = []
    for line in (FIXTURES / "lookup.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, lang, term = line.split("\t")
            rows.append((query, lang, term))
    return rows


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@contextmanager
def baseline_matching():
    """Exact matching as before the matching layer: words of the search key, Arabic article stripped."""
    saved = matching._TokenKeys.__missing__

    def exact(self, surface):
        key = search_key(surface)
        pieces = tuple((strip_arabic_article(key) if self.lang == "ar" else key).split())
        self[surface] = pieces
        return pieces

    matching._TokenKeys.__missing__ = exact
    matching._token_keys.cache_clear()
    try:
        yield
    finally:
        matching._TokenKeys.__missing__ = saved
        matching._token_keys.cache_clear()


def concept_of_term(termbase, lang: str) -> dict[str, str]:
    """Marked term -> its concept; words (case, spacing) compared as written. Terms that collide on their
    keys (``laboratorio certificado`` / ``laboratorios certificados``) are one entry of the checker, so a
    hit is judged by its concept, not by which of the two spellings the entry kept."""
    result: dict[str, str] = {}
    for concept in termbase.values():  # a term that is a head term somewhere belongs to that concept
        for term in sorted(concept.terms.get(lang, ()), key=lambda t: not t.is_head):
            if term.is_head or _norm(term.text) not in result:
                result[_norm(term.text)] = concept.id
    return result


#: The Russian word keys compared (glossary.matching says which one it uses, and why).
RUSSIAN_KEYS = {
    "Snowball stem": lambda word: matching._snowball("ru").stemWord(word),
    "pymorphy3 lemma": lambda word: matching._morph().parse(word)[0].normal_form,
    "pymorphy3 lemma, stemmed (used)": matching._russian_key,
}


@contextmanager
def russian_keys(function):
    saved = matching._russian_key
    matching._russian_key = lambda word: function(word) if word.isalpha() else word
    matching.word_keys.cache_clear()
    matching._token_keys.cache_clear()
    try:
        yield
    finally:
        matching._russian_key = saved
        matching.word_keys.cache_clear()
        matching._token_keys.cache_clear()


def score_check(termbase, lang: str, verbose: bool = False) -> dict:
    checker = TermChecker(termbase, lang)
    concepts = concept_of_term(termbase, lang)
    counts = {"flag": [0, 0, 0], "all": [0, 0, 0]}  # true positives, predicted, gold
    misses: list[str] = []
    for sentence, marks in read_sentences(lang):
        found = [(_norm(m.found), m.concept_id, m.level or "ok") for m in checker.matches(sentence)]
        gold = [(_norm(s), concepts.get(_norm(t), "not in the termbase: " + t), level) for s, t, level in marks]
        for name, keep in (("flag", lambda lv: lv in FLAGS), ("all", lambda lv: True)):
            predicted = [f for f in found if keep(f[2])]
            expected = [g for g in gold if keep(g[2])]
            hits = sum(1 for g in expected if g in predicted)
            counts[name][0] += hits
            counts[name][1] += len(predicted)
            counts[name][2] += len(expected)
            if name == "flag" or verbose:
                misses += [f"  missed {g}" for g in expected if g not in predicted]
                misses += [f"  false  {f}" for f in predicted if f not in expected]
    return {name: (tp / p if p else 1.0, tp / g if g else 1.0, tp, p, g) for name, (tp, p, g) in counts.items()} | {
        "misses": misses}


def score_lookup(termbase, index: LookupIndex) -> tuple[int, int, dict[str, list[int]], list[str]]:
    concept_of = {}
    for concept in termbase.values():
        for lang, term in concept.all_terms():
            concept_of.setdefault((lang, term.text), concept.id)
    correct, by_lang, wrong = 0, {}, []
    rows = read_queries()
    for query, lang, term in rows:
        expected = concept_of.get((lang, term))
        hits = index.search(query, limit=1)
        ok = bool(hits) and hits[0].concept.id == expected
        correct += ok
        by_lang.setdefault(lang, [0, 0])
        by_lang[lang][0] += ok
        by_lang[lang][1] += 1
        if not ok:
            wrong.append(f"  {query!r} ({lang}): expected {expected}, got "
                         f"{hits[0].concept.id + ' via ' + hits[0].matched if hits else 'nothing'}")
    return correct, len(rows), by_lang, wrong


def speed(termbase, lang: str, size: int = 1 << 20) -> tuple[float, int, float]:
    """Seconds to check a ``size``-byte document (the test sentences repeated), issues, and setup seconds."""
    unit = "\n".join(s for s, _m in read_sentences(lang)) + "\n\n"
    text = unit * (size // len(unit.encode("utf-8")) + 1)
    start = time.perf_counter()
    checker = TermChecker(termbase, lang)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    issues = sum(1 for _ in checker.scan(text, "doc"))
    return time.perf_counter() - start, issues, setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-speed", action="store_true", help="skip the 1 MB timing")
    parser.add_argument("--verbose", action="store_true", help="list every missed and false flag")
    args = parser.parse_args()
    termbase = load_termbase([FIXTURES / "termbase"])
    today = load_termbase([ROOT / "terms"])

    for title, terms in (("the termbase the sets were marked against", termbase),
                         ("today's terms/ (statuses changed since the sets were marked)", today)):
        print(f"check on inflected sentences, {title}: precision / recall (hits, predicted, marked)")
        print(f"{'':4} {'flags, before':>28} {'flags, after':>28}   {'all terms, before':>28} {'all terms, after':>28}")
        for lang in LANGS:
            with baseline_matching():
                before = score_check(terms, lang)
            after = score_check(terms, lang, args.verbose)

            def cell(s):
                return f"P {s[0]:.3f} R {s[1]:.3f} ({s[2]},{s[3]},{s[4]})"

            print(f"{lang:4} {cell(before['flag']):>28} {cell(after['flag']):>28}   "
                  f"{cell(before['all']):>28} {cell(after['all']):>28}   ({len(read_sentences(lang))} sentences)")
            if args.verbose and after["misses"]:
                print("\n".join(after["misses"]))
        print()

    print("Russian word keys compared (check, flags and all terms; lookup top-1 on the Russian queries):")
    for name, function in RUSSIAN_KEYS.items():
        with russian_keys(function):
            result = score_check(termbase, "ru")
            correct, total, by_lang, _wrong = score_lookup(termbase, LookupIndex.build(termbase))
        flags, every = result["flag"], result["all"]
        print(f"  {name:32} flags P {flags[0]:.3f} R {flags[1]:.3f}   all terms P {every[0]:.3f} R {every[1]:.3f}"
              f"   lookup ru {by_lang['ru'][0]}/{by_lang['ru'][1]}")

    print("\nlookup on 100 inflected queries: top-1")
    with baseline_matching():
        index = LookupIndex.build(termbase, lemmas=False)
        before = score_lookup(termbase, index)
    after = score_lookup(termbase, LookupIndex.build(termbase))
    on_today = score_lookup(today, LookupIndex.build(today))
    for name, (correct, total, by_lang, wrong) in (("before", before), ("after", after),
                                                   ("after, today's terms/", on_today)):
        print(f"  {name:6} {correct}/{total} = {correct / total:.0%}   "
              + ", ".join(f"{lang} {c}/{t}" for lang, (c, t) in sorted(by_lang.items())))
    if after[3] or on_today[3]:
        print("\n".join(after[3] + on_today[3]))

    if not args.no_speed:
        print("\ncheck on a 1 MB document (the test sentences repeated): seconds, issues")
        for lang in LANGS:
            with baseline_matching():
                before = speed(termbase, lang)
            after = speed(termbase, lang)
            print(f"  {lang}: before {before[0]:.2f} s, {before[1]} issues   after {after[0]:.2f} s, {after[1]} issues"
                  f" ({1 / after[0]:.1f} MB/s; termbase keyed in {after[2]:.2f} s)")


if __name__ == "__main__":
    main()
