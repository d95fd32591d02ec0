"""Import a reviewed table (XLSX or CSV) back into the term files: how corrections from the PTS come home.

Each language cell of each row is classified, and only ``changed`` ones touch a term file:

- changed: the reviewer changed the term text or its status, and the cell in terms/ is still as it was
  exported (the row's fingerprint holds a hash of each cell as exported). A new text becomes the head term with the reviewer's status
  (preferred unless the status cell says proposed); the old head stays, as deprecated (or admitted,
  ``keep_old``). The same text with ``preferred`` in place of ``proposed`` confirms the term. The
  row's comment is recorded as the note of every term it changed.
- conflict (reported, never applied): an unknown or repeated concept id, a cell changed both in the file
  and in terms/ since the export (or a row without a valid fingerprint), text in the wrong script
  for its column (or traditional Chinese), a status that is not one of the four, a head cell marked
  admitted or deprecated (enter the replacement term instead), or a term that is already another
  concept's head term.
- skipped: an emptied cell (an empty cell never erases a term), an edit of the source alone (the source
  is shown for reference), a cell changed in terms/ since the export but not in the file (the file's
  value is merely old), a comment on a row with no edit, a new concept from another glossary.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from glossary.errors import InputError
from glossary.exchange.apply import TermEditor, diff_files, write_files
from glossary.exchange.table import Cell, ReviewRow, cell_hash, exported_hashes, head_cell
from glossary.model import HEAD_STATUSES, LANGUAGES, STATUSES
from glossary.termfile import normalise_text
from glossary.textnorm import strip_invisible
from glossary.textnorm import script_of
from glossary.validate import EXPECTED_SCRIPT, script_problem, traditional_problem

OUTCOMES = ("changed", "unchanged", "conflict", "skipped")


@dataclass(frozen=True)
class CellOutcome:
    """What the import did with one cell (or, with ``lang`` empty, one row), and why."""

    where: str
    concept: str
    lang: str
    outcome: str
    reason: str = ""
    old: str | None = None
    new: str | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class ReviewResult:
    path: str
    rows: int = 0
    outcomes: list[CellOutcome] = field(default_factory=list)
    files: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for item in self.outcomes:
            counts[item.outcome] += 1
        return counts

    @property
    def has_conflicts(self) -> bool:
        return any(item.outcome == "conflict" for item in self.outcomes)

    def diff(self) -> str:
        return diff_files(self.files)

    def as_dict(self) -> dict:
        return {"file": self.path, "rows": self.rows, "summary": self.counts(),
                "term_files_changed": sorted(self.files),
                "cells": [o.as_dict() for o in self.outcomes if o.outcome != "unchanged"]}


def read_review_file(path: str | os.PathLike) -> list[ReviewRow]:
    """Rows of an exported review table, chosen by extension (.xlsx or .csv)."""
    suffix = os.fspath(path).lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        from glossary.exchange.xlsx import read_review_workbook

        return read_review_workbook(path)
    if suffix in ("csv", "txt", "tsv"):
        from glossary.exchange.csv_format import read_review_csv

        return read_review_csv(path)
    raise InputError("unknown review file type: expected .xlsx or .csv", path)


def _clean(text: str) -> str:
    return normalise_text(strip_invisible(text))


def _script_problem(lang: str, text: str) -> str | None:
    """validate's script rule, and stricter for a reviewer's cell: in an Arabic, Chinese or Russian
    column, Latin text passes only as a code or acronym in capitals (IMS, NET-VISA), never as a word
    typed in the wrong column (``Protocol``)."""
    problem = script_problem(lang, text) or (traditional_problem(text) if lang == "zh" else None)
    expected = EXPECTED_SCRIPT[lang]
    if problem is None and expected != "Latin" and any(c.islower() for c in text) \
            and not any(script_of(c) == expected for c in text):
        problem = f"{lang} term {text!r} has no {expected} letters"
    return problem


class _Review:
    def __init__(self, editor: TermEditor):
        self.editor = editor
        self.seen: set[str] = set()

    def row(self, row: ReviewRow) -> list[CellOutcome]:
        def outcome(kind: str, reason: str = "", lang: str = "", old=None, new=None) -> CellOutcome:
            return CellOutcome(row.where, row.concept, lang, kind, reason, old, new)

        if not row.concept:
            if any(c.text for c in row.cells.values()) or any(row.theirs.values()):
                return [outcome("skipped", "a concept the termbase lacks: add it to terms/ by hand if wanted")]
            return []
        concept = self.editor.termbase.get(row.concept)
        if concept is None:
            return [outcome("conflict", f"unknown concept id {row.concept!r}")]
        if row.concept in self.seen:
            return [outcome("conflict", "the concept's row appears twice; only the first is read")]
        self.seen.add(row.concept)
        base = exported_hashes(row.fingerprint)
        results = [self.cell(concept, lang, row.cells.get(lang, Cell()), head_cell(concept, lang), row,
                             base[lang] if base else None, outcome) for lang in LANGUAGES]
        if row.comment and not any(r.outcome == "changed" for r in results):
            results.append(outcome("skipped", "comment on a row with no applied edit: not recorded", new=row.comment))
        return results

    def cell(self, concept, lang: str, cell: Cell, now: Cell, row: ReviewRow, base: str | None,
             outcome) -> CellOutcome:
        text, status = _clean(cell.text), cell.status.strip().lower()
        if not text:
            if now.text:
                return outcome("skipped", "empty cell: an empty cell never erases a term", lang, now.text)
            return outcome("unchanged", lang=lang)
        if text == now.text and status in ("", now.status):
            if _clean(cell.source) != now.source:
                return outcome("skipped", "source edited alone: sources are changed in the term files",
                               lang, now.source, cell.source)
            return outcome("unchanged", lang=lang)
        if base is None:
            return outcome("conflict", "the row has no valid fingerprint, so a reviewer's edit cannot be told "
                           "from a change in terms/; export again and redo this cell", lang, now.text or None, text)
        reviewer_changed = cell_hash(Cell(text, status)) != base
        if not reviewer_changed:  # the file holds the value as exported; terms/ moved on since
            return outcome("skipped", "changed in terms/ since the export; the file holds the old value",
                           lang, text, now.text or None)
        if cell_hash(now) != base:
            return outcome("conflict", "changed both in the file and in terms/ since the export",
                           lang, now.text or None, text)
        if status and status not in STATUSES:
            return outcome("conflict", f"status {status!r} is not one of {', '.join(STATUSES)}", lang, now.text, text)
        status = status or ("preferred" if text != now.text else now.status)
        if status not in HEAD_STATUSES:
            return outcome("conflict", f"a head cell holds the preferred or proposed term, not a {status} one; "
                           "enter the replacement term instead", lang, now.text, text)
        problem = _script_problem(lang, text)
        if problem:
            return outcome("conflict", f"wrong script: {problem}", lang, now.text or None, text)
        if text == now.text:
            self.editor.set_status(concept, lang, status)
            return outcome("changed", f"status {now.status} -> {status}", lang, now.text, text)
        owner = self.editor.head_owner(lang, text)
        own_terms = {t.text.casefold() for t in concept.terms.get(lang, ())}
        if owner not in (None, concept.id) and text.casefold() not in own_terms:
            return outcome("conflict", f"{text!r} is already the {lang} head term of {owner}; edit the term "
                           "files by hand if both concepts really share it", lang, now.text or None, text)
        source = _clean(cell.source) if _clean(cell.source) != now.source else None
        problem = self.editor.set_head(concept, lang, text, status, row.comment or None, source or None)
        if problem:
            return outcome("skipped", problem, lang, now.text or None, text)
        return outcome("changed", f"new {status} term", lang, now.text or None, text)


def plan_review(term_paths: Iterable[str | os.PathLike], review_path: str | os.PathLike, *,
                keep_old: str = "deprecated") -> ReviewResult:
    """Plan the import of a reviewed table; nothing is written here (see :func:`write_review`)."""
    rows = read_review_file(review_path)
    editor = TermEditor(term_paths, keep_old)
    review = _Review(editor)
    result = ReviewResult(os.fspath(review_path), len(rows))
    for row in rows:
        result.outcomes.extend(review.row(row))
    result.files = editor.files()
    return result


def write_review(result: ReviewResult) -> list[str]:
    return write_files(result.files)


def import_review(terms_dir: str | os.PathLike, review_path: str | os.PathLike, *, keep_old: str = "deprecated",
                  dry_run: bool = False) -> ReviewResult:
    """Plan and write a reviewed table as one termbase transaction.

    Planning happens under the termbase lock (glossary.fileio), so a concurrent writer's changes are
    merged with, never lost, and a kill at any point leaves the old or the new term files.
    """
    if dry_run:
        return plan_review([terms_dir], review_path, keep_old=keep_old)
    from glossary.fileio import plan_and_write

    return plan_and_write(terms_dir, lambda: plan_review([terms_dir], review_path, keep_old=keep_old))
