"""Fuzzy lookup over the termbase in all six languages: the index, its disk cache and the ranking.

How a query is answered:

1. exact maps give abbreviations and exact spellings (``МСМ``, ``C.I.D.``, ``onsite inspection``) a
   full score, because no fuzzy score can link ``IMS`` to ``International Monitoring System``;
   Latin, Cyrillic and Greek look-alike letters are one letter in these maps, so ``MCM`` typed in Latin
   finds ``МСМ``; the query's lemmas (:mod:`glossary.matching`: ``Международной системы мониторинга``,
   ``inspections sur place``, ``وفريق التفتيش``) come next, so the concept whose term the query
   inflects ranks above a longer term that merely contains it; initials of multi-word terms
   (``IDC``, ``SSI``) follow;
2. candidates: every term on a small termbase; on a large one, the few hundred terms that share the
   most character n-grams with the query (an inverted index, so nothing scans all strings; on a very
   large one only the rarest grams of each query word are read, see :data:`GRAM_BUDGET`);
3. rapidfuzz's WRatio on search keys (see :mod:`glossary.textnorm`) scores the candidates and
   tolerates typos, partial terms and word order; Chinese short forms whose characters appear in
   order in a term score as abbreviations of it;
4. one hit per concept, the best of its terms.

The index is cached on disk keyed by a hash of the term files' bytes, so a warm start reads one
file and never parses YAML; any change to a term file gives a new key and a rebuild.
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from rapidfuzz import fuzz, process

from glossary.cache import cache_path as _cache_path
from glossary.cache import content_hash as _content_hash
from glossary.cache import default_cache_dir, load_termbase_cached, pack, unpack, usable_cache_dir
from glossary.errors import InputError, TermFileError
from glossary.fileio import atomic_write_bytes
from glossary.matching import INFLECTED, fold_homoglyphs, lemma_key
from glossary.model import DOMAINS, HEAD_STATUSES, LANGUAGES, STATUSES, TERM_TYPES, Termbase
from glossary.resources import term_file_paths
from glossary.textnorm import (NORMALISER_VERSION, dominant_script, has_han, is_han, is_subsequence, search_key,
                               strip_arabic_article)

#: Below this many term strings scoring them all is faster than any index (and needs no numpy).
GRAM_INDEX_MIN_ENTRIES = 5000
#: How many n-gram candidates the fuzzy scorer sees on a large termbase.
CANDIDATES = 256
#: Hits scoring below this are noise.
MIN_SCORE = 60.0
#: Queries this short (abbreviations, mostly) are matched exactly, by initials, or by a near-certain fuzzy hit.
SHORT_QUERY = 4
SHORT_QUERY_MIN_SCORE = 75.0
#: Scores of the non-fuzzy ways to match; fuzzy scores of different strings stay below 100.
EXACT_SCORE = 100.0
LEMMA_SCORE = 99.5
INITIALS_SCORE = 90.0
#: Bumped when the cached layout changes.
CACHE_FORMAT = 3
_MAGIC = b"CTBT-GLOSSARY-LOOKUP\n"

#: Words left out when initials are derived (``Système de surveillance international`` -> ``ssi``).
_FUNCTION_WORDS = frozenset(
    "a an and for in of on the to "  # en
    "au aux d de des du en et l la le les pour sur "  # fr
    "del el las los para por y "  # es
    "в для и к на о об от по при с".split())  # ru
_FUNCTION_KEYS = frozenset(map(fold_homoglyphs, _FUNCTION_WORDS))
#: The languages a query in each script may be inflected in, for its lemma keys.
_LEMMA_LANGS = {"latin": ("en", "fr", "es"), "cyrillic": ("ru",), "arabic": ("ar",)}


class QueryError(InputError):
    """A query or filter that cannot be looked up."""


@dataclass(frozen=True)
class ConceptCard:
    """What a hit shows of its concept: enough to answer without loading the termbase."""

    id: str
    domain: str
    subject: str | None
    definition: str
    preferred: dict[str, str | None]
    #: the status of each preferred term: ``preferred``, or ``proposed`` while the equivalent is unconfirmed
    statuses: dict[str, str | None]

    def as_dict(self) -> dict:
        return {"id": self.id, "domain": self.domain, "subject": self.subject,
                "definition": self.definition, "terms": dict(self.preferred), "statuses": dict(self.statuses)}


@dataclass(frozen=True)
class Hit:
    """A concept found for a query, with the term that matched it and how."""

    concept: ConceptCard
    score: float
    matched: str
    lang: str
    type: str
    status: str
    how: str  # exact | lemma | initials | fuzzy | abbreviated (a Chinese short form: characters in order)

    def as_dict(self) -> dict:
        return {**self.concept.as_dict(), "score": self.score,
                "matched": {"text": self.matched, "lang": self.lang, "type": self.type,
                            "status": self.status, "how": self.how}}


def match_key(text: str) -> str:
    """The key terms and queries are compared on: the search key with the Arabic article stripped."""
    return strip_arabic_article(search_key(text))


def exact_key(key: str) -> str:
    """A match key as the exact and initials maps hold it: without spaces, Cyrillic and Greek look-alikes
    of Latin letters folded (``MCM`` and ``МСМ`` meet). Only these maps fold them: folded keys in the
    n-gram index would mix Russian grams with Latin ones and slow every lookup."""
    return fold_homoglyphs(key.replace(" ", ""))


def query_lemma_keys(query: str, lang: str | None = None) -> list[str]:
    """The lemma map keys a query may have: one per language it may be in (``lang:word keys``)."""
    if lang is not None:
        langs = (lang,) if lang in INFLECTED else ()
    else:
        langs = _LEMMA_LANGS.get(dominant_script(search_key(query)) or "", ())
    return [f"{code}:{key}" for code in langs if (key := lemma_key(query, code))]


def _initials(key: str) -> set[str]:
    """Initials of a multi-word key, with and without function words (``idc``, ``ssi``)."""
    words = key.split()
    if len(words) < 2:
        return set()
    first = "".join([w[0] for w in words])
    if has_han(first):
        return set()
    result = {first}
    content = [w for w in words if w not in _FUNCTION_KEYS]
    if len(content) >= 2:
        result.add("".join(w[0] for w in content))
    return result


def _grams(key: str) -> set[str]:
    """Character n-grams of a key: padded trigrams per word; Han characters and their bigrams.

    Grams stay inside words, so word order does not change the set.
    """
    grams: set[str] = set()
    for word in key.split():
        if has_han(word):
            grams.update(word)
            grams.update(word[i:i + 2] for i in range(len(word) - 1))
        else:
            padded = f" {word} "
            grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def _fuzzy_score(key: str, other: str, wratio: float) -> float:
    """Similarity of the whole strings (in any word order), or a discounted WRatio.

    WRatio alone lets a longer term that contains the query (``International Monitoring System
    data``) outscore the term the query misspells (``intl monitoring systm``); discounting its
    partial matches keeps whole-term matches first while a query that is part of a term still finds it.
    """
    whole = max(fuzz.ratio(key, other), fuzz.token_sort_ratio(key, other))
    shorter = min(key, other, key=len)
    if len(shorter) < 4 and not is_han(shorter[0]):
        return whole  # "as" inside "infrasond" is a coincidence, not a partial match of the abbreviation AS
    return max(whole, 0.9 * wratio)



class _GramIndex:
    """Inverted index from character n-grams to entries, scored with numpy (Dice on shared grams)."""

    def __init__(self, grams: dict[str, int], offsets: array, postings: array, sizes: array):
        import numpy as np

        self.grams = grams
        self.offsets = offsets
        self._np = np
        self.postings = np.frombuffer(postings, dtype=np.int32) if len(postings) else np.zeros(0, np.int32)
        self.sizes = np.frombuffer(sizes, dtype=np.uint16).astype(np.float32) if len(sizes) else \
            np.zeros(0, np.float32)

    @classmethod
    def build(cls, keys: Sequence[str]) -> _GramIndex:
        ids: dict[str, int] = {}
        lists: list[list[int]] = []
        sizes = array("H")
        for entry, key in enumerate(keys):
            grams = _grams(key)
            sizes.append(min(len(grams), 65535))
            for gram in grams:
                gid = ids.get(gram)
                if gid is None:
                    gid = ids[gram] = len(lists)
                    lists.append([])
                lists[gid].append(entry)
        offsets = array("q", [0])
        postings = array("i")
        for posting in lists:
            postings.extend(posting)
            offsets.append(len(postings))
        return cls(ids, offsets, postings, sizes)

    def to_payload(self) -> dict:
        return {"grams": self.grams, "offsets": self.offsets.tobytes(), "postings": self.postings.tobytes(),
                "sizes": self.sizes.astype(self._np.uint16).tobytes()}

    @classmethod
    def from_payload(cls, payload: dict) -> _GramIndex:
        offsets = array("q")
        offsets.frombytes(payload["offsets"])
        return cls(payload["grams"], offsets, payload["postings"], payload["sizes"])

    def candidates(self, key: str, allowed, count: int) -> list[int]:
        """The ``count`` entries with the best Dice coefficient of n-grams with ``key`` (see
        :func:`choose_grams` for the grams whose postings are read)."""
        np = self._np
        grams = _grams(key)
        ids = {g: self.grams[g] for g in grams if g in self.grams}
        if not ids:
            return []
        off = self.offsets
        chosen = choose_grams(key, {g: off[i + 1] - off[i] for g, i in ids.items()})
        hits = np.concatenate([self.postings[off[ids[g]]:off[ids[g] + 1]] for g in chosen])
        if len(hits) * 8 >= len(self.sizes):
            # many hits: one pass of counts over the termbase beats sorting them (9 ms against 25 ms for
            # the 600 queries of scripts/bench_lookup.py at 100k concepts); same entries, in the same order
            counts = np.bincount(hits, minlength=len(self.sizes))
            entries = np.flatnonzero(counts)
            shared = counts[entries]
        else:
            entries, shared = np.unique(hits, return_counts=True)
        dice = dice_scores(shared, self.sizes[entries], len(grams))
        if allowed is not None:
            keep = allowed[entries] > 0
            entries, dice = entries[keep], dice[keep]
        return best_entries(entries, dice, count)


#: Postings one query's n-gram candidate step reads at most. A gram in a tenth of all terms (`` st``,
#: ``ion``) says little about which term was meant and costs the most to read, so on a large termbase
#: only some of a query's grams are read: the rarest of each word in turn, until their postings fill
#: the budget (a stop list per query). Measured on 1M synthetic concepts (scripts/bench_store.py).
GRAM_BUDGET = 700_000


def choose_grams(key: str, frequency: dict[str, int], budget: int | None = None) -> list[str]:
    """The grams of ``key`` whose postings are read, given ``frequency`` (postings of each gram the termbase
    has): all of them when they fit ``budget``; else, round by round, each word's rarest gram not yet
    taken (rarer words first), until the next would overflow the budget (the first is always taken).
    Taking grams from every word keeps a typo in one word from leaving only that word's grams."""
    budget = GRAM_BUDGET if budget is None else budget
    if sum(frequency.values()) <= budget:
        return sorted(frequency)
    words = [sorted((g for g in _grams(word) if g in frequency), key=lambda g: (frequency[g], g))
             for word in key.split()]
    chosen: list[str] = []
    taken: set[str] = set()
    total = 0
    for turn in range(max(map(len, words), default=0)):
        for grams in sorted((w for w in words if turn < len(w)), key=lambda w: (frequency[w[turn]], w[turn])):
            gram = grams[turn]
            if gram in taken:
                continue
            if total + frequency[gram] > budget and chosen:
                return chosen
            taken.add(gram)
            chosen.append(gram)
            total += frequency[gram]
    return chosen


def dice_scores(shared, sizes, query_grams: int):
    """Dice of n-gram sets (up to a factor of 2): grams shared over the sum of both sets' sizes, in float32."""
    np = sys.modules["numpy"]
    return shared.astype(np.float32) / (sizes.astype(np.float32) + np.float32(query_grams))


def best_entries(entries, dice, count: int) -> list[int]:
    """The ``count`` ``entries`` with the highest ``dice``: ties at the cut go to the lower entry numbers,
    so the same termbase always gives the same candidates, however the entries were gathered."""
    np = sys.modules["numpy"]
    if len(entries) <= count:
        return entries.tolist()
    cut = np.partition(dice, len(dice) - count)[len(dice) - count]
    above = entries[dice > cut]
    ties = np.sort(entries[dice == cut])[:count - len(above)]
    return np.concatenate([above, ties]).tolist()


class LookupIndex:
    """Every term of a termbase as search keys, with exact, initials and (when large) n-gram indexes."""

    def __init__(self, cards: list[tuple], keys: list[str], texts: list[str], concept_of: array,
                 meta: bytes, exact: dict[str, list[int]], initials: dict[str, list[int]],
                 grams: _GramIndex | None, lemmas: dict[str, list[int]] | None = None):
        self._cards = cards  # (id, domain, subject, definition, preferred terms, their statuses): cards made on demand
        self.keys = keys
        self.texts = texts
        self.concept_of = concept_of  # entry -> card index
        self.meta = meta  # entry -> lang * 32 + type * 4 + status (indexes into the model's tuples)
        self.exact = exact
        self.initials = initials
        self.grams = grams
        self.lemmas = lemmas or {}  # "lang:word keys" -> entries (see glossary.matching)
        self._masks: dict[tuple[str | None, str | None], object] = {}

    # --- building and (de)serialising -----------------------------------------------------------

    @classmethod
    def build(cls, termbase: Termbase, *, gram_index: bool | None = None, lemmas: bool = True,
              known: dict[tuple[str, str], tuple[str, str | None, tuple[str, ...], str]] | None = None) -> LookupIndex:
        """Index a termbase; ``gram_index`` forces the n-gram index on or off (default: by size);
        ``lemmas=False`` leaves out the lemma map (lookup as it was before inflection was understood);
        ``known`` maps (language, term text) to the search key, lemma key, initials and exact key an earlier
        build computed."""
        known = known or {}
        cards: list[tuple] = []
        keys: list[str] = []
        texts: list[str] = []
        concept_of = array("i")
        meta = bytearray()
        exact: dict[str, list[int]] = {}
        initials: dict[str, list[int]] = {}
        lemma_map: dict[str, list[int]] = {}
        for concept in termbase.values():
            card = len(cards)
            heads = [concept.head_term(lang) for lang in LANGUAGES]
            cards.append((concept.id, concept.domain, concept.subject, concept.definition,
                          tuple(head.text if head else None for head in heads),
                          tuple(head.status if head else None for head in heads)))
            for lang, term in concept.all_terms():
                earlier = known.get((lang, term.text))
                key = earlier[0] if earlier else match_key(term.text)
                if not key or lang not in LANGUAGES:
                    continue
                entry = len(keys)
                keys.append(key)
                texts.append(term.text)
                concept_of.append(card)
                meta.append(LANGUAGES.index(lang) * 32 + _index(TERM_TYPES, term.type) * 4
                            + _index(STATUSES, term.status))
                exact.setdefault(earlier[3] if earlier else exact_key(key), []).append(entry)
                for initial in earlier[2] if earlier else _initials(fold_homoglyphs(key)):
                    initials.setdefault(initial, []).append(entry)
                if lemmas and lang in INFLECTED:
                    lemma = earlier[1] if earlier and earlier[1] is not None else lemma_key(term.text, lang)
                    lemma_map.setdefault(f"{lang}:{lemma}", []).append(entry)
        if gram_index is None:
            gram_index = len(keys) >= GRAM_INDEX_MIN_ENTRIES and _numpy_available()
        grams = _GramIndex.build(keys) if gram_index else None
        return cls(cards, keys, texts, concept_of, bytes(meta), exact, initials, grams, lemma_map)

    def to_bytes(self) -> bytes:
        payload = {
            "cards": self._cards,
            "keys": self.keys, "texts": self.texts, "concept_of": self.concept_of.tobytes(),
            "meta": self.meta, "exact": self.exact, "initials": self.initials,
            "grams": self.grams.to_payload() if self.grams is not None else None,
            "lemmas": self.lemmas,
        }
        return marshal.dumps(payload)

    @classmethod
    def from_bytes(cls, data: bytes) -> LookupIndex:
        gc.disable()  # marshal builds millions of objects on a large termbase; collecting midway only costs
        try:
            payload = marshal.loads(data)
        finally:
            gc.enable()
        concept_of = array("i")
        concept_of.frombytes(payload["concept_of"])
        grams = _GramIndex.from_payload(payload["grams"]) if payload["grams"] is not None else None
        return cls(payload["cards"], payload["keys"], payload["texts"], concept_of, payload["meta"], payload["exact"],
                   payload["initials"], grams, payload["lemmas"])

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def concept_count(self) -> int:
        return len(self._cards)

    def card(self, number: int) -> ConceptCard:
        """The card of the ``number``-th concept (cards are made when shown, not when loaded)."""
        cid, domain, subject, definition, preferred, statuses = self._cards[number]
        return ConceptCard(cid, domain, subject, definition, dict(zip(LANGUAGES, preferred)),
                           dict(zip(LANGUAGES, statuses)))

    # --- searching --------------------------------------------------------------------------------

    def search(self, query: str, *, lang: str | None = None, domain: str | None = None, limit: int = 5,
               min_score: float = MIN_SCORE) -> list[Hit]:
        """The best ``limit`` concepts for ``query``, best first, one hit per concept."""
        if lang is not None and lang not in LANGUAGES:
            raise QueryError(f"unknown language {lang!r} (expected one of: {', '.join(LANGUAGES)})")
        if domain is not None and domain not in DOMAINS:
            raise QueryError(f"unknown domain {domain!r} (expected one of: {', '.join(DOMAINS)})")
        key = match_key(query)
        if not key:
            raise QueryError(f"query {query!r} has no letters or digits to look up")
        if len(key.replace(" ", "")) <= SHORT_QUERY:
            # One slip in three letters is a third of the word: "IMS" is not a typo of "ITM" or "ISP".
            min_score = max(min_score, SHORT_QUERY_MIN_SCORE)
        scored: dict[int, tuple[float, str]] = {}  # entry -> (score, how)

        def offer(entry: int, score: float, how: str) -> None:
            if self._allowed(entry, lang, domain) and score > scored.get(entry, (-1.0, ""))[0]:
                scored[entry] = (score, how)

        compact = key.replace(" ", "")
        for entry in self.exact.get(exact_key(key), ()):
            offer(entry, EXACT_SCORE, "exact")
        if self.lemmas:
            for lemmas in query_lemma_keys(query, lang):
                for entry in self.lemmas.get(lemmas, ()):
                    offer(entry, LEMMA_SCORE, "lemma")
        for entry in self.initials.get(exact_key(key), ()) if " " not in key else ():
            offer(entry, INITIALS_SCORE, "initials")
        candidates = self._candidates(key, lang, domain)
        choices = {entry: self.keys[entry] for entry in candidates}
        # WRatio >= every part of the score below / 0.95, so its cutoff loses nothing that could pass.
        for other, partial, entry in process.extract(key, choices, scorer=fuzz.WRatio, limit=None,
                                                     score_cutoff=min_score * 0.95):
            if other == key:
                offer(entry, EXACT_SCORE, "exact")
            else:
                offer(entry, min(_fuzzy_score(key, other, partial), 99.0), "fuzzy")
        if len(key) >= 2 and dominant_script(key) == "han":
            for entry in candidates:
                other = self.keys[entry]
                # a Chinese short form keeps the head, the last character (临时技秘处 / 临时技术秘书处)
                if len(other) > len(key) and other[-1] == compact[-1] and is_subsequence(compact, other):
                    offer(entry, 80.0 + 15.0 * len(compact) / len(other), "abbreviated")
        return self._rank(key, scored, limit, min_score)

    def _candidates(self, key: str, lang: str | None, domain: str | None) -> Iterable[int]:
        if self.grams is None:
            return range(len(self.keys))
        return self.grams.candidates(key, self._mask(lang, domain), CANDIDATES)

    def _allowed(self, entry: int, lang: str | None, domain: str | None) -> bool:
        if lang is not None and LANGUAGES[self.meta[entry] >> 5] != lang:
            return False
        return domain is None or self._cards[self.concept_of[entry]][1] == domain

    def _mask(self, lang: str | None, domain: str | None):
        """A 0/1 vector over entries for the n-gram scorer, cached per filter."""
        if lang is None and domain is None:
            return None
        if (lang, domain) not in self._masks:
            np = self.grams._np
            self._masks[(lang, domain)] = np.fromiter(
                (self._allowed(e, lang, domain) for e in range(len(self.keys))), dtype=np.float32,
                count=len(self.keys))
        return self._masks[(lang, domain)]

    def _rank(self, key: str, scored: dict[int, tuple[float, str]], limit: int, min_score: float) -> list[Hit]:
        """Order by score, then closeness of the whole strings, then head terms; one hit per concept."""
        def order(entry: int):
            score, _how = scored[entry]
            meta = self.meta[entry]
            return (-score, -fuzz.ratio(key, self.keys[entry]), STATUSES[meta & 3] not in HEAD_STATUSES,
                    len(self.keys[entry]), self.concept_of[entry], entry)

        hits: list[Hit] = []
        seen: set[int] = set()
        for entry in sorted((e for e, (s, _h) in scored.items() if s >= min_score), key=order):
            card = self.concept_of[entry]
            if card in seen:
                continue
            seen.add(card)
            meta = self.meta[entry]
            score, how = scored[entry]
            hits.append(Hit(self.card(card), round(score, 1), self.texts[entry], LANGUAGES[meta >> 5],
                            TERM_TYPES[(meta >> 2) & 7], STATUSES[meta & 3], how))
            if len(hits) == limit:
                break
        return hits


def _index(values: tuple[str, ...], value: str) -> int:
    return values.index(value) if value in values else 0


def _numpy_available() -> bool:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


# --- term files, cache --------------------------------------------------------------------------------

def content_hash(files: Iterable[Path]) -> str:
    """SHA-256 over the term files' names and bytes, the normaliser and the cache layout."""
    return _content_hash(files, f"{CACHE_FORMAT}:{NORMALISER_VERSION}:{sys.version_info[:2]}")


def cache_path(cache_dir: Path, paths: Sequence[str | os.PathLike]) -> Path:
    """One lookup cache file per termbase location."""
    return _cache_path(cache_dir, "lookup", paths)


_VALID_META = frozenset(lang * 32 + kind * 4 + status for lang in range(len(LANGUAGES))
                         for kind in range(len(TERM_TYPES)) for status in range(len(STATUSES)))


def _ints_in_range(values, stop: int) -> bool:
    """Every value an int in ``range(stop)``; in C (``array`` refuses anything but ints), as this runs on
    every warm start."""
    try:
        numbers = values if isinstance(values, array) else array("q", values)
    except (TypeError, OverflowError):
        return False
    return not numbers or (min(numbers) >= 0 and max(numbers) < stop)


def _consistent(index: LookupIndex) -> bool:
    """Whether a cached index holds together: every reference in range, every value of its kind, so a
    damaged or planted cache is rebuilt instead of raising on each lookup or answering wrongly."""
    n, cards = len(index.keys), index._cards
    if not (isinstance(cards, list) and isinstance(index.keys, list) and isinstance(index.texts, list)
            and len(index.texts) == n and len(index.concept_of) == n and isinstance(index.meta, bytes)
            and len(index.meta) == n and set(index.meta) <= _VALID_META):
        return False
    if n and not (set(map(type, index.keys)) == {str} == set(map(type, index.texts)) and min(map(len, index.keys))
                  and _ints_in_range(index.concept_of, len(cards))):
        return False
    if cards:  # column by column, so the checks run in C even for 100k concepts
        if set(map(type, cards)) != {tuple} or set(map(len, cards)) != {6}:
            return False
        ids, domains, subjects, definitions, preferred, statuses = zip(*cards)
        if not (set(map(type, ids)) == {str} and set(domains) <= set(DOMAINS)
                and set(map(type, subjects)) <= {str, type(None)} and set(map(type, definitions)) == {str}
                and set(map(type, preferred)) == {tuple} == set(map(type, statuses))
                and set(map(len, preferred)) == {len(LANGUAGES)} == set(map(len, statuses))
                and set(map(type, chain.from_iterable(preferred))) <= {str, type(None)}
                and set(chain.from_iterable(statuses)) <= {*STATUSES, None}):
            return False
    for table in (index.exact, index.initials, index.lemmas):
        if not isinstance(table, dict) or not table:
            if not isinstance(table, dict):
                return False
            continue
        lists = list(table.values())
        if not (set(map(type, table)) == {str} and set(map(type, lists)) == {list} and min(map(len, lists))
                and _ints_in_range(chain.from_iterable(lists), n)):
            return False
    grams = index.grams
    if grams is not None:
        np = grams._np
        offsets = np.frombuffer(grams.offsets, dtype=np.int64) if len(grams.offsets) else np.zeros(0, np.int64)
        postings = grams.postings
        if not (isinstance(grams.grams, dict) and len(offsets) == len(grams.grams) + 1 and len(grams.sizes) == n
                and offsets[0] == 0 and offsets[-1] == len(postings) and bool(np.all(offsets[1:] >= offsets[:-1]))
                and (not grams.grams or set(map(type, grams.grams)) == {str})
                and _ints_in_range(grams.grams.values(), len(grams.grams))
                and (not len(postings) or (int(postings.min()) >= 0 and int(postings.max()) < n))):
            return False
    return True


def _read_cache(path: Path, digest: str) -> LookupIndex | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = unpack(data, _MAGIC + digest.encode() + b"\n")  # None: another termbase, or damaged
    if payload is None:
        return None
    try:
        index = LookupIndex.from_bytes(payload)
        return index if _consistent(index) else None
    # Damaged, foreign, or an n-gram index stored where numpy was installed and read where it is not: rebuild.
    except Exception:  # noqa: BLE001 - whatever a damaged cache raises, the answer is to rebuild it
        return None


def _write_cache(path: Path, digest: str, index: LookupIndex) -> bool:
    try:
        atomic_write_bytes(path, pack(_MAGIC + digest.encode() + b"\n", index.to_bytes()))
    except OSError:  # read-only or full cache directory: lookups still work, only slower
        return False
    return True


@dataclass
class OpenedIndex:
    """An index with where it came from (``cache``, ``built`` or ``built, not cached``)."""

    index: LookupIndex
    origin: str
    cache_file: Path | None


def open_index(paths: Sequence[str | os.PathLike], cache_dir: str | os.PathLike | None = None, *,
               use_cache: bool = True) -> OpenedIndex:
    """The lookup index for the term files under ``paths``, from the cache when it is current.

    The cache is keyed by the files' bytes, checked on every start; an index is only stored when the
    files did not change while it was built, so a cached index is never stale.
    """
    files = term_file_paths(paths)
    if not files:
        raise TermFileError("no term files (*.yaml) found", paths[0] if paths else ".")
    if not use_cache:  # neither this cache nor the parsed termbase's is read or written
        from glossary.termfile import load_termbase

        return OpenedIndex(LookupIndex.build(load_termbase(files)), "built, not cached", None)
    directory = usable_cache_dir(cache_dir)
    if directory is None:  # not a private directory: no cache is read or written
        return OpenedIndex(LookupIndex.build(load_termbase_cached(files, cache_dir)), "built, not cached", None)
    digest = content_hash(files)
    target = cache_path(directory, paths)
    cached = _read_cache(target, digest)
    if cached is not None:
        return OpenedIndex(cached, "cache", target)
    index = LookupIndex.build(load_termbase_cached(files, cache_dir))
    if content_hash(files) == digest and _write_cache(target, digest, index):
        return OpenedIndex(index, "built", target)
    return OpenedIndex(index, "built, not cached", None)
