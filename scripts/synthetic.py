"""Deterministic synthetic termbases for benchmarks: realistic term shapes in all six scripts."""

from __future__ import annotations

import random

from glossary.model import DOMAINS, LANGUAGES, Concept, Source, Term

_WORDS = {
    "ar": "محطة رصد نظام بيانات دولي تفتيش موقعي شبكة زلزالي نويدات مشعة صوت مائي دون سمعي مختبر تحليل".split(),
    "zh": "台站 监测 系统 数据 国际 现场 视察 网络 地震 放射性 核素 水声 次声 实验室 分析 公报".split(),
    "en": "station monitoring system data international on-site inspection network seismic radionuclide "
          "hydroacoustic infrasound laboratory analysis bulletin".split(),
    "fr": "station surveillance système données international inspection réseau sismique radionucléide "
          "hydroacoustique infrason laboratoire analyse bulletin".split(),
    "ru": "станция мониторинг система данные международный инспекция сеть сейсмический радионуклид "
          "гидроакустический инфразвук лаборатория анализ бюллетень".split(),
    "es": "estación vigilancia sistema datos internacional inspección red sismológica radionúclido "
          "hidroacústica infrasonido laboratorio análisis boletín".split(),
}


def synthetic_concepts(count: int, seed: int = 62) -> list[Concept]:
    """``count`` concepts with a preferred term in every language, plus an abbreviation every third one."""
    rng = random.Random(seed)
    concepts = []
    for n in range(count):
        domain = DOMAINS[n % len(DOMAINS)]
        terms = {}
        for lang in LANGUAGES:
            words = rng.sample(_WORDS[lang], 3)
            joiner = "" if lang == "zh" else " "
            text = joiner.join(words) + (f"{n}" if lang == "zh" else f" {n}")
            terms[lang] = [Term(text, "fullForm", "proposed" if rng.random() < 0.05 else "preferred")]
            if n % 3 == 0 and lang in ("en", "fr", "ru", "es"):
                terms[lang].append(Term("".join(w[0] for w in words).upper() + str(n), "abbreviation", "admitted"))
        concepts.append(Concept(id=f"{domain.lower()}.synthetic-{n}", domain=domain,
                                definition=f"Synthetic concept number {n} for benchmarks.", terms=terms,
                                sources=[Source("CTBT/WGB-62/INF.4", [str(n % 100 + 1)])]))
    return concepts
