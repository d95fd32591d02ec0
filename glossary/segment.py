"""Chinese segmentation through a private jieba tokenizer: no global jieba state, a deliberate cache location.

Tagging uses the dictionary's word -> part-of-speech table (``POSTokenizer.word_tag_tab``) after a plain
``lcut``: about 0.9x the speed of ``lcut``, against 0.25x for ``jieba.posseg``. Words the HMM invents have no
entry and are tagged ``unk``.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import marshal
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import jieba

from glossary.cache import pack, unpack, usable_cache_dir
from glossary.fileio import atomic_write_bytes
from glossary.textnorm import has_han

#: First initialisation of a jieba tokenizer is not thread-safe; one lock for every tokenizer we build.
_INIT_LOCK = threading.Lock()
#: Tag for user words (termbase terms): a proper noun phrase, as jieba tags its own ``nz`` words.
USER_TAG = "nz"
UNKNOWN_TAG = "unk"


_PRIVATE_FALLBACK: list[Path] = []


def cache_dir() -> Path:
    """Where jieba's prefix-dictionary cache lives: the project's cache directory (``$GLOSSARY_CACHE_DIR``,
    see :func:`glossary.cache.default_cache_dir`) when it is private, else a fresh private temporary
    directory for this process.

    jieba's default (``jieba.cache`` in the shared temp dir) breaks for a second OS user or a read-only
    sandbox, and a predictable shared path (``$TMPDIR/ctbt-glossary-UID``) would let another user plant
    the tables ``mine`` ranks with, so the fallback is never a name someone else could create first.
    """
    directory = usable_cache_dir()
    if directory is not None:
        return directory
    if not _PRIVATE_FALLBACK:
        fallback = Path(tempfile.mkdtemp(prefix="ctbt-glossary-"))  # 0700, new, ours
        atexit.register(shutil.rmtree, fallback, True)
        _PRIVATE_FALLBACK.append(fallback)
    return _PRIVATE_FALLBACK[0]


def _check_jieba_cache(directory: Path) -> None:
    """jieba trusts its cache file; keep a SHA-256 of it beside it and delete a cache that does not match,
    so jieba rebuilds it instead of reading a damaged or replaced one."""
    cache, sidecar = directory / "jieba.cache", directory / "jieba.cache.sha256"
    try:
        data = cache.read_bytes()
    except OSError:
        return
    try:
        expected = sidecar.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        expected = None
    if expected != hashlib.sha256(data).hexdigest():
        try:
            cache.unlink()
        except OSError:
            pass


def _record_jieba_cache(directory: Path) -> None:
    try:
        data = (directory / "jieba.cache").read_bytes()
        atomic_write_bytes(directory / "jieba.cache.sha256", hashlib.sha256(data).hexdigest().encode() + b"\n")
    except OSError:
        pass


class Segmenter:
    """A jieba tokenizer of our own with its part-of-speech table; ``user_words`` are kept whole.

    Build one per process (workers each build their own once): building takes about a second.
    """

    def __init__(self, user_words: Iterable[str] = (), *, hmm: bool = True):
        self.hmm = hmm
        self.tokenizer = jieba.Tokenizer()
        directory = cache_dir()
        self.tokenizer.tmp_dir = str(directory)
        self.tokenizer.cache_file = "jieba.cache"
        jieba_log = logging.getLogger("jieba")
        with _INIT_LOCK:
            level = jieba_log.level
            jieba_log.setLevel(logging.WARNING)  # "Building prefix dict..." is not a diagnostic for our users
            try:
                _check_jieba_cache(directory)
                self.tokenizer.initialize()
                _record_jieba_cache(directory)
            finally:
                jieba_log.setLevel(level)
        self._tags: dict[str, str] | None = None
        self._compounds: dict[str, tuple[int, int]] | None = None
        self.user_words: frozenset[str] = frozenset(w for w in user_words if w.strip())
        for word in sorted(self.user_words):
            # freq=None lets jieba suggest a frequency high enough to keep the word whole
            self.tokenizer.add_word(word, tag=USER_TAG)
        self.total: int = self.tokenizer.total
        self.freq: dict[str, int] = self.tokenizer.FREQ

    @property
    def tags(self) -> dict[str, str]:
        """word -> jieba tag; read from the dictionary on first use (half a second), so a process that only
        needs general frequencies does not pay for it."""
        if self._tags is None:
            tags = _load_tag_table(self.tokenizer)
            tags.update(dict.fromkeys(self.user_words, USER_TAG))
            self._tags = tags
        return self._tags

    @property
    def compounds(self) -> dict[str, tuple[int, int]]:
        """word -> (how many nouns of jieba's dictionary end with it, how many start with it): how productive
        it is as the head and as the modifier of noun compounds (组织 heads 96: 世界卫生组织; 系统 heads
        hundreds). Built from the tag table and cached beside it."""
        if self._compounds is None:
            self._compounds = _load_compound_table(self.tokenizer, self.tags)
        return self._compounds

    def cut(self, text: str) -> list[str]:
        return self.tokenizer.lcut(text, HMM=self.hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs; Latin words are ``eng``, numbers ``m``, words the HMM invented ``unk``."""
        tags = self.tags
        out = []
        for word in self.tokenizer.lcut(text, HMM=self.hmm):
            tag = tags.get(word)
            if tag is None:
                tag = _guess_tag(word)
            out.append((word, tag))
        return out

    def general_frequency(self, word: str) -> int:
        """How often jieba's general-language dictionary counts ``word`` (0 if it is not a word there)."""
        return self.freq.get(word, 0)


def _load_tag_table(tokenizer: jieba.Tokenizer) -> dict[str, str]:
    """jieba's word -> tag table, cached as marshal next to jieba's own cache (reading the dictionary text
    takes about three times as long as loading the cache). The cache is keyed by the dictionary file's
    path, size and modification time, and rebuilt when any of them changes."""
    dictionary = os.path.abspath(tokenizer.dictionary or os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
    try:
        stat = os.stat(dictionary)
        stamp = f"{dictionary}|{stat.st_size}|{stat.st_mtime_ns}"
    except OSError:
        stamp = dictionary
    digest = hashlib.sha1(stamp.encode("utf-8")).hexdigest()[:12]
    path = cache_dir() / f"jieba-tags-{digest}.marshal"
    header = f"jieba-tags-2:{stamp}\n".encode()
    try:
        payload = unpack(path.read_bytes(), header)
        if payload is not None:
            table = marshal.loads(payload)  # loads on bytes: marshal.load on a file is 4x slower
            if isinstance(table, dict) and all(type(k) is str and type(v) is str for k, v in table.items()):
                return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    from jieba.posseg import POSTokenizer  # importing jieba.posseg reads the dictionary once more: only here

    table = dict(POSTokenizer(tokenizer).word_tag_tab)
    try:
        atomic_write_bytes(path, pack(header, marshal.dumps(table)))
    except OSError:
        pass  # a read-only cache only costs time
    return table


#: Tags of the dictionary entries counted as noun compounds: nouns, names, verbal nouns, fixed expressions.
NOUN_TAGS = frozenset({"n", "nz", "nt", "ns", "nr", "nrt", "vn", "l", "j"})


def _dictionary_stamp(tokenizer: jieba.Tokenizer) -> str:
    dictionary = os.path.abspath(tokenizer.dictionary or os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
    try:
        stat = os.stat(dictionary)
        return f"{dictionary}|{stat.st_size}|{stat.st_mtime_ns}"
    except OSError:
        return dictionary


def _load_compound_table(tokenizer: jieba.Tokenizer, tags: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Head and modifier counts of every one- to four-character word inside the dictionary's nouns of three
    characters or more; cached as marshal, keyed like the tag table."""
    digest = hashlib.sha1(("compounds|" + _dictionary_stamp(tokenizer)).encode("utf-8")).hexdigest()[:12]
    path = cache_dir() / f"jieba-compounds-{digest}.marshal"
    try:
        table = marshal.loads(path.read_bytes())
        if isinstance(table, dict):
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    heads: dict[str, int] = {}
    modifiers: dict[str, int] = {}
    for word, tag in tags.items():
        if tag not in NOUN_TAGS or len(word) < 3:
            continue
        for k in range(max(1, len(word) - 4), len(word)):
            heads[word[k:]] = heads.get(word[k:], 0) + 1
        for k in range(1, min(5, len(word))):
            modifiers[word[:k]] = modifiers.get(word[:k], 0) + 1
    # words that head or open fewer than three nouns say nothing; leaving them out keeps loading fast
    table = {w: (heads.get(w, 0), modifiers.get(w, 0)) for w in heads.keys() | modifiers.keys()
             if heads.get(w, 0) >= 3 or modifiers.get(w, 0) >= 3}
    try:
        atomic_write_bytes(path, marshal.dumps(table))
    except OSError:
        pass
    return table


def _guess_tag(word: str) -> str:
    if word.isspace():
        return "x"
    if word.isascii():
        if word.replace(".", "").replace(",", "").isdigit():
            return "m"
        return "eng" if any(c.isalnum() for c in word) else "x"
    return UNKNOWN_TAG if has_han(word) else "x"


def hmm_tag(word: str) -> str:
    """The tag jieba.posseg's HMM gives a word its dictionary lacks (亚速尔 nr, 达角 ns, 震相 v): the tag of
    the word's first character state. Importing jieba.posseg costs about half a second, so only callers
    that meet such words pay it."""
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    _, states = viterbi(word, char_state_tab_P, start_P, trans_P, emit_P)
    return states[0][1] if states else UNKNOWN_TAG
