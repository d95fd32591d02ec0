"""The compiled termbase store: what read commands open instead of parsing YAML.

The term files stay the source of truth. Each one compiles to its own SQLite shard, named by the
SHA-256 of its bytes (and of this layout), holding its concept cards, its terms' search keys, the
exact, initials and lemma maps and the n-gram spans that :mod:`glossary.lookup` searches, and the
figures ``glossary stats`` adds up; beside it are the postings (raw int32) and a directory of the
grams (sorted codes and spans, so that a query's grams are found by one numpy search, not a SQLite
query each). Why SQLite rather than numpy arrays for the rest: a shard is one file that opens in
microseconds without reading it, answers key look-ups through its B-tree indexes, and is shared by
every process through the page cache; arrays would need a hand-written string table and hash index,
and SQLite's page reads are no slower for the few hundred rows a query touches. Lookups read with
``pread``, not through memory maps, so each process holds only what its queries read.

A large store also merges every shard's n-gram postings into one segment (:mod:`glossary.store_merge`),
so that a query does not visit a hundred shards.

When one term file changes only its shard is compiled again; the others are reused by name. A
manifest remembers each file's size, modification time and inode with its digest, so a warm start
reads no term file (as git's index does); a file modified within a second of the manifest's write
is hashed again, since its time cannot tell two writes apart. Shards and manifest live in the
private cache directory (:func:`glossary.cache.usable_cache_dir`); every shard checks its own
format, digest and row counts when opened, and anything inconsistent is compiled again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import sqlite3
import time
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glossary.cache import cache_path, pack, unpack, usable_cache_dir
from glossary.errors import TermFileError
from glossary.fileio import atomic_write_bytes
from glossary.model import DOMAINS, LANGUAGES, Termbase

#: Bumped when a shard's tables (or the files beside it) change.
STORE_FORMAT = 3
_MANIFEST_MAGIC = b"CTBT-GLOSSARY-STORE-MANIFEST\n"
#: Files modified this close to the manifest's write are hashed again (a coarse clock can hide a write).
_RACY_SECONDS = 2.0
_KINDS = {"exact": 0, "initials": 1, "lemmas": 2}

_SCHEMA = """
CREATE TABLE info(name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE concepts(n INTEGER PRIMARY KEY, id TEXT NOT NULL, line INTEGER, domain TEXT NOT NULL,
                      subject TEXT, definition TEXT NOT NULL, preferred TEXT NOT NULL, statuses TEXT NOT NULL);
CREATE TABLE entries(n INTEGER PRIMARY KEY, key TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE keys(kind INTEGER NOT NULL, key TEXT NOT NULL, entries BLOB NOT NULL, PRIMARY KEY(kind, key))
    WITHOUT ROWID;
CREATE TABLE grams(gram TEXT PRIMARY KEY, start INTEGER NOT NULL, stop INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
"""


def _salt() -> str:
    import glossary
    from glossary.textnorm import NORMALISER_VERSION

    return f"store-{STORE_FORMAT}:{glossary.__version__}:{NORMALISER_VERSION}"


def file_digest(data: bytes) -> str:
    """A shard's name: the term file's bytes under this layout and normaliser."""
    return hashlib.sha256(_salt().encode() + b"\0" + data).hexdigest()


# --- compiling a shard -----------------------------------------------------------------------------------

def _without_cyclic_gc(function):
    """Run ``function`` with the cyclic garbage collector paused: a compile makes a million objects that live
    until it returns, and the collector walked them again and again (a fifth of a rebuild after one edit);
    they are freed by reference counting all the same."""
    import functools
    import gc

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


@_without_cyclic_gc
def compile_shard(path: Path, data: bytes, target: Path, previous: Path | None = None) -> None:
    """Parse one term file (the first error stops, as when loading) and write its shard atomically.

    ``previous``, the shard of an earlier version of the file, lends the search keys, lemma keys and n-grams
    of the terms it already had: after an edit only the changed terms are normalised, stemmed and cut into
    n-grams again, and the postings are put together by numpy. When the edit keeps every entry's number,
    the new database is the earlier one with the changed rows rewritten (inserting a file's hundred
    thousand map rows was a third of the rebuild)."""
    from glossary.lookup import LookupIndex
    from glossary.stats import compute_stats
    from glossary.termfile import parse_term_file

    parsed = parse_term_file(data, os.fspath(path))
    if parsed.errors:
        first = parsed.errors[0]
        raise TermFileError(first.message, first.path, first.line)
    seen: dict[str, int | None] = {}
    for concept in parsed.concepts:
        if concept.id in seen:
            raise TermFileError(f"duplicate concept id {concept.id!r} (first at {path}:{seen[concept.id]})",
                                path, concept.origin.line if concept.origin else None)
        seen[concept.id] = concept.origin.line if concept.origin else None
    termbase = Termbase(parsed.concepts)
    earlier = _Earlier.read(previous) if previous else None
    index = LookupIndex.build(termbase, gram_index=False, known=earlier.known if earlier else None)
    grams, postings, sizes = _gram_postings(index.keys, earlier)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    lines = [c.origin.line if c.origin else None for c in parsed.concepts]
    concepts = [(n, cid, line, domain, subject, definition, json.dumps(preferred, ensure_ascii=False),
                 json.dumps(statuses))
                for n, ((cid, domain, subject, definition, preferred, statuses), line)
                in enumerate(zip(index._cards, lines))]
    domains = bytes(DOMAINS.index(card[1]) for card in index._cards)
    arrays = [("sizes", sizes.astype("<u2").tobytes()), ("meta", index.meta),
              ("concept_of", index.concept_of.tobytes()), ("domains", domains)]
    info = {"format": STORE_FORMAT, "digest": target.stem.removeprefix("shard-"), "concepts": len(index._cards),
            "entries": len(index.keys), "postings": len(postings),
            "stats": json.dumps(compute_stats(termbase).as_dict())}
    patched = earlier is not None and earlier.same_entries(index) and _patch_shard(
        previous, temporary, earlier, index, concepts, grams, arrays, info)
    if not patched:
        temporary.unlink(missing_ok=True)
        db = sqlite3.connect(temporary)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA cache_size=-131072")  # the whole shard in the writer's cache: no page is written twice
            db.executescript(_SCHEMA)
            db.executemany("INSERT INTO concepts VALUES (?,?,?,?,?,?,?,?)", concepts)
            db.executemany("INSERT INTO entries VALUES (?,?,?)", zip(range(len(index.keys)), index.keys, index.texts))
            for kind, table in (("exact", index.exact), ("initials", index.initials), ("lemmas", index.lemmas)):
                db.executemany("INSERT INTO keys VALUES (?,?,?)",  # in key order: the B-tree is appended to
                               ((_KINDS[kind], key, marshal.dumps(table[key])) for key in sorted(table)))
            db.executemany("INSERT INTO grams VALUES (?,?,?)", grams)
            db.executemany("INSERT INTO arrays VALUES (?,?)", arrays)
            db.executemany("INSERT INTO info VALUES (?,?)", info.items())
            db.commit()
        finally:
            db.close()
    # the postings and the directory beside the database; written first, so that a shard's database never
    # exists without them
    atomic_write_bytes(postings_path(target), postings.astype("<i4").tobytes())
    write_directory(grams, [concept.id for concept in parsed.concepts], directory_path(target))
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)


@dataclass
class _Earlier:
    """What an earlier shard of a file lends the next compile: each term's keys, each key's n-grams, and the
    rows an edit that keeps the entries' numbers compares against (to rewrite only those that changed)."""

    known: dict[tuple[str, str], tuple[str, str | None, tuple[str, ...], str]]  # (language, text) -> keys, initials
    entry_of_key: dict[str, int]
    grams: list[str]
    spans: list[tuple[int, int]]
    postings: object  # numpy int32
    sizes: object  # numpy uint16
    entries: list[tuple[str, str]] = None  # each entry's (key, text), by number
    meta: bytes = b""
    concept_of: bytes = b""
    lemma_of: dict[int, str] = None  # entry -> its row of the lemma map
    initials_of: dict[int, tuple[str, ...]] = None  # entry -> its rows of the initials map

    def same_entries(self, index) -> bool:
        """Whether ``index`` numbers its entries as this shard did (same concepts, same terms a concept):
        then only the rows of changed entries and concepts differ, and the shard can be patched."""
        return (self.entries is not None and len(index.keys) == len(self.entries)
                and index.concept_of.tobytes() == self.concept_of)

    @classmethod
    def read(cls, shard_path: Path) -> _Earlier | None:
        """None when the shard cannot be read: it is only a short cut."""
        import numpy as np

        try:
            db = sqlite3.connect(f"file:{shard_path}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error:
            return None
        try:
            info = dict(db.execute("SELECT name, value FROM info"))
            if info.get("format") != STORE_FORMAT:
                return None
            arrays = dict(db.execute("SELECT name, data FROM arrays WHERE name IN ('meta', 'sizes')"))
            meta = arrays["meta"]
            arrays.update(db.execute("SELECT name, data FROM arrays WHERE name = 'concept_of'"))
            lemma_of: dict[int, str] = {}
            for key, blob in db.execute("SELECT key, entries FROM keys WHERE kind = ?", (_KINDS["lemmas"],)):
                lemma_of.update(dict.fromkeys(marshal.loads(blob), key))
            initials_of: dict[int, tuple[str, ...]] = {}
            for key, blob in db.execute("SELECT key, entries FROM keys WHERE kind = ?", (_KINDS["initials"],)):
                for entry in marshal.loads(blob):
                    initials_of[entry] = initials_of.get(entry, ()) + (key,)
            exact_of: dict[int, str] = {}
            for key, blob in db.execute("SELECT key, entries FROM keys WHERE kind = ?", (_KINDS["exact"],)):
                exact_of.update(dict.fromkeys(marshal.loads(blob), key))
            known, entry_of_key = {}, {}
            entries = db.execute("SELECT key, text FROM entries ORDER BY n").fetchall()
            for n, (key, text) in enumerate(entries):
                lemma = lemma_of.get(n)
                known[(LANGUAGES[meta[n] >> 5], text)] = (key, lemma and lemma.split(":", 1)[1], initials_of.get(n, ()),
                                                          exact_of[n])
                entry_of_key.setdefault(key, n)
            rows = db.execute("SELECT gram, start, stop FROM grams").fetchall()
            postings = np.fromfile(postings_path(shard_path), dtype="<i4")
            sizes = np.frombuffer(arrays["sizes"], dtype="<u2")
            if len(postings) != int(info["postings"]) or len(sizes) != len(meta) or any(
                    not 0 <= start <= stop <= len(postings) for _gram, start, stop in rows):
                return None
            return cls(known, entry_of_key, [r[0] for r in rows], [r[1:] for r in rows], postings, sizes, entries,
                       bytes(meta), arrays["concept_of"], lemma_of, initials_of)
        except (sqlite3.Error, OSError, ValueError, TypeError, IndexError, KeyError, EOFError):
            return None
        finally:
            db.close()


def _patch_shard(previous: Path, temporary: Path, earlier: _Earlier, index, concepts: list[tuple],
                 grams: list[tuple[str, int, int]], arrays: list[tuple[str, bytes]], info: dict) -> bool:
    """Write the new shard as a copy of the earlier one with only the changed rows rewritten (an edit of one
    concept rewrites a few rows instead of a file's hundred thousand); the tables end up as a fresh compile
    writes them. False when the earlier shard cannot be copied (the caller then writes every row)."""
    import shutil

    from glossary.lookup import exact_key

    try:
        shutil.copyfile(previous, temporary)
    except OSError:
        return False
    db = sqlite3.connect(temporary)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        old = db.execute("SELECT * FROM concepts ORDER BY n").fetchall()
        if len(old) != len(concepts):
            return False
        db.executemany("INSERT OR REPLACE INTO concepts VALUES (?,?,?,?,?,?,?,?)",
                       [row for row, before in zip(concepts, old) if row != before])
        changed = [n for n, (key, text) in enumerate(zip(index.keys, index.texts))
                   if (key, text) != earlier.entries[n] or index.meta[n] != earlier.meta[n]]
        db.executemany("UPDATE entries SET key = ?, text = ? WHERE n = ?",
                       [(index.keys[n], index.texts[n], n) for n in changed])
        # the map rows that list a changed entry, before or after: each written again from the new maps
        tables = {_KINDS["exact"]: index.exact, _KINDS["initials"]: index.initials, _KINDS["lemmas"]: index.lemmas}
        touched = {(_KINDS["exact"], exact_key(key)) for n in changed for key in (index.keys[n], earlier.entries[n][0])}
        for n in changed:
            touched.update((_KINDS["initials"], initial) for initial in earlier.initials_of.get(n, ()))
            if n in earlier.lemma_of:
                touched.add((_KINDS["lemmas"], earlier.lemma_of[n]))
        changed_set = set(changed)
        for kind in (_KINDS["initials"], _KINDS["lemmas"]):
            touched.update((kind, key) for key, listed in tables[kind].items() if not changed_set.isdisjoint(listed))
        for kind, key in sorted(touched):
            listed = tables[kind].get(key)
            if listed:
                db.execute("INSERT OR REPLACE INTO keys VALUES (?,?,?)", (kind, key, marshal.dumps(listed)))
            else:
                db.execute("DELETE FROM keys WHERE kind = ? AND key = ?", (kind, key))
        db.execute("DELETE FROM grams")
        db.executemany("INSERT INTO grams VALUES (?,?,?)", grams)
        db.executemany("INSERT OR REPLACE INTO arrays VALUES (?,?)", arrays)
        db.executemany("INSERT OR REPLACE INTO info VALUES (?,?)", info.items())
        db.commit()
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return True


def _gram_postings(keys: Sequence[str], earlier: _Earlier | None):
    """The n-gram postings of ``keys``: (gram, start, stop) rows in gram order, the postings (entries in
    ascending order within each gram) and each entry's gram count. Keys the earlier shard had take their
    grams from its postings; the others are cut into grams here. Either way the result is the same."""
    import numpy as np

    from glossary.lookup import _grams

    if earlier is not None and earlier.entries is not None and len(keys) == len(earlier.entries):
        changed = [n for n, (key, (old, _text)) in enumerate(zip(keys, earlier.entries)) if key != old]
        if len(changed) * 4 <= len(keys):
            return _edited_postings(keys, earlier, changed)
    names: dict[str, int] = {}
    pair_grams, pair_entries = array("i"), array("i")
    sizes = np.zeros(len(keys), dtype=np.int64)
    reused_new, reused_old = [], []
    if earlier is not None:
        names = {gram: number for number, gram in enumerate(earlier.grams)}
    for entry, key in enumerate(keys):
        old = earlier.entry_of_key.get(key) if earlier is not None else None
        if old is not None:
            reused_new.append(entry)
            reused_old.append(old)
            continue
        grams = _grams(key)
        sizes[entry] = len(grams)
        for gram in grams:
            number = names.get(gram)
            if number is None:
                number = names[gram] = len(names)
            pair_grams.append(number)
            pair_entries.append(entry)
    gram_numbers = np.frombuffer(pair_grams, dtype=np.int32) if pair_grams else np.zeros(0, np.int32)
    entries = np.frombuffer(pair_entries, dtype=np.int32) if pair_entries else np.zeros(0, np.int32)
    if reused_new:
        # the earlier postings as (gram, old entry) pairs, kept where the old entry lends its grams to new ones
        spans = np.array(earlier.spans, dtype=np.int64).reshape(-1, 2)
        lengths = spans[:, 1] - spans[:, 0]
        old_entries = earlier.postings[np.arange(int(lengths.sum())) + np.repeat(spans[:, 0] - (np.cumsum(lengths)
                                                                                              - lengths), lengths)]
        lenders = np.full(len(earlier.sizes), -1, dtype=np.int64)
        lenders[reused_old] = np.arange(len(reused_old))  # an old entry lends to its key's first new entries
        borrowers = [[] for _ in reused_old]
        for new, slot in zip(reused_new, lenders[reused_old].tolist()):
            borrowers[slot].append(new)
        old_grams = np.repeat(np.arange(len(spans), dtype=np.int32), lengths)
        keep = lenders[old_entries] >= 0
        old_grams, old_entries = old_grams[keep], old_entries[keep]
        for copy in range(max(map(len, borrowers))):  # the same key twice in a file: each copy its pairs
            targets = np.array([b[copy] if copy < len(b) else -1 for b in borrowers], dtype=np.int64)
            new_entries = targets[lenders[old_entries]]
            has = new_entries >= 0
            gram_numbers = np.concatenate([gram_numbers, old_grams[has]])
            entries = np.concatenate([entries, new_entries[has].astype(np.int32)])
        sizes[reused_new] = earlier.sizes[reused_old]
    names_in_order = sorted(names, key=names.__getitem__)
    alphabetical = np.argsort(np.array(names_in_order, dtype=object)) if names_in_order else np.zeros(0, np.int64)
    rank = np.empty(len(names_in_order), dtype=np.int64)
    rank[alphabetical] = np.arange(len(names_in_order))
    count = max(len(keys), 1)
    rows, postings = _rows_of_pairs(rank[gram_numbers] * count + entries, count,
                                    [names_in_order[number] for number in alphabetical.tolist()])
    return rows, postings, np.minimum(sizes, 65535)


def _rows_of_pairs(pairs, count: int, names: Sequence[str]):
    """The (gram, start, stop) rows and the postings of (gram rank, entry) pairs, each as ``rank * count +
    entry``; ``names`` are the grams in rank order. Sorted stably: earlier postings come as long sorted runs,
    which timsort merges."""
    import numpy as np

    pairs.sort(kind="stable")
    postings = (pairs % count).astype(np.int32)
    sizes = np.bincount(pairs // count, minlength=len(names))
    stops = np.cumsum(sizes)
    rows = [(names[number], int(stop - size), int(stop))
            for number, (size, stop) in enumerate(zip(sizes.tolist(), stops.tolist())) if size]
    return rows, postings


def _edited_postings(keys: Sequence[str], earlier: _Earlier, changed: Sequence[int]):
    """:func:`_gram_postings` when the entries keep their numbers and only ``changed`` ones have new keys: the
    earlier postings less the changed entries, and the changed entries' grams put in their places (the
    earlier postings stay one sorted run, which a stable sort merges with the few new pairs)."""
    import numpy as np

    from glossary.lookup import _grams

    count = max(len(keys), 1)
    new_grams = {n: _grams(keys[n]) for n in changed}
    names = sorted(set(earlier.grams).union(*new_grams.values()))
    rank = {gram: number for number, gram in enumerate(names)}
    spans = np.array(earlier.spans, dtype=np.int64).reshape(-1, 2)
    lengths = spans[:, 1] - spans[:, 0]
    old_ranks = np.array([rank[gram] for gram in earlier.grams], dtype=np.int64)
    # the earlier rows are in gram order and their spans follow one another, so the postings are read in order
    old_postings = np.concatenate([earlier.postings[a:b] for a, b in earlier.spans]) if len(spans) else \
        np.zeros(0, np.int32)
    pairs = np.repeat(old_ranks, lengths) * count + old_postings
    dropped = np.zeros(len(keys), dtype=bool)
    dropped[list(changed)] = True
    pairs = pairs[~dropped[old_postings]]
    added = np.array(sorted(rank[gram] * count + n for n, grams in new_grams.items() for gram in grams),
                     dtype=np.int64)
    rows, postings = _rows_of_pairs(np.concatenate([pairs, added]), count, names)  # two sorted runs: merged
    sizes = earlier.sizes.astype(np.int64)
    for n, grams in new_grams.items():
        sizes[n] = len(grams)
    return rows, postings, np.minimum(sizes, 65535)


def postings_path(shard: Path) -> Path:
    return shard.with_suffix(".postings")


def directory_path(shard: Path) -> Path:
    return shard.with_suffix(".directory")


def gram_code(gram: str) -> int:
    """A gram (at most three characters, as :func:`glossary.lookup._grams` cuts them) as one exact integer:
    21 bits a character, so sorted codes can be searched by numpy without reading SQLite."""
    if len(gram) > 3:
        raise ValueError(f"gram {gram!r} is longer than three characters")
    code = 0
    for place, char in enumerate(gram):
        code |= (ord(char) + 1) << (21 * (2 - place))
    return code


#: The layout of a shard's directory (its first number).
DIRECTORY_FORMAT = 2


def id_hash(concept_id: str) -> int:
    """A concept id's 64-bit hash in a shard's directory (a clash is confirmed from SQLite)."""
    return int.from_bytes(hashlib.blake2b(concept_id.encode("utf-8"), digest_size=8).digest(), "little")


def write_directory(grams: Sequence[tuple[str, int, int]], concept_ids: Sequence[str], target: Path) -> None:
    """A shard's directory beside it: after a header (this layout, gram count, id count), its grams' codes,
    sorted, with their spans of the postings, as three int64 arrays, then the hashes of its concept ids,
    sorted. Lookups search the grams with numpy instead of asking SQLite for each; an edit checks its ids
    against the other shards' hashes instead of reading every id."""
    import numpy as np

    rows = sorted((gram_code(gram), start, stop) for gram, start, stop in grams)
    table = np.array(rows, dtype="<i8").reshape(-1, 3)
    ids = np.array(sorted(id_hash(cid) for cid in concept_ids), dtype="<u8")
    atomic_write_bytes(target, np.array([DIRECTORY_FORMAT, len(table), len(ids)], dtype="<i8").tobytes()
                       + b"".join(np.ascontiguousarray(table[:, i]).tobytes() for i in range(3)) + ids.tobytes())


# --- a shard, opened ---------------------------------------------------------------------------------------

class Shard:
    """One compiled term file, read on demand; arrays are read once per process, when first needed."""

    def __init__(self, path: Path, digest: str):
        self.path = path
        # immutable: SQLite takes no locks and never writes; the file is replaced, never changed in place
        self.db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        # no memory map: mapped, the store counted in every process's resident memory far beyond the pages
        # read (one query on 1M concepts brought 200 MB of mapped postings in: the kernel maps cached folios
        # around each page touched); pages are read (from the page cache, shared by every process) into a
        # small private cache per shard, enough for a B-tree's upper levels
        self.db.execute("PRAGMA mmap_size = 0")
        self.db.execute("PRAGMA cache_size = -128")
        info = dict(self.db.execute("SELECT name, value FROM info"))
        if info.get("format") != STORE_FORMAT or info.get("digest") != digest:
            raise sqlite3.DatabaseError("not this term file's shard")
        self.concepts = int(info["concepts"])
        self.entries = int(info["entries"])
        self.postings_count = int(info["postings"])
        self._postings_file: int | None = None
        self._directory = None
        self._stats = info["stats"]
        self._arrays: dict[str, object] = {}

    def check(self) -> None:
        """Row numbers agree with the header and the arrays' lengths (read without reading the rows or
        the arrays): a shard that fails is compiled again."""
        (concepts,), = self.db.execute("SELECT coalesce(max(n) + 1, 0) FROM concepts")
        (entries,), = self.db.execute("SELECT coalesce(max(n) + 1, 0) FROM entries")
        lengths = dict(self.db.execute("SELECT name, length(data) FROM arrays"))
        if postings_path(self.path).stat().st_size != 4 * self.postings_count:
            raise sqlite3.DatabaseError("postings disagree")
        self._directory_header()
        if (concepts, entries) != (self.concepts, self.entries) or lengths != {
                "sizes": 2 * entries, "meta": entries, "concept_of": 4 * entries, "domains": concepts}:
            raise sqlite3.DatabaseError("row counts disagree")

    def __del__(self):
        if getattr(self, "_postings_file", None) is not None:
            with contextlib.suppress(OSError):
                os.close(self._postings_file)

    def read_postings(self, spans: Sequence[tuple[int, int]]):
        """The postings in ``spans`` (start, stop), one after another: read with ``pread`` from the page
        cache (shared by every process), not memory-mapped, so that only what a query reads is in its
        memory, and only while it needs it."""
        import numpy as np

        if self._postings_file is None:
            self._postings_file = os.open(postings_path(self.path), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        data = b"".join(os.pread(self._postings_file, 4 * (stop - start), 4 * start) for start, stop in spans)
        if len(data) != 4 * sum(stop - start for start, stop in spans):
            raise OSError("the postings file is shorter than its shard says")
        return np.frombuffer(data, dtype="<i4")

    def directory(self):
        """(gram codes, starts, stops): the grams of the shard's directory, read once per process (a few
        hundred kB); a shard whose directory does not match it is compiled again when opened."""
        if self._directory is None:
            import numpy as np

            grams, _ids = self._directory_header()
            with open(directory_path(self.path), "rb") as file:
                data = os.pread(file.fileno(), 24 * grams, 24)
            if len(data) != 24 * grams:
                raise OSError("the shard's directory is shorter than its header says")
            self._directory = tuple(np.frombuffer(data, dtype="<i8", count=grams, offset=8 * grams * i)
                                    for i in range(3))
        return self._directory

    def id_hashes(self):
        """The sorted hashes of the shard's concept ids (read from its directory each time: edits need them)."""
        import numpy as np

        grams, ids = self._directory_header()
        with open(directory_path(self.path), "rb") as file:
            data = os.pread(file.fileno(), 8 * ids, 24 + 24 * grams)
        if len(data) != 8 * ids:
            raise OSError("the shard's directory is shorter than its header says")
        return np.frombuffer(data, dtype="<u8")

    def _directory_header(self) -> tuple[int, int]:
        """(grams, ids) of the shard's directory, checked against its layout, length and concept count."""
        import struct

        with open(directory_path(self.path), "rb") as file:
            header = os.pread(file.fileno(), 24, 0)
            size = os.fstat(file.fileno()).st_size
        if len(header) != 24:
            raise sqlite3.DatabaseError("the shard's directory is damaged")
        layout, grams, ids = struct.unpack("<qqq", header)
        if layout != DIRECTORY_FORMAT or grams < 0 or ids != self.concepts or size != 24 + 24 * grams + 8 * ids:
            raise sqlite3.DatabaseError("the shard's directory is damaged")
        return grams, ids

    def raw(self, name: str) -> bytes:
        (data,), = self.db.execute("SELECT data FROM arrays WHERE name = ?", (name,))
        return data

    def array(self, name: str):
        import numpy as np

        if name not in self._arrays:
            data = self.raw(name)
            dtype = {"sizes": np.uint16, "meta": np.uint8, "concept_of": np.int32, "domains": np.uint8}[name]
            self._arrays[name] = np.frombuffer(data, dtype=dtype)
        return self._arrays[name]

    def stats(self) -> dict:
        return json.loads(self._stats)


# --- the manifest: which shard each file is, without reading the files ---------------------------------------

def _stat_key(info: os.stat_result) -> tuple:
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def _read_manifest(path: Path) -> dict:
    try:
        payload = unpack(path.read_bytes(), _MANIFEST_MAGIC + _salt().encode() + b"\n")
        manifest = marshal.loads(payload) if payload is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


@dataclass
class Store:
    """The shards of a termbase, in file order; global concept and entry numbers run across them."""

    shards: list[Shard]
    compiled: list[Path]  # the term files compiled on this open (empty on a warm start)
    merged: object = None  # the merged n-gram segment's Coverage (glossary.store_merge), once lookup opens it
    merged_path: Path | None = None  # where that segment is kept

    def open_merged(self) -> None:
        """Open (merging first when needed) the n-gram segment of the shards: only lookup reads it, so
        ``glossary stats`` does not wait for a merge."""
        if self.merged is None and self.merged_path is not None and len(self.shards) > 1:
            from glossary.store_merge import merged_coverage

            self.merged = merged_coverage(self.shards, self.merged_path)

    def __post_init__(self):
        self.concept_bases, self.entry_bases = [0], [0]
        for shard in self.shards:
            self.concept_bases.append(self.concept_bases[-1] + shard.concepts)
            self.entry_bases.append(self.entry_bases[-1] + shard.entries)

    @property
    def concept_count(self) -> int:
        return self.concept_bases[-1]

    @property
    def entry_count(self) -> int:
        return self.entry_bases[-1]

    def shard_of_entry(self, entry: int) -> int:
        return bisect_right(self.entry_bases, entry) - 1

    def shard_of_concept(self, concept: int) -> int:
        return bisect_right(self.concept_bases, concept) - 1

    def stats(self) -> dict:
        """``glossary stats`` figures, added up over the shards (no concept is read)."""
        total = {"concepts": 0, "by_domain": dict.fromkeys(DOMAINS, 0),
                 "languages": {lang: {"with_preferred": 0, "proposed": 0, "terms": 0} for lang in LANGUAGES}}
        for shard in self.shards:
            part = shard.stats()
            total["concepts"] += part["concepts"]
            for domain, count in part["by_domain"].items():
                total["by_domain"][domain] += count
            for lang, figures in part["languages"].items():
                for name in ("with_preferred", "proposed", "terms"):
                    total["languages"][lang][name] += figures[name]
        return total


def _check_unique_ids(shards: Sequence[Shard], files: Sequence[Path], fresh: Sequence[int] | None = None) -> None:
    """A concept id in two files is the error loading would give, at the second one.

    ``fresh`` (places in ``shards``), when given, are the only shards whose ids may clash: the others were
    checked together when the manifest was written. Their ids' hashes are looked for in the other shards'
    directories (sorted hashes, one numpy search each), so editing one file of a large termbase does not
    read every id; a clash found that way (or a hash that merely collides) goes to the full check, which
    reports it with the loader's words."""
    if fresh is not None and len(fresh) * 4 <= len(shards):
        import numpy as np

        ids: list[str] = []
        for place in fresh:
            ids.extend(cid for (cid,) in shards[place].db.execute("SELECT id FROM concepts"))
        wanted = np.array(sorted(map(id_hash, ids)), dtype=np.uint64)

        def clashes(hashes) -> bool:
            at = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
            return bool(len(hashes)) and bool((hashes[at] == wanted).any())

        if len(set(ids)) == len(ids) and not any(
                clashes(shard.id_hashes()) for place, shard in enumerate(shards) if place not in fresh):
            return
    first: dict[str, tuple[Path, int | None]] = {}
    for shard, path in zip(shards, files):
        for cid, line in shard.db.execute("SELECT id, line FROM concepts ORDER BY n"):
            if cid in first:
                where = first[cid]
                raise TermFileError(f"duplicate concept id {cid!r} (first at {where[0]}:{where[1]})", path, line)
            first[cid] = (path, line)


def open_store(paths: Sequence[str | os.PathLike], cache_dir: str | os.PathLike | None = None,
               progress=None) -> Store | None:
    """The compiled store of the term files under ``paths``, compiling the shards of changed files;
    ``None`` when there is no private cache directory to keep it in (callers then parse).

    ``progress(items, length)``, when given, is a context manager wrapping the shards being compiled
    (a progress bar on a terminal)."""
    from glossary.resources import term_file_paths

    files = term_file_paths(paths)
    if not files:
        raise TermFileError("no term files (*.yaml) found", paths[0] if paths else ".")
    directory = usable_cache_dir(cache_dir)
    if directory is None:
        return None
    manifest_path = cache_path(directory, "store", paths, ".manifest")
    manifest = _read_manifest(manifest_path)
    known, checked = manifest.get("files", {}), manifest.get("checked", 0.0)
    entries, compiled, shards, hashed = {}, [], [], False
    pending: dict[int, tuple[Path, str, Path]] = {}  # shards to compile, by their place in file order
    for path in files:
        try:
            info = os.stat(path)
        except OSError as exc:
            raise TermFileError(f"cannot read term file: {exc.strerror}", path) from exc
        key = _stat_key(info)
        name = os.path.abspath(path)
        previous = known.get(name)
        digest = None
        if previous and previous[0] == key and info.st_mtime_ns / 1e9 < checked - _RACY_SECONDS:
            digest = previous[1]
        shard = _open_shard(directory, digest) if digest else None
        if shard is None:
            from glossary.termfile import MAX_TERM_FILE_BYTES
            from glossary.fileio import read_input_bytes

            data = read_input_bytes(os.fspath(path), TermFileError, "cannot read term file", MAX_TERM_FILE_BYTES)
            digest, hashed = file_digest(data), True
            shard = _open_shard(directory, digest)
            if shard is None:
                earlier = directory / f"shard-{previous[1]}.sqlite" if previous else None
                pending[len(shards)] = (path, digest, directory / f"shard-{digest}.sqlite", earlier)
            del data
        entries[name] = (key, digest)
        shards.append(shard)
    work = _compile_all(list(pending.items()))
    with progress(work, len(pending)) if progress and len(pending) > 1 else contextlib.nullcontext(work) as done:
        for place, path in done:
            shards[place] = _open_shard(directory, entries[os.path.abspath(path)][1])
            compiled.append(path)
            if shards[place] is None:  # pragma: no cover - written a moment ago
                raise TermFileError("the compiled store could not be read back", directory)
    changed = compiled or set(entries) != set(known) or any(known[n][1] != entries[n][1] for n in entries)
    if changed:
        # shards whose file was not in the manifest with these bytes may hold an id another file holds
        fresh = [place for place, path in enumerate(files)
                 if known.get(name := os.path.abspath(path), (None, None))[1] != entries[name][1]]
        _check_unique_ids(shards, files, fresh if known else None)
    if changed or hashed:  # a file hashed again (too recent to trust its time) is trusted next time
        try:
            atomic_write_bytes(manifest_path, pack(_MANIFEST_MAGIC + _salt().encode() + b"\n",
                                                   marshal.dumps({"files": entries, "checked": time.time()})))
        except OSError:
            pass  # only slower next time
        if changed:
            remove_unused_shards(directory)
    return Store(shards, compiled, merged_path=cache_path(directory, "merged", paths, ".postings"))


#: A shard no manifest names is removed once it is this old (younger, another command may be compiling it).
UNUSED_SHARD_SECONDS = 600


def remove_unused_shards(directory: Path) -> list[Path]:
    """Delete the shards of old versions of term files, which no manifest in ``directory`` names any more,
    so that editing a large termbase does not fill the cache; a process still reading one keeps its map."""
    used: set[str] = set()
    for manifest in directory.glob("store-*.manifest"):
        used.update(digest for _key, digest in _read_manifest(manifest).get("files", {}).values())
    removed = []
    now = time.time()
    for shard in directory.glob("shard-*.sqlite"):
        try:
            if shard.stem.removeprefix("shard-") not in used and now - shard.stat().st_mtime > UNUSED_SHARD_SECONDS:
                shard.unlink()
                postings_path(shard).unlink(missing_ok=True)
                directory_path(shard).unlink(missing_ok=True)
                removed.append(shard)
        except OSError:
            continue
    return removed


def _compile_one(path: Path, digest: str, target: Path,
                 previous: Path | None = None) -> tuple[str, str | None, int | None] | None:
    """:func:`compile_shard` of the file whose bytes had ``digest`` (read again, here: a worker is not sent
    the bytes); an error comes back as (message, path, line), which pickles."""
    from glossary.fileio import read_input_bytes
    from glossary.termfile import MAX_TERM_FILE_BYTES

    try:
        data = read_input_bytes(os.fspath(path), TermFileError, "cannot read term file", MAX_TERM_FILE_BYTES)
        if file_digest(data) != digest:
            raise TermFileError("the term file changed while the store was compiled; run the command again", path)
        compile_shard(path, data, target, previous if previous and previous.is_file() else None)
    except TermFileError as exc:
        return exc.message, None if exc.path is None else os.fspath(exc.path), exc.line
    return None


def _compile_all(work: list[tuple[int, tuple[Path, str, Path, Path | None]]]):
    """Compile the shards, in worker processes when there are several and more than one CPU; the first
    file's error (in file order) is raised, as loading would."""
    workers = min(len(work), os.cpu_count() or 1)
    if workers <= 1:
        for place, (path, *job) in work:
            error = _compile_one(path, *job)
            if error is not None:
                raise TermFileError(*error)
            yield place, path
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [(place, path, pool.submit(_compile_one, path, *job)) for place, (path, *job) in work]
        for place, path, future in futures:
            error = future.result()
            if error is not None:
                raise TermFileError(*error)
            yield place, path


def _open_shard(directory: Path, digest: str) -> Shard | None:
    path = directory / f"shard-{digest}.sqlite"
    if not path.is_file():
        return None
    try:
        shard = Shard(path, digest)
        shard.check()
        return shard
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):
        return None  # damaged, incomplete or foreign: compiled again
