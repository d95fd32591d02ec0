"""On-disk caches derived from the term files: where they live and how they are keyed.

A cache entry is valid only for the exact bytes it was built from: the key hashes every term file's
name and content (plus whatever the caller's format depends on), checked on every use, so a cache is
never served stale. Each cache file also carries a SHA-256 of its payload (:func:`pack`), and what it
holds is checked for shape when loaded: anything damaged or inconsistent is rebuilt, never trusted.
Writes are atomic; an unwritable cache directory only makes things slower.

Cache directories are private: created 0700, and refused (no cache is used, with a warning) when owned
by another user or writable by group or others, since whoever can write a cache decides what the
tool answers.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from glossary.errors import GlossaryError, TermFileError
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


class CacheDirError(GlossaryError):
    """A cache directory that must not be used (another user's, or writable by others: ``unsafe``) or
    cannot be."""

    def __init__(self, message: str, path=None, unsafe: bool = False):
        super().__init__(message, path)
        self.unsafe = unsafe


def check_private_dir(directory: str | os.PathLike, create: bool = True) -> Path:
    """``directory``, created 0700 if absent; :class:`CacheDirError` when it is not a directory of ours that
    no one else can write."""
    directory = Path(directory)
    if create and not directory.exists():
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(directory, 0o700)
            os.chmod(directory, 0o700)  # whatever the umask
        except FileExistsError:
            pass
        except OSError as exc:
            raise CacheDirError(f"cannot create the cache directory: {exc.strerror}", directory) from exc
    try:
        info = os.stat(directory)
    except OSError as exc:
        raise CacheDirError(f"cannot use the cache directory: {exc.strerror}", directory) from exc
    if not stat.S_ISDIR(info.st_mode):
        raise CacheDirError("the cache directory is not a directory", directory)
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CacheDirError(f"the cache directory belongs to another user (uid {info.st_uid}); not using it",
                            directory, unsafe=True)
    if info.st_mode & 0o022:
        raise CacheDirError(f"the cache directory is writable by others (mode {stat.S_IMODE(info.st_mode):o}); "
                            "not using it (chmod 700 it)", directory, unsafe=True)
    return directory


_WARNED: set[str] = set()


def usable_cache_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The cache directory (:func:`default_cache_dir`) when it is private, else ``None`` after one warning:
    the caller then works without a cache."""
    directory = default_cache_dir(explicit)
    try:
        return check_private_dir(directory)
    except CacheDirError as exc:
        if exc.unsafe and str(exc) not in _WARNED:  # an uncreatable one (read-only home) only costs time
            _WARNED.add(str(exc))
            print(f"{exc.where()}warning: {exc.message}", file=sys.stderr)
        return None


_CHECKSUM_LENGTH = 64


def pack(header: bytes, payload: bytes) -> bytes:
    """A cache file: ``header``, the payload's SHA-256 (hex) and a newline, then the payload."""
    return header + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unpack(data: bytes, header: bytes) -> bytes | None:
    """The payload of a cache file written by :func:`pack` with ``header``; ``None`` when the header differs
    (another termbase, another version) or the payload is damaged."""
    if not data.startswith(header):
        return None
    start = len(header) + _CHECKSUM_LENGTH + 1
    checksum, payload = data[len(header):start - 1], data[start:]
    if data[start - 1:start] != b"\n" or hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    return payload


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
_TERMBASE_FORMAT = "termbase-3"


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


def _valid_flat(flat, files: Sequence[Path]) -> bool:
    """Whether a cached termbase has the shape :func:`_flatten` writes, with values the model allows and
    origins in the files it was built from; a cache that fails is rebuilt."""
    from glossary.model import DOMAINS, LANGUAGES, STATUSES, TERM_TYPES

    def text(v, optional=False):
        return isinstance(v, str) or (optional and v is None)

    def line(v, optional=False):
        return (type(v) is int and v > 0) or (optional and v is None)

    names = {os.fspath(f) for f in files}
    ids = set()
    if not isinstance(flat, list):
        return False
    for item in flat:
        if not isinstance(item, tuple) or len(item) != 10:
            return False
        cid, domain, definition, terms, subject, sources, related, notes, path, cline = item
        if not (text(cid) and cid not in ids and domain in DOMAINS and text(definition) and text(subject, True)
                and text(notes, True) and isinstance(related, tuple) and all(map(text, related))
                and (path is None or path in names) and line(cline, True) and isinstance(terms, tuple)
                and isinstance(sources, tuple)):
            return False
        ids.add(cid)
        for pair in terms:
            if not (isinstance(pair, tuple) and len(pair) == 2 and pair[0] in LANGUAGES and isinstance(pair[1], tuple)):
                return False
            for term in pair[1]:
                if not (isinstance(term, tuple) and len(term) == 6 and text(term[0]) and term[1] in TERM_TYPES
                        and term[2] in STATUSES and text(term[3], True) and text(term[4], True)
                        and line(term[5], True)):
                    return False
        for source in sources:
            if not (isinstance(source, tuple) and len(source) == 3 and text(source[0])
                    and isinstance(source[1], tuple) and all(map(text, source[1])) and text(source[2], True)):
                return False
    return True


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
    directory = usable_cache_dir(cache_dir)
    if directory is None:
        return load_termbase(files)
    salt = f"{_TERMBASE_FORMAT}:{glossary.__version__}:{marshal.version}"
    digest = content_hash(files, salt).encode()
    header = digest + b"\n"
    target = cache_path(directory, "termbase", paths)
    try:
        payload = unpack(target.read_bytes(), header)
        if payload is not None:
            flat = marshal.loads(payload)
            if _valid_flat(flat, files):
                return _rebuild(flat)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent, unreadable or damaged: parse again
    termbase = load_termbase(files)
    if content_hash(files, salt).encode() == digest:  # files unchanged while parsing: safe to store
        try:
            atomic_write_bytes(target, pack(header, marshal.dumps(_flatten(termbase))))
        except OSError:
            pass
    return termbase
