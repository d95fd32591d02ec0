"""A TBX file from another office turned into a review table: what is new or different, nothing applied.

Rows are our concepts where the file differs (our cells as they are, theirs beside them in the
``<lang> theirs`` columns), then the file's concepts that match none of ours (concept column empty).
The table is the same one ``glossary export xlsx|csv`` writes, so a reviewer adopts a term by copying
it into our cell, and ``glossary import-review`` applies exactly those edits: nothing from the file
enters terms/ unless a person put it in a cell.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from glossary.exchange.matching import match_all
from glossary.exchange.table import ReviewRow, review_row
from glossary.exchange.tbx_read import read_tbx
from glossary.model import LANGUAGES, Concept, Termbase

_DIFFERENT = ("differ", "ours-among-theirs", "we-lack")


@dataclass
class TbxReview:
    path: str
    dialect: str
    concepts: int = 0
    matched: int = 0
    rows: list[ReviewRow] = field(default_factory=list)
    other_languages: dict[str, int] = field(default_factory=dict)

    @property
    def different(self) -> int:
        return sum(1 for r in self.rows if r.concept)

    @property
    def new(self) -> int:
        return sum(1 for r in self.rows if not r.concept)

    def as_dict(self) -> dict:
        return {"file": self.path, "dialect": self.dialect, "concepts": self.concepts, "matched": self.matched,
                "different": self.different, "new": self.new, "other_languages": self.other_languages}


def _theirs(concept: Concept) -> dict[str, str]:
    return {lang: " | ".join(t.text for t in concept.terms.get(lang, ())) for lang in LANGUAGES}


def review_tbx(termbase: Termbase, path: str | os.PathLike) -> TbxReview:
    """Read ``path`` and list its differences from ``termbase`` as review rows."""
    glossary = read_tbx(path)
    review = TbxReview(os.fspath(path), glossary.dialect, len(glossary.concepts),
                       other_languages=dict(sorted(glossary.other_languages.items())))
    new_rows = []
    for match in match_all(termbase, glossary.concepts):
        theirs = match.theirs
        where = f"{theirs.id} ({os.path.basename(review.path)}:{theirs.origin.line if theirs.origin else '?'})"
        if match.ours is None:
            if theirs.terms:
                new_rows.append(ReviewRow("", "", "", " ".join(theirs.definition.split()), "", {},
                                          theirs=_theirs(theirs), match=f"new: {where}; {match.via or 'no shared term'}"))
            continue
        review.matched += 1
        if any(v in _DIFFERENT for v in match.verdicts.values()):
            row = review_row(match.ours)
            row.theirs, row.match = _theirs(theirs), f"{where} via {match.via}"
            review.rows.append(row)
    review.rows.extend(new_rows)
    return review
