"""Coverage of hand-written term lists by the termbase: which concept, if any, holds each listed term.

The lists (``tests/fixtures/treaty-terms.tsv``, ``tests/fixtures/report-terms.tsv``) are written from the
texts before concepts are added, and never name a concept: a term is looked up by its wording, so adding
concepts can raise coverage but cannot move the list. "Treaty concepts" are those that hold a term of the
Treaty list, plus every concept of the ``treaty`` domain; their English and French heads must be the
wording of the Treaty text.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from glossary.errors import InputError
from glossary.model import Concept, Termbase
from glossary.treaty_text import fold

TREATY_DOMAIN = "treaty"


def term_key(text: str) -> str:
    """What two writings of one listed term share: NFC, apostrophes, hyphen or space, and case folded."""
    return fold(unicodedata.normalize("NFC", text)).casefold().strip()


@dataclass(frozen=True)
class ListedTerm:
    text: str
    lang: str
    fields: dict[str, str]


def read_term_list(path: str | Path, lang: str) -> list[ListedTerm]:
    """The rows of a TSV term list with a header; ``lang`` names the column holding the term."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read term list ({exc.__class__.__name__})", path) from exc
    if rows and lang not in rows[0]:
        raise InputError(f"term list has no {lang!r} column", path, 1)
    return [ListedTerm(row[lang].strip(), lang, row) for row in rows if (row.get(lang) or "").strip()]


class TermIndex:
    """Concepts by the key of each of their terms in one language, heads first."""

    def __init__(self, termbase: Termbase, lang: str):
        self._by_key: dict[str, list[Concept]] = {}
        heads, others = [], []
        for concept in termbase.values():
            for term in concept.terms.get(lang, ()):
                (heads if term.is_head else others).append((term_key(term.text), concept))
        for key, concept in heads + others:
            owners = self._by_key.setdefault(key, [])
            if concept not in owners:
                owners.append(concept)

    def concept_of(self, text: str) -> Concept | None:
        """The concept holding ``text``: the one whose head it is, else the first that lists it."""
        owners = self._by_key.get(term_key(text))
        return owners[0] if owners else None


def treaty_concepts(termbase: Termbase, listed: Iterable[ListedTerm]) -> list[Concept]:
    """Concepts holding a term of the Treaty list, and every concept of the ``treaty`` domain, in file order."""
    index = TermIndex(termbase, "en")
    ids = {c.id for term in listed if (c := index.concept_of(term.text)) is not None}
    return [c for c in termbase.values() if c.id in ids or c.domain == TREATY_DOMAIN]


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass
class ListCoverage:
    """How much of one term list the termbase holds."""

    name: str
    terms: int
    covered: int
    six_languages: int  # covered by a concept with a head term in all six languages
    six_confirmed: int  # ... none of them proposed
    uncovered: list[str]

    def as_dict(self) -> dict:
        return {"list": self.name, "terms": self.terms, "covered": self.covered,
                "covered_share": _share(self.covered, self.terms), "six_languages": self.six_languages,
                "six_languages_share": _share(self.six_languages, self.terms),
                "six_confirmed": self.six_confirmed, "six_confirmed_share": _share(self.six_confirmed, self.terms),
                "uncovered": self.uncovered}


def list_coverage(name: str, listed: list[ListedTerm], termbase: Termbase) -> ListCoverage:
    """Which listed terms some concept holds (in the list's language, any status or type)."""
    from glossary.model import LANGUAGES

    indexes: dict[str, TermIndex] = {}
    covered = six = confirmed = 0
    uncovered = []
    for term in listed:
        index = indexes.setdefault(term.lang, TermIndex(termbase, term.lang))
        concept = index.concept_of(term.text)
        if concept is None:
            uncovered.append(term.text)
            continue
        covered += 1
        heads = [concept.head_term(lang) for lang in LANGUAGES]
        if all(heads):
            six += 1
            confirmed += all(h.status == "preferred" for h in heads)
    return ListCoverage(name, len(listed), covered, six, confirmed, uncovered)


def proposed_heads(concepts: Iterable[Concept]) -> dict[str, dict[str, float | int]]:
    """Per language: concepts, heads still ``proposed``, and their share."""
    from glossary.model import LANGUAGES

    concepts = list(concepts)
    result = {}
    for lang in LANGUAGES:
        proposed = sum(1 for c in concepts if (h := c.head_term(lang)) is not None and h.status == "proposed")
        result[lang] = {"concepts": len(concepts), "proposed": proposed, "share": _share(proposed, len(concepts))}
    return result


def heads_in_text(concepts: Iterable[Concept], texts: dict) -> dict[str, dict]:
    """Per language (``texts`` maps en/fr to a ReferenceText): heads found in the Treaty text, and the rest."""
    result = {}
    for lang, text in texts.items():
        missing = [f"{c.id}: {h.text}" for c in concepts if (h := c.head_term(lang)) is not None
                   and not text.occurs(h.text)]
        total = sum(1 for c in concepts if c.head_term(lang) is not None)
        result[lang] = {"heads": total, "found": total - len(missing), "share": _share(total - len(missing), total),
                        "missing": missing}
    return result
