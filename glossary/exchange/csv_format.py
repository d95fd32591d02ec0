"""CSV: the review table as UTF-8 with a BOM (so Excel opens it as UTF-8), and other glossaries' CSV/TSV.

The review CSV has the columns of :mod:`.table`, one row per concept. Another glossary's CSV needs
one column per language: a header naming them (``en``, ``English``, ``fr_FR`` ...), or, with no
header, six columns in UN order (ar zh en fr ru es) -- which is checked against the scripts of the
Arabic, Chinese and Russian columns rather than assumed.
"""

from __future__ import annotations

import csv
import io
import os

from babel import Locale, UnknownLocaleError

from glossary.errors import InputError
from glossary.exchange.table import ReviewRow, columns
from glossary.fileio import read_input_bytes
from glossary.model import LANGUAGES, Concept, Origin, Term
from glossary.textnorm import dominant_script

_EXPECTED_SCRIPT = {"ar": "arabic", "zh": "han", "ru": "cyrillic"}
_ENGLISH_NAMES = {Locale(lang).get_display_name("en").casefold(): lang for lang in LANGUAGES}


def render_review_csv(rows: list[ReviewRow], *, with_theirs: bool = False) -> bytes:
    """The review table as CSV bytes: BOM, CRLF line ends (RFC 4180, what Excel writes), every field as text."""
    header = columns(with_theirs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row.values(header))
    return out.getvalue().encode("utf-8-sig")


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as "
                         "CSV UTF-8", path) from exc


def _records(text: str, path: str) -> list[list[str]]:
    # Excel writes ';' where the decimal separator is a comma (French, Russian, Spanish settings)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", path) from exc


def read_review_csv(path: str | os.PathLike) -> list[ReviewRow]:
    """Rows of a review CSV (as exported, edited in any spreadsheet); the header must name ``concept``."""
    name = os.fspath(path)
    records = _records(_decode(read_input_bytes(path, InputError), name), name)
    if not records or "concept" not in [c.strip() for c in records[0]]:
        raise InputError("no 'concept' column in the first row: not a review file exported by `glossary export "
                         "csv`", name, 1)
    header = [c.strip() for c in records[0]]
    return [ReviewRow.from_values(header, record, f"{name}:{number}")
            for number, record in enumerate(records[1:], 2) if any(c.strip() for c in record)]


def _header_language(cell: str) -> str | None:
    cell = cell.strip()
    if cell.casefold() in _ENGLISH_NAMES:
        return _ENGLISH_NAMES[cell.casefold()]
    try:
        locale = Locale.parse(cell.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    return locale.language if locale.language in LANGUAGES else None


def _language_columns(records: list[list[str]], path: str) -> tuple[dict[int, str], int]:
    """Column index -> language, and the number of header rows (0 or 1)."""
    header = {i: lang for i, cell in enumerate(records[0]) if (lang := _header_language(cell))}
    if len(header) >= 2:
        return header, 1
    width = max(len(r) for r in records[:50])
    if width == len(LANGUAGES):
        guessed = dict(enumerate(LANGUAGES))
        sample = records[:200]
        for index, lang in guessed.items():
            scripts = [dominant_script(r[index]) for r in sample if len(r) > index and r[index].strip()]
            if scripts and sum(s == _EXPECTED_SCRIPT.get(lang, "latin") for s in scripts) < 0.8 * len(scripts):
                break
        else:
            return guessed, 0
    raise InputError("cannot tell which column is which language: add a header row naming them "
                     f"({' '.join(LANGUAGES)})", path, 1)


def read_glossary_csv(path: str | os.PathLike) -> list[Concept]:
    """Another glossary's CSV/TSV as concepts: one row, one concept; every non-empty cell a term."""
    name = os.fspath(path)
    records = [r for r in _records(_decode(read_input_bytes(path, InputError), name), name) if any(c.strip() for c in r)]
    if not records:
        raise InputError("empty file: no rows", name)
    languages, skip = _language_columns(records, name)
    concepts = []
    for number, record in enumerate(records[skip:], skip + 1):
        terms: dict[str, list[Term]] = {}
        for index, lang in languages.items():
            text = " ".join(record[index].split()) if index < len(record) else ""
            if text:
                terms.setdefault(lang, []).append(Term(text, status="preferred", origin=Origin(name, number)))
        if terms:
            concepts.append(Concept(id=f"row-{number}", domain="", terms=terms, origin=Origin(name, number)))
    return concepts
