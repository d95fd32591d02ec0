"""Term verification of a translated document, as CAT tools do it: flag non-preferred wording.

Levels:

``error``    a deprecated term: always wrong, replace it with the preferred term;
``warning``  a non-preferred variant (an admitted full form or variant that is not a shortening of the head
             term): acceptable wording the termbase prefers to see replaced;
``info``     an admitted abbreviation or short form, or a variant the head term contains (设施 of
             国际监测系统设施): correct usage, listed only when asked for.

Matching is leftmost-longest over every term of the language (preferred ones included), so ``array``
inside ``seismic array`` or ``IMS data`` inside ``non-IMS data`` is not reported. Chinese is matched on
substrings, as CAT tools do for a script without spaces; the other languages on whole words of the
search key (case, accents, Arabic letter forms and punctuation folded). A term that is the head term of
some concept is never flagged. Text is matched across line breaks inside a sentence, never across a
sentence end or a blank line.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from glossary.corpus import decode_bytes
from glossary.errors import InputError
from glossary.fileio import read_input_bytes
from glossary.model import LANGUAGES, Termbase
from glossary.textnorm import search_key, strip_arabic_article

LEVELS: tuple[str, ...] = ("error", "warning", "info")
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’„،؛؟"
_SENTENCE_END = {"zh": re.compile(r"(?<=[。！？；])"), "default": re.compile(r"(?<=[.!?;:])(?=\s|$)|(?<=[。؟؛])")}
#: The line breaks editors and ``grep -n`` count. ``str.splitlines`` also breaks at form feeds (which
#: pdftotext puts at every page break) and other separators, and would shift every line number after one.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class TermIssue:
    path: str
    line: int
    level: str
    found: str  # the text as written in the document
    term: str  # the termbase term it matched
    status: str
    type: str
    preferred: str
    concept_id: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.found} -> {self.preferred} ({self.concept_id})"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level, "found": self.found,
                "term": self.term, "status": self.status, "type": self.type, "preferred": self.preferred,
                "concept": self.concept_id}


@dataclass(frozen=True)
class _Entry:
    term: str
    status: str
    type: str
    preferred: str
    concept_id: str
    level: str | None  # None: correct usage (a head term somewhere)
    cased: str | None = None  # an acronym matches only in its own case (IT, not "it")


#: Apostrophes of elision and possession: "l'Infrastructure" is the article, then the term.
_APOSTROPHE = re.compile("['\u2019\u02bc\u2018`]")


def _key(text: str, lang: str) -> str:
    """The comparable form of a text or a term; apostrophes separate words here (search keys join them),
    so that a term after an elided article (l'Infrastructure, d'inspection) is still found."""
    key = search_key(_APOSTROPHE.sub(" ", text) if lang != "zh" else text)
    return strip_arabic_article(key) if lang == "ar" else key


def _cased(text: str) -> str | None:
    """The letters of an acronym (two or more capitals, no lower-case word), else None."""
    letters = re.sub(r"\W", "", text)
    if sum(c.isupper() for c in letters) >= 2 and not re.search(r"[a-z]{3,}", text):
        return letters
    return None


def _level(term, head: str, lang: str) -> str:
    if term.status == "deprecated":
        return "error"
    if term.type in ("abbreviation", "shortForm"):
        return "info"
    if _key(term.text, lang).replace(" ", "") in _key(head, lang).replace(" ", ""):
        return "info"
    return "warning"


class TermChecker:
    """The termbase's terms of one language, keyed for leftmost-longest matching."""

    def __init__(self, termbase: Termbase, lang: str):
        if lang not in LANGUAGES:
            raise InputError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
        self.lang = lang
        self.words = lang != "zh"
        heads: set[str] = set()
        for concept in termbase.values():
            head = concept.head_term(lang)
            if head is not None:
                heads.add(self._unit_key(head.text))
        self.entries: dict[str, _Entry] = {}
        for concept in termbase.values():
            head = concept.head_term(lang)
            for term in concept.terms.get(lang, ()):
                key = self._unit_key(term.text)
                if not key or (key in self.entries and self.entries[key].level is None):
                    continue
                level = None if key in heads or head is None or term.is_head else _level(term, head.text, lang)
                current = self.entries.get(key)
                if current is None or (level is not None and LEVELS.index(level) < LEVELS.index(current.level)):
                    self.entries[key] = _Entry(term.text, term.status, term.type, head.text if head else "",
                                               concept.id, level, _cased(term.text) if self.words else None)
        self.lengths = sorted({len(self._units(k)) for k in self.entries}, reverse=True)

    def _unit_key(self, text: str) -> str:
        key = _key(text, self.lang)
        return key if self.words else key.replace(" ", "")

    def _units(self, key: str) -> list[str]:
        return key.split() if self.words else list(key)

    def scan(self, text: str, path: str) -> Iterator[TermIssue]:
        """Every flagged term of ``text`` in document order."""
        for units, lines, originals in _segments(text, self.lang, self.words):
            i, n = 0, len(units)
            while i < n:
                for length in self.lengths:
                    if i + length > n:
                        continue
                    key = (" " if self.words else "").join(units[i:i + length])
                    entry = self.entries.get(key)
                    if entry is not None:
                        shown = dict(originals[i:i + length])  # one source word may give several units
                        found = (" " if self.words else "").join(shown.values())
                        if entry.cased is not None and _cased(found) != entry.cased:
                            continue
                        if entry.level is not None:
                            yield TermIssue(path, lines[i], entry.level, found, entry.term, entry.status,
                                            entry.type, entry.preferred, entry.concept_id)
                        i += length
                        break
                else:
                    i += 1


def _segments(text: str, lang: str, words: bool
              ) -> Iterator[tuple[list[str], list[int], list[tuple[int, str]]]]:
    """Sentences as (units, line of each unit, (source word number, source text) of each unit); units are
    the words of the search key, or characters for Chinese."""
    splitter = _SENTENCE_END["zh" if lang == "zh" else "default"]
    units: list[str] = []
    lines: list[int] = []
    originals: list[tuple[int, str]] = []
    source = 0
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if not line.strip():
            if units:
                yield units, lines, originals
            units, lines, originals = [], [], []
            continue
        pieces = splitter.split(line)
        for k, piece in enumerate(pieces):
            if words:
                for word in piece.split():
                    source += 1
                    for unit in _key(word, lang).split():
                        units.append(unit)
                        lines.append(number)
                        originals.append((source, word.strip(_EDGE_PUNCTUATION) or word))
            else:
                for char in piece:
                    source += 1
                    unit = _key(char, lang)
                    if unit:
                        units.append(unit)
                        lines.append(number)
                        originals.append((source, char))
            if k < len(pieces) - 1 and units:  # a sentence ended inside the line
                yield units, lines, originals
                units, lines, originals = [], [], []
    if units:
        yield units, lines, originals


def check_text(text: str, path: str, termbase: Termbase, lang: str, levels: tuple[str, ...] = ("error", "warning")
               ) -> list[TermIssue]:
    checker = TermChecker(termbase, lang)
    return [issue for issue in checker.scan(text, path) if issue.level in levels]


#: The legacy encoding a document in each language may still come in, after UTF-8. Guessing GB18030 for a
#: French file would "decode" its Latin-1 accents into Chinese characters, so each language has its own.
LEGACY_ENCODINGS = {"zh": "gb18030", "ar": "cp1256", "ru": "cp1251", "en": "cp1252", "fr": "cp1252", "es": "cp1252"}


def check_document(path: str | os.PathLike, termbase: Termbase, lang: str,
                   levels: tuple[str, ...] = ("error", "warning")) -> list[TermIssue]:
    """Read a text document (``-`` for stdin; UTF-8, UTF-16 with BOM, or the language's legacy encoding)
    and check its terms."""
    name = os.fspath(path)
    data = sys.stdin.buffer.read() if name == "-" else read_input_bytes(name, InputError)
    text = decode_bytes(data, name, ("utf-8", LEGACY_ENCODINGS[lang]))
    return check_text(text, name, termbase, lang, levels)

