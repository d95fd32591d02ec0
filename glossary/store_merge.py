"""The merged n-gram segment of a large store: every shard's postings in one file, as Lucene merges segments.

A query on a store of a hundred shards otherwise finds its grams in each shard's directory and reads and
counts each shard's postings apart: a hundred small numpy steps, whose fixed costs were most of a lookup
at a million concepts. Merged, a query finds its grams once and reads each chosen gram's postings (global
entry numbers, ascending) with one ``pread``, and counts them in one pass.

The segment is built from the shards as they are after a full compile. When a file is edited later, its
new shard is searched beside the segment (the overlay), and the old shard's part of each gram's postings
is skipped (it is superseded): a row of offsets per gram says where each shard's postings begin inside
the gram's. So an edit never waits for a merge; the segment is merged again only when the overlay holds
more than a tenth of the entries. Results are the same either way (tested against a fresh compile).

One file, written atomically (a reader keeps the version it opened): a header, the shards' digests and
entry bases, the gram codes with their offset rows, each entry's gram count, then the postings.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from pathlib import Path

#: Bumped when the segment's layout changes.
SEGMENT_FORMAT = 2
_MAGIC = b"CTBTSEG\n"
_HEADER = struct.Struct("<8sqqqqqqq")  # magic, format, shards, grams, entries, postings, key bytes, key hashes
#: Postings merged per step while writing (bounds the writer's memory).
_MERGE_POSTINGS = 8_000_000
#: The overlay (shards not in the segment) may hold this share of the entries before the segment is merged again.
OVERLAY_SHARE = 0.1
#: Every this many key hashes, one is kept in the fence that a process reads whole.
_FENCE = 512
_SHARD_BITS = 30


def key_hash(kind: int, key: str, shard: int = 0) -> int:
    """A key of a shard's exact, initials or lemma map as one sortable number: its kind, the CRC-32 of its
    text, the shard. The shards that may hold a key are one run of the sorted hashes (a clash only costs
    a query that finds nothing)."""
    import zlib

    return (kind << 62) | (zlib.crc32(key.encode("utf-8")) << _SHARD_BITS) | shard


class Segment:
    """A merged segment, opened: its header and shard list read, the rest read when a query needs it."""

    def __init__(self, path: Path):
        import numpy as np

        self._np = np
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            size = os.fstat(self.fd).st_size
            magic, layout, shards, grams, entries, postings, key_bytes, hashes = _HEADER.unpack(
                self._read(_HEADER.size, 0))
            if magic != _MAGIC or layout != SEGMENT_FORMAT or min(shards, grams, entries, postings, key_bytes,
                                                                  hashes) < 0:
                raise ValueError("not a segment")
            self.grams, self.entry_count, self.postings_count, self.hash_count = grams, entries, postings, hashes
            at = _HEADER.size
            self.digests = [self._read(32 * shards, at)[32 * i:32 * i + 32].hex() for i in range(shards)]
            at += 32 * shards
            self.bases = np.frombuffer(self._read(8 * (shards + 1), at), dtype="<i8")
            self._codes_at = at + 8 * (shards + 1)
            self._rows_at = self._codes_at + 8 * grams
            self._row = 8 * (shards + 1)
            self._sizes_at = self._rows_at + self._row * grams
            self._keys_at = self._sizes_at + 2 * entries
            self._key_offsets_at = self._keys_at + key_bytes
            self._fence_at = self._key_offsets_at + 8 * (entries + 1)
            self._fence_count = -(-hashes // _FENCE)
            self._hashes_at = self._fence_at + 8 * self._fence_count
            self._postings_at = self._hashes_at + 8 * hashes
            if size != self._postings_at + 4 * postings or self.bases[-1] != entries:
                raise ValueError("the segment's length disagrees with its header")
        except (OSError, ValueError, struct.error):
            os.close(self.fd)
            raise
        self._codes = None
        self._sizes = None
        self._fence = None

    def __del__(self):
        if getattr(self, "fd", None) is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass

    def _read(self, length: int, offset: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        if len(data) != length:
            raise OSError("the segment is shorter than its header says")
        return data

    def codes(self):
        """The sorted gram codes (read once per process: eight bytes a gram)."""
        if self._codes is None:
            self._codes = self._np.frombuffer(self._read(8 * self.grams, self._codes_at), dtype="<i8")
        return self._codes

    def rows(self, numbers: Sequence[int]):
        """The offset rows of grams ``numbers``: where each shard's postings of the gram begin, and the end."""
        np = self._np
        data = b"".join(self._read(self._row, self._rows_at + self._row * n) for n in numbers)
        return np.frombuffer(data, dtype="<i8").reshape(len(numbers), -1)

    def sizes(self):
        """Each entry's gram count (uint16), in the segment's numbering; read once per process."""
        if self._sizes is None:
            self._sizes = self._np.frombuffer(self._read(2 * self.entry_count, self._sizes_at), dtype="<u2")
        return self._sizes

    def postings(self, spans: Sequence[tuple[int, int]]):
        """The postings in ``spans`` (start, stop), one after another, read with ``pread`` (not mapped: only
        what a query reads is in its memory)."""
        np = self._np
        data = b"".join(self._read(4 * (stop - start), self._postings_at + 4 * start) for start, stop in spans)
        return np.frombuffer(data, dtype="<i4")

    def keys(self, entries: Sequence[int]) -> list[str]:
        """The search keys of ``entries`` (segment numbers): two reads each, not a query per shard."""
        found = []
        for entry in entries:
            if not 0 <= entry < self.entry_count:
                raise ValueError("entry out of range")
            start, stop = struct.unpack("<qq", self._read(16, self._key_offsets_at + 8 * entry))
            if not 0 <= start <= stop <= self._key_offsets_at - self._keys_at:
                raise ValueError("the segment's key offsets are damaged")
            found.append(self._read(stop - start, self._keys_at + start).decode("utf-8"))
        return found

    def shards_with(self, kind: int, key: str) -> list[int]:
        """The segment's shards whose ``kind`` map may hold ``key`` (by its hash: a clash is possible)."""
        np = self._np
        if not self.hash_count:
            return []
        if self._fence is None:
            self._fence = np.frombuffer(self._read(8 * self._fence_count, self._fence_at), dtype="<u8")
        low = key_hash(kind, key)
        high = low | ((1 << _SHARD_BITS) - 1)
        first = max(int(np.searchsorted(self._fence, np.uint64(low), side="right")) - 1, 0)
        last = int(np.searchsorted(self._fence, np.uint64(high), side="right"))
        start, stop = first * _FENCE, min(last * _FENCE, self.hash_count)
        block = np.frombuffer(self._read(8 * (stop - start), self._hashes_at + 8 * start), dtype="<u8")
        run = block[np.searchsorted(block, np.uint64(low)):np.searchsorted(block, np.uint64(high), side="right")]
        return (run & np.uint64((1 << _SHARD_BITS) - 1)).astype(np.int64).tolist()


def write_segment(shards: Sequence, target: Path) -> None:
    """Merge the n-gram postings of ``shards`` (opened :class:`glossary.store.Shard`, in file order) into one
    segment at ``target``, written atomically. Each gram's postings are the shards' postings of it, shard
    after shard, with the shard's entry base added: ascending global entry numbers, as one shard holds them."""
    import numpy as np

    directories = [shard.directory() for shard in shards]
    codes = np.unique(np.concatenate([d[0] for d in directories])) if directories else np.zeros(0, np.int64)
    counts = np.zeros((len(codes), len(shards)), dtype=np.int64)  # postings of each gram in each shard
    for place, (shard_codes, starts, stops) in enumerate(directories):
        counts[np.searchsorted(codes, shard_codes), place] = stops - starts
    rows = np.zeros((len(codes), len(shards) + 1), dtype=np.int64)
    np.cumsum(counts, axis=1, out=rows[:, 1:])
    gram_starts = np.concatenate(([0], np.cumsum(rows[:, -1])[:-1])) if len(codes) else np.zeros(0, np.int64)
    rows += gram_starts[:, None]
    bases = np.zeros(len(shards) + 1, dtype=np.int64)
    bases[1:] = np.cumsum([shard.entries for shard in shards])
    total = int(rows[-1, -1]) if len(codes) else 0
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(b"\0" * _HEADER.size)  # written last, when the key bytes are counted
            out.write(b"".join(bytes.fromhex(shard.path.stem.removeprefix("shard-")) for shard in shards))
            out.write(bases.astype("<i8").tobytes())
            out.write(codes.astype("<i8").tobytes())
            out.write(rows.astype("<i8").tobytes())
            for shard in shards:
                out.write(shard.raw("sizes"))
            # every entry's search key (to score the candidates without a query per shard), shard by shard, and
            # the hashes of the shards' map keys (to ask only the shards that may hold a query's key)
            # (arrays are written as they are, not copied to bytes: a million concepts have 15M map keys)
            key_offsets = np.zeros(int(bases[-1]) + 1, dtype="<i8")
            hashes = np.zeros(sum(shard.db.execute("SELECT count(*) FROM keys").fetchone()[0] for shard in shards),
                              dtype="<u8")
            hash_count = 0
            for place, (shard, base) in enumerate(zip(shards, bases.tolist())):
                keys = [key.encode("utf-8") for (key,) in shard.db.execute("SELECT key FROM entries ORDER BY n")]
                if len(keys) != shard.entries:
                    raise OSError(f"{shard.path} has {len(keys)} entries, not {shard.entries}")
                key_offsets[base + 1:base + 1 + len(keys)] = np.fromiter(map(len, keys), dtype=np.int64,
                                                                         count=len(keys))
                out.write(b"".join(keys))
                part = np.fromiter((key_hash(kind, key, place) for kind, key in
                                    shard.db.execute("SELECT kind, key FROM keys")), dtype=np.uint64)
                hashes[hash_count:hash_count + len(part)] = part
                hash_count += len(part)
            np.cumsum(key_offsets, out=key_offsets)
            out.write(key_offsets)
            hashes = hashes[:hash_count]
            hashes.sort()
            out.write(np.ascontiguousarray(hashes[::_FENCE]))
            out.write(hashes)
            del hashes
            # the postings, a run of grams at a time: each shard's postings of those grams are one span of its file
            place_of = [np.searchsorted(codes, d[0]) for d in directories]
            first = 0
            while first < len(codes):
                last = first + 1
                while last < len(codes) and rows[last, -1] - rows[first, 0] <= _MERGE_POSTINGS:
                    last += 1
                pieces = [[] for _ in range(last - first)]
                for shard, base, (shard_codes, starts, stops), places in zip(shards, bases.tolist(), directories,
                                                                           place_of):
                    lo, hi = np.searchsorted(places, [first, last])
                    if lo == hi:
                        continue
                    read = shard.read_postings([(int(starts[lo]), int(stops[hi - 1]))]) + np.int32(base)
                    for place, start, stop in zip(places[lo:hi].tolist(), (starts[lo:hi] - starts[lo]).tolist(),
                                                  (stops[lo:hi] - starts[lo]).tolist()):
                        pieces[place - first].append(read[start:stop])
                out.write(np.concatenate([p for piece in pieces for p in piece]).astype("<i4").tobytes())
                first = last
            out.seek(0)
            out.write(_HEADER.pack(_MAGIC, SEGMENT_FORMAT, len(shards), len(codes), int(bases[-1]), total,
                                   int(key_offsets[-1]), hash_count))
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class Coverage:
    """Which of a store's shards the segment answers for, and how its entry numbers map to the store's.

    ``place[i]`` is store shard i's shard in the segment (-1: searched apart, in the overlay); segment shards
    no store shard matches are superseded, and their postings are skipped."""

    def __init__(self, segment: Segment, digests: Sequence[str], counts: Sequence[int]):
        import numpy as np

        self.segment = segment
        self.place: list[int] = []
        at = 0
        for digest in digests:  # in order: the segment's numbering must stay ascending in the store's
            try:
                found = segment.digests.index(digest, at)
            except ValueError:
                self.place.append(-1)
                continue
            self.place.append(found)
            at = found + 1
        store_bases = np.concatenate(([0], np.cumsum(np.asarray(counts, dtype=np.int64))))
        self.live = np.zeros(len(segment.digests), dtype=bool)
        self.shift = np.zeros(len(segment.digests), dtype=np.int64)  # store number - segment number
        self.store_number = [-1] * len(segment.digests)  # each segment shard's place in the store
        for number, found in enumerate(self.place):
            if found >= 0:
                self.live[found] = True
                self.store_number[found] = number
                self.shift[found] = store_bases[number] - segment.bases[found]
        self.whole = bool(self.live.all())
        self.identity = self.whole and not self.shift.any()
        self.overlay_entries = int(sum(c for c, p in zip(counts, self.place) if p < 0))
        self.dead_entries = int((np.diff(segment.bases) * ~self.live).sum())  # superseded rows still in the segment

    def to_store(self, entries):
        """Segment entry numbers (of live shards) as the store's."""
        if self.identity:
            return entries
        np = self.segment._np
        shard = np.searchsorted(self.segment.bases, entries, side="right") - 1
        return entries + self.shift[shard]

    def spans(self, row) -> list[tuple[int, int]]:
        """The spans of one gram's postings that live shards hold (the whole gram when nothing is superseded)."""
        if self.whole:
            return [(int(row[0]), int(row[-1]))]
        spans: list[tuple[int, int]] = []
        for shard in self.segment._np.flatnonzero(self.live).tolist():
            start, stop = int(row[shard]), int(row[shard + 1])
            if start == stop:
                continue
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], stop)
            else:
                spans.append((start, stop))
        return spans


def merged_coverage(shards: Sequence, target: Path) -> Coverage | None:
    """The segment at ``target`` for ``shards``, merged again when missing, damaged, or when the shards outside
    it, or its superseded rows, come to more than :data:`OVERLAY_SHARE` of the entries; None when it cannot
    be written (lookups then search the shards one by one)."""
    digests = [shard.path.stem.removeprefix("shard-") for shard in shards]
    counts = [shard.entries for shard in shards]
    for attempt in range(2):
        try:
            coverage = Coverage(Segment(target), digests, counts)
            if max(coverage.overlay_entries, coverage.dead_entries) <= OVERLAY_SHARE * sum(counts):
                return coverage
        except (OSError, ValueError, struct.error):
            pass
        if attempt == 0:
            try:
                write_segment(shards, target)
            except OSError:
                return None
    return None
