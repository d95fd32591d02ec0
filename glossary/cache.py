"""On-disk caches derived from the term files: where they live and how they are keyed.

A cache entry is valid only for the exact bytes it was built from: the key hashes every term file's
name and content (plus whatever the caller's format depends on), checked on every use, so a cache is
never served stale. Writes are atomic; an unwritable cache directory only makes things slower.
"""

from __future__ import annotations

import hashlib
import os
import pickle
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
_TERMBASE_FORMAT = "termbase-1"


def load_termbase_cached(paths: Sequence[str | os.PathLike], cache_dir: str | os.PathLike | None = None):
    """The termbase under ``paths``; large ones come from a pickle of the parsed model when it is current.

    PyYAML composes YAML at about 1-2 MB/s even with libyaml, so a 100k-concept termbase (85 MB) takes
    about a minute to parse, and its pickle a few seconds to read. The pickle lives in the user's own
    cache directory and is read only when its embedded hash matches the term files' bytes.
    """
    import glossary
    from glossary.resources import term_file_paths
    from glossary.termfile import load_termbase

    files = term_file_paths(paths)
    if sum(f.stat().st_size for f in files) < TERMBASE_CACHE_MIN_BYTES:
        return load_termbase(files)
    salt = f"{_TERMBASE_FORMAT}:{glossary.__version__}:{pickle.HIGHEST_PROTOCOL}"
    digest = content_hash(files, salt).encode()
    target = cache_path(default_cache_dir(cache_dir), "termbase", paths, ".pickle")
    try:
        data = target.read_bytes()
        if data[:len(digest) + 1] == digest + b"\n":
            return pickle.loads(data[len(digest) + 1:])
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # absent, unreadable or from another version of the model: parse again
    termbase = load_termbase(files)
    if content_hash(files, salt).encode() == digest:  # files unchanged while parsing: safe to store
        try:
            atomic_write_bytes(target, digest + b"\n" + pickle.dumps(termbase, pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
    return termbase
