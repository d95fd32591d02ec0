"""Textual edits of term files that keep everything a person wrote: comments, blank lines, order, quoting.

Rewriting a file with ``write_term_file`` would normalise it and drop its comments. Instead, because
every term is one line (``      - {text: ..., status: ...}``, see ``terms/README.md``), a change to a
term is a change to that line: the flow mapping on it is replaced, new terms are inserted as lines
beside it with the same indentation, and every other byte stays as it was. The result is parsed
again and must give exactly the intended concepts, or nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from glossary.errors import TermFileError
from glossary.model import Concept, Term
from glossary.termfile import compose_term_text, first_alias, format_term, parse_term_file

_ITEM_PREFIX = re.compile(r"^[ \t]*-[ \t]+$")


@dataclass
class LineEdit:
    """What happens at one term line: the term it becomes (``replace``), and terms inserted around it."""

    replace: Term | None = None
    before: list[Term] = field(default_factory=list)
    after: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class _TermLine:
    """Where a term's flow mapping sits on its line, and its fields as written."""

    start: int
    end: int
    fields: dict[str, str]
    status_span: tuple[int, int] | None


def _term_lines(text: str, path: str, lines: set[int]) -> dict[int, _TermLine]:
    """The flow mapping that starts on each wanted line (1-based), with column spans."""
    try:
        root = compose_term_text(text)
    except yaml.YAMLError as exc:
        raise TermFileError(f"cannot edit: the file does not parse ({exc.__class__.__name__})", path) from exc
    alias = first_alias(root)
    if alias is not None:  # the walk below visits each node once only because there are none
        raise TermFileError("cannot edit: YAML aliases are not allowed in a term file", path,
                            alias.start_mark.line + 1)
    found: dict[int, _TermLine] = {}
    block_lines: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 1
            if line in lines and not node.flow_style:
                block_lines.add(line)
            if line in lines and node.flow_style:
                if node.end_mark.line + 1 != line:
                    raise TermFileError("cannot edit: this term spans several lines; put it on one line",
                                        path, line)
                fields, status_span = {}, None
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                        fields[key.value] = value.value
                        if key.value == "status" and value.end_mark.line == node.start_mark.line:
                            status_span = (value.start_mark.column, value.end_mark.column)
                found[line] = _TermLine(node.start_mark.column, node.end_mark.column, fields, status_span)
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    block_terms = sorted(block_lines - found.keys())  # valid YAML, but not the one-line form edits work on
    if block_terms:
        raise TermFileError("cannot edit: this term is a block mapping over several lines; write it on one "
                            "line as {text: ..., type: ..., status: ...}", path, block_terms[0])
    return found


def _status_only_change(written: _TermLine, term: Term) -> bool:
    """True when ``term`` differs from the line as written in its status alone."""
    as_written = {"type": "fullForm", "status": "admitted", **written.fields}
    wanted = {"text": term.text, "type": term.type, "status": term.status}
    wanted.update({k: v for k, v in (("source", term.source), ("note", term.note)) if v is not None})
    others = {k for k in set(as_written) | set(wanted) if k != "status"}
    return all(as_written.get(k) == wanted.get(k) for k in others)


def _replaced(content: str, written: _TermLine, term: Term) -> str:
    """The line with ``term`` in place of its mapping; a status change rewrites only the status value,
    so the author's quoting and key order survive."""
    if _status_only_change(written, term):
        if written.status_span is not None:
            start, end = written.status_span
            return content[:start] + term.status + content[end:]
        closing = written.end - 1  # the "}" of the mapping
        return content[:closing].rstrip() + f", status: {term.status}" + content[closing:]
    return content[:written.start] + format_term(term) + content[written.end:]


def _split_eol(line: str) -> tuple[str, str]:
    for eol in ("\r\n", "\n", "\r"):
        if line.endswith(eol):
            return line[: -len(eol)], eol
    return line, ""


def apply_line_edits(data: bytes, path: str, edits: dict[int, LineEdit]) -> bytes:
    """The file's bytes with each edit applied at its term line; every other line is kept byte for byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TermFileError("cannot edit: not UTF-8", path) from exc
    lines = text.splitlines(keepends=True)
    term_lines = _term_lines(text, path, set(edits))
    default_eol = "\r\n" if "\r\n" in text else "\n"
    for number in sorted(edits, reverse=True):  # bottom up, so earlier line numbers stay valid
        if number not in term_lines:
            raise TermFileError("cannot edit: no term on this line (was the file changed meanwhile?)", path, number)
        edit = edits[number]
        content, eol = _split_eol(lines[number - 1])
        written = term_lines[number]
        prefix = content[:written.start]
        if (edit.before or edit.after) and not _ITEM_PREFIX.match(prefix):
            raise TermFileError("cannot insert a term here: it is not a '- {...}' line of its own", path, number)
        line_eol = eol or default_eol
        if edit.replace is not None:
            content = _replaced(content, written, edit.replace)
        new_lines = [prefix + format_term(t) + line_eol for t in edit.before]
        new_lines.append(content + (line_eol if edit.after else eol))
        new_lines.extend(prefix + format_term(t) + line_eol for t in edit.after)
        if edit.after and not eol:  # the file ended without a newline: so does the edited file
            new_lines[-1] = new_lines[-1][: -len(line_eol)]
        lines[number - 1: number] = new_lines
    return "".join(lines).encode("utf-8")


def edit_term_file(data: bytes, path: str, edits: dict[int, LineEdit], expected: list[Concept]) -> bytes:
    """Apply ``edits`` and prove the result: it must parse cleanly to exactly ``expected``.

    Raises :class:`TermFileError` (and so writes nothing) when it does not, e.g. when the file on disk
    no longer matches the termbase the edits were planned on.
    """
    new = apply_line_edits(data, path, edits)
    parsed = parse_term_file(new, path)
    if parsed.errors:
        first = parsed.errors[0]
        raise TermFileError(f"edit refused, the result would not parse: {first.message}", path, first.line)
    if parsed.concepts != expected:
        concept = next((c for c, e in zip(parsed.concepts, expected) if c != e), None)
        where = concept.origin.line if concept is not None and concept.origin else None
        raise TermFileError("edit refused: the result does not read back as the intended terms; "
                            "file left unchanged", path, where)
    return new
