"""The review step between harvest and the termbase: a file a terminologist edits, then applies.

``glossary harvest --write-review FILE`` writes the ``fills``/``differs``/``new`` results with their
evidence, each with ``decision: pending``. The terminologist sets ``accept`` (the proposed term, which
they may correct in place, becomes the head term; the old head stays as ``keep_old``), ``admit`` (added
as an admitted variant) or ``reject``. ``glossary apply-harvest FILE`` then changes exactly the accepted
items, recording on each changed term the document and provision it was read in. Nothing reaches terms/
without that decision.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from glossary.errors import InputError
from glossary.fileio import atomic_write_text, read_input_bytes
from glossary.model import LANGUAGES, Term

DECISIONS = ("pending", "accept", "admit", "reject")
KEEP_OLD = ("deprecated", "admitted")
HEADER = """\
# Review of `glossary harvest` proposals ({src} -> {tgt}).
# For each item set `decision` to one of:
#   accept  - `proposed` (correct it here if needed) becomes the {tgt} head term; the old head is kept
#             with the status `keep_old` (deprecated or admitted)
#   admit   - `proposed` is added beside the head as an admitted variant
#   reject  - nothing changes
# Items left `pending` are not applied. `new` items need a `concept` id before they can be applied.
# Then run: glossary apply-harvest {name}
"""


def source_note(references: list[str], target_path: str, tgt: str) -> str:
    """What a changed term records as its source: the provisions it was read in, in which text."""
    refs = ["CTBT " + r[len("Treaty "):] if r.startswith("Treaty ") else "CTBT " + r for r in references[:3]]
    more = f" and {len(references) - 3} more" if len(references) > 3 else ""
    return f"{'; '.join(refs)}{more} ({tgt} text, {Path(target_path).name}; glossary harvest)"


def review_items(result) -> list[dict]:
    """The results that need a decision, as the dictionaries the review file holds."""
    items = []
    target_name = result.documents[0][1] if len(result.documents) == 1 else ", ".join(
        Path(t).name for _, t in result.documents)
    for e in result.equivalents:
        if e.mark not in ("fills", "differs", "new"):
            continue
        items.append({
            "concept": e.concept, "mark": e.mark, "language": result.tgt, "source_term": e.source_term,
            "proposed": e.target_term, "head": e.head, "head_status": e.head_status, "forms": e.forms,
            "score": round(e.score, 3), "segments": e.segments,
            "references": e.references[:8] + ([f"and {len(e.references) - 8} more"] if len(e.references) > 8 else []),
            "source": source_note(e.references, target_name, result.tgt),
            "kwic_source": e.kwic_source, "kwic_target": e.kwic_target,
            "decision": "pending", "keep_old": "deprecated",
        })
    return items


def write_review(path: str, result) -> int:
    """Write the review file atomically; returns how many items it holds."""
    items = review_items(result)
    body = yaml.safe_dump({"source_language": result.src, "target_language": result.tgt, "items": items},
                          allow_unicode=True, sort_keys=False, width=110)
    atomic_write_text(path, HEADER.format(src=result.src, tgt=result.tgt, name=Path(path).name) + body)
    return len(items)


@dataclass
class Outcome:
    concept: str | None
    decision: str
    outcome: str  # changed, skipped, unchanged
    detail: str = ""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class ReviewResult:
    outcomes: list[Outcome] = field(default_factory=list)
    files: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)


def read_review(path: str) -> tuple[str, list[dict]]:
    data = read_input_bytes(path, InputError, "cannot read review file")
    try:
        doc = yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not a review file: {exc.__class__.__name__}", path,
                         mark.line + 1 if mark else None) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise InputError("not a review file written by `glossary harvest --write-review`", path)
    lang = doc.get("target_language")
    if lang not in LANGUAGES:
        raise InputError(f"target_language must be one of {', '.join(LANGUAGES)}", path)
    for n, item in enumerate(doc["items"], start=1):
        if not isinstance(item, dict) or item.get("decision") not in DECISIONS:
            raise InputError(f"item {n}: decision must be one of {', '.join(DECISIONS)}", path)
        if item.get("decision") in ("accept", "admit") and not str(item.get("proposed") or "").strip():
            raise InputError(f"item {n}: an accepted item needs a `proposed` term", path)
        if item.get("keep_old", "deprecated") not in KEEP_OLD:
            raise InputError(f"item {n}: keep_old must be deprecated or admitted", path)
    return lang, doc["items"]


def plan_review(term_dir: Path, review_path: str) -> ReviewResult:
    """Plan the accepted items against the term files; nothing is written here."""
    from glossary.po_import import _read_term_files, edited_term_files  # import-po's reading and line edits
    from glossary.termfile import normalise_text
    from glossary.validate import script_problem, term_text_problems

    lang, items = read_review(review_path)
    term_files, termbase = _read_term_files([term_dir])
    result = ReviewResult()
    slots: dict[str, list[tuple[int | None, Term]]] = {}
    for item in items:
        decision, concept_id = item["decision"], item.get("concept")
        if decision in ("pending", "reject"):
            result.outcomes.append(Outcome(concept_id, decision, "unchanged"))
            continue
        concept = termbase.get(concept_id) if concept_id else None
        if concept is None:
            detail = "no concept id: give the item an existing concept, or add the concept with `glossary merge`"
            result.outcomes.append(Outcome(concept_id, decision, "skipped", detail if not concept_id
                                           else f"unknown concept id {concept_id!r}"))
            continue
        current = slots.setdefault(concept.id, list(enumerate(concept.terms.get(lang, []))))
        if not current:
            result.outcomes.append(Outcome(concept.id, decision, "skipped",
                                           f"the concept has no {lang} terms to place the new one beside; add it by hand"))
            continue
        text = normalise_text(str(item["proposed"]))
        problems = [*term_text_problems(text), *filter(None, [script_problem(lang, text)])]
        if problems:  # the checks validate makes, before anything reaches a term file
            result.outcomes.append(Outcome(concept.id, decision, "skipped", "; ".join(problems)))
            continue
        detail = _apply(current, text, decision, item.get("keep_old", "deprecated"), str(item.get("source") or ""))
        result.outcomes.append(Outcome(concept.id, decision, "changed" if detail.startswith("->") else "unchanged",
                                       detail))
    planned = {(concept_id, lang): term_slots for concept_id, term_slots in slots.items()}
    result.files.update(edited_term_files(term_files, termbase, planned))
    return result


def _apply(slots: list[tuple[int | None, Term]], text: str, decision: str, keep_old: str, source: str) -> str:
    """Change the language's term list in place; a detail starting with ``->`` when something changed."""
    same = next((i for i, (_, t) in enumerate(slots) if t.text.casefold() == text.casefold()), None)
    head = next((i for i, (_, t) in enumerate(slots) if t.is_head), None)
    if decision == "admit":
        if same is not None:
            return f"{text!r} is already a term of the concept"
        slots.append((None, Term(text, "variant", "admitted", source=source or None)))
        return f"-> {text!r} added as admitted"
    if same is not None:
        origin, term = slots[same]
        if same == head and term.status == "preferred":
            return "already the head term"
        slots[same] = (origin, dataclasses.replace(term, text=text, status="preferred", source=source or term.source))
        if head is not None and head != same:
            head_origin, old = slots[head]
            slots[head] = (head_origin, dataclasses.replace(old, status=keep_old))
        return f"-> {text!r} confirmed as the head term"
    if head is None:
        slots.insert(0, (None, Term(text, "fullForm", "preferred", source=source or None)))
        return f"-> {text!r} is the head term"
    origin, old = slots[head]
    slots[head] = (origin, dataclasses.replace(old, status=keep_old))
    slots.insert(head, (None, Term(text, old.type, "preferred", source=source or None)))
    return f"-> {text!r} is the head term; {old.text!r} kept as {keep_old}"


def apply_review(term_dir: Path, review_path: str, *, dry_run: bool = False) -> ReviewResult:
    """Plan the reviewed items and write them as one termbase transaction.

    Planning happens under the termbase lock (glossary.fileio), so a concurrent writer's changes are
    merged with, never lost, and a kill at any point leaves the old or the new term files.
    """
    if dry_run:
        return plan_review(term_dir, review_path)
    from glossary.fileio import plan_and_write

    return plan_and_write(term_dir, lambda: plan_review(term_dir, review_path))
