"""The parsed-termbase cache: used when current, never stale, harmless when damaged or unwritable."""

from __future__ import annotations

import shutil

import pytest

import glossary.cache as cache
import glossary.termfile
from glossary.termfile import load_termbase

from conftest import FIXTURES

GOOD = FIXTURES / "termfiles" / "good"


@pytest.fixture
def terms(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "TERMBASE_CACHE_MIN_BYTES", 0)  # cache even a small termbase
    shutil.copytree(GOOD, tmp_path / "terms")
    return tmp_path / "terms"


def _forbid_parsing(monkeypatch):
    def refuse(paths):
        raise AssertionError("parsed the YAML although the cache is current")

    monkeypatch.setattr(glossary.termfile, "load_termbase", refuse)


def test_second_load_comes_from_the_cache_and_equals_the_parse(terms, tmp_path, monkeypatch):
    first = cache.load_termbase_cached([terms], tmp_path / "cache")
    assert list(first.values()) == list(load_termbase([terms]).values())
    _forbid_parsing(monkeypatch)
    second = cache.load_termbase_cached([terms], tmp_path / "cache")
    assert list(second.values()) == list(first.values())
    assert second["ims.sample-station"].origin == first["ims.sample-station"].origin


def test_an_edited_term_file_is_parsed_again(terms, tmp_path):
    cache.load_termbase_cached([terms], tmp_path / "cache")
    path = terms / "sample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sample station", "test station"), encoding="utf-8")
    again = cache.load_termbase_cached([terms], tmp_path / "cache")
    assert again["ims.sample-station"].preferred("en") == "test station"


def test_a_damaged_cache_is_rebuilt(terms, tmp_path):
    cache.load_termbase_cached([terms], tmp_path / "cache")
    (target,) = (tmp_path / "cache").iterdir()
    target.write_bytes(target.read_bytes()[:80])
    assert len(cache.load_termbase_cached([terms], tmp_path / "cache")) == 2


def test_an_unwritable_cache_directory_only_costs_time(terms, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    assert len(cache.load_termbase_cached([terms], blocker / "cache")) == 2


def test_small_termbases_are_parsed_directly(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path / "cache"))
    assert len(cache.load_termbase_cached([GOOD])) == 2
    assert not (tmp_path / "cache").exists()
