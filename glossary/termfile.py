"""The YAML term file adapter: reads ``terms/*.yaml`` into the model and writes the canonical layout.

Reading composes the YAML node tree (PyYAML's C loader where present) instead of constructing
Python objects, so every value keeps its line for messages, tags that would build objects are
refused, and plain scalars keep their literal text (``NO`` stays a string, not ``False``).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

import yaml

from glossary.errors import Finding, TermFileError
from glossary.fileio import read_input_bytes
from glossary.model import DOMAINS, LANGUAGES, STATUSES, TERM_TYPES, Concept, Origin, Source, Term, Termbase
from glossary.resources import term_file_paths

try:  # the C parser is an order of magnitude faster on large termbases
    from yaml.cyaml import CParser as _Parser
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner
    from yaml import SafeDumper as _Dumper

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

CONCEPT_KEYS = ("id", "domain", "subject", "definition", "terms", "sources", "related", "notes")
REQUIRED_CONCEPT_KEYS = ("id", "domain", "definition", "terms")
TERM_KEYS = ("text", "type", "status", "source", "note")
SOURCE_KEYS = ("document", "paragraphs", "location")

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Loader(_Parser, yaml.resolver.BaseResolver):
    """Composes nodes only. Term files need just two implicit types, string and null: resolving
    numbers, booleans and dates (PyYAML's default) would cost most of the load time and change text."""

    def __init__(self, stream):
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _YAML + "null" if implicit[0] and value in _NULLS else _YAML + "str"
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")
_WIDTH = 100


@dataclass
class ParsedFile:
    """A term file read tolerantly: the concepts that could be built and what was wrong."""

    path: str
    concepts: list[Concept] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]


class _Reader:
    """Turns one composed YAML document into concepts, collecting findings instead of stopping."""

    def __init__(self, path: str):
        self.path = path
        self.findings: list[Finding] = []

    def error(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.findings.append(Finding(self.path, line, "error", message))

    def check_tags(self, node: yaml.Node) -> bool:
        """Refuse explicit tags such as ``!!python/object`` (term files hold data, never objects) and aliases.

        Each node is visited once: a node reached twice is an alias (``*name``), which would let a few
        hundred bytes expand into billions of nodes for every later walk, so the first one stops the walk.
        """
        seen: set[int] = set()
        stack, ok = [node], True
        while stack:
            n = stack.pop()
            if id(n) in seen:
                self.error(n, "YAML anchors and aliases (&name, *name) are not allowed in a term file; "
                              "write the value out")
                return False
            seen.add(id(n))
            if n.tag not in _ALLOWED_TAGS:
                self.error(n, f"YAML tag {n.tag.replace(_YAML, '!!')!r} is not allowed in a term file")
                ok = False
            if isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
            elif isinstance(n, yaml.MappingNode):
                for k, v in n.value:
                    stack.append(k)
                    stack.append(v)
        return ok

    def string(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what}: expected a string")
            return None
        if node.tag == _YAML + "null":
            self.error(node, f"{what}: must not be empty")
            return None
        return node.value

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}: expected a mapping")
            return None
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                self.error(key_node, f"{what}: unknown key {key!r} (expected one of: {', '.join(allowed)})")
            elif key in result:
                self.error(key_node, f"{what}: duplicate key {key!r}")
            else:
                result[key] = value_node
        return result

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what}: expected a list")
            return []
        return node.value

    def choice(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> str | None:
        value = self.string(node, what)
        if value is not None and value not in allowed:
            self.error(node, f"{what}: {value!r} is not one of {', '.join(allowed)}")
            return None
        return value

    def document(self, root: yaml.Node | None) -> list[Concept]:
        if root is None:
            self.findings.append(Finding(self.path, None, "error", "empty file: expected a list of concepts"))
            return []
        if not self.check_tags(root):
            return []
        concepts = []
        for item in self.sequence(root, "file"):
            concept = self.concept(item)
            if concept is not None:
                concepts.append(concept)
        return concepts

    def concept(self, node: yaml.Node) -> Concept | None:
        label = "concept"
        if isinstance(node, yaml.MappingNode):  # name the concept in every message, even about its keys
            ids = [v.value for k, v in node.value
                   if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(v, yaml.ScalarNode)]
            if ids and ids[0]:
                label = f"concept {ids[0]}"
        fields = self.mapping(node, label, CONCEPT_KEYS)
        if fields is None:
            return None
        for key in REQUIRED_CONCEPT_KEYS:
            if key not in fields:
                self.error(node, f"{label}: missing required key {key!r}")
        cid = self.string(fields["id"], "id") if "id" in fields else None
        domain = self.choice(fields["domain"], f"{label}: domain", DOMAINS) if "domain" in fields else None
        if cid is None or domain is None:
            return None
        concept = Concept(id=cid, domain=domain, origin=Origin(self.path, node.start_mark.line + 1))
        if "definition" in fields:
            concept.definition = self.string(fields["definition"], f"{label}: definition") or ""
            if fields["definition"].tag != _YAML + "null" and not concept.definition.strip():
                self.error(fields["definition"], f"{label}: definition must not be empty")
        if "subject" in fields:
            concept.subject = self.string(fields["subject"], f"{label}: subject")
        if "notes" in fields:
            concept.notes = self.string(fields["notes"], f"{label}: notes")
        if "terms" in fields:
            concept.terms = self.terms(fields["terms"], label)
        if "sources" in fields:
            concept.sources = [s for n in self.sequence(fields["sources"], f"{label}: sources")
                               if (s := self.source(n, label)) is not None]
        if "related" in fields:
            concept.related = [r for n in self.sequence(fields["related"], f"{label}: related")
                               if (r := self.string(n, f"{label}: related")) is not None]
        return concept

    def terms(self, node: yaml.Node, label: str) -> dict[str, list[Term]]:
        by_lang = self.mapping(node, f"{label}: terms", LANGUAGES)
        if by_lang is None:
            return {}
        terms: dict[str, list[Term]] = {}
        for lang in LANGUAGES:  # canonical order, whatever order the file uses
            if lang in by_lang:
                items = self.sequence(by_lang[lang], f"{label}: {lang}")
                terms[lang] = [t for n in items if (t := self.term(n, f"{label}: {lang}")) is not None]
        return terms

    def term(self, node: yaml.Node, label: str) -> Term | None:
        fields = self.mapping(node, f"{label}: term", TERM_KEYS)
        if fields is None:
            return None
        if "text" not in fields:
            self.error(node, f"{label}: term has no 'text'")
            return None
        text = self.string(fields["text"], f"{label}: text")
        if text is None:
            return None
        term = Term(text=text, origin=Origin(self.path, node.start_mark.line + 1))
        if "type" in fields:
            term.type = self.choice(fields["type"], f"{label}: {text}: type", TERM_TYPES) or term.type
        if "status" in fields:
            term.status = self.choice(fields["status"], f"{label}: {text}: status", STATUSES) or term.status
        if "source" in fields:
            term.source = self.string(fields["source"], f"{label}: {text}: source")
        if "note" in fields:
            term.note = self.string(fields["note"], f"{label}: {text}: note")
        return term

    def source(self, node: yaml.Node, label: str) -> Source | None:
        fields = self.mapping(node, f"{label}: source", SOURCE_KEYS)
        if fields is None:
            return None
        if "document" not in fields:
            self.error(node, f"{label}: source has no 'document'")
            return None
        document = self.string(fields["document"], f"{label}: source document")
        if document is None:
            return None
        source = Source(document=document)
        if "paragraphs" in fields:
            source.paragraphs = [p for n in self.sequence(fields["paragraphs"], f"{label}: paragraphs")
                                 if (p := self.string(n, f"{label}: paragraph")) is not None]
        if "location" in fields:
            source.location = self.string(fields["location"], f"{label}: source location")
        return source


def first_alias(root: yaml.Node | None) -> yaml.Node | None:
    """The first node reached a second time in the composed graph (an alias), or ``None``; linear in the
    number of distinct nodes, so an alias bomb is found in milliseconds."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            return n
        seen.add(id(n))
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return None


#: The largest term file read (bytes); a termbase of 100,000 concepts is about 85 MB in four files.
MAX_TERM_FILE_BYTES = 64 * 1024 * 1024


def _decode(data: bytes, path: str) -> str:
    if len(data) > MAX_TERM_FILE_BYTES:
        raise TermFileError(f"{len(data)} bytes is over the term file limit of {MAX_TERM_FILE_BYTES} bytes; "
                            "split the file", path)
    if not data.strip():
        raise TermFileError("empty file: expected a list of concepts", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TermFileError(f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path,
                            line) from exc


def compose_term_text(text: str) -> yaml.Node | None:
    """The YAML node tree of a term file's text, with marks, as every reader of term files should see it."""
    return yaml.compose(text, Loader=_Loader)


def parse_term_file(data: bytes, path: str) -> ParsedFile:
    """Read one term file's bytes; never raises for content problems, which become findings.

    The canonical layout this module writes is read by :mod:`glossary.termfile_fast`; anything else,
    and anything wrong, by the full reader (:func:`parse_full_term_file`), whose findings are the answer."""
    from glossary.termfile_fast import parse_canonical

    try:
        concepts = parse_canonical(_decode(data, path), path)
    except TermFileError:
        concepts = None  # the full reader reports it
    if concepts is not None:
        return ParsedFile(path, concepts)
    return parse_full_term_file(data, path)


def parse_full_term_file(data: bytes, path: str) -> ParsedFile:
    """:func:`parse_term_file` through the YAML node tree, whatever the layout."""
    parsed = ParsedFile(path)
    try:
        text = _decode(data, path)
        root = compose_term_text(text)
    except TermFileError as exc:
        parsed.findings.append(Finding(path, exc.line, "error", exc.message))
        return parsed
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        parsed.findings.append(Finding(path, mark.line + 1 if mark else None, "error", f"malformed YAML: {problem}"))
        return parsed
    except yaml.YAMLError as exc:  # reader errors (control characters) have no problem_mark
        parsed.findings.append(Finding(path, None, "error", f"malformed YAML: {exc}"))
        return parsed
    reader = _Reader(path)
    parsed.concepts = reader.document(root)
    parsed.findings.extend(reader.findings)
    return parsed


def read_term_file(path: str | os.PathLike) -> ParsedFile:
    """Read a term file from disk; a file that cannot be opened is a :class:`TermFileError`."""
    path = os.fspath(path)
    return parse_term_file(read_input_bytes(path, TermFileError, "cannot read term file", MAX_TERM_FILE_BYTES), path)


def load_termbase(paths: Iterable[str | os.PathLike]) -> Termbase:
    """Load term files (or directories of them) into one termbase; the first error stops with its place."""
    termbase = Termbase()
    for path in term_file_paths(paths):
        parsed = read_term_file(path)
        if parsed.errors:
            first = parsed.errors[0]
            raise TermFileError(first.message, first.path, first.line)
        for concept in parsed.concepts:
            if concept.id in termbase:
                other = termbase[concept.id].origin
                raise TermFileError(f"duplicate concept id {concept.id!r} (first at {other.path}:{other.line})",
                                    path, concept.origin.line if concept.origin else None)
            termbase.add(concept)
    return termbase


# --- writing -------------------------------------------------------------------------------------

def _dump(value, flow: bool) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow,
                     width=10**9 if flow else _WIDTH).rstrip("\n")


def _flow(mapping: dict) -> str:
    """One-line flow mapping; the emitter decides quoting so every text reads back unchanged."""
    return _dump({k: v for k, v in mapping.items() if v not in (None, [], "")}, flow=True)


def _scalar_field(key: str, value: str, indent: str) -> str:
    lines = _dump({key: value}, flow=False).split("\n")
    return "\n".join(indent + line for line in lines)


def format_term(term: Term) -> str:
    """A term as its one-line flow mapping (the unit that edits and diffs work on)."""
    return _flow({"text": term.text, "type": term.type, "status": term.status, "source": term.source,
                  "note": term.note})


def format_source(source: Source) -> str:
    paragraphs = [int(p) if p.isdigit() else p for p in source.paragraphs]
    return _flow({"document": source.document, "paragraphs": paragraphs, "location": source.location})


def format_concept(concept: Concept) -> str:
    """A concept as a YAML list item in the canonical layout of ``terms/README.md``."""
    out = [f"- {_dump({'id': concept.id}, flow=False)}", f"  {_dump({'domain': concept.domain}, flow=False)}"]
    if concept.subject:
        out.append(_scalar_field("subject", concept.subject, "  "))
    out.append(_scalar_field("definition", concept.definition, "  "))
    out.append("  terms:")
    for lang in LANGUAGES:
        if lang in concept.terms:
            out.append(f"    {lang}:" + ("" if concept.terms[lang] else " []"))
            out.extend(f"      - {format_term(t)}" for t in concept.terms[lang])
    if concept.sources:
        out.append("  sources:")
        out.extend(f"    - {format_source(s)}" for s in concept.sources)
    if concept.related:
        out.append(f"  related: {_dump(list(concept.related), flow=True)}")
    if concept.notes:
        out.append(_scalar_field("notes", concept.notes, "  "))
    return "\n".join(out) + "\n"


def write_term_file(fileobj: IO[str], concepts: Iterable[Concept], header: str | None = None) -> None:
    """Write concepts in the canonical layout; ``header`` becomes leading comment lines."""
    if header:
        fileobj.write("".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()))
    first = True
    for concept in concepts:
        if not first:
            fileobj.write("\n")
        fileobj.write(format_concept(concept))
        first = False
    if first:
        fileobj.write("[]\n")


def normalise_text(text: str) -> str:
    """NFC with collapsed whitespace: what a clean term text looks like."""
    return " ".join(unicodedata.normalize("NFC", text).split())
