"""The report's own terms list (fixtures/report-terms.tsv): a hand-written list, checked against the report
and used to measure how much of the report the termbase covers."""

from __future__ import annotations

import csv
import re
import unicodedata

from conftest import FIXTURES
from glossary.model import DOMAINS, LANGUAGES

REPORT_TERMS = FIXTURES / "report-terms.tsv"


def read_report_terms() -> list[dict[str, str]]:
    with REPORT_TERMS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_row_is_a_term_as_written_in_the_report(report_path):
    rows = read_report_terms()
    assert rows and list(rows[0]) == ["zh", "en", "domain", "paragraph"]
    text = re.sub(r"\s+", "", unicodedata.normalize("NFC", report_path.read_text(encoding="utf-8")))
    zh = [row["zh"] for row in rows]
    assert len(zh) == len(set(zh)), "a term is listed twice"
    assert [t for t in zh if t not in text] == []
    assert {row["domain"] for row in rows} <= set(DOMAINS)
    assert all(row["en"] and row["paragraph"] for row in rows)


def test_nearly_every_report_term_has_a_concept_in_all_six_languages(termbase):
    """The issue's bar: at least 95% of the list is a Chinese term of some concept with every language."""
    concepts_by_zh: dict[str, list] = {}
    for concept in termbase.concepts():
        for term in concept.terms.get("zh", ()):
            concepts_by_zh.setdefault(unicodedata.normalize("NFC", term.text), []).append(concept)
    rows = read_report_terms()
    covered = [row["zh"] for row in rows
               if any(all(c.terms.get(lang) for lang in LANGUAGES)
                      for c in concepts_by_zh.get(unicodedata.normalize("NFC", row["zh"]), ()))]
    assert len(covered) / len(rows) >= 0.95, sorted(set(r["zh"] for r in rows) - set(covered))
