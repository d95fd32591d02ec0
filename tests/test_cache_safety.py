"""Caches are checked, never trusted: checksums, shape, private directories."""

from __future__ import annotations

import marshal
import os
import shutil
from pathlib import Path

import pytest

import glossary.cache as cache
import glossary.lookup as lookup
import glossary.segment as segment
from glossary.termfile import load_termbase

from conftest import FIXTURES

GOOD = FIXTURES / "termfiles" / "good"


@pytest.fixture
def terms(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "TERMBASE_CACHE_MIN_BYTES", 0)
    shutil.copytree(GOOD, tmp_path / "terms")
    return tmp_path / "terms"


def _only_file(directory: Path) -> Path:
    (path,) = [p for p in directory.iterdir() if p.is_file()]
    return path


def test_a_poisoned_termbase_cache_with_a_valid_header_is_not_served(terms, tmp_path):
    """Someone rewrites the payload (other French terms) and keeps the header: the checksum catches it."""
    good = cache.load_termbase_cached([terms], tmp_path / "cache")
    target = _only_file(tmp_path / "cache")
    data = target.read_bytes()
    header_end = data.index(b"\n") + 1
    poisoned = data[:header_end] + data[header_end:].replace("sample station".encode(), b"wrong station!")
    assert poisoned != data
    target.write_bytes(poisoned)
    again = cache.load_termbase_cached([terms], tmp_path / "cache")
    assert list(again.values()) == list(good.values())


def test_a_cache_with_a_valid_checksum_but_the_wrong_shape_is_rebuilt(terms, tmp_path):
    good = cache.load_termbase_cached([terms], tmp_path / "cache")
    target = _only_file(tmp_path / "cache")
    header = target.read_bytes().split(b"\n", 1)[0] + b"\n"
    flat = marshal.loads(cache.unpack(target.read_bytes(), header))
    broken = [(*flat[0][:1], "NOT-A-DOMAIN", *flat[0][2:]), *flat[1:]]
    target.write_bytes(cache.pack(header, marshal.dumps(broken)))
    assert list(cache.load_termbase_cached([terms], tmp_path / "cache").values()) == list(good.values())


def _lookup_cache(terms, tmp_path):
    opened = lookup.open_index([terms], tmp_path / "cache")
    assert opened.origin == "built"
    return opened.cache_file


@pytest.mark.parametrize("damage", ["concept_of", "exact", "meta", "cards", "truncated", "flip"])
def test_an_inconsistent_lookup_cache_is_rebuilt_and_answers_right(terms, tmp_path, damage):
    target = _lookup_cache(terms, tmp_path)
    expected = [h.concept.id for h in lookup.open_index([terms], tmp_path / "cache").index.search("sample station")]
    data = target.read_bytes()
    header_end = data.index(b"\n", len(lookup._MAGIC)) + 1
    header = data[:header_end]
    payload = cache.unpack(data, header)
    if damage == "truncated":
        target.write_bytes(data[:len(data) // 2])
    elif damage == "flip":
        target.write_bytes(data[:-5] + bytes([data[-5] ^ 0xFF]) + data[-4:])
    else:  # structurally valid marshal with a correct checksum, but references that do not hold
        index = marshal.loads(payload)
        if damage == "concept_of":
            index["concept_of"] = (10**6).to_bytes(4, "little") * (len(index["concept_of"]) // 4)
        elif damage == "exact":
            index["exact"] = {key: [10**6] for key in index["exact"]}
        elif damage == "meta":
            index["meta"] = b"\xff" * len(index["meta"])
        else:
            index["cards"] = [("x",)] * len(index["cards"])
        target.write_bytes(cache.pack(header, marshal.dumps(index)))
    opened = lookup.open_index([terms], tmp_path / "cache")
    assert opened.origin == "built"
    assert [h.concept.id for h in opened.index.search("sample station")] == expected


def test_a_cache_directory_is_created_private(tmp_path):
    directory = cache.usable_cache_dir(tmp_path / "new" / "cache")
    assert directory is not None and (os.stat(directory).st_mode & 0o777) == 0o700


def test_a_world_writable_cache_directory_is_refused_with_a_warning(tmp_path, terms, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    assert cache.usable_cache_dir(shared) is None
    assert "writable by others" in capsys.readouterr().err
    assert lookup.open_index([terms], shared).origin == "built, not cached"
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_another_users_cache_directory_is_refused(tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir(mode=0o700)
    os.chown(foreign, 65534, 65534)
    assert cache.usable_cache_dir(foreign) is None
    assert "belongs to another user" in capsys.readouterr().err


def test_jieba_never_falls_back_to_a_shared_temp_path(tmp_path, monkeypatch):
    shared = tmp_path / "ctbt-glossary-0"  # the name the old fallback used, planted by someone else
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(shared))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(segment, "_PRIVATE_FALLBACK", [])
    chosen = segment.cache_dir()
    assert chosen != shared and (os.stat(chosen).st_mode & 0o777) == 0o700 and os.stat(chosen).st_uid == os.getuid()


def test_a_planted_tag_table_is_not_used(tmp_path, monkeypatch):
    import jieba

    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path / "cache"))
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("的 100 uj\n台站 10 n\n", encoding="utf-8")  # a tiny dictionary keeps this fast
    tokenizer = jieba.Tokenizer(str(dictionary))
    assert segment._load_tag_table(tokenizer) == {"的": "uj", "台站": "n"}
    (table,) = (tmp_path / "cache").glob("jieba-tags-*.marshal")
    table.write_bytes(marshal.dumps({"的": "nr", "台站": "nr"}))  # planted without the checksum
    assert segment._load_tag_table(tokenizer) == {"的": "uj", "台站": "n"}
    header = table.read_bytes().split(b"\n", 1)[0] + b"\n"
    table.write_bytes(cache.pack(header, marshal.dumps({"的": 3})))  # checksum right, shape wrong
    assert segment._load_tag_table(tokenizer) == {"的": "uj", "台站": "n"}


def test_a_jieba_cache_that_does_not_match_its_checksum_is_deleted_for_jieba_to_rebuild(tmp_path):
    jieba_cache = tmp_path / "jieba.cache"
    jieba_cache.write_bytes(marshal.dumps(({"的": 100}, 100)))
    segment._record_jieba_cache(tmp_path)
    segment._check_jieba_cache(tmp_path)
    assert jieba_cache.exists()
    jieba_cache.write_bytes(marshal.dumps(({"的": 1}, 1)))
    segment._check_jieba_cache(tmp_path)
    assert not jieba_cache.exists()
