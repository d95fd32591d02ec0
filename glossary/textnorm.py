"""Search-key normalisation for the six scripts: what two spellings of one term have in common.

A search key is for comparing, never for showing: it folds case, width, accents, Arabic diacritics
and letter variants, Russian ё, punctuation and spacing, so that "Système", "SYSTEME" and "systeme"
meet, and traditional Chinese characters to simplified ones (OpenCC), so "現場視察" meets "现场视察".
Everything here is a pure function over ``str``; OpenCC, the one dependency, is loaded only when a text
has Han characters, so the lookup command and the align step pay for nothing they do not use.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

__all__ = [
    "NORMALISER_VERSION",
    "search_key",
    "compact_key",
    "fold_arabic",
    "fold_cyrillic",
    "fold_digits",
    "strip_accents",
    "fold_punctuation",
    "fold_traditional",
    "strip_invisible",
    "strip_arabic_article",
    "is_han",
    "has_han",
    "is_subsequence",
    "script_of",
    "dominant_script",
    "display_width",
]

#: Bumped whenever a key changes for some input (the word keys of glossary.matching included), so caches
#: built from old keys are not reused.
NORMALISER_VERSION = 4

# --- Arabic -----------------------------------------------------------------------------------------

#: Tatweel (kashida) only stretches a word; it never changes it.
_TATWEEL = "\u0640"
#: Letter variants that writers use interchangeably: hamza/madda carriers of alef (-> bare alef),
#: hamza on waw or ya (-> hamza, since usage differs between regions), alef maqsura for ya, ta marbuta
#: for ha (the usual light normalisation of Arabic retrieval).
_ARABIC_LETTERS = str.maketrans({
    "\u0622": "\u0627",  # آ alef with madda      -> ا
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0671": "\u0627",  # ٱ alef wasla            -> ا
    "\u0672": "\u0627",  # ٲ alef with wavy hamza  -> ا
    "\u0673": "\u0627",  # ٳ
    "\u0624": "\u0621",  # ؤ waw with hamza        -> ء (مسؤول and مسئول meet)
    "\u0626": "\u0621",  # ئ ya with hamza         -> ء
    "\u0649": "\u064a",  # ى alef maqsura          -> ي
    "\u06cc": "\u064a",  # ی Farsi ya              -> ي
    "\u0629": "\u0647",  # ة ta marbuta            -> ه
    "\u06a9": "\u0643",  # ک keheh                 -> ك
    _TATWEEL: None,
})
#: Tashkeel (short vowels, shadda, sukun, tanwin), dagger alef and Quranic annotation marks.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
#: The article and the one-letter proclitics that fuse with it (و ف ب ك + ال, and ل + ل).
_ARABIC_ARTICLE = re.compile(r"(?<!\S)(?:[وفبك]?ال|لل)(?=\S\S)")

# --- Latin, Cyrillic, digits, punctuation -------------------------------------------------------------

#: Ligatures NFKC keeps as single letters but writers spell out.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ĳ": "ij", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
#: й is its own letter in Russian (not и with an accent), so it is protected from accent stripping.
_PROTECT = str.maketrans({"й": "\ue000"})
_UNPROTECT = str.maketrans({"\ue000": "й"})
#: Apostrophes join (``State's`` -> ``states``, ``d'inspection`` -> ``dinspection``); other
#: punctuation and symbols separate words.
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u02bc": None, "\u2018": None, "`": None})
_NON_WORD = re.compile(r"[\W_]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_HAN_CHAR = re.compile(f"[{_HAN}]")


def fold_arabic(text: str) -> str:
    """Drop tashkeel and tatweel and unify alef, hamza carriers, alef maqsura and ta marbuta."""
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def fold_cyrillic(text: str) -> str:
    """ё -> е: Russian text usually writes ё as е, so a key must not tell them apart."""
    return text.replace("ё", "е").replace("Ё", "Е")


def fold_digits(text: str) -> str:
    """Any decimal digit (Arabic-Indic, Persian, full-width...) -> its ASCII digit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() and not c.isascii() else c for c in text)


def strip_accents(text: str) -> str:
    """Remove combining marks (é -> e, ñ -> n) but keep Russian й, which is a letter of its own."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_PROTECT))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).translate(_UNPROTECT)


def fold_punctuation(text: str) -> str:
    """Join at apostrophes, turn other punctuation and symbols into single spaces, trim.

    Spaces between two Han characters carry nothing in Chinese, so they go too.
    """
    text = _NON_WORD.sub(" ", text.translate(_APOSTROPHES)).strip()
    return _SPACE_BETWEEN_HAN.sub("", text) if " " in text else text


@functools.lru_cache(maxsize=1)
def _traditional_to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def fold_traditional(text: str) -> str:
    """Traditional Chinese characters (and phrases) to simplified ones with OpenCC's ``t2s``, so that a
    query typed in Taipei or Hong Kong meets the UN's simplified terms. Text without Han passes through."""
    if not _HAN_CHAR.search(text):
        return text
    return _traditional_to_simplified().convert(text)


def strip_invisible(text: str) -> str:
    """Drop format characters: the bidi marks right-to-left editors insert (U+200E/F, U+061C, embeddings
    and isolates), zero-width spaces and joiners, and stray BOMs. They are invisible, so a term carrying
    one looks right and never matches; no glossary term needs them."""
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def search_key(text: str) -> str:
    """The comparable form of a term or query: NFKC (full-width, presentation forms), casefold,
    traditional Chinese to simplified, Arabic, Cyrillic and digit folding, accents stripped,
    punctuation and spacing normalised.

    >>> search_key("Système  de surveillance-International")
    'systeme de surveillance international'
    >>> search_key("ОБЪЁМ") == search_key("объем")
    True
    """
    text = fold_traditional(unicodedata.normalize("NFKC", text).casefold())
    text = fold_cyrillic(fold_arabic(text))
    text = strip_accents(text.translate(_LIGATURES))
    return fold_punctuation(fold_digits(text))


def compact_key(text: str) -> str:
    """The search key without spaces: ``C.I.D.``, ``c i d`` and ``CID`` all give ``cid``."""
    return search_key(text).replace(" ", "")


def strip_arabic_article(key: str) -> str:
    """Light stemming of a search key: drop the article ال (with a fused و ف ب ك, or لل) from words
    that keep at least two letters, so ``الرصد الدولي`` meets ``رصد دولي``. Other scripts pass through.
    """
    if "ال" not in key and "لل" not in key:
        return key
    return _ARABIC_ARTICLE.sub("", key)


def is_han(char: str) -> bool:
    """True for a CJK unified ideograph (the characters of Chinese terms)."""
    return bool(_HAN_CHAR.match(char))


def has_han(text: str) -> bool:
    """True when the text holds at least one CJK unified ideograph."""
    return _HAN_CHAR.search(text) is not None


def is_subsequence(short: str, full: str) -> bool:
    """Whether ``short`` keeps characters of ``full`` in order, dropping others: how Chinese short forms are
    made (临时技秘处 from 临时技术秘书处)."""
    chars = iter(full)
    return all(c in chars for c in short)


# --- Scripts ----------------------------------------------------------------------------------------

#: Script of a letter by code point block; enough for the six languages and their loans.
_SCRIPT_RANGES = (
    ("Latin", ((0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xBA, 0xBA), (0xC0, 0x24F), (0x1E00, 0x1EFF),
               (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))),
    ("Arabic", ((0x600, 0x6FF), (0x750, 0x77F), (0x870, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("Cyrillic", ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))),
    ("Han", ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF), (0x3007, 0x3007))),
    ("Greek", ((0x370, 0x3FF),)),
)


def _classify(char: str) -> str | None:
    if not unicodedata.category(char).startswith("L"):
        return None
    cp = ord(char)
    for script, ranges in _SCRIPT_RANGES:
        if any(lo <= cp <= hi for lo, hi in ranges):
            return script
    return "other"


class _ScriptCache(dict):
    """Character -> script, classified once per distinct character (a text has few)."""

    def __missing__(self, char: str) -> str | None:
        script = self[char] = _classify(char)
        return script


_SCRIPTS = _ScriptCache()


def script_of(char: str) -> str | None:
    """The script of a letter (``Latin``, ``Arabic``, ``Cyrillic``, ``Han``, ``Greek``, or ``other``), or
    ``None`` for digits, punctuation and marks."""
    return _SCRIPTS[char]


#: The scripts dominant_script reports, in the order that breaks a tie.
_DOMINANT = (("Arabic", "arabic"), ("Han", "han"), ("Cyrillic", "cyrillic"), ("Latin", "latin"))


def dominant_script(text: str) -> str | None:
    """``arabic``, ``han``, ``cyrillic`` or ``latin``: the script of most of the letters, if any."""
    counts = Counter(map(_SCRIPTS.__getitem__, text))
    best, most = None, 0
    for script, name in _DOMINANT:
        if counts[script] > most:
            best, most = name, counts[script]
    return best


# --- Display width -----------------------------------------------------------------------------------


class _Columns(dict):
    """Code point -> as many placeholder characters as the character takes columns (East Asian wide and
    full-width: two, combining marks: none, others: one), worked out once per distinct character."""

    def __missing__(self, cp: int) -> str:
        char = chr(cp)
        width = 2 if unicodedata.east_asian_width(char) in "WF" else 0 if unicodedata.combining(char) else 1
        columns = self[cp] = "\0" * width
        return columns


_COLUMNS = _Columns()


def display_width(text: str) -> int:
    """Terminal columns the text takes: East Asian wide and full-width characters two, combining marks none.

    >>> display_width("IMS 国际监测系统")
    16
    """
    if text.isascii():
        return len(text)
    return len(text.translate(_COLUMNS))
