"""Where the default termbase and the bundled corpus live."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from glossary.errors import TermFileError

#: The report of Working Group B's 62nd session, in Chinese: the default corpus.
REPORT_SYMBOL = "CTBT/WGB-62/INF.4"
_PACKAGE = Path(__file__).resolve().parent
BUNDLED_REPORT = _PACKAGE / "data" / "CTBT-WGB-62-INF.4.zh.txt"


def default_terms_dir() -> Path:
    """``$GLOSSARY_TERMS``, else ``./terms``, else the checkout's ``terms/``, else the copy installed with us."""
    env = os.environ.get("GLOSSARY_TERMS")
    if env:
        return Path(env)
    here = Path("terms")
    if here.is_dir() and any(here.glob("*.yaml")):
        return here
    checkout = _PACKAGE.parent / "terms"
    if checkout.is_dir() and any(checkout.glob("*.yaml")):
        return checkout
    bundled = _PACKAGE / "bundled_terms"
    if bundled.is_dir() and any(bundled.glob("*.yaml")):
        return bundled
    return Path("terms")


def is_bundled(path: Path) -> bool:
    """Whether ``path`` lies inside the installed package (the bundled termbase), which is never written."""
    return _PACKAGE in Path(path).resolve().parents


def default_locales_dir(terms_dir: Path) -> Path:
    """``locales/`` beside the termbase, except for the copy installed inside the package: then ``./locales``."""
    if is_bundled(terms_dir):
        return Path("locales")
    return terms_dir.resolve().parent / "locales"


def term_file_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand directories to their ``*.yaml`` files, sorted, so load order never depends on the OS.

    A directory whose last write was interrupted is recovered first (see :mod:`glossary.fileio`)."""
    from glossary.fileio import recover_termbase

    result: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            recover_termbase(p)  # an interrupted write is finished (or was undone) before anything is read
            result.extend(sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml") and q.is_file()))
        elif p.exists():
            result.append(p)
        else:
            raise TermFileError("no such file or directory", p)
    return result
