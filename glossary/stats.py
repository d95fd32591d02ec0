"""Summary figures of a termbase: concepts per domain, and per language coverage and open proposals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from glossary.model import DOMAINS, LANGUAGES, Termbase


@dataclass
class LanguageStats:
    with_preferred: int = 0
    proposed: int = 0
    terms: int = 0


@dataclass
class TermbaseStats:
    concepts: int
    by_domain: dict[str, int]
    languages: dict[str, LanguageStats] = field(default_factory=dict)

    def share(self, count: int) -> float:
        return count / self.concepts if self.concepts else 0.0

    def as_dict(self) -> dict:
        return {
            "concepts": self.concepts,
            "by_domain": self.by_domain,
            "languages": {
                lang: {"with_preferred": s.with_preferred, "with_preferred_share": round(self.share(s.with_preferred), 4),
                       "proposed": s.proposed, "proposed_share": round(self.share(s.proposed), 4), "terms": s.terms}
                for lang, s in self.languages.items()
            },
        }


def compute_stats(termbase: Termbase) -> TermbaseStats:
    """Count concepts by domain; per language, concepts with a head term and those whose head is proposed."""
    domains = Counter(c.domain for c in termbase.values())
    stats = TermbaseStats(len(termbase), {d: domains.get(d, 0) for d in DOMAINS})
    for lang in LANGUAGES:
        s = stats.languages[lang] = LanguageStats()
        for concept in termbase.values():
            head = concept.head_term(lang)
            s.terms += len(concept.terms.get(lang, ()))
            if head is not None:
                s.with_preferred += 1
                s.proposed += head.status == "proposed"
    return stats
