"""Which of our concepts another glossary's concept is, by the terms they share, and how they differ.

Terms are compared by :func:`glossary.textnorm.search_key` (case, accents, punctuation, traditional
Chinese folded), since peer lists differ in exactly those (the UN thesaurus scrape drops French and
Spanish accents). A concept matches the one of ours sharing an English term if there is one, else
the one sharing terms in most languages (at least two); a tie is reported as ambiguous, not guessed.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from glossary.model import LANGUAGES, Concept, Termbase
from glossary.textnorm import search_key

#: Per-language verdicts, from best to worst; ``we-lack`` and ``they-lack`` have a term on one side only.
VERDICTS = ("agree", "ours-among-theirs", "differ", "we-lack", "they-lack")


@dataclass
class Match:
    theirs: Concept
    ours: Concept | None = None
    via: str = ""  # "en", "3 languages", "ambiguous: a, b"
    verdicts: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=1 << 18)
def _key(text: str) -> str:
    """search_key, remembered: both glossaries and every verdict ask for the same texts again."""
    return search_key(text)


def _keys(concept: Concept, lang: str) -> set[str]:
    return {k for t in concept.terms.get(lang, ()) if (k := _key(t.text))}


def _head_key(concept: Concept, lang: str) -> str | None:
    head = concept.head_term(lang) or next(iter(concept.terms.get(lang, ())), None)
    return _key(head.text) if head else None


class ConceptIndex:
    """Our terms by language and search key, built once for many look-ups."""

    def __init__(self, termbase: Termbase):
        self.termbase = termbase
        self.index: dict[tuple[str, str], list[str]] = {}
        for concept in termbase.values():
            for lang in LANGUAGES:
                for key in _keys(concept, lang):
                    ids = self.index.setdefault((lang, key), [])
                    if concept.id not in ids:
                        ids.append(concept.id)

    def match(self, theirs: Concept) -> Match:
        votes: Counter = Counter()
        english: set[str] = set()
        for lang in LANGUAGES:
            hits = {cid for key in _keys(theirs, lang) for cid in self.index.get((lang, key), ())}
            votes.update(hits)
            if lang == "en":
                english = hits
        if not votes:
            return Match(theirs)
        pool = english or set(votes)
        best = max(votes[c] for c in pool)
        if not english and best < 2:  # one shared word outside English (زلازل, 地震) is too weak a link
            return Match(theirs, via="one shared non-English term only")
        top = sorted(c for c in pool if votes[c] == best)
        if len(top) > 1:
            return Match(theirs, via=f"ambiguous: {', '.join(top[:5])}")
        ours = self.termbase[top[0]]
        via = "en" if english else f"{best} language{'s' if best > 1 else ''}"
        return Match(theirs, ours, via, {lang: verdict(ours, theirs, lang) for lang in LANGUAGES})


def verdict(ours: Concept, theirs: Concept, lang: str) -> str | None:
    """How the two concepts' terms in ``lang`` compare (one of :data:`VERDICTS`, or ``None`` if neither has one)."""
    our_head, their_keys = _head_key(ours, lang), _keys(theirs, lang)
    if our_head is None:
        return "we-lack" if their_keys else None
    if not their_keys:
        return "they-lack"
    if _head_key(theirs, lang) == our_head:
        return "agree"
    return "ours-among-theirs" if our_head in their_keys else "differ"


def match_all(termbase: Termbase, concepts: Iterable[Concept]) -> list[Match]:
    index = ConceptIndex(termbase)
    return [index.match(c) for c in concepts]
