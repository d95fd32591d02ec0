"""The review table: one row per concept, the cells a reviewer reads and edits, shared by CSV and XLSX.

Each language has three columns: the head term (``en``), its status (``en status``) and its source
(``en source``). A ``fingerprint`` column carries a short hash of each language cell of the concept
as exported, so an import can tell, cell by cell, a reviewer's edit from a change made in the term
files since the export. The optional ``theirs`` columns (``en theirs``) hold another glossary's term beside ours for a
review of an imported TBX; they are never applied.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from glossary.model import LANGUAGES, Concept, Source, Termbase
from glossary.resources import REPORT_SYMBOL

FIXED_COLUMNS = ("concept", "domain", "fingerprint", "definition", "references")
LANGUAGE_FIELDS = ("", "status", "source")
COMMENT_COLUMN = "comment"
MATCH_COLUMN = "match"


def language_column(lang: str, what: str = "") -> str:
    return f"{lang} {what}".strip()


def columns(with_theirs: bool = False) -> list[str]:
    """The header row, in order."""
    header = list(FIXED_COLUMNS)
    for lang in LANGUAGES:
        header.extend(language_column(lang, what) for what in LANGUAGE_FIELDS)
        if with_theirs:
            header.append(language_column(lang, "theirs"))
    header.append(COMMENT_COLUMN)
    if with_theirs:
        header.append(MATCH_COLUMN)
    return header


@dataclass(frozen=True)
class Cell:
    """A language's head term as shown to a reviewer (empty strings where the language has none)."""

    text: str = ""
    status: str = ""
    source: str = ""


@dataclass
class ReviewRow:
    """One concept's row; ``where`` is the place in a file it was read from (for messages)."""

    concept: str
    domain: str = ""
    fingerprint: str = ""
    definition: str = ""
    references: str = ""
    cells: dict[str, Cell] = field(default_factory=dict)
    comment: str = ""
    theirs: dict[str, str] = field(default_factory=dict)
    match: str = ""
    where: str = ""

    def values(self, header: list[str]) -> list[str]:
        """The row's cells in the order of ``header``."""
        out = []
        for name in header:
            if name in FIXED_COLUMNS or name in (COMMENT_COLUMN, MATCH_COLUMN):
                out.append(getattr(self, name))
                continue
            lang, _, what = name.partition(" ")
            if what == "theirs":
                out.append(self.theirs.get(lang, ""))
            else:
                out.append(getattr(self.cells.get(lang, Cell()), what or "text"))
        return out

    @classmethod
    def from_values(cls, header: list[str], values: list[str], where: str) -> ReviewRow:
        """A row from a file's cells; unknown columns are ignored, missing ones read as empty."""
        by_name = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}

        def get(name: str) -> str:
            value = by_name.get(name)
            return "" if value is None else str(value).strip()

        cells = {lang: Cell(get(lang), get(language_column(lang, "status")), get(language_column(lang, "source")))
                 for lang in LANGUAGES}
        return cls(get("concept"), get("domain"), get("fingerprint"), get("definition"), get("references"),
                   cells, get(COMMENT_COLUMN), {lang: get(language_column(lang, "theirs")) for lang in LANGUAGES},
                   get(MATCH_COLUMN), where)


def source_line(source: Source) -> str:
    """One line per attesting document: ``CTBT/WGB-62/INF.4 paras 11, 13`` or ``CTBT Protocol Part I, para. 16``."""
    if len(source.paragraphs) > 1:
        return f"{source.document} paras {', '.join(source.paragraphs)}"
    return source.references()[0]


def head_cell(concept: Concept, lang: str) -> Cell:
    term = concept.head_term(lang)
    if term is None:
        return Cell()
    return Cell(term.text, term.status, term.source or "")


def cell_hash(cell: Cell) -> str:
    """6 hex digits of SHA-256 over a cell's term and status (its source is shown, not decided on)."""
    return hashlib.sha256(json.dumps([cell.text, cell.status], ensure_ascii=False).encode("utf-8")).hexdigest()[:6]


def fingerprint(concept: Concept) -> str:
    """The concept's fingerprint: one :func:`cell_hash` per language, in LANGUAGES order, joined by dots.

    One hash per cell rather than one for the whole concept, so that a change in terms/ to one language
    since the export does not turn the reviewer's edit of another language into a conflict.
    """
    return ".".join(cell_hash(head_cell(concept, lang)) for lang in LANGUAGES)


def exported_hashes(value: str) -> dict[str, str] | None:
    """The per-language hashes of a fingerprint read back from a file, or ``None`` if it is not one."""
    parts = value.strip().split(".")
    if len(parts) != len(LANGUAGES) or not all(len(p) == 6 and all(c in "0123456789abcdef" for c in p)
                                               for p in parts):
        return None
    return dict(zip(LANGUAGES, parts))


def review_row(concept: Concept) -> ReviewRow:
    """The row a concept exports as; report references first, then the other sources."""
    report = [s for s in concept.sources if s.document == REPORT_SYMBOL]
    others = [s for s in concept.sources if s.document != REPORT_SYMBOL]
    return ReviewRow(concept.id, concept.domain, fingerprint(concept), " ".join(concept.definition.split()),
                     "; ".join(source_line(s) for s in report + others),
                     {lang: head_cell(concept, lang) for lang in LANGUAGES})


def review_rows(termbase: Termbase) -> list[ReviewRow]:
    return [review_row(concept) for concept in termbase.values()]
