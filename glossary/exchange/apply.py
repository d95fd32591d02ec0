"""The one door from the exchange formats into terms/: import-po's planner and line-by-line writer.

A review import decides *what* should change; how a term list changes (the new head first, the old
head kept as deprecated or admitted, an existing term promoted rather than added twice) and how the
files are edited (line by line, proven to read back, written atomically) is import-po's, reused here
through this narrow class so there is one write path to terms/ for every import.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable

from glossary.model import Concept
from glossary.po_import import MergeResult, _Planner, _read_term_files, edited_term_files, write_merge


class TermEditor:
    """Plans term changes on the term files as read now; nothing is written until :func:`write_files`."""

    def __init__(self, term_paths: Iterable[str | os.PathLike], keep_old: str = "deprecated"):
        self._files, self.termbase = _read_term_files(term_paths)
        self._planner = _Planner(self.termbase, keep_old)

    def head_owner(self, lang: str, text: str) -> str | None:
        """The concept whose head term in ``lang`` is ``text`` (ignoring case), if any."""
        return self._planner.heads.get((lang, text.casefold()))

    def set_head(self, concept: Concept, lang: str, text: str, status: str, note: str | None,
                 source: str | None) -> str | None:
        """Make ``text`` the language's head term with ``status``; returns why not, or ``None``."""
        problem = self._planner._set_head(concept, lang, text, note)
        if problem:
            return problem
        slots = self._planner.slots[(concept.id, lang)]
        for index, (origin, term) in enumerate(slots):
            if term.text == text and term.is_head:
                changes = {"status": status}
                if origin is None and source:
                    changes["source"] = source
                slots[index] = (origin, dataclasses.replace(term, **changes))
                break
        return None

    def set_status(self, concept: Concept, lang: str, status: str) -> str | None:
        """Change the status of the language's head term (confirming a proposed term, say)."""
        slots = self._planner._slots(concept, lang)
        for index, (origin, term) in enumerate(slots):
            if term.is_head:
                slots[index] = (origin, dataclasses.replace(term, status=status))
                return None
        return f"no {lang} head term to change"

    def files(self) -> dict[str, tuple[bytes, bytes]]:
        """Changed term files: path -> (bytes as read, bytes to write)."""
        return edited_term_files(self._files, self.termbase, self._planner.slots)


def diff_files(files: dict[str, tuple[bytes, bytes]]) -> str:
    return MergeResult([], files=files).diff()


def write_files(files: dict[str, tuple[bytes, bytes]]) -> list[str]:
    """Write through import-po's writer (atomic, refuses files changed on disk since planning)."""
    return write_merge(MergeResult([], files=files))
