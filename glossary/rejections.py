"""Rejected candidates: what a terminologist has said is no term, remembered in the termbase directory.

``terms/rejected.yaml`` is a list of entries, one per line, appended by ``glossary reject``::

    - {text: 主要挑战, why: general wording, by: lw}

``text`` is the candidate as the miner wrote it (compared without spaces, traditional characters folded to
simplified); ``why`` and ``by`` are optional. The file lives beside the term files but holds no concepts:
the termbase loader leaves it out (:data:`glossary.resources.REJECTED_FILE`) and ``glossary validate``
checks it with the rules below. ``glossary mine`` and ``glossary align --write-proposals`` never propose a
rejected candidate again.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from glossary.errors import Finding, TermFileError
from glossary.fileio import atomic_write_text, read_input_bytes
from glossary.resources import REJECTED_FILE

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader

HEADER = """\
# Candidates rejected as terms (general wording, names, fragments, clauses). `glossary mine` and
# `glossary align --write-proposals` never propose them again. Add with `glossary reject TERM --why ...`.
"""
_KEYS = ("text", "why", "by")


@dataclass(frozen=True)
class Rejection:
    text: str
    why: str | None = None
    by: str | None = None
    line: int | None = None


def rejection_key(text: str) -> str:
    """How a rejection meets a candidate: no spaces, simplified characters."""
    from glossary.textnorm import fold_traditional

    return fold_traditional("".join(text.split()))


def rejected_path(terms_dir: str | os.PathLike) -> Path:
    return Path(terms_dir) / REJECTED_FILE


def parse_rejections(data: bytes, path: str) -> tuple[list[Rejection], list[Finding]]:
    """The entries of a rejection file and what is wrong with it (``path:line`` findings)."""
    findings: list[Finding] = []
    try:
        text = data.decode("utf-8-sig")
        root = yaml.compose(text, Loader=_Loader)
    except UnicodeDecodeError:
        return [], [Finding(path, None, "error", "not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Finding(path, mark.line + 1 if mark else None, "error", f"not valid YAML: {exc.problem}")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Finding(path, root.start_mark.line + 1, "error", "expected a list of rejected candidates")]
    entries: list[Rejection] = []
    seen: dict[str, int] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            findings.append(Finding(path, line, "error", "expected {text: ..., why: ..., by: ...}"))
            continue
        values: dict[str, str | None] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in _KEYS:
                findings.append(Finding(path, line, "error", f"unknown key {getattr(key, 'value', key)!r} "
                                        f"(allowed: {', '.join(_KEYS)})"))
            elif not isinstance(value, yaml.ScalarNode):
                findings.append(Finding(path, line, "error", f"{key.value} must be text"))
            else:
                values[key.value] = value.value.strip() or None
        text = values.get("text")
        if not text:
            findings.append(Finding(path, line, "error", "a rejection needs its text"))
            continue
        key = rejection_key(text)
        if key in seen:
            findings.append(Finding(path, line, "warning", f"{text!r} is rejected twice (first on line {seen[key]})"))
            continue
        seen[key] = line
        entries.append(Rejection(text, values.get("why"), values.get("by"), line))
    return entries, findings


def read_rejections(path: str | os.PathLike) -> list[Rejection]:
    """The rejections of a file; a missing file has none, a broken one is a :class:`TermFileError`."""
    path = Path(path)
    if not path.exists():
        return []
    entries, findings = parse_rejections(read_input_bytes(path, TermFileError, "cannot read"), str(path))
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise TermFileError(errors[0].message, errors[0].path, errors[0].line)
    return entries


def rejected_keys(terms_dir: str | os.PathLike | None) -> frozenset[str]:
    """The comparison keys of the termbase directory's rejections (none without a directory)."""
    if terms_dir is None:
        return frozenset()
    return frozenset(rejection_key(r.text) for r in read_rejections(rejected_path(terms_dir)))


def is_rejected(text: str, keys: Collection[str]) -> bool:
    return bool(keys) and rejection_key(text) in keys


def rejection_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The rejection files among the paths ``glossary validate`` is given: named, or inside a named directory."""
    found = []
    for p in map(Path, paths):
        candidate = p / REJECTED_FILE if p.is_dir() else p
        if candidate.name == REJECTED_FILE and candidate.is_file():
            found.append(candidate)
    return found


def check_rejection_files(files: Iterable[Path], concepts: Iterable) -> list[Finding]:
    """Findings of rejection files: their format, and a rejected text that is a Chinese term of a concept
    being checked (one of them is wrong)."""
    terms: dict[str, str] = {}
    for concept in concepts:
        for term in concept.terms.get("zh", ()):
            terms.setdefault(rejection_key(term.text), concept.id)
    findings: list[Finding] = []
    for path in files:
        entries, problems = parse_rejections(read_input_bytes(path, TermFileError, "cannot read"), str(path))
        findings.extend(problems)
        for entry in entries:
            owner = terms.get(rejection_key(entry.text))
            if owner:
                findings.append(Finding(str(path), entry.line, "warning",
                                        f"rejected {entry.text!r} is a term of concept {owner}"))
    return findings


def _quoted(value: str) -> str:
    """A flow-style scalar that reads back as ``value`` (YAML's own quoting where plain would not)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style=None, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


def format_rejection(rejection: Rejection) -> str:
    parts = [f"text: {_quoted(rejection.text)}"]
    if rejection.why:
        parts.append(f"why: {_quoted(rejection.why)}")
    if rejection.by:
        parts.append(f"by: {_quoted(rejection.by)}")
    return "- {" + ", ".join(parts) + "}\n"


def add_rejections(terms_dir: str | os.PathLike, texts: Iterable[str], why: str | None = None,
                   by: str | None = None) -> tuple[list[str], list[str]]:
    """Append rejections to the termbase directory's file (created with its header), keeping every byte
    already there. Returns (added, already rejected).

    Read and written as one termbase transaction (glossary.fileio), so two writers never lose an entry."""
    from glossary.fileio import termbase_transaction

    with termbase_transaction(terms_dir):
        return _append_rejections(terms_dir, texts, why, by)


def _append_rejections(terms_dir: str | os.PathLike, texts: Iterable[str], why: str | None,
                       by: str | None) -> tuple[list[str], list[str]]:
    path = rejected_path(terms_dir)
    before = path.read_bytes().decode("utf-8-sig") if path.exists() else HEADER
    keys = {rejection_key(r.text) for r in read_rejections(path)}
    added, already = [], []
    lines = []
    for text in texts:
        text = text.strip()
        if not text:
            raise TermFileError("an empty candidate cannot be rejected", path)
        key = rejection_key(text)
        if key in keys:
            already.append(text)
            continue
        keys.add(key)
        added.append(text)
        lines.append(format_rejection(Rejection(text, why, by)))
    if lines:
        if before and not before.endswith("\n"):
            before += "\n"
        after = before + "".join(lines)
        entries, findings = parse_rejections(after.encode("utf-8"), str(path))
        if any(f.level == "error" for f in findings) or not keys <= {rejection_key(r.text) for r in entries}:
            raise TermFileError("the rejection file would not read back; nothing was written", path)
        atomic_write_text(path, after)
    return added, already
