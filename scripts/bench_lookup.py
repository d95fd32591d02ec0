#!/usr/bin/env python3
"""Lookup speed and quality on a synthetic 100k-concept termbase, and the cold start of ``glossary lookup``.

Prints, in one run:
- warm lookup p50/p99 of the project's index (exact maps + n-gram candidates + rapidfuzz) and of a
  bare ``rapidfuzz.process.extract`` WRatio scan over all term strings, their ratio, and the top-1
  accuracy of both (and their agreement) on queries with typos derived from known concepts;
- the cold start of ``glossary lookup`` on the bundled termbase with a warm cache (a subprocess, median
  of several runs) against ``python -c "import click"``.

Targets: the index >= 20x faster than the scan at the same top-1 accuracy; cold start within 3x.

    python3 scripts/bench_lookup.py               # 100k concepts, 600 queries (60 for the slow scan)
    python3 scripts/bench_lookup.py --concepts 20000 --scan-queries 30
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from glossary.lookup import LookupIndex, match_key  # noqa: E402
from glossary.model import LANGUAGES, Concept, Term, Termbase  # noqa: E402

# --- a synthetic termbase from realistic pieces -------------------------------------------------------
# Parallel pieces in UN order (ar, zh, en, fr, ru, es); a term is a qualifier, a technology and an object
# at a named site, put together in each language's own word order.

QUALIFIERS = [
    ("أساسية", "基本", "primary", "primaire", "первичная", "primaria"),
    ("مساعدة", "辅助", "auxiliary", "auxiliaire", "вспомогательная", "auxiliar"),
    ("معتمدة", "经核证", "certified", "homologuée", "сертифицированная", "certificada"),
    ("متنقلة", "移动", "mobile", "mobile", "мобильная", "móvil"),
    ("مؤقتة", "临时", "temporary", "temporaire", "временная", "temporal"),
    ("احتياطية", "备用", "backup", "de secours", "резервная", "de reserva"),
    ("إقليمية", "区域", "regional", "régionale", "региональная", "regional"),
    ("وطنية", "国家", "national", "nationale", "национальная", "nacional"),
    ("تجريبية", "试验", "experimental", "expérimentale", "экспериментальная", "experimental"),
    ("مطورة", "升级", "upgraded", "modernisée", "модернизированная", "modernizada"),
]
TECHNOLOGIES = [
    ("زلزالي", "地震", "seismic", "sismique", "сейсмическая", "sísmica"),
    ("صوتي مائي", "水声", "hydroacoustic", "hydroacoustique", "гидроакустическая", "hidroacústica"),
    ("دون سمعي", "次声", "infrasound", "infrasons", "инфразвуковая", "infrasónica"),
    ("النويدات المشعة", "放射性核素", "radionuclide", "radionucléides", "радионуклидная", "de radionúclidos"),
    ("الغازات الخاملة", "惰性气体", "noble gas", "gaz rares", "благородных газов", "de gases nobles"),
    ("الجسيمات", "颗粒物", "particulate", "particules", "макрочастиц", "de partículas"),
    ("الأطوار تاء", "T相", "T-phase", "ondes T", "T-фазы", "de fase T"),
    ("الموجات", "波形", "waveform", "formes d'onde", "волновых форм", "de formas de onda"),
]
OBJECTS = [
    ("محطة رصد", "台站", "station", "station", "станция", "estación"),
    ("مصفوفة", "台阵", "array", "réseau", "группа", "red"),
    ("مختبر", "实验室", "laboratory", "laboratoire", "лаборатория", "laboratorio"),
    ("شبكة", "网络", "network", "réseau de surveillance", "сеть", "red de vigilancia"),
    ("نشرة", "公报", "bulletin", "bulletin", "бюллетень", "boletín"),
    ("تقرير", "报告", "report", "rapport", "доклад", "informe"),
    ("جهاز استشعار", "传感器", "sensor", "capteur", "датчик", "sensor"),
    ("نظام", "系统", "system", "système", "система", "sistema"),
    ("مرفق", "设施", "facility", "installation", "объект", "instalación"),
    ("وصلة اتصال", "通信链路", "communications link", "liaison de communications", "канал связи",
     "enlace de comunicaciones"),
    ("دليل تشغيلي", "作业手册", "operational manual", "manuel opérationnel", "оперативное руководство",
     "manual de operaciones"),
    ("تمرين", "演练", "exercise", "exercice", "учение", "ejercicio"),
]
#: Syllables for site names, transliterated into each script (Latin serves en, fr and es).
SYLLABLES = [
    ("كا", "卡", "ka", "ка"), ("را", "拉", "ra", "ра"), ("نو", "诺", "no", "но"), ("تا", "塔", "ta", "та"),
    ("مي", "米", "mi", "ми"), ("لو", "洛", "lo", "ло"), ("سو", "苏", "su", "су"), ("في", "维", "vi", "ви"),
    ("دو", "多", "do", "до"), ("ري", "里", "ri", "ри"), ("با", "巴", "ba", "ба"), ("كو", "科", "ko", "ко"),
    ("ني", "尼", "ni", "ни"), ("زا", "扎", "za", "за"), ("بي", "比", "bi", "би"), ("سا", "萨", "sa", "са"),
    ("ما", "马", "ma", "ма"), ("لي", "利", "li", "ли"), ("غو", "戈", "go", "го"), ("تو", "托", "to", "то"),
    ("نا", "纳", "na", "на"), ("دا", "达", "da", "да"), ("كي", "基", "ki", "ки"), ("مو", "莫", "mo", "мо"),
]


def _site(rng: random.Random) -> dict[str, str]:
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))]
    latin = "".join(p[2] for p in parts).capitalize()
    return {"ar": "".join(p[0] for p in parts), "zh": "".join(p[1] for p in parts), "en": latin, "fr": latin,
            "ru": "".join(p[3] for p in parts).capitalize(), "es": latin}


def _term(lang: str, q: tuple, t: tuple, o: tuple, site: dict[str, str]) -> str:
    i = LANGUAGES.index(lang)
    if lang == "ar":
        return f"{o[i]} {t[i]} {q[i]} في {site['ar']}"
    if lang == "zh":
        return f"{site['zh']}{q[i]}{t[i]}{o[i]}"
    if lang == "en":
        return f"{site['en']} {q[i]} {t[i]} {o[i]}"
    if lang == "ru":
        return f"{q[i]} {t[i]} {o[i]} {site['ru']}"
    return f"{o[i]} {t[i]} {q[i]} de {site[lang]}"  # fr, es


def synthetic_termbase(count: int, seed: int = 62) -> Termbase:
    """``count`` concepts, one preferred term in each of the six languages (``6 * count`` strings)."""
    rng = random.Random(seed)
    sites = [_site(rng) for _ in range(max(50, count // 40))]
    seen: set[tuple[int, int, int, int]] = set()
    concepts = []
    while len(concepts) < count:
        combo = (rng.randrange(len(QUALIFIERS)), rng.randrange(len(TECHNOLOGIES)), rng.randrange(len(OBJECTS)),
                 rng.randrange(len(sites)))
        if combo in seen:
            continue
        seen.add(combo)
        q, t, o, s = QUALIFIERS[combo[0]], TECHNOLOGIES[combo[1]], OBJECTS[combo[2]], sites[combo[3]]
        terms = {lang: [Term(_term(lang, q, t, o, s), "fullForm", "preferred")] for lang in LANGUAGES}
        concepts.append(Concept(id=f"synthetic.c{len(concepts):06d}", domain="IMS", definition="", terms=terms))
    return Termbase(concepts)


# --- queries with typos -----------------------------------------------------------------------------------

def _typo(text: str, rng: random.Random) -> str:
    """One realistic slip: a dropped, doubled, swapped or wrong letter, lost accents, or swapped words."""
    words = text.split()
    kind = rng.choice(["drop", "double", "swap", "wrong", "accents", "order"])
    if kind == "accents":
        stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        if stripped != unicodedata.normalize("NFD", text):
            return stripped
        kind = "drop"
    if kind == "order" and len(words) >= 3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    i = rng.choice(letters[1:] or letters)
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    if kind == "swap" and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == "wrong":
        pool = [c for c in text if c.isalpha() and c != text[i]]
        return text[:i] + rng.choice(pool) + text[i + 1:] if pool else text
    return text[:i] + text[i + 1:]


def typo_queries(termbase: Termbase, count: int, seed: int = 6) -> list[tuple[str, str, str]]:
    """(query, expected concept id, language) drawn evenly over the six languages."""
    rng = random.Random(seed)
    concepts = termbase.concepts()
    queries = []
    for n in range(count):
        concept = rng.choice(concepts)
        lang = LANGUAGES[n % len(LANGUAGES)]
        query = concept.preferred(lang)
        for _slip in range(rng.choice((1, 1, 2))):  # a third of the queries have two slips
            query = _typo(query, rng)
        queries.append((query, concept.id, lang))
    return queries


# --- measuring ----------------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_index(index: LookupIndex, queries) -> tuple[list[float], list[str | None]]:
    times, tops = [], []
    for query, _expected, _lang in queries:
        start = time.perf_counter()
        hits = index.search(query, limit=5)
        times.append(time.perf_counter() - start)
        tops.append(hits[0].concept.id if hits else None)
    return times, tops


def bench_scan(index: LookupIndex, queries) -> tuple[list[float], list[str | None]]:
    """The bare scan: WRatio over every term string (given our normalised keys, so it sees what we see)."""
    keys = index.keys
    times, tops = [], []
    for query, _expected, _lang in queries:
        start = time.perf_counter()
        best = process.extract(match_key(query), keys, scorer=fuzz.WRatio, limit=5)
        times.append(time.perf_counter() - start)
        tops.append(index.card(index.concept_of[best[0][2]]).id if best else None)
    return times, tops


def cold_start(runs: int) -> tuple[float, float]:
    """Median wall time of ``glossary lookup`` (warm cache) and of ``python -c "import click"``."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "GLOSSARY_CACHE_DIR": cache}
        command = [sys.executable, "-m", "glossary", "lookup", "intl monitoring systm", "--limit", "3"]
        subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=True)  # warm the cache

        def median(cmd: list[str]) -> float:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True)
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        return median(command), median([sys.executable, "-c", "import click"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=600, help="queries timed on the index")
    parser.add_argument("--scan-queries", type=int, default=60, help="of those, queries timed on the bare scan")
    parser.add_argument("--cold-runs", type=int, default=9)
    args = parser.parse_args()

    start = time.perf_counter()
    termbase = synthetic_termbase(args.concepts)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    index = LookupIndex.build(termbase)
    built = time.perf_counter() - start
    start = time.perf_counter()
    blob = index.to_bytes()
    index = LookupIndex.from_bytes(blob)
    loaded = time.perf_counter() - start
    print(f"synthetic termbase: {len(termbase):,} concepts, {len(index):,} term strings "
          f"(generated in {generated:.1f} s)")
    print(f"index: built in {built:.1f} s; cache {len(blob) / 2**20:.0f} MiB, "
          f"serialised and read back in {loaded:.2f} s; n-gram index: {index.grams is not None}")

    queries = typo_queries(termbase, args.queries)
    index.search(queries[0][0])  # first-use costs (numpy kernels) are not lookups
    times, tops = bench_index(index, queries)
    correct = [top == expected for top, (_q, expected, _l) in zip(tops, queries)]
    subset = queries[: args.scan_queries]
    scan_times, scan_tops = bench_scan(index, subset)
    scan_correct = [top == expected for top, (_q, expected, _l) in zip(scan_tops, subset)]
    ours_on_subset = correct[: len(subset)]
    agree = sum(a == b for a, b in zip(tops, scan_tops))

    ms = 1000
    print(f"\nwarm lookup, {len(queries)} queries with one or two slips ({len(queries) // 6} per language):")
    print(f"  index      p50 {percentile(times, .5) * ms:7.2f} ms   p99 {percentile(times, .99) * ms:7.2f} ms"
          f"   top-1 {sum(correct) / len(correct):.1%}")
    print(f"  bare scan  p50 {percentile(scan_times, .5) * ms:7.2f} ms   p99 {percentile(scan_times, .99) * ms:7.2f} ms"
          f"   top-1 {sum(scan_correct) / len(scan_correct):.1%}   (first {len(subset)} queries: process.extract,"
          f" WRatio, over all {len(index):,} strings)")
    print(f"  speed-up   p50 {percentile(scan_times, .5) / percentile(times, .5):.0f}x"
          f"   p99 {percentile(scan_times, .99) / percentile(times, .99):.0f}x   (target >= 20x)")
    print(f"  on the same {len(subset)} queries: index top-1 {sum(ours_on_subset) / len(subset):.1%},"
          f" scan top-1 {sum(scan_correct) / len(subset):.1%}, same top-1 concept in {agree / len(subset):.1%}")
    by_lang = {lang: [c for c, (_q, _e, l) in zip(correct, queries) if l == lang] for lang in LANGUAGES}
    print("  index top-1 by language: " + ", ".join(f"{lang} {sum(v) / len(v):.0%}" for lang, v in by_lang.items()))

    lookup_s, click_s = cold_start(args.cold_runs)
    print(f"\ncold start on the bundled termbase (warm cache, median of {args.cold_runs} subprocess runs):")
    print(f"  glossary lookup {lookup_s * ms:.0f} ms   python -c 'import click' {click_s * ms:.0f} ms"
          f"   ratio {lookup_s / click_s:.2f}x   (target <= 3x)")


if __name__ == "__main__":
    main()
