"""TBX import: TBX v3 (ISO 30042:2019; Basic, Core, Min; DCA or DCT style) and TBX 2008 (``martif``) into the model.

The reader is tolerant about what it does not use (transactions, graphics, custom categories) and strict
about what makes a file unusable: not XML, unsafe XML (see :mod:`.xmlsafe`), or a root that is not
``tbx`` or ``martif`` (or ``martifHeader``, the root EuroTermBank exports wrongly use; read, and named
in the dialect). Data categories are read by their name whether written as ``<termNote
type="termType">`` (DCA, 2008) or ``<basic:termType>`` (DCT), so one code path serves every dialect.
Languages outside the glossary's six are counted and left out; Chinese in traditional script
(``zh-TW``, ``zh-Hant``) is left out too, since the glossary's Chinese is simplified.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from glossary.errors import InputError
from glossary.exchange.tbx_write import PROPOSED_NOTE
from glossary.exchange.xmlsafe import parse_xml
from glossary.fileio import read_input_bytes
from glossary.model import LANGUAGES, TERM_TYPES, Concept, Origin, Source, Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TYPED = frozenset({"descrip", "termNote", "admin", "ref", "xref", "adminNote", "descripNote", "transac"})
_GROUPS = frozenset({"descripGrp", "adminGrp", "termNoteGrp", "termGrp"})
_STRUCTURE = frozenset({"conceptEntry", "termEntry", "langSec", "langSet", "termSec", "tig", "ntig"})
_TRADITIONAL = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


@dataclass
class TbxGlossary:
    """The concepts of a TBX file in the model's terms, with what was left out."""

    path: str
    dialect: str
    concepts: list[Concept] = field(default_factory=list)
    other_languages: Counter = field(default_factory=Counter)


def _local(node: etree._Element) -> str:
    """The element's name without its namespace; empty for comments and processing instructions."""
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())


def _categories(level: etree._Element) -> list[tuple[str, etree._Element]]:
    """(data category, element) pairs that belong to this level (inside groups, not in sub-levels)."""
    found, stack = [], list(level)
    while stack:
        node = stack.pop(0)
        name = _local(node)
        if not name or name in _STRUCTURE or name == "term":
            continue
        if name in _GROUPS:
            stack[:0] = list(node)
        elif name in _TYPED:
            found.append((node.get("type") or name, node))
        else:  # DCT (<basic:termType>) and plain elements such as <note>
            found.append((name, node))
    return found


def glossary_language(tag: str | None) -> str | None:
    """The glossary language of an ``xml:lang`` value, or ``None`` for others (and traditional Chinese)."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag.startswith(_TRADITIONAL):
        return None
    primary = tag.split("-", 1)[0]
    return primary if primary in LANGUAGES else None


def _status(values: list[str], notes: list[str]) -> str:
    if PROPOSED_NOTE in notes:
        return "proposed"
    for value in values:
        v = value.lower()
        if v.startswith("preferred"):
            return "preferred"
        if v.startswith(("deprecated", "superseded", "notrecommended", "obsolete", "forbidden")):
            return "deprecated"
        if v.startswith("admitted"):
            return "admitted"
    return "admitted"


def _term_type(value: str | None) -> str:
    if value == "acronym":
        return "abbreviation"
    return value if value in TERM_TYPES else "variant" if value else "fullForm"


def _term(sec: etree._Element, path: str) -> Term | None:
    term_node = next((n for n in sec.iter() if _local(n) == "term"), None)
    if term_node is None:
        return None
    text = _text(term_node)
    if not text:
        return None
    cats = _categories(sec)
    for group in (n for n in sec if _local(n) == "termGrp"):  # ntig: <termGrp><term/><termNote/></termGrp>
        cats.extend(_categories(group))
    notes = [_text(n) for name, n in cats if name == "note"]
    statuses = [_text(n) for name, n in cats if name in ("administrativeStatus", "normativeAuthorization")]
    term_type = next((_text(n) for name, n in cats if name == "termType"), None)
    source = next((_text(n) for name, n in cats if name == "source"), None) or None
    own_notes = [n for n in notes if n and n != PROPOSED_NOTE]
    return Term(text, _term_type(term_type), _status(statuses, notes), source, "; ".join(own_notes) or None,
                Origin(path, term_node.sourceline or 0))


def _concept(entry: etree._Element, index: int, path: str, skipped: Counter) -> Concept:
    cats = _categories(entry)
    subject = next((_text(n) for name, n in cats if name == "subjectField"), "")
    definitions: dict[str | None, str] = {}
    for name, node in cats:
        if name == "definition":
            definitions.setdefault(None, _text(node))
    concept = Concept(id=entry.get("id") or f"entry-{index}", domain=subject, origin=Origin(path, entry.sourceline or 0))
    concept.sources = [Source(_text(n)) for name, n in cats if name == "source" and _text(n)]
    concept.related = [n.get("target") or _text(n) for name, n in cats
                       if name in ("crossReference", "relatedConcept")]
    notes = [_text(n) for name, n in cats if name == "note" and _text(n)]
    concept.notes = "; ".join(notes) or None
    for sec in (n for n in entry if _local(n) in ("langSec", "langSet")):
        tag = sec.get(XML_LANG) or sec.get("lang")
        lang = glossary_language(tag)
        if lang is None:
            skipped[tag or "(none)"] += 1
            continue
        for name, node in _categories(sec):
            if name == "definition":
                definitions[lang] = _text(node)
        for term_sec in (n for n in sec if _local(n) in ("termSec", "tig", "ntig")):
            term = _term(term_sec, path)
            if term is not None:
                concept.terms.setdefault(lang, []).append(term)
    concept.definition = definitions.get("en") or definitions.get(None) or next(iter(definitions.values()), "")
    return concept


def parse_tbx(data: bytes, path: str) -> TbxGlossary:
    """Read TBX bytes; raises :class:`InputError` (one line, naming the file) for anything unusable."""
    root = parse_xml(data, path).getroot()
    name = _local(root)
    if name not in ("tbx", "martif", "martifHeader"):
        raise InputError(f"not a TBX file: the root element is <{name}>, expected <tbx> (TBX v3) or "
                         "<martif> (TBX 2008)", path, root.sourceline)
    if name == "tbx":
        dialect = f"TBX v3 {root.get('type') or '(no type)'} {root.get('style') or ''}".strip()
    elif name == "martif":
        dialect = f"TBX 2008 {root.get('type') or 'martif'}"
    else:  # EuroTermBank exports: <martifHeader> as root with <text> inside it; read, and say so
        dialect = "TBX 2008 (non-conformant <martifHeader> root)"
    body = next((n for n in root.iter() if _local(n) == "body"), None)
    if body is None:
        raise InputError("no <text><body> element: the file holds no terminology", path)
    glossary = TbxGlossary(path, dialect)
    entries = [n for n in body if _local(n) in ("conceptEntry", "termEntry")]
    for index, entry in enumerate(entries, 1):
        glossary.concepts.append(_concept(entry, index, path, glossary.other_languages))
    return glossary


def read_tbx(path: str | os.PathLike) -> TbxGlossary:
    """Read a TBX file (see :func:`parse_tbx`)."""
    return parse_tbx(read_input_bytes(path, InputError), os.fspath(path))
