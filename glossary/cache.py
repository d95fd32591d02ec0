"""On-disk caches derived from the term files: where they live and how they are keyed.

A cache entry is valid only for the exact bytes it was built from: the key hashes every term file's
name and content (plus whatever the caller's format depends on), checked on every use, so a cache is
never served stale. Writes are atomic; an unwritable cache directory only makes things slower.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from glossary.errors import TermFileError
from glossary.fileio import atomic_write_bytes


def default_cache_dir(explicit: str | os.PathLike | None = None) -> Path:
    """``explicit`` (``--cache-dir``), else ``$GLOSSARY_CACHE_DIR``, else ``$XDG_CACHE_HOME/ctbt-glossary``,
    else ``~/.cache/ctbt-glossary``."""
    if explicit:
        return Path(explicit)
    if os.environ.get("GLOSSARY_CACHE_DIR"):
        return Path(os.environ["GLOSSARY_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ctbt-glossary"


def content_hash(files: Iterable[Path], salt: str) -> str:
    """SHA-256 over ``salt`` and the term files' names and bytes."""
    digest = hashlib.sha256(salt.encode())
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TermFileError(f"cannot read term file: {exc.strerror}", path) from exc
        digest.update(f"\0{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def cache_path(cache_dir: Path, kind: str, paths: Sequence[str | os.PathLike], suffix: str = ".bin") -> Path:
    """One cache file per kind and termbase location, overwritten when the files change; the content hash
    stored inside decides whether it is current."""
    where = "\0".join(os.path.abspath(p) for p in paths)
    return cache_dir / f"{kind}-{hashlib.sha256(where.encode()).hexdigest()[:16]}{suffix}"


# --- the parsed termbase -------------------------------------------------------------------------------

#: Below this many bytes of YAML, parsing is quicker than reading a cache (the curated termbase is ~0.3 MB).
TERMBASE_CACHE_MIN_BYTES = 2_000_000
_TERMBASE_FORMAT = "termbase-2"


def _flatten(termbase) -> list:
    """The termbase as nested tuples of strings and ints, which ``marshal`` reads back an order of magnitude
    faster than ``pickle`` rebuilds dataclasses (and without running any code)."""
    out = []
    for c in termbase.values():
        path, line = (c.origin.path, c.origin.line) if c.origin else (None, None)
        terms = tuple((lang, tuple((t.text, t.type, t.status, t.source, t.note, t.origin.line if t.origin else None)
                                   for t in ts)) for lang, ts in c.terms.items())
        sources = tuple((s.document, tuple(s.paragraphs), s.location) for s in c.sources)
        out.append((c.id, c.domain, c.definition, terms, c.subject, sources, tuple(c.related), c.notes, path, line))
    return out


def _rebuild(flat: list):
    from glossary.model import Concept, Origin, Source, Term, Termbase

    concepts = []
    for cid, domain, definition, terms, subject, sources, related, notes, path, line in flat:
        concepts.append(Concept(
            cid, domain, definition,
            {lang: [Term(text, type_, status, source, note, Origin(path, tline) if tline is not None else None)
                    for text, type_, status, source, note, tline in ts] for lang, ts in terms},
            subject, [Source(doc, list(paras), loc) for doc, paras, loc in sources], list(related), notes,
            Origin(path, line) if path is not None else None))
    return Termbase(concepts)


def load_termbase_cached(paths: Sequence[str | os.PathLike], cache_dir: str | os.PathLike | None = None):
    """The termbase under ``paths``; large ones come from a cache of the parsed model when it is current.

    PyYAML composes YAML at about 1 MB/s even with libyaml, so a 100k-concept termbase (85 MB) takes over
    a minute to parse. The cache lives in the user's own cache directory and is read only when its
    embedded hash matches the term files' bytes.
    """
    import glossary
    from glossary.resources import term_file_paths
    from glossary.termfile import load_termbase

    files = term_file_paths(paths)
    if sum(f.stat().st_size for f in files) < TERMBASE_CACHE_MIN_BYTES:
        return load_termbase(files)
    salt = f"{_TERMBASE_FORMAT}:{glossary.__version__}:{marshal.version}"
    digest = content_hash(files, salt).encode()
    target = cache_path(default_cache_dir(cache_dir), "termbase", paths)
    try:
        data = target.read_bytes()
        if data[:len(digest) + 1] == digest + b"\n":
            return _rebuild(marshal.loads(data[len(digest) + 1:]))
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent, unreadable or damaged: parse again
    termbase = load_termbase(files)
    if content_hash(files, salt).encode() == digest:  # files unchanged while parsing: safe to store
        try:
            atomic_write_bytes(target, digest + b"\n" + marshal.dumps(_flatten(termbase)))
        except OSError:
            pass
    return termbase
