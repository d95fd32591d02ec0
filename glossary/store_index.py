"""Lookup on the compiled store: :class:`glossary.lookup.LookupIndex`'s ranking, reading what it needs.

The in-memory index holds every key, text and posting list; this one holds only what its queries
touch: keys and texts of the few hundred candidates, the postings of the query's n-grams, and, once
per process, the per-entry size, meta and concept arrays (a few bytes an entry, shared through the page
cache). Concepts and entries are numbered across the shards in file order, as the in-memory index
numbers them, so ties break the same way and the same query gives the same hits.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Sequence

from glossary.lookup import (CANDIDATES, GRAM_INDEX_MIN_ENTRIES, ConceptCard, LookupIndex, _grams, best_entries,
                             choose_grams, dice_scores)
from glossary.errors import TermFileError
from glossary.model import DOMAINS, LANGUAGES
from glossary.store import _KINDS, Store, gram_code


def _damaged(path) -> TermFileError:
    """The error for a store file that disagrees with itself: deleting the store is always safe."""
    return TermFileError("the compiled store is damaged; delete it (it is rebuilt)", path)


class _Entries:
    """Keys or texts of entries by global number, fetched from their shards and kept once read."""

    def __init__(self, store: Store, column: str):
        self.store = store
        self.column = column
        self.loaded: dict[int, str] = {}

    def __len__(self) -> int:
        return self.store.entry_count

    def __getitem__(self, entry: int) -> str:
        if entry not in self.loaded:
            self.fetch([entry])
        return self.loaded[entry]

    def fetch(self, entries: Iterable[int]) -> None:
        """Read the missing ones: keys of the merged segment's shards from it, the rest one query per shard."""
        by_shard: dict[int, list[int]] = {}
        for entry in entries:
            if entry not in self.loaded:
                by_shard.setdefault(self.store.shard_of_entry(entry), []).append(entry)
        merged = self.store.merged
        if merged is not None and self.column == "key":
            for number in [n for n in by_shard if merged.place[n] >= 0]:
                wanted = by_shard.pop(number)
                shift = int(merged.segment.bases[merged.place[number]]) - self.store.entry_bases[number]
                try:
                    self.loaded.update(zip(wanted, merged.segment.keys([e + shift for e in wanted])))
                except (OSError, ValueError, UnicodeDecodeError) as exc:
                    raise _damaged(merged.segment.path) from exc
        for number, wanted in by_shard.items():
            shard, base = self.store.shards[number], self.store.entry_bases[number]
            for start in range(0, len(wanted), 500):
                chunk = [e - base for e in wanted[start:start + 500]]
                rows = shard.db.execute(f"SELECT n, {self.column} FROM entries WHERE n IN "
                                        f"({','.join('?' * len(chunk))})", chunk)
                self.loaded.update((base + n, value) for n, value in rows)


class _KeyMap:
    """The exact, initials or lemma map over all shards, as the ``dict.get`` the ranking calls."""

    def __init__(self, store: Store, kind: str):
        self.store = store
        self.kind = _KINDS[kind]

    def get(self, key: str, default=()):
        """Asks every shard, or, with a merged segment, the shards outside it and those its key hashes name."""
        found: list[int] = []
        merged = self.store.merged
        if merged is None:
            numbers = range(len(self.store.shards))
        else:
            try:
                named = merged.segment.shards_with(self.kind, key)
            except OSError as exc:
                raise _damaged(merged.segment.path) from exc
            numbers = sorted({merged.store_number[s] for s in named if 0 <= s < len(merged.store_number)
                              and merged.store_number[s] >= 0}
                             | {n for n, place in enumerate(merged.place) if place < 0})
        for number in numbers:
            shard, base = self.store.shards[number], self.store.entry_bases[number]
            for (blob,) in shard.db.execute("SELECT entries FROM keys WHERE kind = ? AND key = ?", (self.kind, key)):
                found.extend(base + e for e in marshal.loads(blob))
        return found or default

    def __bool__(self) -> bool:
        return True


class _PerEntry:
    """A per-entry array (meta, concept numbers) over all shards, by global entry number, read from the shard
    that holds the entry (each shard's array is read once per process, when first needed)."""

    def __init__(self, store: Store, name: str, offset_by_concept: bool = False):
        self.store = store
        self.name = name
        self.offset = offset_by_concept

    def __len__(self) -> int:
        return self.store.entry_count

    def __getitem__(self, entry: int) -> int:
        number = self.store.shard_of_entry(entry)
        value = int(self.store.shards[number].array(self.name)[entry - self.store.entry_bases[number]])
        return value + self.store.concept_bases[number] if self.offset else value


class _StoreGrams:
    """The n-gram candidate step of :class:`glossary.lookup._GramIndex` over the store: the same grams chosen
    (by their postings over all shards), the same Dice scores and the same selection, so the candidates are
    the in-memory index's. A large store's postings are mostly in its merged segment
    (:mod:`glossary.store_merge`): one search finds the query's grams, one read per chosen gram, counted in
    one pass over a byte per entry. Shards outside it (edited since the merge) are searched one by one:
    each shard's directory gives the grams' spans in one numpy search, and its hits are counted by
    sorting them."""

    def __init__(self, store: Store):
        import numpy as np

        self._np = np
        self.store = store
        self._sizes: dict[int, object] = {}
        self._counter = None
        merged = store.merged
        self.overlay = [n for n in range(len(store.shards)) if merged is None or merged.place[n] < 0]

    def sizes(self, number: int):
        """Shard ``number``'s entries' gram counts (uint16), read once per process."""
        if number not in self._sizes:
            self._sizes[number] = self._np.frombuffer(self.store.shards[number].raw("sizes"), dtype="<u2")
        return self._sizes[number]

    def candidates(self, key: str, allowed, count: int) -> list[int]:
        """``allowed(entries)``, when given, is the filter: a boolean array for global entry numbers."""
        np = self._np
        grams = sorted(_grams(key), key=gram_code)
        codes = np.array([gram_code(gram) for gram in grams], dtype=np.int64)
        frequency = np.zeros(len(grams), dtype=np.int64)
        merged = self.store.merged
        if merged is not None:  # the query's grams in the segment, and their postings in live shards
            segment_codes = merged.segment.codes()
            at = np.minimum(np.searchsorted(segment_codes, codes), max(len(segment_codes) - 1, 0))
            in_segment = np.flatnonzero(segment_codes[at] == codes) if len(segment_codes) else np.zeros(0, np.int64)
            rows = merged.segment.rows(at[in_segment].tolist())
            if (np.diff(rows, axis=1) < 0).any() or (len(rows) and (rows[:, 0].min() < 0 or rows[:, -1].max()
                                                                    > merged.segment.postings_count)):
                raise _damaged(merged.segment.path)
            frequency[in_segment] += (np.diff(rows, axis=1) * merged.live).sum(axis=1)
        spans = []
        for number in self.overlay:  # which of the query's grams each shard has, and their spans
            shard_codes, starts, stops = self.store.shards[number].directory()
            at = np.minimum(np.searchsorted(shard_codes, codes), len(shard_codes) - 1)
            has = np.flatnonzero(shard_codes[at] == codes) if len(shard_codes) else np.zeros(0, np.int64)
            begin, end = starts[at[has]], stops[at[has]]
            spans.append((has, begin, end))
            frequency[has] += end - begin
        present = {grams[i]: int(frequency[i]) for i in np.flatnonzero(frequency).tolist()}
        if not present:
            return []
        chosen = np.zeros(len(grams), dtype=bool)
        chosen[[grams.index(gram) for gram in choose_grams(key, present)]] = True
        found_entries, found_dice = [], []
        if merged is not None:
            found = self._segment_hits(merged, rows[chosen[in_segment]], len(grams), allowed, count)
            if found is not None:
                found_entries.append(found[0])
                found_dice.append(found[1])
        for number, (has, begin, end) in zip(self.overlay, spans):
            take = chosen[has]
            if not take.any():
                continue
            shard, base = self.store.shards[number], self.store.entry_bases[number]
            parts = list(zip(begin[take].tolist(), end[take].tolist()))
            if not all(0 <= a <= b <= shard.postings_count for a, b in parts):
                raise _damaged(shard.path)
            hits = shard.read_postings(parts).copy()
            hits.sort(kind="stable")  # a merge of the grams' sorted postings (timsort finds the runs)
            if not len(hits):
                continue
            if hits[0] < 0 or hits[-1] >= shard.entries:
                raise _damaged(shard.path)
            runs = np.flatnonzero(np.concatenate(([True], hits[1:] != hits[:-1])))
            local = hits[runs]
            entries = local + base
            dice = dice_scores(np.diff(np.append(runs, len(hits))), self.sizes(number)[local], len(grams))
            if allowed is not None:
                keep = allowed(entries)
                entries, dice = entries[keep], dice[keep]
            found_entries.append(entries)
            found_dice.append(dice)
        if not found_entries:
            return []
        return best_entries(np.concatenate(found_entries), np.concatenate(found_dice), count)

    def _segment_hits(self, merged, rows, query_grams: int, allowed, count: int):
        """(store entry numbers, Dice) of the segment's hits for the chosen grams' offset ``rows``: every hit
        that can be among the ``count`` best, not every hit.

        A gram lists an entry once, so each gram's postings add one to a byte per entry (kept for the next
        query), without a sort. An entry sharing s grams has at least s grams, so its Dice is at most
        s / (s + query grams): once ``count`` entries of many shared grams give a floor to the cut, entries
        sharing too few grams to reach it are never read out of the counts (a few thousand are, not the
        hundreds of thousands hit). A query of 255 grams or more is counted by sorting."""
        np = self._np
        segment = merged.segment
        reads = [merged.spans(row) for row in rows]
        lengths = [sum(stop - start for start, stop in spans) for spans in reads]
        # as machine integers: numpy indexes with them twice as fast as with the file's int32
        hits = segment.postings([span for spans in reads for span in spans]).astype(np.intp)
        if not len(hits):
            return None
        if hits.min() < 0 or hits.max() >= segment.entry_count:
            raise _damaged(segment.path)
        sizes = segment.sizes()

        def scored(entries, shared):
            dice = dice_scores(shared, sizes[entries], query_grams)
            entries = merged.to_store(entries)
            if allowed is not None:
                keep = allowed(entries)
                entries, dice = entries[keep], dice[keep]
            return entries, dice

        if len(rows) >= 255:
            return scored(*np.unique(hits, return_counts=True))
        if self._counter is None:
            self._counter = np.zeros(segment.entry_count, dtype=np.uint8)
        counter = self._counter
        ends = np.cumsum(lengths)
        grams = [hits[end - length:end] for end, length in zip(ends.tolist(), lengths)]
        grams.sort(key=len)

        def sharing(least: int):
            """The entries sharing at least ``least`` grams, each once, with their counts: they are all hit by
            any len(grams) - least + 1 of the grams (the shortest lists are read); an entry is zeroed in the
            counts once taken (restore them to read again)."""
            taken, counts = [], []
            for some in grams[:len(grams) - least + 1]:
                shared = counter[some]
                some = some[shared >= least]
                taken.append(some)
                counts.append(counter[some])
                counter[some] = 0
            return np.concatenate(taken), np.concatenate(counts)

        try:
            for some in grams:
                counter[some] += 1
            # a first threshold of shared grams, from a sample of the hits (an entry sharing s grams is hit s times)
            sample = np.bincount(counter[hits[::8]], minlength=len(rows) + 1)[1:] / np.arange(1, len(rows) + 1) * 8
            above = np.cumsum(sample[::-1])[::-1] >= 2 * count  # enough entries share at least s grams, estimated
            least = int(np.flatnonzero(above)[-1]) + 1 if above.any() else 1
            while True:  # a floor to the cut: the count-th best of the entries sharing many grams
                taken, shared = sharing(least)
                counter[taken] = shared
                entries, dice = scored(taken, shared)
                if len(entries) >= count or least == 1:
                    break
                least = max(1, least - max(1, least // 4))
            if len(entries) < count:
                return scored(*sharing(1))
            floor = np.partition(dice, len(dice) - count)[len(dice) - count]
            shared = np.arange(len(rows) + 1, dtype=np.int64)
            reach = dice_scores(shared, shared, query_grams) >= floor  # the best Dice s shared grams can give
            return scored(*sharing(max(int(np.argmax(reach)), 1)))
        finally:
            counter.fill(0)


class StoreIndex(LookupIndex):
    """A :class:`LookupIndex` whose tables stay in the store until a query needs them."""

    def __init__(self, store: Store):
        self.store = store
        super().__init__(cards=[], keys=_Entries(store, "key"), texts=_Entries(store, "text"),
                         concept_of=_PerEntry(store, "concept_of", offset_by_concept=True),
                         meta=_PerEntry(store, "meta"), exact=_KeyMap(store, "exact"),
                         initials=_KeyMap(store, "initials"), grams=_StoreGrams(store),
                         lemmas=_KeyMap(store, "lemmas"))

    @property
    def concept_count(self) -> int:
        return self.store.concept_count

    def card(self, number: int) -> ConceptCard:
        import json

        shard = self.store.shard_of_concept(number)
        (cid, domain, subject, definition, preferred, statuses), = self.store.shards[shard].db.execute(
            "SELECT id, domain, subject, definition, preferred, statuses FROM concepts WHERE n = ?",
            (number - self.store.concept_bases[shard],))
        return ConceptCard(cid, domain, subject, definition, dict(zip(LANGUAGES, json.loads(preferred))),
                           dict(zip(LANGUAGES, json.loads(statuses))))

    def _candidates(self, key: str, lang: str | None, domain: str | None) -> Sequence[int]:
        allowed = None if lang is None and domain is None else (
            lambda entries: self._allowed_entries(entries, lang, domain))
        candidates = self.grams.candidates(key, allowed, CANDIDATES)
        self.keys.fetch(candidates)  # one query per shard, not one per candidate
        return candidates

    def _allowed(self, entry: int, lang: str | None, domain: str | None) -> bool:
        if lang is None and domain is None:
            return True
        return bool(self._allowed_entries(self.grams._np.array([entry]), lang, domain)[0])

    def _allowed_entries(self, entries, lang: str | None, domain: str | None):
        """Which of ``entries`` (global numbers, ascending) pass the filters: a boolean array, read shard by
        shard from the per-entry arrays."""
        np = self.grams._np
        allowed = np.ones(len(entries), dtype=bool)
        bases = np.asarray(self.store.entry_bases)
        places = np.searchsorted(bases, entries, side="right") - 1
        for number in np.unique(places).tolist():
            at = np.flatnonzero(places == number)
            shard, local = self.store.shards[number], entries[at] - bases[number]
            if lang is not None:
                allowed[at] &= (shard.array("meta")[local] >> 5) == LANGUAGES.index(lang)
            if domain is not None:
                allowed[at] &= shard.array("domains")[shard.array("concept_of")[local]] == DOMAINS.index(domain)
        return allowed


def store_lookup_index(store: Store) -> LookupIndex:
    """The index lookup searches: on a small termbase every entry in memory, scored as the in-memory index
    scores them (all of them, no n-gram candidates); on a large one, :class:`StoreIndex`."""
    if store.entry_count >= GRAM_INDEX_MIN_ENTRIES:
        store.open_merged()
        return StoreIndex(store)
    return _small_index(store)


def _small_index(store: Store) -> LookupIndex:
    import json
    from array import array

    cards, keys, texts, concept_of, meta = [], [], [], array("i"), bytearray()
    maps: dict[int, dict[str, list[int]]] = {kind: {} for kind in _KINDS.values()}
    for shard, cbase, ebase in zip(store.shards, store.concept_bases, store.entry_bases):
        for cid, domain, subject, definition, preferred, statuses in shard.db.execute(
                "SELECT id, domain, subject, definition, preferred, statuses FROM concepts ORDER BY n"):
            cards.append((cid, domain, subject, definition, tuple(json.loads(preferred)), tuple(json.loads(statuses))))
        for key, text in shard.db.execute("SELECT key, text FROM entries ORDER BY n"):
            keys.append(key)
            texts.append(text)
        local = array("i")
        local.frombytes(shard.raw("concept_of"))
        concept_of.extend(c + cbase for c in local)
        meta.extend(shard.raw("meta"))
        for kind, key, blob in shard.db.execute("SELECT kind, key, entries FROM keys"):
            maps[kind].setdefault(key, []).extend(ebase + e for e in marshal.loads(blob))
    return LookupIndex(cards, keys, texts, concept_of, bytes(meta), maps[_KINDS["exact"]], maps[_KINDS["initials"]],
                       None, maps[_KINDS["lemmas"]])
