"""Reading documents for mining: decoding, PDF-extraction clean-up and numbered paragraphs.

A document is read one file at a time and handed on as paragraphs, so a corpus of any size is streamed:
nothing here keeps more than the file being read.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glossary.errors import InputError
from glossary.fileio import read_input_bytes
from glossary.textnorm import display_width

#: Bytes sniffed for NUL bytes and control characters before decoding.
_SNIFF = 8192
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: Encodings tried, in order, on text without a byte order mark.
_FALLBACK_ENCODINGS = ("utf-8", "gb18030")
_ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK", "cp1252": "Windows-1252/Latin-1",
                   "cp1251": "Windows-1251", "cp1256": "Windows-1256"}

#: Full-width ASCII letters and digits (and the ideographic space) folded to ASCII; punctuation is kept,
#: because Chinese punctuation marks clause boundaries and reads better in contexts.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH.update({0xFF0E: 0x2E, 0xFF0F: 0x2F, 0xFF0D: 0x2D})  # ．／－ inside codes and symbols

#: A UN/CTBTO document symbol standing alone on a line: ``CTBT/WGB-62/INF.4``, ``CTBT/PC-61/2``.
SYMBOL_RE = re.compile(r"[A-Z][A-Z0-9]*(?:/[A-Za-z0-9][A-Za-z0-9.,\-*]*)+")
_PAGE_RE = re.compile(r"(?:Page|page|PAGE|Página|Страница)\s+\d+|第\s*\d+\s*页|[-–—]?\s*\d{1,4}\s*[-–—]?|\d+\s*/\s*\d+")
_PARA_RE = re.compile(r"(\d{1,3})\.(?!\d)\s*")
_LIST_RE = re.compile(r"(?:[－—–•·\-]|\(\d+\)|（\d+）|[㈠-㈩])\s*")
#: An annex or appendix heading: numbering stops there and tables follow, so no headings are guessed inside.
_ANNEX_RE = re.compile(r"(?:附件|附录|Annex|ANNEX|Appendix|APPENDIX)\s*[一二三四五六七八九十IVX\d]{0,4}")
_TERMINAL = "。！？；：.!?;:"
_CLOSING = _TERMINAL + "，、,）)》」』”"

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf\u3200-\u32ff"
#: Layout spaces next to a Chinese character (justified text, spaces around Latin words and numbers).
_HAN_CHAR_RE = re.compile(rf"[{_HAN}]")
_SPACES_RE = re.compile(r"[ \t]+")


def _drop_layout_space(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = start > 0 and _HAN_CHAR_RE.match(text, start - 1)
    after = end < len(text) and _HAN_CHAR_RE.match(text, end)
    return "" if before or after else match.group()


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document: its number (if the document numbers it), its heading and clean text."""

    document: str
    number: str | None
    text: str
    heading: str | None = None
    is_heading: bool = False
    annex: str | None = None

    def reference(self) -> str:
        """``CTBT/WGB-62/INF.4 para. 13``, ``CTBT/WGB-62/INF.4 附录一``, or the bare document name."""
        if self.number:
            return f"{self.document} para. {self.number}"
        return f"{self.document} {self.annex}" if self.annex else self.document


@dataclass
class Document:
    """A decoded document: where it came from, its symbol and its paragraphs."""

    path: str
    symbol: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


# --- decoding -------------------------------------------------------------------------------------------------


def decode_bytes(data: bytes, path: str, fallbacks: tuple[str, ...] = _FALLBACK_ENCODINGS) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, then the ``fallbacks`` in order (GB18030/GBK
    for Chinese documents; a caller reading European-language text passes cp1252 instead, since GB18030
    would turn Latin-1 accents into Chinese characters); anything else is an InputError."""
    if not data.strip():
        raise InputError("empty file: no text", path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"cannot decode as {encoding.upper()} (byte {exc.start})", path) from exc
            return _check_text(text, path)
    head = data[:_SNIFF]
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 100 + 1:
        raise InputError("binary file, not text (save it as UTF-8 text)", path)
    for encoding in fallbacks:
        try:
            return _check_text(data.decode(encoding), path)
        except UnicodeDecodeError:
            continue
    names = ", ".join(_ENCODING_NAMES.get(e, e.upper()) for e in fallbacks)
    raise InputError(f"cannot decode as {names} or UTF-16 with BOM (convert it to UTF-8)", path)


def _check_text(text: str, path: str) -> str:
    if not text.strip():
        raise InputError("empty file: no text", path)
    return text


def read_document(path: str | os.PathLike, data: bytes | None = None) -> Document:
    """Read and clean one document; ``data`` is given for stdin (``path`` is then ``-``)."""
    name = os.fspath(path)
    if data is None:
        data = read_input_bytes(name, InputError, "cannot read")  # regular files only, within the size limit
    text = decode_bytes(data, name)
    fallback = "stdin" if name == "-" else Path(name).stem
    return parse_document(text, path=name, fallback_symbol=fallback)


@dataclass
class SkippedFile:
    path: str
    reason: str


def iter_input_files(paths: Iterable[str | os.PathLike],
                     unreadable: list[SkippedFile] | None = None) -> Iterator[tuple[str, bool]]:
    """Every file to read as ``(path, named)``: files as given (``named``), directories walked in sorted order.

    ``named`` tells the caller whether the user named the file (a bad one is then an error) or it was found
    in a directory (a bad one is skipped with a warning). A subdirectory that cannot be listed goes to
    ``unreadable`` (an error when none is given): it is never skipped silently.
    """
    def walk_error(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else name
        if unreadable is None or os.path.abspath(where) == os.path.abspath(name):
            raise InputError(f"cannot read directory: {exc.strerror}", where) from exc
        unreadable.append(SkippedFile(os.fspath(where), f"cannot read directory: {exc.strerror}"))

    for path in paths:
        name = os.fspath(path)
        if name == "-" or not Path(name).is_dir():
            if name != "-" and not Path(name).exists():
                raise InputError("no such file or directory", name)
            yield name, True
            continue
        for root, dirs, files in os.walk(name, onerror=walk_error):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file in sorted(files):
                if not file.startswith("."):
                    yield os.path.join(root, file), False


def iter_documents(paths: Iterable[str | os.PathLike], skipped: list[SkippedFile] | None = None,
                   stdin: bytes | None = None) -> Iterator[Document]:
    """Documents one at a time; bad files found in directories go to ``skipped`` instead of raising."""
    for name, named in iter_input_files(paths, skipped):
        try:
            if name == "-":
                yield read_document("-", stdin if stdin is not None else sys.stdin.buffer.read())
            else:
                yield read_document(name)
        except InputError as exc:
            if named or skipped is None:
                raise
            skipped.append(SkippedFile(name, exc.message))


# --- clean-up -------------------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """NFC, full-width letters and digits to ASCII, no layout spaces next to Chinese characters."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH)
    return _SPACES_RE.sub(_drop_layout_space, text).strip()  # a lookaround regex was 5x slower here


def detect_symbol(lines: list[str]) -> str | None:
    """The document symbol: the most frequent line that is nothing but a symbol (the page header)."""
    counts = Counter(line for line in lines if SYMBOL_RE.fullmatch(line))
    return counts.most_common(1)[0][0] if counts else None


def _is_furniture(line: str, symbol: str | None) -> bool:
    return line == symbol or bool(_PAGE_RE.fullmatch(line))


def _full_width_threshold(lines: list[str]) -> int:
    """Lines at least this wide were wrapped by the layout rather than ended by the author."""
    widths = sorted(width for width in map(display_width, lines) if width > 20)
    if len(widths) < 5:
        return 0  # too few lines to measure the margin: a line that does not end a sentence continues
    return int(widths[int(len(widths) * 0.75)] * 0.85)


def _join(left: str, right: str) -> str:
    """Rejoin a line break: no space inside Chinese text or after a hyphen/slash, one space between words."""
    if not left:
        return right
    if left[-1].isascii() and left[-1].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def _blocks(lines: list[str], symbol: str | None) -> Iterator[str]:
    """Physical lines rejoined into blocks: a full-width line that does not end a sentence continues."""
    kept = [line for line in lines if line and not _is_furniture(line, symbol)]
    full = _full_width_threshold(kept)
    block, last_width = "", 0
    for line in kept:
        if block and (last_width < full or block[-1] in _TERMINAL or _PARA_RE.match(line)
                      or _LIST_RE.match(line) or _ANNEX_RE.fullmatch(block) or _ANNEX_RE.fullmatch(line)):
            yield block
            block = ""
        block = _join(block, line)
        last_width = display_width(line)
    if block:
        yield block


def _is_heading(block: str) -> bool:
    """A short line of its own that does not end like a sentence: a section heading."""
    return len(block) <= 40 and block[-1] not in _CLOSING and not _PARA_RE.match(block) \
        and not _LIST_RE.match(block)


def parse_document(text: str, path: str = "-", fallback_symbol: str = "document") -> Document:
    """Clean PDF-extracted text into numbered paragraphs.

    Page furniture (the symbol header, ``Page 11``) is dropped, words broken across lines are rejoined, and
    numbering is followed strictly (13 follows 12) so that a numbered agenda inside paragraph 7 does not
    restart the paragraph count.
    """
    lines = [unicodedata.normalize("NFC", line).translate(_FULLWIDTH).strip() for line in text.splitlines()]
    symbol = detect_symbol(lines)
    document = Document(path=path, symbol=symbol or fallback_symbol)
    number: int | None = None
    sublist_next: int | None = None
    heading: str | None = None
    annex: str | None = None
    current: list[str] = []

    def flush() -> None:
        if current:
            body = normalise_text("".join(current))
            if body:
                document.paragraphs.append(Paragraph(document.symbol, str(number) if number else None, body,
                                                     heading, annex=annex))
            current.clear()

    for block in _blocks(lines, symbol):
        match = _PARA_RE.match(block)
        if _ANNEX_RE.fullmatch(block):
            flush()
            number, sublist_next, annex = None, None, normalise_text(block)
            heading = annex
            document.paragraphs.append(Paragraph(document.symbol, None, annex, annex, True, annex))
            continue
        if annex:
            current.append(("\n" if current else "") + block)
            continue
        if match:
            n = int(match.group(1))
            if sublist_next is not None and n == sublist_next:
                sublist_next += 1
            elif number is None or n == number + 1:
                flush()
                number, sublist_next = n, None
                current.append(block[match.end():])
                continue
            elif n == 1:
                sublist_next = 2
        elif _is_heading(block):
            flush()
            heading = normalise_text(block)
            document.paragraphs.append(Paragraph(document.symbol, None, heading, heading, True))
            continue
        current.append(("\n" if current else "") + block)
    flush()
    return document
