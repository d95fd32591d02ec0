"""Termbase mode's first question about a new document: which known terms does it use, and where?

Every Chinese term of the termbase (full forms, short forms, variants) and every Latin abbreviation is looked
for in each paragraph, nested ones included (国际监测系统 inside 国际监测系统台站 counts as well): as written,
and in text written in traditional characters through OpenCC's ``t2s`` (國際監測系統 finds 国际监测系统). A
first-two-characters index keeps the scan linear in the text whatever the size of the termbase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from glossary.corpus import Document
from glossary.model import Termbase
from glossary.textnorm import fold_traditional, has_han

#: Latin abbreviations match as whole words only (IMS, not the IMS of IMSAT).
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*")


@dataclass
class KnownTerm:
    """A termbase term found in the documents: as written there, and the term it is."""

    term: str  # as the document writes it (traditional characters stay traditional)
    concept: str
    form: str  # the termbase's term
    type: str  # the termbase's term type: fullForm, shortForm, abbreviation, variant
    match: str  # "exact" or "traditional"
    frequency: int = 0
    references: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class KnownTermFinder:
    """Finds every occurrence of the termbase's Chinese terms and Latin abbreviations in a text."""

    def __init__(self, termbase: Termbase):
        from glossary.corpus import normalise_text

        self.forms: dict[str, tuple[str, str]] = {}  # text -> (concept id, term type), first concept wins
        self.latin: dict[str, tuple[str, str]] = {}
        for concept in termbase.values():
            for lang, term in concept.all_terms():
                text = normalise_text(term.text)
                if not text:
                    continue
                if lang == "zh" and has_han(text):
                    self.forms.setdefault(text, (concept.id, term.type))
                elif term.type == "abbreviation" and text.isascii() and _LATIN_WORD.fullmatch(text):
                    self.latin.setdefault(text, (concept.id, term.type))
        self._by_prefix: dict[str, list[str]] = {}
        for text in sorted(self.forms, key=lambda t: (-len(t), t)):
            self._by_prefix.setdefault(text[:2], []).append(text)

    def find(self, text: str) -> Iterable[tuple[str, int]]:
        """(termbase form, start) of every occurrence in ``text``, nested ones included."""
        by_prefix = self._by_prefix
        for start in range(len(text) - 1):
            forms = by_prefix.get(text[start:start + 2])
            if forms:
                for form in forms:
                    if text.startswith(form, start):
                        yield form, start
        if self.latin:
            for match in _LATIN_WORD.finditer(text):
                if match.group() in self.latin:
                    yield match.group(), match.start()

    def find_in(self, documents: Iterable[Document], max_references: int = 20) -> list[KnownTerm]:
        """Known terms of the documents, most frequent first (ties by the term itself)."""
        found: dict[tuple[str, str], KnownTerm] = {}
        for document in documents:
            for paragraph in document.paragraphs:
                text = paragraph.text
                folded = fold_traditional(text)
                views = [(text, text, "exact")]
                if folded != text and len(folded) == len(text):
                    views.append((folded, text, "traditional"))
                seen_here: set[tuple[str, int]] = set()
                for view, original, how in views:
                    for form, start in self.find(view):
                        if (form, start) in seen_here:
                            continue
                        seen_here.add((form, start))
                        written = original[start:start + len(form)]
                        concept, kind = self.forms.get(form) or self.latin[form]
                        match = "exact" if written == form else how
                        entry = found.get((written, form))
                        if entry is None:
                            entry = found[(written, form)] = KnownTerm(written, concept, form, kind, match)
                        entry.frequency += 1
                        reference = paragraph.reference()
                        if reference not in entry.references and len(entry.references) < max_references:
                            entry.references.append(reference)
        return sorted(found.values(), key=lambda k: (-k.frequency, k.term))
