"""Aligning mined candidates with the termbase, and measuring how much of a corpus the termbase covers.

Every candidate is matched by the first method that applies, strongest first:

``exact``          the candidate is a Chinese term of a concept (any status or type) or a Latin code
                   written in any language (score 1.0);
``normalised``     equal after search-key normalisation (NFKC, width, case, spacing, punctuation; 0.95),
                   or after also dropping the attributive particle 的 (国际监测系统的维持 / 国际监测系统维持; 0.9);
``shortform``      the report writes it as the short form of a full form that matches (0.9), or it
                   abbreviates one concept's term by omission, keeping first and last character (0.8);
``compositional``  built from known terms, and the English composed from them is a concept's English
                   term (国际监测系统 + 台站 -> "IMS station"; 0.85), or a known term qualified by another
                   that its definition already names (国际数据中心 + 灾后恢复计划 -> the disaster recovery
                   plan, defined as the IDC's; 0.8);
``fuzzy``          rapidfuzz's normalised Indel similarity to a Chinese term, at or above a threshold
                   measured by ``scripts/eval_align.py`` (the score is the similarity);
``composition``    no concept, but the candidate is built entirely from known terms: a new concept
                   whose English can be suggested (score: the share of characters covered);
``none``           nothing known (``composition`` with unknown pieces keeps its parts for proposals).

The module has no click and no I/O beyond reading a saved ``mine --format json``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from glossary.corpus import Document, normalise_text
from glossary.errors import InputError
from glossary.fileio import read_input_bytes
from glossary.matching import term_key
from glossary.model import Concept, Term, Termbase
from glossary.textnorm import compact_key, is_han, is_subsequence

if TYPE_CHECKING:  # the miner imports jieba, which `glossary merge` (through proposals) never needs
    from glossary.mining import Candidate

#: Fuzzy similarity (0-1) at or above which a candidate is taken as a concept's term; chosen from the
#: precision/recall table of ``scripts/eval_align.py`` on the hand-written gold list.
FUZZY_THRESHOLD = 0.8
#: Candidates shorter than this are never matched fuzzily: two characters differ from everything.
FUZZY_MIN_LENGTH = 4

SCORES = {"exact": 1.0, "normalised": 0.95, "normalised-de": 0.9, "shortform": 0.9, "abbreviation": 0.8,
          "compositional": 0.85, "implied-qualifier": 0.8}
#: Methods that tie a candidate to a concept; ``composition`` and ``none`` do not.
CONCEPT_METHODS: tuple[str, ...] = ("exact", "normalised", "shortform", "compositional", "fuzzy")
METHODS: tuple[str, ...] = (*CONCEPT_METHODS, "composition", "none")

#: Connectives that may join two known parts of a composition, with their English rendering.
CONNECTIVES: dict[str, str | None] = {"的": None, "和": "and", "与": "and", "及": "and", "或": "or"}
_LATIN_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_./][A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class Part:
    """One piece of a composition: a known term with its concept, a connective, or an unknown piece."""

    text: str
    concept_id: str | None = None
    kind: str = "term"  # "term", "connective" or "unknown"

    def as_dict(self) -> dict:
        return {"text": self.text, "concept": self.concept_id, "kind": self.kind}


@dataclass(frozen=True)
class Match:
    """How a candidate meets the termbase."""

    method: str
    score: float
    concept_id: str | None = None
    term: str | None = None  # the termbase term (or full form) the candidate matched
    parts: tuple[Part, ...] = ()
    alternatives: tuple[str, ...] = ()  # other concepts the same text belongs to

    @property
    def is_concept(self) -> bool:
        return self.method in CONCEPT_METHODS

    @property
    def is_complete_composition(self) -> bool:
        return bool(self.parts) and all(p.kind != "unknown" for p in self.parts)


@dataclass(frozen=True)
class Alignment:
    candidate: Candidate
    match: Match
    english: str | None  # the concept's English head term, or the English composed from the parts

    def as_dict(self) -> dict:
        return {"rank": self.candidate.rank, "candidate": self.candidate.term, "kind": self.candidate.kind,
                "frequency": self.candidate.frequency, "domain": self.candidate.domain,
                "method": self.match.method, "score": self.match.score, "concept": self.match.concept_id,
                "matched_term": self.match.term, "english": self.english,
                "parts": [p.as_dict() for p in self.match.parts],
                "alternatives": list(self.match.alternatives)}


@dataclass(frozen=True)
class ConceptCoverage:
    concept_id: str
    occurrences: int
    references: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"concept": self.concept_id, "occurrences": self.occurrences, "references": list(self.references)}


@dataclass
class Coverage:
    """What the termbase covers of a corpus; ``concepts`` is empty when no documents were read."""

    concepts: list[ConceptCoverage] = field(default_factory=list)
    candidates: int = 0
    covered: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    frequency_total: int = 0
    frequency_covered: int = 0

    @property
    def share(self) -> float:
        return self.covered / self.candidates if self.candidates else 0.0

    @property
    def frequency_share(self) -> float:
        return self.frequency_covered / self.frequency_total if self.frequency_total else 0.0

    @property
    def seen(self) -> list[ConceptCoverage]:
        return [c for c in self.concepts if c.occurrences]

    @property
    def never_seen(self) -> list[str]:
        return [c.concept_id for c in self.concepts if not c.occurrences]

    def as_dict(self) -> dict:
        data: dict = {"top_candidates": self.candidates, "covered": self.covered, "share": round(self.share, 4),
                      "frequency_share": round(self.frequency_share, 4), "by_method": dict(self.by_method)}
        if self.concepts:
            data["concepts_seen"] = len(self.seen)
            data["concepts_never_seen"] = self.never_seen
            data["occurrences"] = [c.as_dict() for c in self.seen]
        return data


@dataclass
class AlignmentReport:
    alignments: list[Alignment]
    coverage: Coverage

    def as_dict(self) -> dict:
        return {"alignments": [a.as_dict() for a in self.alignments], "coverage": self.coverage.as_dict()}


# --- the index -------------------------------------------------------------------------------------------------


def zh_key(text: str) -> str:
    """Comparable Chinese text: search key without spaces (case, width, punctuation folded)."""
    return compact_key(normalise_text(text))


def english_key(text: str) -> str:
    """An English term as the matching layer keys it, without spaces: a composed name (``IMS stations``)
    meets the term in any number, as check and lookup would find it."""
    return "".join(term_key(text, "en"))


def _without_de(key: str) -> str:
    return key.replace("的", "")


def english_term(concept: Concept, modifier: bool = False) -> str | None:
    """The English head term; as a modifier (``IMS station``) the concept's abbreviation when it has one."""
    if modifier:
        for term in concept.terms.get("en", ()):
            if term.type == "abbreviation" and term.status != "deprecated":
                return term.text
    return concept.preferred("en")


class TermIndex:
    """The termbase's Chinese terms and Latin codes, keyed for each matching method."""

    def __init__(self, termbase: Termbase):
        self.termbase = termbase
        self.exact: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.codes: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.by_key: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.by_key_de: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.english: dict[str, list[str]] = defaultdict(list)
        for concept in termbase.values():
            for lang, term in concept.all_terms():
                if lang == "zh":
                    self.exact[normalise_text(term.text)].append((concept.id, term))
                    key = zh_key(term.text)
                    self.by_key[key].append((concept.id, term))
                    if "的" in key:
                        self.by_key_de[_without_de(key)].append((concept.id, term))
                elif _LATIN_CODE.match(term.text) and sum(c.isupper() for c in term.text) >= 2:
                    self.codes[term.text].append((concept.id, term))
                if lang == "en":
                    self.english[english_key(term.text)].append(concept.id)
        self.keys: list[str] = sorted(self.by_key)
        self.concept_keys: dict[str, list[str]] = {
            cid: [zh_key(t.text) for t in c.terms.get("zh", ())] for cid, c in termbase.items()}
        self.max_key = max((len(k) for k in self.keys), default=0)
        self._templates: dict[tuple[str, str], Counter] = {}

    def pick(self, hits: Sequence[tuple[str, Term]]) -> tuple[str, Term, tuple[str, ...]]:
        """One concept for a text several concepts share: where it is the head term, else the first."""
        ordered = sorted(hits, key=lambda hit: (not hit[1].is_head, hit[1].status == "deprecated"))
        concept_id, term = ordered[0]
        others = tuple(dict.fromkeys(cid for cid, _ in ordered[1:] if cid != concept_id))
        return concept_id, term, others

    def concept_for_key(self, key: str) -> str | None:
        hits = self.by_key.get(key)
        return self.pick(hits)[0] if hits else None


# --- matching --------------------------------------------------------------------------------------------------


class Aligner:
    """Matches candidates against one termbase; build once, align many."""

    def __init__(self, termbase: Termbase, fuzzy_threshold: float | None = FUZZY_THRESHOLD):
        self.termbase = termbase
        self.index = TermIndex(termbase)
        self.fuzzy_threshold = fuzzy_threshold

    # each method returns a Match or None

    def match_exact(self, text: str) -> Match | None:
        hits = self.index.exact.get(normalise_text(text)) or self.index.codes.get(text.strip())
        if not hits:
            return None
        concept_id, term, others = self.index.pick(hits)
        return Match("exact", SCORES["exact"], concept_id, term.text, alternatives=others)

    def match_normalised(self, text: str) -> Match | None:
        key = zh_key(text)
        hits = self.index.by_key.get(key)
        score = SCORES["normalised"]
        if not hits and len(_without_de(key)) >= 3:
            hits = self.index.by_key_de.get(_without_de(key))
            if not hits:  # the term has 的 and the candidate not, or both differ only in 的
                hits = self.index.by_key.get(_without_de(key))
            score = SCORES["normalised-de"]
        if not hits:
            return None
        concept_id, term, others = self.index.pick(hits)
        return Match("normalised", score, concept_id, term.text, alternatives=others)

    def match_shortform(self, candidate: Candidate) -> Match | None:
        if candidate.full_form:
            full = self.match_exact(candidate.full_form) or self.match_normalised(candidate.full_form)
            if full is not None:
                return Match("shortform", SCORES["shortform"], full.concept_id, candidate.full_form,
                             alternatives=full.alternatives)
        key = zh_key(candidate.term)
        if len(key) < 3 or not all(is_han(c) for c in key):
            return None
        found: dict[str, str] = {}
        for term_key in self.index.keys:
            if (term_key[0] == key[0] and term_key[-1] == key[-1] and len(key) < len(term_key) <= 2 * len(key)
                    and key not in term_key and is_subsequence(key, term_key)):
                found.setdefault(self.index.concept_for_key(term_key), term_key)
        if len(found) != 1:  # an abbreviation of two different concepts decides nothing
            return None
        (concept_id, term_key), = found.items()
        return Match("shortform", SCORES["abbreviation"], concept_id, self.index.by_key[term_key][0][1].text)

    def composition(self, text: str) -> tuple[Part, ...]:
        """The fewest known terms (and connectives) that spell the candidate; unknown pieces are kept."""
        key = zh_key(text)
        n = len(key)
        if n < 2:
            return ()
        index = self.index
        # best[i] = (cost, parts) for key[:i]; a known term costs 1, a connective 0.25, an unknown char 2
        best: list[tuple[float, tuple[tuple[int, int, str], ...]] | None] = [None] * (n + 1)
        best[0] = (0.0, ())
        for i in range(n):
            if best[i] is None:
                continue
            cost, parts = best[i]
            options: list[tuple[int, float, str]] = []
            for j in range(min(n, i + index.max_key), i + 1, -1):  # known terms of 2+ characters
                if key[i:j] in index.by_key and key[i:j] != key:
                    options.append((j, 1.0, "term"))
            if key[i] in CONNECTIVES and 0 < i < n - 1:
                options.append((i + 1, 0.25, "connective"))
            options.append((i + 1, 2.0, "unknown"))
            for j, step, kind in options:
                new = (cost + step, parts + ((i, j, kind),))
                if best[j] is None or (new[0], len(new[1])) < (best[j][0], len(best[j][1])):
                    best[j] = new
        shown = normalise_text(text).replace(" ", "")
        if len(shown) != n:  # NFKC or punctuation changed the length: show the key itself
            shown = key
        pieces: list[Part] = []
        for i, j, kind in best[n][1]:
            if kind == "unknown" and pieces and pieces[-1].kind == "unknown":
                pieces[-1] = Part(pieces[-1].text + shown[i:j], None, "unknown")
            elif kind == "term":
                pieces.append(Part(shown[i:j], index.concept_for_key(key[i:j])))
            else:
                pieces.append(Part(shown[i:j], None, kind))
        if not any(p.kind == "term" for p in pieces):
            return ()
        # a connective is only a connective between two known terms
        fixed: list[Part] = []
        for k, part in enumerate(pieces):
            if part.kind == "connective" and not (0 < k < len(pieces) - 1 and pieces[k - 1].kind == "term"
                                                  and pieces[k + 1].kind == "term"):
                part = Part(part.text, None, "unknown")
            if part.kind == "unknown" and fixed and fixed[-1].kind == "unknown":
                fixed[-1] = Part(fixed[-1].text + part.text, None, "unknown")
            else:
                fixed.append(part)
        return tuple(fixed)

    def match_compositional(self, parts: tuple[Part, ...]) -> Match | None:
        terms = [p for p in parts if p.kind == "term"]
        if len(terms) < 2 or any(p.kind == "unknown" for p in parts):
            return None
        for english in self.compositions(parts, "en"):
            ids = self.index.english.get(english_key(english))
            if ids:
                break
        else:
            return self.match_implied_qualifier(parts)
        concept_id = ids[0]
        return Match("compositional", SCORES["compositional"], concept_id, english, parts,
                     tuple(i for i in dict.fromkeys(ids) if i != concept_id))

    def match_implied_qualifier(self, parts: tuple[Part, ...]) -> Match | None:
        """``qualifier (的) head`` where the head concept's definition already names the qualifier.

        Reports qualify a term by its owner (国际数据中心灾后恢复计划, 现场视察定向演练) without naming a new
        concept: when the head's own definition says whose it is, the candidate is the head concept.
        """
        if len(parts) not in (2, 3) or parts[0].kind != "term" or parts[-1].kind != "term":
            return None
        if len(parts) == 3 and parts[1].text != "的":
            return None
        qualifier, head = self.termbase[parts[0].concept_id], self.termbase[parts[-1].concept_id]
        if qualifier.id == head.id or not _names(head.definition, qualifier):
            return None
        return Match("compositional", SCORES["implied-qualifier"], head.id, head.preferred("en") or parts[-1].text,
                     parts)

    def nearest(self, text: str, threshold: float = 0.0) -> tuple[str, float] | None:
        """The most similar Chinese term at or above ``threshold`` that could be a spelling of the same concept.

        Character similarity alone ranks 德国国家数据中心 next to 国家数据中心 and 台站的运营 next to 台站运营人,
        so a term is skipped when its concept cannot be the candidate's: the candidate contains one of the
        concept's terms (a narrower concept or an instance, left to composition) or is a piece of the term
        itself (认证数据提供率 of 未经认证数据提供率), the head
        (last character, as Chinese compounds are head-final) differs, or the candidate coordinates two
        things with 和/与/及/或 where none of the concept's terms does.
        """
        key = zh_key(text)
        if len(key) < FUZZY_MIN_LENGTH or not self.index.keys:
            return None
        joins = {c for c in key if c in CONNECTIVES and c != "的"}
        for term_key, similarity, _ in process.extract(key, self.index.keys, scorer=fuzz.ratio,
                                                        score_cutoff=threshold * 100, limit=30):
            if term_key[-1] != key[-1]:
                continue
            concept_keys = self.index.concept_keys[self.index.concept_for_key(term_key)]
            if key in term_key or any(k in key for k in concept_keys):
                continue
            if joins and not any(joins <= set(k) for k in concept_keys):
                continue
            return term_key, similarity / 100
        return None

    def match_fuzzy(self, text: str) -> Match | None:
        if self.fuzzy_threshold is None:  # fuzzy matching switched off
            return None
        hit = self.nearest(text, self.fuzzy_threshold)
        if hit is None:
            return None
        term_key, similarity = hit
        concept_id, term, others = self.index.pick(self.index.by_key[term_key])
        return Match("fuzzy", round(similarity, 3), concept_id, term.text, alternatives=others)

    def best_fuzzy(self, text: str) -> tuple[str | None, float]:
        """The nearest concept and its similarity whatever the threshold (for measuring thresholds)."""
        hit = self.nearest(text)
        return (self.index.concept_for_key(hit[0]), hit[1]) if hit else (None, 0.0)

    def match(self, candidate: Candidate) -> Match:
        """The strongest way ``candidate`` meets the termbase."""
        text = candidate.term
        found = self.match_exact(text) or self.match_normalised(text)
        if found is not None:
            return found
        if candidate.kind == "code":
            return Match("none", 0.0)
        parts = self.composition(text)
        found = self.match_shortform(candidate) or self.match_compositional(parts) or self.match_fuzzy(text)
        if found is not None:
            return found
        if parts:
            known = sum(len(p.text) for p in parts if p.kind != "unknown")
            share = round(known / len(zh_key(text)), 3)
            return Match("composition" if all(p.kind != "unknown" for p in parts) else "none", share, parts=parts)
        return Match("none", 0.0)

    # --- composing equivalents from parts ---

    def compose(self, parts: Sequence[Part], lang: str) -> str | None:
        """The term in ``lang`` built from the parts' terms, or None where it cannot be built.

        English stacks modifiers before the head as noun adjuncts, a modifier given by its abbreviation
        (国际监测系统 + 台站坐标 -> "IMS station coordinates"). Other languages are composed only for a
        modifier + head pair, by analogy with curated concepts built on the same modifier
        (国际监测系统网络 = "réseau du SSI" teaches "{head} du SSI"); without such a pattern they stay missing.
        """
        forms = self.compositions(parts, lang)
        return forms[0] if forms else None

    def compositions(self, parts: Sequence[Part], lang: str) -> list[str]:
        """Every rendering of the parts in ``lang``, the suggested one first (see :meth:`compose`)."""
        terms = [p for p in parts if p.kind == "term"]
        if not terms or any(p.kind == "unknown" or (p.kind == "term" and not p.concept_id) for p in parts):
            return []
        forms: list[str] = []
        if lang == "en":
            for abbreviate in (True, False):
                form = self._adjuncts(parts, abbreviate)
                if form and form not in forms:
                    forms.append(form)
        if len(terms) == 2 and len(parts) == 2:
            modifier, head = self.termbase[terms[0].concept_id], self.termbase[terms[1].concept_id]
            template = self.template(modifier, lang)
            head_text = head.preferred(lang)
            if template is not None and head_text:
                pattern, modifier_text = template
                form = pattern.replace("{H}", _lower_first(head_text, lang)).replace("{M}", modifier_text)
                if form not in forms:
                    forms.append(form)
        return forms

    def _adjuncts(self, parts: Sequence[Part], abbreviate: bool) -> str | None:
        words: list[str] = []
        for k, part in enumerate(parts):
            if part.kind == "connective":
                rendering = CONNECTIVES.get(part.text)
                if rendering:
                    words.append(rendering)
                continue
            concept = self.termbase[part.concept_id]
            is_modifier = k < len(parts) - 1 and parts[k + 1].kind == "term"
            text = english_term(concept, modifier=is_modifier and abbreviate)
            if text is None:
                return None
            words.append(text if k == 0 else _lower_first(text, "en"))
        return " ".join(words)

    def template(self, modifier: Concept, lang: str) -> tuple[str, str] | None:
        """The most common pattern ({M} and {H} slots) curated concepts built on ``modifier`` show in ``lang``."""
        cache_key = (modifier.id, lang)
        if cache_key not in self.index._templates:
            self.index._templates[cache_key] = self._learn_templates(modifier, lang)
        counts = self.index._templates[cache_key]
        if not counts:
            return None
        (pattern, modifier_text), _ = max(counts.items(), key=lambda item: (item[1], item[0]))
        return pattern, modifier_text

    def _learn_templates(self, modifier: Concept, lang: str) -> Counter:
        counts: Counter = Counter()
        modifier_zh = [zh_key(t.text) for t in modifier.terms.get("zh", ())]
        modifier_texts = [t.text for t in modifier.terms.get(lang, ()) if t.status != "deprecated"]
        for concept in self.termbase.values():
            if concept.id == modifier.id:
                continue
            zh, text = concept.preferred("zh"), concept.preferred(lang)
            if not zh or not text:
                continue
            zh = zh_key(zh)
            for prefix in modifier_zh:
                if not zh.startswith(prefix) or len(zh) == len(prefix):
                    continue
                head_id = self.index.concept_for_key(zh[len(prefix):])
                head_text = self.termbase[head_id].preferred(lang) if head_id else None
                if not head_text:
                    continue
                for m_text in modifier_texts:
                    pattern = _slot(text, head_text, m_text)
                    if pattern:
                        counts[(pattern, m_text)] += 1
        return counts


def _slot(text: str, head: str, modifier: str) -> str | None:
    """``text`` with the head and modifier replaced by ``{H}`` and ``{M}`` (each found once, case-blind)."""
    low = text.casefold()
    h, m = low.find(head.casefold()), _word_find(low, modifier.casefold())
    if h < 0 or m < 0 or not (h + len(head) <= m or m + len(modifier) <= h):
        return None
    spans = sorted([(h, len(head), "{H}"), (m, len(modifier), "{M}")], reverse=True)
    for start, length, slot in spans:
        text = text[:start] + slot + text[start + length:]
    return text


_EXAMPLE_CUE = re.compile(r"(?:such as|e\.g\.|for example|for instance|like)\W+(?:\w+\W+){0,3}$", re.IGNORECASE)


def _names(definition: str, concept: Concept) -> bool:
    """Whether an English definition names ``concept`` by one of its English terms (abbreviations by case),
    other than as an example ("a body or meeting, such as Working Group B" does not make it WGB's)."""
    for term in concept.terms.get("en", ()):
        if len(term.text) < 3:
            continue
        flags = 0 if term.type == "abbreviation" else re.IGNORECASE
        for found in re.finditer(rf"(?<![A-Za-z]){re.escape(term.text)}(?![A-Za-z])", definition, flags):
            if not _EXAMPLE_CUE.search(definition[:found.start()]):
                return True
    return False


def _word_find(text: str, word: str) -> int:
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    return found.start() if found else -1


def _lower_first(text: str, lang: str) -> str:
    """A head term inside a longer term loses its capital unless it is an acronym or a name."""
    if lang == "ar" or not text or text[:2].isupper() or text.split()[0].isupper():
        return text
    first = text.split()[0]
    if any(c.isupper() for c in first[1:]):
        return text
    return text[0].lower() + text[1:] if text[0].isupper() and all(
        w[:1].islower() or not w[:1].isalpha() for w in text.split()[1:]) else text



# --- coverage --------------------------------------------------------------------------------------------------


def concept_occurrences(termbase: Termbase, documents: Iterable[Document]) -> list[ConceptCoverage]:
    """Each concept's occurrences in the documents: non-overlapping matches of any of its Chinese terms
    (longest first, so 条约 inside 全面禁核试条约 is counted once) on normalised paragraph text."""
    terms_by_concept = {cid: sorted({zh_key(t.text) for t in c.terms.get("zh", ()) if zh_key(t.text)},
                                    key=lambda k: (-len(k), k))
                        for cid, c in termbase.items()}
    counts: Counter = Counter()
    references: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        for paragraph in document.paragraphs:
            text = zh_key(paragraph.text)
            for cid, keys in terms_by_concept.items():
                n = _count_non_overlapping(text, keys)
                if n:
                    counts[cid] += n
                    reference = paragraph.reference()
                    if reference not in references[cid]:
                        references[cid].append(reference)
    return [ConceptCoverage(cid, counts[cid], tuple(references[cid])) for cid in termbase]


def _count_non_overlapping(text: str, keys: Sequence[str]) -> int:
    taken: list[tuple[int, int]] = []
    for key in keys:  # longest first
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
            start = text.find(key, start + 1)
    return len(taken)


def candidate_coverage(alignments: Sequence[Alignment]) -> Coverage:
    coverage = Coverage(candidates=len(alignments))
    methods = Counter(a.match.method for a in alignments)
    coverage.by_method = {m: methods[m] for m in METHODS if methods[m]}
    coverage.covered = sum(a.match.is_concept for a in alignments)
    coverage.frequency_total = sum(a.candidate.frequency for a in alignments)
    coverage.frequency_covered = sum(a.candidate.frequency for a in alignments if a.match.is_concept)
    return coverage


# --- the service -----------------------------------------------------------------------------------------------


def align_candidates(candidates: Sequence[Candidate], termbase: Termbase,
                     fuzzy_threshold: float | None = FUZZY_THRESHOLD) -> list[Alignment]:
    aligner = Aligner(termbase, fuzzy_threshold)
    alignments = []
    for candidate in candidates:
        match = aligner.match(candidate)
        if match.concept_id:
            english = termbase[match.concept_id].preferred("en")
        else:
            english = aligner.compose(match.parts, "en") if match.parts else None
        alignments.append(Alignment(candidate, match, english))
    return alignments


def align(candidates: Sequence[Candidate], termbase: Termbase, documents: Iterable[Document] | None = None,
          fuzzy_threshold: float | None = FUZZY_THRESHOLD) -> AlignmentReport:
    """Align candidates and measure coverage (concept occurrences only when ``documents`` are given)."""
    alignments = align_candidates(candidates, termbase, fuzzy_threshold)
    coverage = candidate_coverage(alignments)
    if documents is not None:
        coverage.concepts = concept_occurrences(termbase, documents)
    return AlignmentReport(alignments, coverage)


# --- reading saved candidates ----------------------------------------------------------------------------------

_REQUIRED = ("rank", "term")


def candidates_from_json(data: bytes, path: str) -> list[Candidate]:
    """Candidates from a saved ``glossary mine --format json`` (the shape of ``MiningResult.as_dict``)."""
    from glossary.mining import Candidate

    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start}); expected the output of `glossary mine --format json`",
                         path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg} (expected the output of `glossary mine --format json`)", path,
                         exc.lineno) from exc
    items = parsed.get("candidates") if isinstance(parsed, Mapping) else None
    if not isinstance(items, list):
        raise InputError("no 'candidates' list: expected the output of `glossary mine --format json`", path)
    candidates = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, Mapping) or any(key not in item for key in _REQUIRED) \
                or not isinstance(item["term"], str) or not item["term"].strip():
            raise InputError(f"candidate {n}: expected an object with at least 'rank' and a non-empty 'term'", path)
        try:
            candidates.append(Candidate(
                rank=int(item["rank"]), term=item["term"], kind=str(item.get("kind", "term")),
                score=float(item.get("score", 0.0)), frequency=int(item.get("frequency", 0)),
                documents=int(item.get("documents", 0)), domain=str(item.get("domain", "general")),
                references=tuple(map(str, item.get("references") or ())),
                contexts=tuple(map(str, item.get("contexts") or ())), known=item.get("known"),
                full_form=item.get("full_form"), short_forms=tuple(map(str, item.get("short_forms") or ()))))
        except (TypeError, ValueError) as exc:
            raise InputError(f"candidate {n} ({item.get('term')!r}): {exc}", path) from exc
    return candidates


def read_candidates(path: str | os.PathLike) -> list[Candidate]:
    name = os.fspath(path)
    return candidates_from_json(read_input_bytes(name, InputError, "cannot read candidates"), name)
