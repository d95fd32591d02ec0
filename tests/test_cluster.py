"""Mining's counting pass on a Dask LocalCluster gives exactly the local run's candidates."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest

from glossary.corpus import read_document
from glossary.errors import InputError
from glossary.mining import MiningConfig, mine
from glossary.resources import BUNDLED_REPORT


def test_a_two_worker_local_cluster_finds_the_local_candidates():
    pytest.importorskip("distributed")
    text = BUNDLED_REPORT.read_text(encoding="utf-8")
    documents = [read_document(f"part-{n}.txt", text[start:start + 15_000].encode())
                 for n, start in enumerate(range(0, min(len(text), 60_000), 15_000))]
    config = MiningConfig(top=200, batch_chars=4_000)  # several batches, so several partitions to merge
    local = mine(lambda: iter(documents), discovery=True, config=config)
    cluster = mine(lambda: iter(documents), discovery=True, config=replace(config, scheduler="local:2"))
    assert local.candidates and cluster.candidates == local.candidates
    assert (cluster.documents, cluster.characters) == (local.documents, local.characters)


def test_without_dask_the_scheduler_option_says_what_to_install(monkeypatch):
    from glossary.cluster import connect

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(InputError, match="distributed"):
        connect("local:2")


def test_a_malformed_local_cluster_is_a_clear_error():
    pytest.importorskip("distributed")
    from glossary.cluster import connect

    with pytest.raises(InputError, match="local:N"):
        connect("local:zero")
