"""Term verification of a translated document, as CAT tools do it: flag non-preferred wording.

Levels:

``error``    a deprecated term: always wrong, replace it with the preferred term;
``warning``  a non-preferred variant (an admitted full form or variant that is not a shortening of the head
             term): acceptable wording the termbase prefers to see replaced;
``info``     an admitted abbreviation or short form, or a variant the head term contains (设施 of
             国际监测系统设施): correct usage, listed only when asked for.

Matching is leftmost-longest over every term of the language (preferred ones included), so ``array``
inside ``seismic array`` or ``IMS data`` inside ``non-IMS data`` is not reported. Words are compared on
their inflection-stable keys (:mod:`glossary.matching`), so an inflected form of a term has the level of
the term: ``les États parties`` and ``государств-участников`` are correct usage, ``о режиме проверки``
(of the deprecated ``режим проверки``) is an error, and ``وفريق التفتيش`` is found with its conjunction.
Chinese is matched on characters, as CAT tools do for a script without spaces. A term whose key is the
key of some concept's head term is never flagged. Text is matched across line breaks inside a sentence,
never across a sentence end or a blank line. Each issue gives the words as written, the term they
matched, and their line and column.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from glossary.corpus import decode_bytes
from glossary.errors import InputError
from glossary.fileio import read_input_bytes
from glossary.matching import LineIndex, Token, agreeing_words, term_key, tokenize, words_agree
from glossary.model import LANGUAGES, Termbase

LEVELS: tuple[str, ...] = ("error", "warning", "info")
_SPACES = re.compile(r"\s+")


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
    column: int = 0  # 1-based, in characters

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        # the term matched, when the document has another form of it (a plural, a case, a clitic)
        form = f" ({self.term})" if self.found.casefold() != self.term.casefold() else ""
        return f"{where}: {self.level}: {self.found}{form} -> {self.preferred} ({self.concept_id})"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "level": self.level,
                "found": self.found, "term": self.term, "status": self.status, "type": self.type,
                "preferred": self.preferred, "concept": self.concept_id}


@dataclass(frozen=True)
class _Entry:
    term: str
    status: str
    type: str
    preferred: str
    concept_id: str
    level: str | None  # None: correct usage (a head term somewhere)
    cased: str | None = None  # an acronym matches only in its own case (IT, not "it")
    agree: tuple[int, ...] = ()  # Russian: words that must share a case and number with each other


@dataclass(frozen=True)
class TermMatch:
    """A term found in a text, flagged or not: where, as written, and the termbase entry it matched."""

    start: int
    end: int
    found: str
    term: str
    concept_id: str
    level: str | None  # None: correct usage


def _cased(text: str) -> str | None:
    """The letters of an acronym (two or more capitals, no lower-case word), else None."""
    letters = re.sub(r"\W", "", text)
    if sum(c.isupper() for c in letters) >= 2 and not any(
            sum(c.islower() for c in word) >= 3 for word in re.findall(r"\w+", text)):
        return letters
    return None


def _joined(key: tuple[str, ...]) -> str:
    return "".join(key)


def _level(term, head: str, lang: str) -> str:
    if term.status == "deprecated":
        return "error"
    if term.type in ("abbreviation", "shortForm"):
        return "info"
    if lang == "en" and _singular_of_plural_word(term.text, head):
        return "warning"
    if _joined(term_key(term.text, lang)) in _joined(term_key(head, lang)):
        return "info"
    return "warning"


def _singular_of_plural_word(term: str, head: str) -> bool:
    """True when ``term`` writes in the singular a word the head writes in the plural (``Expert
    Communication System`` for ``Experts Communication System``): inflecting a name makes its words plural,
    never singular, so this is another spelling of the name, not a form of it."""
    term_words, head_words = term.casefold().split(), head.casefold().split()
    if len(term_words) != len(head_words):
        return False
    return any(t != h and term_key(h, "en") == (t,) for t, h in zip(term_words, head_words))


class TermChecker:
    """The termbase's terms of one language, keyed for leftmost-longest matching of inflected forms."""

    def __init__(self, termbase: Termbase, lang: str):
        if lang not in LANGUAGES:
            raise InputError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
        self.lang = lang
        words = lang != "zh"
        heads: set[tuple[str, ...]] = set()
        for concept in termbase.values():
            head = concept.head_term(lang)
            if head is not None:
                heads.add(term_key(head.text, lang))
        self.entries: dict[tuple[str, ...], _Entry] = {}
        #: other terms of the same concept that inflection gives the head's key (``Expert Communication
        #: System``, an admitted variant of ``Experts Communication System``): the surface decides.
        self.same_key: dict[tuple[str, ...], list[_Entry]] = {}
        for concept in termbase.values():
            head = concept.head_term(lang)

            def entry(term, level, agree=()) -> _Entry:
                return _Entry(term.text, term.status, term.type, head.text if head else "", concept.id, level,
                              _cased(term.text) if words else None, agree)

            for term in concept.terms.get(lang, ()):
                key = term_key(term.text, lang)
                if not key:
                    continue
                if key in self.entries and self.entries[key].level is None:
                    level = None if term.is_head or head is None else _level(term, head.text, lang)
                    if self.entries[key].concept_id == concept.id and level in ("error", "warning"):
                        self.same_key.setdefault(key, []).append(entry(term, level))
                    continue
                level = None if key in heads or head is None or term.is_head else _level(term, head.text, lang)
                current = self.entries.get(key)
                if current is None or (level is not None and LEVELS.index(level) < LEVELS.index(current.level)):
                    agree = agreeing_words(term.text) if lang == "ru" and len(key) > 1 else ()
                    self.entries[key] = entry(term, level, agree)
        # word count of the terms starting with each key, longest first: most words start no term at all
        self.lengths: dict[str, list[int]] = {}
        for key in self.entries:
            self.lengths.setdefault(key[0], []).append(len(key))
        for lengths in self.lengths.values():
            lengths.sort(reverse=True)

    def matches(self, text: str) -> Iterator[TermMatch]:
        """Every term of ``text``, flagged or correct, leftmost-longest, in document order."""
        tokens = tokenize(text, self.lang)
        i, n = 0, len(tokens)
        keys = [t.key for t in tokens]
        while i < n:
            for length in self.lengths.get(keys[i], ()):
                last = i + length - 1
                if last >= n or tokens[last].sentence != tokens[i].sentence:
                    continue
                key = tuple(keys[i:last + 1])
                entry = self.entries.get(key)
                if entry is None or not self._fits(entry, tokens[i:last + 1], text):
                    continue
                start, end = tokens[i].start, tokens[last].end
                # as written, with line breaks as spaces (none in Chinese, where spaces carry nothing)
                found = _SPACES.sub("" if self.lang == "zh" else " ", text[start:end])
                if key in self.same_key:
                    entry = self._nearest(found, [entry, *self.same_key[key]])
                yield TermMatch(start, end, found, entry.term, entry.concept_id, entry.level)
                # a word with several key pieces must not be matched twice
                while i < n and tokens[i].start < end:
                    i += 1
                break
            else:
                i += 1

    @staticmethod
    def _nearest(found: str, entries: list[_Entry]) -> _Entry:
        """The entry whose term is spelt nearest the words found (the head where two are as near)."""
        written = found.casefold()
        return min(entries, key=lambda e: Levenshtein.distance(written, e.term.casefold()))

    @staticmethod
    def _fits(entry: _Entry, tokens: list[Token], text: str) -> bool:
        if entry.cased is not None and _cased(text[tokens[0].start:tokens[-1].end]) != entry.cased:
            return False
        if entry.agree and len(tokens) > max(entry.agree):
            return words_agree([text[tokens[k].start:tokens[k].end] for k in entry.agree])
        return True

    def scan(self, text: str, path: str) -> Iterator[TermIssue]:
        """Every flagged term of ``text`` in document order."""
        lines = LineIndex(text)
        by_key = {(e.term, e.concept_id): e for e in self.entries.values()}
        by_key.update({(e.term, e.concept_id): e for same in self.same_key.values() for e in same})
        for match in self.matches(text):
            if match.level is None:
                continue
            entry = by_key[(match.term, match.concept_id)]
            line, column = lines.position(match.start)
            yield TermIssue(path, line, entry.level, match.found, entry.term, entry.status, entry.type,
                            entry.preferred, entry.concept_id, column)


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

