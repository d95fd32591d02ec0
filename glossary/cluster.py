"""Mining's counting pass on a Dask cluster (``glossary mine --scheduler``), with the local run's result.

The documents are read where the command runs and cut into the same batches as a local run
(:func:`glossary.mining._batches`); each wave of batches is scattered to the workers (straight to them,
not through the scheduler) and becomes a Dask bag, every worker counts its
partitions with its own tokenizer (built once per worker by a plugin, as ``--jobs`` builds one per
process), and the tables are merged by a tree reduction that keeps partition order. Waves are
submitted without waiting (two at a time), so the command reads and batches the next wave while the
workers count the last one; their tables are merged in wave order. Counting is
addition and the merge order is the batch order, so the table, and therefore every candidate, is
exactly the local run's. The second pass (contexts and references of the top candidates) is light
and stays local.

Dask is optional (``pip install 'ctbt-glossary[distributed]'``); nothing here is imported without
``--scheduler``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from glossary.corpus import Document
from glossary.errors import InputError
from glossary.mining import MiningConfig, _batches
from glossary.noun_phrases import NgramCounter, NgramCounts
from glossary.segment import Segmenter

try:
    from distributed import WorkerPlugin
except ImportError:  # without Dask, connect() says what to install
    WorkerPlugin = object  # type: ignore[misc,assignment]

#: Characters of text sent to the cluster per wave: bounds the memory of the command and of the scheduler.
WAVE_CHARS = 8_000_000
#: Waves computed at once: while the cluster counts (and merges) one, the command reads the next.
WAVES_IN_FLIGHT = 2
#: How many partial tables one reduction step merges.
SPLIT_EVERY = 8
_PLUGIN = "ctbt-glossary-counter"


class _CounterPlugin(WorkerPlugin):
    """Builds a worker's tokenizer and counter once, when the worker joins (or the plugin is registered)."""

    name = _PLUGIN

    def __init__(self, user_words: list[str], config: MiningConfig):
        self.user_words = user_words
        self.config = config
        self.counter: NgramCounter | None = None

    def setup(self, worker) -> None:
        self.counter = NgramCounter(Segmenter(self.user_words), self.config)

    def teardown(self, worker) -> None:
        self.counter = None


def _worker_counter() -> NgramCounter:
    from distributed import get_worker

    plugin = get_worker().plugins[_PLUGIN]
    if plugin.counter is None:  # pragma: no cover - setup runs before any task
        plugin.setup(None)
    return plugin.counter


def _count_partition(batches: Iterable[list[str]]) -> NgramCounts:
    counter, table = _worker_counter(), NgramCounts()
    for batch in batches:
        counter.count(batch, into=table)
    return table


def _merge(tables: Iterable[NgramCounts]) -> NgramCounts:
    merged = NgramCounts()
    for table in tables:
        merged.merge(table)
    return merged


def connect(scheduler: str):
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or of a new local cluster of N worker
    processes for ``local:N``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError("--scheduler needs Dask: pip install 'ctbt-glossary[distributed]'") from exc
    if scheduler.startswith("local:"):
        try:
            workers = int(scheduler.removeprefix("local:"))
        except ValueError:
            workers = 0
        if workers < 1:
            raise InputError(f"--scheduler {scheduler!r}: expected local:N with N >= 1 workers")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def count_on_cluster(documents: Iterable[Document], user_words: list[str], config: MiningConfig,
                     scheduler: str) -> tuple[NgramCounts, int]:
    """Pass 1 of :func:`glossary.mining.mine` on a Dask cluster: the n-gram table and the document count."""
    import dask.bag as db

    client = connect(scheduler)
    try:
        client.register_plugin(_CounterPlugin(user_words, config), name=_PLUGIN)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        seen = [0]
        table = NgramCounts()
        wave: list[list[str]] = []
        wave_chars = 0
        in_flight: deque = deque()  # futures of the waves' tables, in wave order (merged in that order)

        def submit(batches: list[list[str]]) -> None:
            parts = min(len(batches), 4 * workers)
            size = -(-len(batches) // parts)
            # the text goes straight to the workers (scattered), not through the scheduler inside the graph
            scattered = client.scatter([batches[i:i + size] for i in range(0, len(batches), size)])
            bag = db.from_delayed(scattered)
            in_flight.append(client.compute(bag.reduction(_count_partition, _merge, split_every=SPLIT_EVERY)))
            while len(in_flight) > WAVES_IN_FLIGHT:
                table.merge(in_flight.popleft().result())

        for batch in _batches(documents, config.batch_chars, seen):
            wave.append(batch)
            wave_chars += sum(map(len, batch))
            if wave_chars >= WAVE_CHARS:
                submit(wave)
                wave, wave_chars = [], 0
        if wave:
            submit(wave)
        while in_flight:
            table.merge(in_flight.popleft().result())
        return table, seen[0]
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
