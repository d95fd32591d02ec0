"""The hand-written evaluation sets of the miner are consistent: every listed term is in its text, once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SETS = Path(__file__).parent / "fixtures" / "mining"
TEXTS = sorted(p for d in ("unseen", "dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")
               for p in (SETS / d).glob("*.txt"))


def test_every_set_has_six_texts_or_more():
    for directory in ("unseen", "dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5"):
        assert len(list((SETS / directory).glob("*.txt"))) >= 6, directory


@pytest.mark.parametrize("text", TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_listed_term_occurs_verbatim_once_in_the_list(text):
    content = text.read_text(encoding="utf-8")
    with open(text.with_suffix(".terms.tsv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    terms = [row["zh"] for row in rows]
    assert rows and all(row["zh"] and row["en"] for row in rows), text.name
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)
    assert [t for t in terms if t not in content] == [], text.name
