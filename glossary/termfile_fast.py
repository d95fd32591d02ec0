"""A fast reader for the canonical term file layout that :func:`glossary.termfile.format_concept` writes.

Composing YAML nodes runs at about 1 MB/s even with libyaml, most of it building node objects; the
canonical layout is line-shaped (one key a line, one term a line as a flow mapping), so reading it
line by line with a few string operations is an order of magnitude faster. It is only a shortcut:
:func:`parse_canonical` returns ``None`` at the first thing it is not certain to read as YAML would
(any escape, block scalar, multi-line value, tag, anchor, comment inside a concept, unusual spacing,
or anything the full reader would report), and the caller then reads the file with the full reader,
which gives the same concepts or the same errors and lines as always. Scalars it cannot read itself
but whose extent is certain (escapes, block and multi-line scalars) are composed by PyYAML alone.
"""

from __future__ import annotations

import re

from glossary.model import DOMAINS, LANGUAGES, STATUSES, TERM_TYPES, Concept, Origin, Source, Term

#: Characters YAML refuses or reads as line breaks, tabs and carriage returns: leave those to the full reader.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
#: Characters a plain scalar may not start with (YAML indicators) and, in a flow collection, contain.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = re.compile(r"[:#,\[\]{}]")
_CONCEPT_KEYS = ("domain", "subject", "definition", "notes")
_TERM_KEYS = frozenset(("text", "type", "status", "source", "note"))
_SOURCE_KEYS = frozenset(("document", "paragraphs", "location"))
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')


#: A double-quoted scalar whose only escapes are \\" \\\\ and \\/ (others are left to PyYAML).
_DOUBLE_ESCAPED = re.compile(r'"((?:[^"\\]|\\["\\/])*)"')
_ESCAPE = re.compile(r"\\(.)")


def _unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: m.group(1), value)


class _NotCanonical(Exception):
    """Raised anywhere the layout is not one this reader is sure of."""


def _composed(snippet: str) -> str:
    """The string value of a one-key mapping snippet as PyYAML reads it (escapes, folding, block scalars)."""
    import yaml

    from glossary.termfile import _YAML, compose_term_text

    try:
        root = compose_term_text(snippet)
    except yaml.YAMLError as exc:
        raise _NotCanonical from exc
    if not (isinstance(root, yaml.MappingNode) and len(root.value) == 1):
        raise _NotCanonical
    value = root.value[0][1]
    if not isinstance(value, yaml.ScalarNode) or value.tag != _YAML + "str":
        raise _NotCanonical
    return value.value


def _block_scalar(raw: str) -> str:
    """A value on its key's line in block context: plain, or quoted without escapes."""
    if not raw or raw[0] in " #":
        raise _NotCanonical
    if raw[0] == "'":
        match = _SINGLE.fullmatch(raw)
        if match is None:
            raise _NotCanonical
        return match.group(1).replace("''", "'")
    if raw[0] == '"':
        match = _DOUBLE.fullmatch(raw)
        if match is None:
            raise _NotCanonical
        return match.group(1)
    if raw[0] in _INDICATORS or ": " in raw or " #" in raw or raw.endswith((":", " ")) or raw in _NULLS:
        raise _NotCanonical
    return raw


class _Flow:
    """A one-line flow collection of scalars (the terms, sources and related lists), read left to right."""

    def __init__(self, text: str):
        self.text = text
        self.at = 0

    def expect(self, char: str) -> None:
        if not self.text.startswith(char, self.at):
            raise _NotCanonical
        self.at += len(char)

    def scalar(self, closers: str) -> str:
        text, at = self.text, self.at
        if text.startswith("'", at):
            end = at + 1
            while True:
                end = text.find("'", end)
                if end < 0:
                    raise _NotCanonical
                if text.startswith("''", end):
                    end += 2
                    continue
                break
            self.at = end + 1
            return text[at + 1:end].replace("''", "'")
        if text.startswith('"', at):
            match = _DOUBLE_ESCAPED.match(text, at)
            if match is None:
                raise _NotCanonical
            self.at = match.end()
            value = match.group(1)
            return _unescape(value) if "\\" in value else value
        end = at
        while end < len(text) and text[end] not in closers:
            end += 1
        value = text[at:end]
        if not value or value[0] in _INDICATORS or value != value.strip() or value in _NULLS \
                or _FLOW_SPECIAL.search(value):
            raise _NotCanonical
        self.at = end
        return value

    def sequence(self) -> list[str]:
        self.expect("[")
        items: list[str] = []
        if self.text.startswith("]", self.at):
            self.at += 1
            return items
        while True:
            items.append(self.scalar(",]"))
            if self.text.startswith(", ", self.at):
                self.at += 2
                continue
            self.expect("]")
            return items

    def mapping(self, allowed: frozenset[str]) -> dict[str, object]:
        self.expect("{")
        result: dict[str, object] = {}
        while True:
            colon = self.text.find(": ", self.at)
            key = self.text[self.at:colon]
            if colon < 0 or key not in allowed or key in result:
                raise _NotCanonical
            self.at = colon + 2
            result[key] = self.sequence() if key == "paragraphs" else self.scalar(",}")
            if self.text.startswith(", ", self.at):
                self.at += 2
                continue
            self.expect("}")
            return result

    def end(self) -> None:
        if self.at != len(self.text):
            raise _NotCanonical


_SCALAR = r"""('(?:[^']|'')*'|"(?:[^"\\]|\\["\\/])*"|[^\s\-?:,\[\]{}#&*!|>'"%@`](?:[^:#,\[\]{}]*[^\s:#,\[\]{}])?)"""
#: A term line as the writer writes it (keys in this order); any other line goes through :class:`_Flow`.
_TERM_LINE = re.compile(r"\{text: %s(?:, type: %s)?(?:, status: %s)?(?:, source: %s)?(?:, note: %s)?\}"
                        % ((_SCALAR,) * 5))


def _scalar(token: str | None) -> str | None:
    if token is None:
        return None
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    if token[0] == '"':
        return _unescape(token[1:-1])
    if token in _NULLS:
        raise _NotCanonical
    return token


def _term_line(text: str, path: str, line: int) -> Term:
    match = _TERM_LINE.fullmatch(text)
    if match is None:
        return _term(_flow_mapping(text, _TERM_KEYS), path, line)
    term, kind, status, source, note = map(_scalar, match.groups())
    if kind is None:
        kind = "fullForm"
    if status is None:
        status = "admitted"
    if kind not in TERM_TYPES or status not in STATUSES:
        raise _NotCanonical
    return Term(term, kind, status, source, note, Origin(path, line))


def _flow_mapping(text: str, allowed: frozenset[str]) -> dict[str, object]:
    flow = _Flow(text)
    try:
        result = flow.mapping(allowed)
        flow.end()
    except _NotCanonical:
        if "\\" not in text:
            raise
        return _composed_flow(text, allowed)  # an escape other than \\" \\\\ \\/: PyYAML reads it
    return result


def _composed_flow(text: str, allowed: frozenset[str]) -> dict[str, object]:
    import yaml

    from glossary.termfile import _YAML, compose_term_text

    def scalar(node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _YAML + "str":
            raise _NotCanonical
        return node.value

    try:
        root = compose_term_text(text)
    except yaml.YAMLError as exc:
        raise _NotCanonical from exc
    if not isinstance(root, yaml.MappingNode):
        raise _NotCanonical
    result: dict[str, object] = {}
    for key_node, value_node in root.value:
        key = scalar(key_node)
        if key not in allowed or key in result:
            raise _NotCanonical
        if key == "paragraphs":
            if not isinstance(value_node, yaml.SequenceNode):
                raise _NotCanonical
            result[key] = [scalar(item) for item in value_node.value]
        else:
            result[key] = scalar(value_node)
    return result


def _term(fields: dict[str, object], path: str, line: int) -> Term:
    if "text" not in fields or fields.get("type", "fullForm") not in TERM_TYPES \
            or fields.get("status", "admitted") not in STATUSES or "paragraphs" in fields:
        raise _NotCanonical
    return Term(fields["text"], fields.get("type", "fullForm"), fields.get("status", "admitted"),
                fields.get("source"), fields.get("note"), Origin(path, line))


def _source(fields: dict[str, object]) -> Source:
    if "document" not in fields:
        raise _NotCanonical
    return Source(fields["document"], list(fields.get("paragraphs", [])), fields.get("location"))


def _folded(content: list[str], style: str) -> str:
    """A stripped (``-``) block scalar of lines indented four spaces, none deeper, none empty: folded
    (``>``) lines join with spaces, literal (``|``) ones with line breaks; anything else goes to PyYAML."""
    if any(not line.startswith("    ") or line[4:5] in (" ", "") for line in content):
        raise _NotCanonical
    return (" " if style == ">" else "\n").join(line[4:] for line in content)


def _value_lines(lines: list[str], start: int) -> int:
    """The index after the value starting on ``lines[start]``: its continuation lines are indented deeper."""
    end = start + 1
    while end < len(lines) and (lines[end].startswith("   ") or (not lines[end].strip() and end + 1 < len(lines)
                                                                    and lines[end + 1].startswith("   "))):
        end += 1
    return end


def parse_canonical(text: str, path: str) -> list[Concept] | None:
    """The concepts of a term file in the canonical layout, or ``None`` to read it with the full reader."""
    if _UNUSUAL.search(text):
        return None
    try:
        return _parse(text.split("\n"), path)
    except _NotCanonical:
        return None


def _parse(lines: list[str], path: str) -> list[Concept]:
    concepts: list[Concept] = []
    n, total = 0, len(lines)
    while n < total:
        line = lines[n]
        if not line or line.startswith("#"):
            n += 1
            continue
        if not line.startswith("- id: "):
            raise _NotCanonical
        concept_line = n + 1
        cid = _block_scalar(line[6:])
        fields: dict[str, object] = {}
        n += 1
        while n < total and lines[n].startswith("  ") and not lines[n].startswith("   "):
            line = lines[n]
            colon = line.find(":")
            key = line[2:colon]
            if colon < 0 or key in fields:
                raise _NotCanonical
            rest = line[colon + 1:]
            if key in _CONCEPT_KEYS:
                end = _value_lines(lines, n)
                if end == n + 1 and rest.startswith(" ") and rest[1:2] not in ("|", ">"):
                    fields[key] = _block_scalar(rest[1:])
                elif rest in (" >-", " |-") and end > n + 1:
                    fields[key] = _folded(lines[n + 1:end], rest[1])
                else:
                    fields[key] = _composed("\n".join(lines[n:end]) + "\n")
                n = end
            elif key == "terms" and not rest:
                n, fields[key] = _terms(lines, n + 1, path)
            elif key == "sources" and not rest:
                n += 1
                sources = []
                while n < total and lines[n].startswith("    - "):
                    sources.append(_source(_flow_mapping(lines[n][6:], _SOURCE_KEYS)))
                    n += 1
                if not sources:
                    raise _NotCanonical
                fields[key] = sources
            elif key == "related" and rest.startswith(" "):
                flow = _Flow(rest[1:])
                fields[key] = flow.sequence()
                flow.end()
                n += 1
            else:
                raise _NotCanonical
        if n < total and lines[n] and not lines[n].startswith("- id: "):
            raise _NotCanonical  # a comment or stray line inside or right after a concept
        definition = fields.get("definition")
        if cid in _NULLS or fields.get("domain") not in DOMAINS or not isinstance(definition, str) \
                or not definition.strip() or "terms" not in fields:
            raise _NotCanonical
        concepts.append(Concept(cid, fields["domain"], definition, fields["terms"], fields.get("subject"),
                                fields.get("sources", []), fields.get("related", []), fields.get("notes"),
                                Origin(path, concept_line)))
    if not concepts:
        raise _NotCanonical  # no concept at all: the full reader says what the file is
    return concepts


def _terms(lines: list[str], n: int, path: str) -> tuple[int, dict[str, list[Term]]]:
    by_lang: dict[str, list[Term]] = {}
    while n < len(lines) and lines[n].startswith("    ") and not lines[n].startswith("     "):
        lang, _, rest = lines[n][4:].partition(":")
        if lang not in LANGUAGES or lang in by_lang or rest not in ("", " []"):
            raise _NotCanonical
        n += 1
        terms = by_lang[lang] = []
        while rest == "" and n < len(lines) and lines[n].startswith("      - "):
            terms.append(_term_line(lines[n][8:], path, n + 1))
            n += 1
        if rest == "" and not terms:
            raise _NotCanonical
    if not by_lang:
        raise _NotCanonical
    return n, {lang: by_lang[lang] for lang in LANGUAGES if lang in by_lang}
