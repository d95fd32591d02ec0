"""Term matching in running text that understands inflection: one word key per language, used by check,
lookup and align alike.

A word's key is its search key (:mod:`glossary.textnorm`: case, accents, Arabic letter forms, ё, width and
traditional Chinese folded) reduced to what stays the same when the word is inflected. Terms and documents
go through the same function, so a multi-word term matches with every word inflected
(``Международной системы мониторинга``, ``les États parties``, ``وفريق التفتيش``).

Per language (figures: ``scripts/eval_inflection.py``, hand-written sentences scored before and after):

- ``ru``: the pymorphy3 lemma (OpenCorpora dictionary with a guesser for unknown words), stemmed once more
  with Snowball. Measured on the Russian test set (flags P/R, all terms P/R): Snowball stems alone
  0.909/0.909 and 0.942/0.942, pymorphy3 lemmas alone 1.000/1.000 and 0.981/0.981, both 1.000 on all four.
  Snowball leaves irregular forms apart and cuts derivations together (``сертифицированной`` /
  ``сертификация``); the lemma of the most likely parse is sometimes the wrong lemma (``газы`` -> ``газа``),
  an ending slip the Snowball stem of the lemma absorbs. Only pymorphy3 knows the grammar, which gives
  agreement: the adjectives of a term and the noun they qualify (``Международная система`` of
  ``Международная система мониторинга``) must share a case and a number in the document.
- ``ar``: the one-letter proclitics و ف ب ك ل and the article ال stripped as long as three letters are
  left, then one suffix of the sound plural, dual, feminine or an attached pronoun (ات ون ين ان ها هم ه,
  ة being folded to ه), and the commonest broken plural, أفعال, to its three root letters (``الأطراف`` ->
  ``طرف``, ``الأحداث`` -> ``حدث``). Snowball's Arabic stemmer was measured and rejected: it stems ``فريق`` to
  ``ريق`` but ``وفريق`` to ``فريق``, so a term and its form with a conjunction get different keys.
  Other broken plurals (``مرافق`` / ``مرفق``) are beyond a light stemmer.
- ``fr``, ``es``: Snowball (the French and Spanish stemmers), after splitting elided articles at the
  apostrophe (``l'État`` -> ``l`` ``État``), with two fixes for singular/plural pairs it keys apart (see
  :func:`_snowball_key`). ``en``: the singular, where Snowball confirms a plural ending (its stems cut
  ``located`` and ``location`` together, see :func:`_english_singular`). simplemma was measured as the
  alternative: its dictionaries take 0.7 s (en), 0.8 s (fr) and 3.3 s (es) to load, which
  ``glossary lookup`` would pay on every start, and it lemmatises ``estado`` to ``estar`` but ``Estados``
  to ``estado``.
- ``zh``: no inflection; each Han character is a unit, as before (traditional folded by the search key).

Only a token's key is inflection-stable; its offsets point back into the text, so a match can be shown
as written, with its line and column.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from glossary.textnorm import search_key

#: Languages whose words are reduced to an inflection-stable key (Chinese has no inflection).
INFLECTED = ("ar", "en", "fr", "ru", "es")
_SNOWBALL = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}

#: A word: letters and digits with the combining marks, tatweel and invisible format characters that live
#: inside words (Arabic tashkeel, decomposed accents, bidi marks an editor inserted). Apostrophes, hyphens
#: and other punctuation separate words, so an elided article and a hyphenated compound give two words.
_WORD = re.compile("(?:[^\\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
                   "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c])+")
#: English keeps its apostrophes inside words (``State Party's``: the search key joins them to ``partys``,
#: which stems as ``party``); French and Spanish elide articles and prepositions there instead.
_EN_WORD = re.compile(f"{_WORD.pattern}(?:['\u2019\u02bc]{_WORD.pattern})*")
_HAN_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]|[^\\W_]+")
#: Where a sentence ends between two words: sentence punctuation before a space or the end of the text,
#: Chinese and Arabic full stops anywhere, or a blank line. Terms never match across one.
_SENTENCE_END = {
    "zh": re.compile(r"[。！？；]|(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)"),
    "default": re.compile(r"[.!?;:](?=\s|$)|[。؟؛]|(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)"),
}
#: The line breaks editors and ``grep -n`` count (not form feeds, which pdftotext puts at page breaks).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Token(NamedTuple):
    """A word of a text (a character for Chinese): its key, where it is, and which sentence it is in."""

    key: str
    start: int
    end: int
    sentence: int


# --- word keys per language ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _snowball(lang: str):
    # PyStemmer: the Snowball C library; the pure-Python snowballstemmer imports all its 30-odd languages
    # on first use (0.2 s, a cost glossary lookup would pay on every start).
    import Stemmer

    return Stemmer.Stemmer(_SNOWBALL[lang])


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


#: Arabic one-letter proclitics: the conjunctions و ف and the prepositions ب ك ل.
_AR_PROCLITICS = frozenset("وفبكل")
#: Suffixes of the sound plurals, the dual, and attached pronouns (ة is already folded to ه).
_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "ه")
_AR_MIN_STEM = 3


def _arabic_key(word: str) -> str:
    """Strip proclitics and the article greedily, then one suffix, keeping at least three letters.

    Greedy stripping is what makes the key stable: ``وفريق`` and ``فريق`` both end as ``ريق``, since the
    same rule applies to what is left after each letter. Three-letter words are never touched (``وفد``).
    """
    while True:
        if word.startswith("ال") and len(word) - 2 >= _AR_MIN_STEM - 1 and len(word) > 3:
            word = word[2:]
        elif word[:1] in _AR_PROCLITICS and len(word) - 1 >= _AR_MIN_STEM:
            word = word[1:]
        else:
            break
    if len(word) == 5 and word[0] == "ا" and word[3] == "ا":
        return word[1] + word[2] + word[4]  # the broken plural أفعال of a three-letter noun: أطراف -> طرف
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _AR_MIN_STEM:
            return word[: -len(suffix)]
    return word


def _russian_key(word: str) -> str:
    if not word.isalpha() or not ("а" <= word[0] <= "я" or word[0] in "ёй"):
        return word
    return _snowball("ru").stemWord(_morph().parse(word)[0].normal_form)


def _snowball_key(word: str, lang: str) -> str:
    """Snowball's stem, made to give a singular and its plural one key where the stemmer alone does not
    (measured on noun pairs: Spanish ``auxiliar`` -> ``auxili`` but ``auxiliares`` -> ``auxiliar``, as it
    takes ``-ar``/``-er`` for a verb ending; French ``essais`` keeps its ``s``)."""
    if not word.isalpha():
        return word
    stem = _snowball(lang).stemWord
    if lang == "en":
        return _english_singular(word, stem)
    if lang == "es" and word.endswith("r"):
        key = stem(word + "es")  # stemmed as its plural, which has no verb ending
    elif lang == "es" and word.endswith("ion"):
        # the search key drops the accent of -ión, which Snowball's -ación/-ución rules need before 3.0
        # (PyStemmer 2.2 leaves ``homologacion`` whole but stems ``homologaciones``)
        key = stem(word[:-3] + "ión")
    elif lang == "fr" and word.endswith("s") and len(word) > 3:
        key = min(stem(word), stem(word[:-1]), key=len)
    else:
        key = stem(word)
    return key + _NOUN_OF_ACTION if word.endswith(_NOUN_OF_ACTION_ENDINGS[lang]) else key


#: Snowball cuts derivations together: ``certification`` and ``certifiés`` both stem as ``certif``,
#: ``homologación`` and ``homologada`` as ``homolog``, so a participle in a sentence ("la station est
#: certifiée") matched the noun term. A noun of action keeps a mark in its key that its plural shares and
#: the verb's forms lack (the traps of the test sets).
_NOUN_OF_ACTION = "+ion"
_NOUN_OF_ACTION_ENDINGS = {"fr": ("ion", "ions"), "es": ("ion", "iones")}  # search keys have no accents


#: English plural endings and what the singular ends with instead, tried in this order.
_EN_PLURALS = (("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("zes", "z"), ("s", ""))


def _english_singular(word: str, stem) -> str:
    """The singular of an English plural (possessive included: the search key has ``partys``), as
    written; other words as they are.

    English keys are words, not stems: on the Treaty, Snowball's stems made ``located`` and ``revalidate``
    the admitted terms ``location`` and ``revalidation`` (nine false warnings), as it cuts derivations
    together. Snowball only confirms the singular here: a plural ending counts when the stem of the word
    without it is the stem of the word (``parties``/``party``, not ``analysis``/``analysi``)."""
    if word.endswith("yses"):
        return word[:-2] + "is"  # analyses -> analysis (Greek plurals: Snowball stems the two apart)
    if len(word) < 4 or word.endswith(("ss", "us", "is")):
        return word
    for plural, singular in _EN_PLURALS:
        if word.endswith(plural):
            candidate = word[: len(word) - len(plural)] + singular
            if stem(candidate) == stem(word):
                return candidate
    return word


class WordKeys(dict):
    """Search-key piece -> inflection-stable key for one language, worked out once per distinct word."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, piece: str) -> str:
        lang = self.lang
        if lang == "ar":
            key = _arabic_key(piece)
        elif lang == "ru":
            key = _russian_key(piece)
        elif lang in _SNOWBALL:
            key = _snowball_key(piece, lang)
        else:
            key = piece
        self[piece] = key
        return key


@functools.lru_cache(maxsize=None)
def word_keys(lang: str) -> WordKeys:
    """The shared, growing cache of word keys of a language."""
    return WordKeys(lang)


# --- tokens, term keys ---------------------------------------------------------------------------------------


class _TokenKeys(dict):
    """A surface word -> its key pieces (search key split into words, each reduced); one entry per word."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        self.words = word_keys(lang) if lang in INFLECTED else None

    def __missing__(self, surface: str) -> tuple[str, ...]:
        pieces = search_key(surface).split()
        if self.words is not None:
            pieces = [self.words[p] for p in pieces]
        keys = self[surface] = tuple(pieces)
        return keys


@functools.lru_cache(maxsize=None)
def _token_keys(lang: str) -> _TokenKeys:
    return _TokenKeys(lang)


def tokenize(text: str, lang: str) -> list[Token]:
    """The words of ``text`` (characters, for Chinese) with their keys, offsets and sentence numbers."""
    pattern = _HAN_WORD if lang == "zh" else _EN_WORD if lang == "en" else _WORD
    # sentence ends, in order; a token after the k-th one is in sentence k (one pass, no search per word)
    ends = [m.start() for m in _SENTENCE_END["zh" if lang == "zh" else "default"].finditer(text)]
    keys = _token_keys(lang)
    tokens: list[Token] = []
    append = tokens.append
    sentence, next_end, previous_end = 0, 0, -1
    for match in pattern.finditer(text):
        start, end = match.span()
        if next_end < len(ends) and ends[next_end] < start:
            while next_end < len(ends) and ends[next_end] < start:
                next_end += 1
            if tokens and previous_end <= ends[next_end - 1]:
                sentence += 1
        previous_end = end
        surface = match.group()
        if lang == "zh" and len(surface) > 1:  # a Latin or digit run inside Chinese: one unit per character
            for offset, char in enumerate(surface):
                for key in keys[char]:
                    append(Token(key, start + offset, start + offset + 1, sentence))
            continue
        for key in keys[surface]:
            append(Token(key, start, end, sentence))
    return tokens


def term_key(text: str, lang: str) -> tuple[str, ...]:
    """The keys of a term's words (its characters, for Chinese): what a document must contain, in order."""
    return tuple(token.key for token in tokenize(text, lang))


def lemma_key(text: str, lang: str) -> str:
    """A term or query as one string of word keys, for lookup's maps."""
    return ("" if lang == "zh" else " ").join(term_key(text, lang))


class LineIndex:
    """Offsets of a text to 1-based (line, column), counting only real line breaks."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# --- Russian agreement -------------------------------------------------------------------------------------------

_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2")


def agreeing_words(term: str) -> tuple[int, ...]:
    """Positions of the words of a Russian term that agree with its head noun: the leading run of
    adjectives and the noun they qualify (``Международная система`` of ``Международная система мониторинга``). Empty when
    fewer than two words agree, since there is nothing to check then."""
    morph = _morph()
    group = []
    for number, word in enumerate(_WORD.findall(term)):
        nominative = [p for p in morph.parse(word.lower()) if p.tag.case == "nomn"]
        if not nominative:
            break
        group.append(number)
        if not any(p.tag.POS in ("ADJF", "PRTF", "NUMR") for p in nominative):
            break  # the head noun: what follows it is its complement (мониторинга), not in agreement
    return tuple(group) if len(group) >= 2 else ()


@functools.lru_cache(maxsize=65536)
def _case_forms(word: str) -> frozenset[tuple[str, str | None]]:
    """The (case, number) pairs a Russian word form can have; empty for words without case."""
    return frozenset((p.tag.case, p.tag.number) for p in _morph().parse(word.lower()) if p.tag.case)


def words_agree(words: Sequence[str]) -> bool:
    """Whether the words can share a case and a number (``Международной системы`` can, ``Международная
    системы`` cannot)."""
    common: set[tuple[str, str | None]] | None = None
    for word in words:
        forms = _case_forms(word)
        if not forms:  # indeclinable words and abbreviations (МСМ) agree with anything
            continue
        common = set(forms) if common is None else {
            (case, number or other) for case, number in common for case2, other in forms
            if case == case2 and (number == other or None in (number, other))}
        if not common:
            return False
    return True


# --- homoglyphs --------------------------------------------------------------------------------------------------

#: Cyrillic and Greek letters that look like Latin ones (lower case: keys are casefolded), to Latin. Each
#: script maps injectively, so keys of one script compare as before; only across scripts do MCM and МСМ,
#: or OTICE typed with a Cyrillic О, meet.
_HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "y", "χ": "x",
})


_HOMOGLYPH = re.compile("[" + "".join(chr(c) for c in _HOMOGLYPHS) + "]")


def fold_homoglyphs(key: str) -> str:
    """Cyrillic and Greek look-alikes of Latin letters to Latin, in a search key."""
    return key if key.isascii() or not _HOMOGLYPH.search(key) else key.translate(_HOMOGLYPHS)
