"""The compiled store: lookup and stats read from it answer as the parsed termbase does; one changed file
recompiles one shard; damaged shards are rebuilt; errors are the loader's."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from glossary.errors import TermFileError
from glossary.lookup import LookupIndex
from glossary.stats import compute_stats
from glossary.store import open_store
from glossary.store_index import StoreIndex, store_lookup_index
from glossary.termfile import load_termbase, write_term_file

from conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_lookup import synthetic_termbase, typo_queries  # noqa: E402


def _hits(index, query, **filters):
    return [(h.concept.id, h.score, h.matched, h.how) for h in index.search(query, **filters)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """1,100 concepts (6,600 term strings: the n-gram path) in three term files."""
    terms = tmp_path_factory.mktemp("synthetic") / "terms"
    terms.mkdir()
    termbase = synthetic_termbase(1100)
    concepts = termbase.concepts()
    for n, concept in enumerate(concepts):
        concept.definition = f"Synthetic concept {n}."
        concept.domain = ("IMS", "IDC", "OSI")[n % 3]
    for part in range(3):
        out = io.StringIO()
        write_term_file(out, concepts[part::3])
        (terms / f"part-{part}.yaml").write_text(out.getvalue(), encoding="utf-8")
    return terms


def test_store_lookup_ranks_as_the_in_memory_index(synthetic, tmp_path):
    index = store_lookup_index(open_store([synthetic], tmp_path / "cache"))
    assert isinstance(index, StoreIndex)
    termbase = load_termbase([synthetic])
    memory = LookupIndex.build(termbase)
    for query, _expected, lang in typo_queries(termbase, 48):
        assert _hits(index, query) == _hits(memory, query)
        assert _hits(index, query, lang=lang, domain="IDC") == _hits(memory, query, lang=lang, domain="IDC")


def test_store_lookup_on_a_small_termbase_is_the_in_memory_index(tmp_path):
    terms = FIXTURES / "lookup" / "terms"
    index = store_lookup_index(open_store([terms], tmp_path / "cache"))
    memory = LookupIndex.build(load_termbase([terms]))
    for query in ("intl monitoring systm", "MCM", "IMS", "inspections sur place", "现场视察"):
        assert _hits(index, query) == _hits(memory, query)


def test_one_changed_file_recompiles_one_shard(synthetic, tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(synthetic, terms)
    cache = tmp_path / "cache"
    assert len(open_store([terms], cache).compiled) == 3
    assert open_store([terms], cache).compiled == []
    edited = terms / "part-1.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("{text: ", "{text: edited ", 1), encoding="utf-8")
    store = open_store([terms], cache)
    assert store.compiled == [edited]
    index = store_lookup_index(store)
    assert _hits(index, "edited")[0][2].startswith("edited ")


_EDITS = {  # an edit of part-0.yaml, and whether its entries keep their numbers (the earlier shard is patched)
    "term texts": (lambda text: text.replace("{text: ", "{text: edited ", 1).replace("станция", "станции", 1), True),
    "a line added": (lambda text: text.replace("\n- id: ", "\n# a comment\n- id: ", 1), True),
    "a status": (lambda text: text.replace("status: preferred}", "status: admitted}", 1), True),
    "a term added": (lambda text: text.replace("    en:\n", "    en:\n      - {text: added term}\n", 1), False),
    "a concept removed": (lambda text: text[text.index("\n- id: ") + 1:], False),
}


@pytest.mark.parametrize("edit", sorted(_EDITS))
def test_a_shard_compiled_from_an_earlier_version_is_the_fresh_one(synthetic, tmp_path, monkeypatch, edit):
    import glossary.store

    terms = tmp_path / "terms"
    shutil.copytree(synthetic, terms)
    cache = tmp_path / "cache"
    open_store([terms], cache)
    edited = terms / "part-0.yaml"
    change, patched = _EDITS[edit]
    edited.write_text(change(edited.read_text(encoding="utf-8")), encoding="utf-8")
    calls = []
    patch = glossary.store._patch_shard
    monkeypatch.setattr(glossary.store, "_patch_shard", lambda *args: calls.append(1) or patch(*args))
    again = open_store([terms], cache)
    fresh = open_store([terms], tmp_path / "fresh")
    assert again.compiled == fresh.compiled[:1] == [edited]
    assert calls == ([1] if patched else [])

    def tables(shard):
        return [shard.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("info", "concepts", "entries", "keys", "grams", "arrays")]

    assert tables(again.shards[0]) == tables(fresh.shards[0])
    for suffix in (".postings", ".directory"):
        assert again.shards[0].path.with_suffix(suffix).read_bytes() == \
            fresh.shards[0].path.with_suffix(suffix).read_bytes()


def test_shards_of_old_versions_are_removed(tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURES / "lookup" / "terms", terms)
    cache = tmp_path / "cache"
    open_store([terms], cache)
    first = set(cache.glob("shard-*"))
    for shard in first:
        os.utime(shard, (1, 1))  # long ago
    edited = next(terms.glob("*.yaml"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("{text: ", "{text: edited ", 1), encoding="utf-8")
    open_store([terms], cache)
    assert not first & set(cache.glob("shard-*"))
    assert len(list(cache.glob("shard-*.sqlite"))) == 1


def test_stats_from_the_store_are_the_parsed_termbase_s(synthetic, tmp_path, terms_dir):
    for terms in (synthetic, terms_dir):
        expected = compute_stats(load_termbase([terms])).as_dict()
        totals = open_store([terms], tmp_path / "cache").stats()
        assert totals["concepts"] == expected["concepts"] and totals["by_domain"] == expected["by_domain"]
        for lang, figures in totals["languages"].items():
            assert all(figures[k] == expected["languages"][lang][k] for k in figures)


def test_a_damaged_shard_is_compiled_again(tmp_path):
    terms = FIXTURES / "lookup" / "terms"
    cache = tmp_path / "cache"
    open_store([terms], cache)
    for shard in cache.glob("shard-*.sqlite"):
        db = sqlite3.connect(shard)
        db.execute("DELETE FROM entries WHERE n = (SELECT max(n) FROM entries)")
        db.commit()
        db.close()
    store = open_store([terms], cache)
    assert len(store.compiled) == len(list(terms.glob("*.yaml")))


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_shard_whose_directory_is_damaged_is_compiled_again(synthetic, tmp_path, damage):
    cache = tmp_path / "cache"
    before = _hits(store_lookup_index(open_store([synthetic], cache)), "station")
    for directory in cache.glob("shard-*.directory"):
        if damage == "missing":
            directory.unlink()
        else:
            directory.write_bytes(directory.read_bytes()[:-8])
    store = open_store([synthetic], cache)
    assert len(store.compiled) == 3
    assert _hits(store_lookup_index(store), "station") == before


@pytest.mark.parametrize("bad", sorted((FIXTURES / "termfiles" / "bad").glob("*.yaml")), ids=lambda p: p.name)
def test_a_bad_term_file_is_the_loader_s_error(bad, tmp_path):
    terms = tmp_path / "terms"
    terms.mkdir()
    shutil.copy(bad, terms / bad.name)
    try:
        load_termbase([terms])
    except TermFileError as exc:
        with pytest.raises(TermFileError) as compiled:
            open_store([terms], tmp_path / "cache")
        assert str(compiled.value) == str(exc)
    else:  # a problem for `glossary validate`, not for reading
        assert open_store([terms], tmp_path / "cache").concept_count == len(load_termbase([terms]))


def test_a_concept_in_two_files_is_the_loader_s_error(tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURES / "lookup" / "terms", terms)
    first = sorted(terms.glob("*.yaml"))[0]
    shutil.copy(first, terms / "zz-copy.yaml")
    with pytest.raises(TermFileError) as loaded:
        load_termbase([terms])
    with pytest.raises(TermFileError) as compiled:
        open_store([terms], tmp_path / "cache")
    assert str(compiled.value) == str(loaded.value)


def test_an_edit_that_repeats_another_file_s_id_is_the_loader_s_error(synthetic, tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(synthetic, terms)
    shutil.copy(FIXTURES / "lookup" / "terms" / "sample.yaml", terms / "sample.yaml")
    cache = tmp_path / "cache"
    open_store([terms], cache)
    taken = load_termbase([terms / "part-0.yaml"]).concepts()[5].id
    edited = terms / "part-2.yaml"
    text = edited.read_text(encoding="utf-8")
    at = text.index("- id: ", text.index("- id: ") + 1)
    edited.write_text(text[:at] + f"- id: {taken}\n" + text[text.index("\n", at) + 1:], encoding="utf-8")
    with pytest.raises(TermFileError) as loaded:
        load_termbase([terms])
    with pytest.raises(TermFileError) as compiled:
        open_store([terms], cache)
    assert str(compiled.value) == str(loaded.value)
    assert "duplicate concept id" in str(loaded.value)


def test_no_store_in_a_cache_directory_others_can_write(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    assert open_store([FIXTURES / "lookup" / "terms"], shared) is None


def _same_as_the_shards(store, termbase, queries):
    """Lookups on ``store`` answer as the in-memory index of ``termbase``, with and without filters."""
    merged = store_lookup_index(store)
    memory = LookupIndex.build(termbase)
    for query, _expected, lang in queries:
        for filters in ({}, {"lang": lang}, {"domain": "IDC"}):
            assert _hits(merged, query, **filters) == _hits(memory, query, **filters)


def test_a_large_store_is_searched_through_its_merged_segment(synthetic, tmp_path):
    store = open_store([synthetic], tmp_path / "cache")
    assert store.merged is None  # opened by lookup, not by every command
    store_lookup_index(store)
    assert store.merged is not None and store.merged.whole and store.merged.identity
    assert len(list((tmp_path / "cache").glob("merged-*"))) == 1
    termbase = load_termbase([synthetic])
    _same_as_the_shards(store, termbase, typo_queries(termbase, 24))
    store.merged = store.merged_path = None  # the shards one by one
    _same_as_the_shards(store, termbase, typo_queries(termbase, 24))


@pytest.mark.parametrize("edit", ["term", "concept added"])
def test_an_edited_file_is_searched_beside_the_segment_until_it_is_merged_again(synthetic, tmp_path, monkeypatch,
                                                                                edit):
    import glossary.store_merge

    terms = tmp_path / "terms"
    shutil.copytree(synthetic, terms)
    cache = tmp_path / "cache"
    store_lookup_index(open_store([terms], cache))
    segment = next(cache.glob("merged-*"))
    written = segment.stat().st_mtime_ns, segment.stat().st_ino
    edited = terms / "part-0.yaml"  # the first file: with a concept added, every later entry is numbered anew
    text = edited.read_text(encoding="utf-8")
    if edit == "term":
        text = text.replace("{text: ", "{text: edited ", 1)
    else:
        text += ("- id: synthetic.added\n  domain: IDC\n  definition: Added.\n  terms:\n"
                 "    en:\n      - {text: edited seismic array station, status: preferred}\n")
    edited.write_text(text, encoding="utf-8")
    monkeypatch.setattr(glossary.store_merge, "OVERLAY_SHARE", 0.5)
    store = open_store([terms], cache)
    store_lookup_index(store)
    assert (segment.stat().st_mtime_ns, segment.stat().st_ino) == written  # not merged again
    assert store.merged.place[0] == -1 and not store.merged.whole
    assert store.merged.identity is False
    termbase = load_termbase([terms])
    queries = typo_queries(termbase, 24) + [("edited seismic aray", None, "en")]
    _same_as_the_shards(store, termbase, queries)
    assert _hits(store_lookup_index(store), "edited")[0][2].startswith("edited ")
    monkeypatch.setattr(glossary.store_merge, "OVERLAY_SHARE", 0.1)  # a third of the entries: merged again
    store = open_store([terms], cache)
    store_lookup_index(store)
    assert store.merged.whole and store.merged.identity
    _same_as_the_shards(store, termbase, queries)


def test_a_damaged_segment_is_merged_again(synthetic, tmp_path):
    cache = tmp_path / "cache"
    before = _hits(store_lookup_index(open_store([synthetic], cache)), "station")
    segment = next(cache.glob("merged-*"))
    size = segment.stat().st_size
    segment.write_bytes(segment.read_bytes()[:-4])
    store = open_store([synthetic], cache)
    store_lookup_index(store)
    assert store.compiled == [] and store.merged is not None
    assert segment.stat().st_size == size
    assert _hits(store_lookup_index(store), "station") == before


@pytest.mark.parametrize("share, merged_again", [(0.6, False), (0.1, True)])
def test_a_removed_file_s_rows_are_skipped_until_the_segment_is_merged_again(synthetic, tmp_path, monkeypatch,
                                                                             share, merged_again):
    import glossary.lookup
    import glossary.store_index
    import glossary.store_merge

    terms = tmp_path / "terms"
    shutil.copytree(synthetic, terms)
    cache = tmp_path / "cache"
    store_lookup_index(open_store([terms], cache))
    (terms / "part-1.yaml").unlink()
    monkeypatch.setattr(glossary.store_merge, "OVERLAY_SHARE", share)
    for module in (glossary.lookup, glossary.store_index):  # two files: still a large termbase
        monkeypatch.setattr(module, "GRAM_INDEX_MIN_ENTRIES", 1000)
    store = open_store([terms], cache)
    store_lookup_index(store)
    assert store.merged.whole is merged_again
    assert store.merged.identity is merged_again  # part-2's entries come after part-1's in the old segment
    termbase = load_termbase([terms])
    _same_as_the_shards(store, termbase, typo_queries(termbase, 16))
