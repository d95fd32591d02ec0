"""The web glossary's search index, and the tables its JavaScript folds queries with.

The browser must fold a query exactly as ``glossary lookup`` folds it, or a query that works on the
command line would fail on the page. So nothing about folding is decided here: index keys are made by
:func:`glossary.lookup.match_key`, and the tables ``fold.js`` applies to queries are read out of
:mod:`glossary.textnorm` (its Arabic letter map and mark class, ligatures, apostrophes, the Han ranges,
the Arabic article pattern) or computed from Python's own Unicode database and OpenCC:

============================  ==================================================================
Python (``match_key``)        JavaScript (``fold.js``)
============================  ==================================================================
NFKC, ``str.casefold``        ``normalize("NFKC")``, ``toLowerCase``, then ``casefold`` (the
                              characters whose casefold differs from their lower case: ß, ς, ...)
OpenCC ``t2s`` on Han text    ``traditional``: every traditional character whose simplified form
                              occurs in an index key, as OpenCC ``t2s`` converts it alone
``fold_arabic``               ``arabicMarks`` (the same class), ``arabicLetters`` (the same map)
``fold_cyrillic``             ё -> е
``_LIGATURES``                ``ligatures`` (the same map)
``strip_accents``             й kept; NFD; ``combining``: the characters with a non-zero
                              canonical combining class, as ``unicodedata.combining`` sees them
``fold_digits``               ``digitZeros``: the zero of every run of non-ASCII decimal digits
``fold_punctuation``          ``apostrophes`` dropped, ``[^\\p{L}\\p{N}]+`` -> space, spaces
                              between Han characters dropped (``han``: the same ranges)
``strip_arabic_article``      ``arabicArticle`` (the same pattern)
============================  ==================================================================

OpenCC converts phrases, the browser single characters; the two agree on every term of the termbase
written in traditional characters (``tests/test_site_browser.py`` runs both on real terms).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata

from glossary import textnorm
from glossary.lookup import _initials, match_key
from glossary.model import HEAD_STATUSES, LANGUAGES, STATUSES, TERM_TYPES, Termbase

#: Bumped when the layout of ``search-index.js`` changes.
INDEX_FORMAT = 1
#: Code points scanned for case, combining classes and digits: planes 0 and 1 (the planes above hold
#: only Han, private use, tags and variation selectors, none of which has a case, a non-zero combining
#: class or a decimal value).
_SCANNED = range(0x20000)
#: Han code points OpenCC may convert (the unified blocks, their extensions and compatibility forms).
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


def page_of(domain: str) -> str:
    """The file that holds a domain's cards (``ims.html``)."""
    return f"{domain.lower()}.html"


def search_index(termbase: Termbase) -> dict:
    """Every term as its lookup key; each concept with the entries of its six head terms.

    Terms are parallel columns (``keys[i]``, ``texts[i]``, ``owner[i]`` the concept's number, ``meta[i]`` =
    language * 32 + type * 4 + status), a third of the size of a list of objects, and faster to parse.
    """
    concepts, keys, texts, owner, meta = [], [], [], [], []
    initials: dict[str, list[int]] = {}
    for number, concept in enumerate(termbase.values()):
        heads = [-1] * len(LANGUAGES)  # the entry of each language's head term
        concepts.append([concept.id, concept.domain, concept.subject or "", heads])
        for lang, term in concept.all_terms():
            key = match_key(term.text)
            if not key or lang not in LANGUAGES:
                continue
            entry = len(keys)
            if term is concept.head_term(lang):
                heads[LANGUAGES.index(lang)] = entry
            keys.append(key)
            texts.append(term.text)
            owner.append(number)
            meta.append(LANGUAGES.index(lang) * 32 + _position(TERM_TYPES, term.type) * 4
                        + _position(STATUSES, term.status))
            for initial in sorted(_initials(key)):
                initials.setdefault(initial, []).append(entry)
    pages = {concept[1]: page_of(concept[1]) for concept in concepts}
    return {"format": INDEX_FORMAT, "languages": list(LANGUAGES), "statuses": list(STATUSES),
            "headStatuses": sorted(HEAD_STATUSES),
            "types": list(TERM_TYPES), "pages": dict(sorted(pages.items())), "concepts": concepts,
            "keys": keys, "texts": texts, "owner": owner, "meta": meta, "initials": initials}


def _position(values: tuple[str, ...], value: str) -> int:
    return values.index(value) if value in values else 0


def fold_tables(keys: list[str]) -> dict:
    """What ``fold.js`` needs to fold a query as :func:`glossary.lookup.match_key` does."""
    return {
        "casefold": _casefold_exceptions(),
        "arabicLetters": {chr(k): v or "" for k, v in sorted(textnorm._ARABIC_LETTERS.items())},
        "arabicMarks": textnorm._ARABIC_MARKS.pattern,
        "arabicArticle": textnorm._ARABIC_ARTICLE.pattern,
        "ligatures": {chr(k): v for k, v in sorted(textnorm._LIGATURES.items())},
        "protect": {chr(k): v for k, v in sorted(textnorm._PROTECT.items())},
        "apostrophes": "".join(chr(k) for k in sorted(textnorm._APOSTROPHES)),
        "combining": _combining_class(),
        "digitZeros": _digit_zeros(),
        "han": textnorm._HAN,
        "traditional": traditional_table(keys),
    }


@functools.lru_cache(maxsize=1)
def _casefold_exceptions() -> dict[str, str]:
    """Characters (as the browser's ``toLowerCase`` leaves them) whose ``casefold`` is not their lower case."""
    table = {}
    for cp in _SCANNED:
        char = chr(cp)
        lower = char.lower()
        if len(lower) == 1 and lower.casefold() != lower:
            table[lower] = lower.casefold()
    return dict(sorted(table.items()))


@functools.lru_cache(maxsize=1)
def _combining_class() -> str:
    """A regex class of every character ``unicodedata.combining`` gives a non-zero class (what
    ``strip_accents`` removes), as ranges."""
    return "[" + "".join(_ranges(cp for cp in _SCANNED if unicodedata.combining(chr(cp)))) + "]"


def _ranges(code_points) -> list[str]:
    out, start, prev = [], None, None
    for cp in code_points:
        if start is None:
            start = prev = cp
        elif cp == prev + 1:
            prev = cp
        else:
            out.append(_range(start, prev))
            start = prev = cp
    if start is not None:
        out.append(_range(start, prev))
    return out


def _range(lo: int, hi: int) -> str:
    esc = lambda cp: f"\\u{{{cp:x}}}"  # noqa: E731 - JavaScript's code point escape (the class runs with /u)
    return esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}"


@functools.lru_cache(maxsize=1)
def _digit_zeros() -> list[int]:
    """The code point of 0 in every run of non-ASCII decimal digits (``fold_digits``)."""
    return [cp for cp in _SCANNED if cp >= 0x80 and unicodedata.decimal(chr(cp), None) == 0]


@functools.lru_cache(maxsize=1)
def _traditional_characters() -> dict[str, str]:
    """Every Han character OpenCC's ``t2s`` changes when it stands alone -> what it becomes."""
    chars = [chr(cp) for lo, hi in _HAN_RANGES for cp in range(lo, hi + 1)]
    # One call: a newline ends every phrase, so each line is a character converted on its own.
    converted = textnorm.fold_traditional("\n".join(chars)).split("\n")
    return {c: s for c, s in zip(chars, converted, strict=True) if c != s}


def traditional_table(keys: list[str]) -> dict[str, str]:
    """The traditional characters a query may use to reach the index: those whose simplified form
    occurs in some key (the rest could not match anything anyway)."""
    used = {c for key in keys if textnorm.has_han(key) for c in key}
    return {t: s for t, s in _traditional_characters().items() if s in used}


def index_script(termbase: Termbase) -> bytes:
    """``search-index.js``: the index and the folding tables as one script assigning a global, so the
    site works from ``file://``, where browsers refuse ``fetch()`` of a local JSON file."""
    index = search_index(termbase)
    payload = {"fold": fold_tables(index["keys"]), "index": index}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # U+2028/9 are legal in JSON and in modern JavaScript strings, but escaping them costs nothing.
    text = re.sub("[\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return ("/* Search index of the CTBT verification glossary (generated; do not edit). */\n"
            f"window.GLOSSARY = {text};\n").encode("utf-8")
