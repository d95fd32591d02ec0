"""Does a term occur in the Treaty text? Matching a dictionary form against the inflected text.

A Treaty/Protocol head term must be the wording of the Treaty itself. The texts inflect it: plurals
("instruments of ratification", "États parties inspectés"), a capital at the start of a sentence, and
headings written in title case or capitals. A term matches when some line of the text has it with any of
its words in the plural, its first letter in either case, or in any case within a heading; failing that,
with one coordination between two of its words ("instruments de ratification ou d'adhésion" writes
"instrument d'adhésion"). Typographic variants that the copies disagree on (curly and straight
apostrophes, "Nuclear-Test-Ban" beside "Nuclear Test-Ban") are folded; nothing else is, so a typo or an
invented wording does not match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: The copies in ``reference/ctbt/`` read for each language (see that directory's README).
REFERENCE_FILES = {
    "en": ("ctbt-treaty.en.txt", "ctbt-protocol.en.txt", "ctbt-treaty.en-CA.txt", "ctbt-protocol.en-CA.txt"),
    "fr": ("ctbt-treaty.fr.txt", "ctbt-protocol.fr.txt"),
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """Fold what the copies write differently: apostrophes, hyphen versus space, runs of spaces."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return re.sub(r"[\s\-\u2010\u2011\u00a0]+", " ", text)


def _plural_pattern(word: str, lang: str) -> str:
    """A regex for ``word`` in the singular or in the plural the language writes."""
    w = re.escape(word)
    if not word[-1:].isalpha():
        return w
    if lang == "en":
        alternatives = [w + "(?:s|es)?"]
        if word.endswith("y"):
            alternatives.append(re.escape(word[:-1]) + "ies")
    else:
        alternatives = [w + "(?:s|x)?"]
        if word.endswith("al"):
            alternatives.append(re.escape(word[:-2]) + "aux")
    return "(?:" + "|".join(alternatives) + ")"


def _word_patterns(term: str, lang: str) -> list[str]:
    words = fold(term).split(" ")
    parts = [_plural_pattern(word, lang) for word in words]
    first = words[0]
    recased = first[:1].swapcase() + first[1:]
    if recased != first:
        parts[0] = f"(?:{parts[0]}|{_plural_pattern(recased, lang)})"
    return parts


def _compile(body: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + body + r"(?![\w])")


def term_pattern(term: str, lang: str) -> re.Pattern[str]:
    """The compiled pattern of ``term``: words in singular or plural, first letter in either case."""
    return _compile(" ".join(_word_patterns(term, lang)))


#: A coordination inside a term: "listes et bulletins standard des événements", "instruments de ratification
#: ou d'adhésion", "primary and auxiliary seismic networks". Short, within one clause.
_COORDINATION = r" (?:[^,;:.()]{1,40}? )?(?:and|or|et|ou) (?:[^,;:.()]{1,40}? )?"


def coordination_patterns(term: str, lang: str) -> list[re.Pattern[str]]:
    """Patterns of ``term`` written with one coordination between two of its words, as the texts often do."""
    parts = _word_patterns(term, lang)
    return [_compile(" ".join(parts[:i]) + _COORDINATION + " ".join(parts[i:])) for i in range(1, len(parts))]


#: The Canadian copies, line-aligned English/French: their English headings give every line's location.
_ALIGNED = {"ctbt-treaty": "CTBT", "ctbt-protocol": "CTBT Protocol"}
_ROMAN = re.compile(r"^#+ ARTICLE ([IVX]+)\b")
_PART = re.compile(r"^#+ PART ([IVX]+)\b")
_ANNEX = re.compile(r"^#+ ANNEX (\d) TO THE")
_TABLE = re.compile(r"^#+ TABLE ([0-9A-Z-]+)")
_PARAGRAPH = re.compile(r"^(\d+) (?!\|)")


def _locations(english_lines: list[str], document: str) -> list[str]:
    """The location of each line of an aligned copy (``CTBT Article IV para. 57``), from its English headings."""
    section = "title"
    number = None  # the paragraph that sub-paragraphs "(a)" and dashed items belong to
    locations = []
    for line in english_lines:
        heading = line.startswith("#")
        if line.startswith("### Preamble"):
            section = "Preamble"
        elif m := _ROMAN.match(line):
            section = f"Article {m.group(1)}"
        elif m := _PART.match(line):
            section = f"Part {m.group(1)}"
        elif m := _ANNEX.match(line):
            section = f"Annex {m.group(1)}"
        elif (m := _TABLE.match(line)) and section.startswith("Annex"):
            section = f"Annex 1 Table {m.group(1)}"
        if heading:
            number = None
        elif m := _PARAGRAPH.match(line):
            number = m.group(1)
        if section == "title":
            where = "title"
        else:
            where = f"{section} heading" if heading else f"{section} para. {number}" if number else section
        locations.append(f"{document} {where}".strip())
    return locations


@dataclass
class ReferenceText:
    """One language's copies as lines, each with its location where the copy is aligned (else ``None``).

    Headings match in any case, body lines only with the inflections described above.
    """

    lang: str
    lines: list[tuple[str, bool, str | None]]  # (folded text, is heading, location)

    @classmethod
    def load(cls, directory: str | Path, lang: str) -> ReferenceText:
        directory = Path(directory)
        lines: list[tuple[str, bool, str | None]] = []
        for name in REFERENCE_FILES[lang]:
            path = directory / name
            if not path.is_file():
                continue
            raw = path.read_text(encoding="utf-8").splitlines()
            stem, _, variant = name.removesuffix(".txt").partition(".")
            aligned = variant in ("fr", "en-CA") and (directory / f"{stem}.en-CA.txt").is_file()
            english = (directory / f"{stem}.en-CA.txt").read_text(encoding="utf-8").splitlines() if aligned else []
            locations = _locations(english, _ALIGNED[stem]) if aligned else [None] * len(raw)
            for text, where in zip(raw, locations):
                text = fold(text).strip()
                if text:  # headings and table header rows are written in title case or capitals
                    lines.append((text, text.startswith(("#", "|")), where))
        return cls(lang, lines)

    def _matches(self, term: str):
        """Locations of the lines that write ``term``: as it stands first, then coordinated."""
        for patterns in ([term_pattern(term, self.lang)], coordination_patterns(term, self.lang)):
            loose = [re.compile(p.pattern, re.IGNORECASE) for p in patterns]
            for text, heading, where in self.lines:
                if any(p.search(text) for p in (loose if heading else patterns)):
                    yield where

    def occurs(self, term: str) -> bool:
        """Whether ``term`` is written in the text, allowing the inflections described above."""
        return next(self._matches(term), False) is not False

    def locate(self, term: str) -> str | None:
        """Where ``term`` is first written in an aligned copy, e.g. ``CTBT Protocol Part II para. 57``."""
        return next((where for where in self._matches(term) if where), None)


def cite(location: str, lang: str) -> str:
    """A term's ``source`` for a location in the text: ``CTBT Protocol (fr) Part II para. 60`` for French."""
    if lang == "en":
        return location
    for document in ("CTBT Protocol", "CTBT"):
        if location.startswith(document + " "):
            return f"{document} ({lang}) {location[len(document) + 1:]}"
    return f"{location} ({lang})"
