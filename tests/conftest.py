"""Shared fixtures: the real term files, the bundled report, and the peer data beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TERMS_DIR = ROOT / "terms"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def terms_dir() -> Path:
    return TERMS_DIR


@pytest.fixture(scope="session")
def termbase():
    """The curated termbase, loaded once per test session (treat it as read-only)."""
    from glossary.termfile import load_termbase

    return load_termbase([TERMS_DIR])


@pytest.fixture(scope="session")
def report_path() -> Path:
    from glossary.resources import BUNDLED_REPORT

    return BUNDLED_REPORT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (peer data, notes, seed); skipped where the project is cloned alone."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (project cloned alone): peer data not available")
    return SHARED


@pytest.fixture(scope="session")
def peer_data(shared_dir) -> Path:
    path = shared_dir / "peer-data"
    if not path.is_dir():
        pytest.skip("../shared/peer-data is absent")
    return path


@pytest.fixture()
def terms_copy(tmp_path, terms_dir) -> Path:
    """A writable copy of the termbase directory, for commands that change it."""
    import shutil

    copy = tmp_path / "terms"
    shutil.copytree(terms_dir, copy)
    return copy
