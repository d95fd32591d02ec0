"""The termbase model: concepts, their terms per language, and the termbase that holds them.

The three levels mirror TBX-Basic (conceptEntry -> langSec -> termSec) so format adapters map directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

#: The six PrepCom languages, in UN order (Arabic, Chinese, English, French, Russian, Spanish).
LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")
DOMAINS: tuple[str, ...] = ("IMS", "IDC", "OSI", "general", "treaty")
TERM_TYPES: tuple[str, ...] = ("fullForm", "abbreviation", "shortForm", "variant")
STATUSES: tuple[str, ...] = ("preferred", "admitted", "deprecated", "proposed")
#: Statuses that make a term its language's head term (``proposed`` is a provisional preferred term).
HEAD_STATUSES: frozenset[str] = frozenset({"preferred", "proposed"})


@dataclass(frozen=True, slots=True)
class Origin:
    """Where something was read from; kept out of equality so round trips compare content only."""

    path: str
    line: int


@dataclass(slots=True)
class Term:
    """One designation of a concept in one language."""

    text: str
    type: str = "fullForm"
    status: str = "admitted"
    source: str | None = None
    note: str | None = None
    origin: Origin | None = field(default=None, compare=False, repr=False)

    @property
    def is_head(self) -> bool:
        return self.status in HEAD_STATUSES


@dataclass(slots=True)
class Source:
    """A document that attests the concept: a symbol with paragraph numbers or a free location."""

    document: str
    paragraphs: list[str] = field(default_factory=list)
    location: str | None = None

    def references(self) -> list[str]:
        """Human references such as ``CTBT/WGB-62/INF.4 para. 13``."""
        if self.paragraphs:
            return [f"{self.document} para. {p}" for p in self.paragraphs]
        return [f"{self.document} {self.location}" if self.location else self.document]


@dataclass(slots=True)
class Concept:
    """A concept with its terms in each language."""

    id: str
    domain: str
    definition: str = ""
    terms: dict[str, list[Term]] = field(default_factory=dict)
    subject: str | None = None
    sources: list[Source] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    notes: str | None = None
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def head_term(self, lang: str) -> Term | None:
        """The language's preferred term (or provisional ``proposed`` one), if any."""
        for term in self.terms.get(lang, ()):
            if term.is_head:
                return term
        return None

    def preferred(self, lang: str) -> str | None:
        """Text of the head term in ``lang``."""
        term = self.head_term(lang)
        return term.text if term else None

    def all_terms(self) -> Iterator[tuple[str, Term]]:
        """Every (language, term) pair, in language order."""
        for lang, terms in self.terms.items():
            for term in terms:
                yield lang, term

    def report_paragraphs(self, document: str) -> list[str]:
        """Paragraph numbers of ``document`` that attest this concept."""
        return [p for s in self.sources if s.document == document for p in s.paragraphs]


class Termbase(Mapping[str, Concept]):
    """Concepts keyed by id, in file order; the one place that decides how concepts are keyed."""

    def __init__(self, concepts: list[Concept] | None = None):
        self._concepts: dict[str, Concept] = {}
        for concept in concepts or ():
            self.add(concept)

    def add(self, concept: Concept) -> None:
        if concept.id in self._concepts:
            raise ValueError(f"duplicate concept id {concept.id!r}")
        self._concepts[concept.id] = concept

    def __getitem__(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._concepts)

    def __len__(self) -> int:
        return len(self._concepts)

    def concepts(self) -> list[Concept]:
        return list(self._concepts.values())
