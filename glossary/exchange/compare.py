"""Another glossary (TBX or CSV) against ours, concept by concept: prompts for a terminologist, never edits.

Per language it counts, over the concepts both glossaries have, how often the head terms agree,
how often ours is only among theirs (they prefer another), how often they differ, and where one side
has no term. It lists the differences and the concepts it has that match nothing of ours.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from glossary.exchange.matching import VERDICTS, Match, match_all
from glossary.model import LANGUAGES, Concept, Termbase


def read_other_glossary(path: str | os.PathLike) -> tuple[str, list[Concept]]:
    """(a description of the format, its concepts): TBX by extension .tbx/.xml, CSV/TSV otherwise."""
    name = os.fspath(path).lower()
    if name.endswith((".tbx", ".xml")):
        from glossary.exchange.tbx_read import read_tbx

        glossary = read_tbx(path)
        return glossary.dialect, glossary.concepts
    from glossary.exchange.csv_format import read_glossary_csv

    return "CSV", read_glossary_csv(path)


@dataclass
class Comparison:
    path: str
    format: str
    matches: list[Match] = field(default_factory=list)

    @property
    def matched(self) -> list[Match]:
        return [m for m in self.matches if m.ours is not None]

    def per_language(self) -> dict[str, dict[str, int]]:
        table = {lang: Counter() for lang in LANGUAGES}
        for m in self.matched:
            for lang, v in m.verdicts.items():
                if v:
                    table[lang][v] += 1
        return {lang: {v: counts[v] for v in VERDICTS} for lang, counts in table.items()}

    @staticmethod
    def agreement(counts: dict[str, int]) -> float | None:
        """Share of concepts with a term on both sides whose head terms agree."""
        both = counts["agree"] + counts["ours-among-theirs"] + counts["differ"]
        return counts["agree"] / both if both else None

    def differences(self) -> list[dict]:
        out = []
        for m in self.matched:
            for lang, v in m.verdicts.items():
                if v in ("differ", "ours-among-theirs", "we-lack"):
                    ours = m.ours.preferred(lang)
                    out.append({"concept": m.ours.id, "lang": lang, "verdict": v, "ours": ours,
                                "theirs": [t.text for t in m.theirs.terms.get(lang, ())],
                                "where": _where(m.theirs)})
        return out

    def unmatched(self) -> list[dict]:
        return [{"where": _where(m.theirs), "id": m.theirs.id, "note": m.via or "no shared term",
                 "en": [t.text for t in m.theirs.terms.get("en", ())]}
                for m in self.matches if m.ours is None]

    def as_dict(self) -> dict:
        return {"file": self.path, "format": self.format, "concepts": len(self.matches),
                "matched": len(self.matched),
                "per_language": {lang: {**counts, "agreement": self.agreement(counts)}
                                 for lang, counts in self.per_language().items()},
                "differences": self.differences(), "unmatched": self.unmatched()}


def _where(concept: Concept) -> str:
    origin = concept.origin
    return f"{origin.path}:{origin.line}" if origin else concept.id


def compare_glossary(termbase: Termbase, path: str | os.PathLike) -> Comparison:
    fmt, concepts = read_other_glossary(path)
    return Comparison(os.fspath(path), fmt, match_all(termbase, concepts))
