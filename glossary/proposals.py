"""Proposals for new termbase entries: stubs written for unknown candidates, and their merge into ``terms/``.

A stub is a concept in the term file format with ``status: proposed`` terms: the Chinese candidate (with
its short forms), an English term composed from known sub-terms where every part is known (marked as a
machine suggestion in the term's ``note``), other languages composed the same way where the termbase
shows how, and every other language left as an empty list. The validator reports an empty language as
an error ("no fr term ..."), so a stub does not validate until a terminologist has filled it in; filled
with ``status: proposed`` terms it validates, and ``glossary merge`` appends it to its domain's file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from glossary.align import Aligner, Alignment, Part, zh_key
from glossary.errors import InputError, TermFileError
from glossary.fileio import atomic_write_text, termbase_transaction
from glossary.model import LANGUAGES, Concept, Source, Term, Termbase
from glossary.termfile import format_concept, load_termbase, parse_term_file, read_term_file
from glossary.validate import ID_PREFIX, check_termbase

#: A stub's definition starts with this until a terminologist writes one; merge refuses it.
DEFINITION_PLACEHOLDER = "TODO:"
MACHINE_NOTE = "machine suggestion composed from"
DEFAULT_LIMIT = 20
DEFAULT_MIN_FREQUENCY = 2

HEADER = """\
# Proposed concepts written by `glossary align --write-proposals` for {document}.
# Each is a stub: review it, give it its permanent id (drop "proposed-"; ids never change once merged),
# write the definition (it starts with "TODO:"), check or replace the machine-suggested terms (their
# note says so), and give every empty language a term (`status: proposed` where the official
# equivalent is not confirmed). Delete the stubs you do not want. Then:
#     glossary validate terms/ {name}
#     glossary merge {name}
"""


class MergeError(InputError):
    """Proposals that cannot be merged into the termbase as they are."""


# --- writing stubs ---------------------------------------------------------------------------------------------


def select_unknown(alignments: Sequence[Alignment], limit: int = DEFAULT_LIMIT,
                   min_frequency: int = DEFAULT_MIN_FREQUENCY) -> list[Alignment]:
    """The best-ranked Chinese candidates no concept covers, seen at least ``min_frequency`` times."""
    chosen = [a for a in alignments if not a.match.is_concept and a.candidate.kind == "term"
              and a.candidate.frequency >= min_frequency]
    chosen.sort(key=lambda a: a.candidate.rank)
    return chosen[:limit] if limit else chosen


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


def proposal_id(domain: str, zh: str, english: str | None, taken: set[str]) -> str:
    """``<domain>.proposed-<slug of the English suggestion>``, or a hash of the Chinese term: stable for the
    same input, made unique against ``taken`` with a numeric suffix."""
    slug = _slug(english or "") if english and english.isascii() else ""
    if not slug:
        slug = "zh-" + hashlib.sha1(zh.encode("utf-8")).hexdigest()[:8]
    base = f"{ID_PREFIX[domain]}.proposed-{slug[:60].strip('-')}"
    concept_id, n = base, 2
    while concept_id in taken:
        concept_id, n = f"{base}-{n}", n + 1
    return concept_id


def _sources(references: Sequence[str]) -> list[Source]:
    """``CTBT/WGB-62/INF.4 para. 13`` references grouped into sources, one per document."""
    by_document: dict[str, Source] = {}
    locations: list[Source] = []
    bare: dict[str, Source] = {}  # a heading: the document without a paragraph
    for reference in references:
        document, sep, paragraph = reference.partition(" para. ")
        if sep:
            source = by_document.setdefault(document, Source(document))
            if paragraph not in source.paragraphs:
                source.paragraphs.append(paragraph)
        else:
            document, _, location = reference.partition(" ")
            if location and all(s.location != location for s in locations):
                locations.append(Source(document, location=location))
            elif not location:
                bare.setdefault(document, Source(document))
    sources = [*by_document.values(), *locations]
    return sources + [s for d, s in bare.items() if all(o.document != d for o in sources)]


def _guess_domain(alignment: Alignment, termbase: Termbase) -> str:
    """The miner's guess, unless that is ``general`` and the known parts agree on one domain."""
    domain = alignment.candidate.domain
    if domain not in ID_PREFIX:
        domain = "general"
    if domain == "general":
        domains = {termbase[p.concept_id].domain for p in alignment.match.parts if p.concept_id}
        if len(domains) == 1:
            domain = domains.pop()
    return domain


def _machine_note(parts: Sequence[Part], aligner: Aligner, lang: str) -> str:
    pieces = []
    for part in parts:
        if part.kind != "term":
            continue
        concept = aligner.termbase[part.concept_id]
        pieces.append(f"{part.text} = {concept.preferred(lang)} ({part.concept_id})")
    return f"{MACHINE_NOTE}: " + " + ".join(pieces)


def proposal_concept(alignment: Alignment, aligner: Aligner, taken: set[str]) -> Concept:
    """The stub for one unknown candidate (see the module docstring)."""
    termbase = aligner.termbase
    candidate, parts = alignment.candidate, alignment.match.parts
    domain = _guess_domain(alignment, termbase)
    complete = bool(parts) and alignment.match.is_complete_composition
    terms: dict[str, list[Term]] = {lang: [] for lang in LANGUAGES}
    terms["zh"].append(Term(candidate.term, "fullForm", "proposed"))
    for short in candidate.short_forms:
        if short != candidate.term:
            terms["zh"].append(Term(short, "shortForm", "admitted"))
    if complete:
        for lang in LANGUAGES:
            if lang == "zh":
                continue
            text = aligner.compose(parts, lang)
            if text:
                terms[lang].append(Term(text, "fullForm", "proposed", note=_machine_note(parts, aligner, lang)))
    english = terms["en"][0].text if terms["en"] else None
    concept_id = proposal_id(domain, candidate.term, english, taken)
    taken.add(concept_id)
    where = ", ".join(candidate.references[:3]) or "the corpus"
    definition = (f"{DEFINITION_PLACEHOLDER} write the definition. Proposed from {candidate.frequency} "
                  f"occurrence(s) in {where}.")
    notes = ["Proposed by glossary align; review every term before merging."]
    if parts:
        known = [f"{p.text} ({p.concept_id})" for p in parts if p.kind == "term"]
        unknown = [p.text for p in parts if p.kind == "unknown"]
        notes.append("Known parts: " + ", ".join(known) + "." if known else "")
        if unknown:
            notes.append("Unknown parts: " + ", ".join(unknown) + ".")
    if candidate.contexts:
        notes.append("Contexts: " + " | ".join(candidate.contexts))
    related = list(dict.fromkeys(p.concept_id for p in parts if p.kind == "term" and p.concept_id))
    return Concept(id=concept_id, domain=domain, definition=definition, terms=terms,
                   sources=_sources(candidate.references), related=related,
                   notes=" ".join(n for n in notes if n))


def proposal_concepts(alignments: Sequence[Alignment], termbase: Termbase, limit: int = DEFAULT_LIMIT,
                      min_frequency: int = DEFAULT_MIN_FREQUENCY) -> list[Concept]:
    aligner = Aligner(termbase)
    taken = set(termbase)
    return [proposal_concept(a, aligner, taken) for a in select_unknown(alignments, limit, min_frequency)]


def render_proposals(concepts: Sequence[Concept], document: str, name: str) -> str:
    """The proposals file: a header saying what to do, then the stubs; empty languages carry a comment."""
    blocks = []
    for concept in concepts:
        lines = []
        for line in format_concept(concept).splitlines():
            stripped = line.strip()
            if stripped.endswith(": []") and stripped[:-4] in LANGUAGES:
                line += "  # missing: add a term (status: proposed if the official equivalent is unknown)"
            lines.append(line)
        blocks.append("\n".join(lines) + "\n")
    body = "\n".join(blocks) if blocks else "[]\n"
    return HEADER.format(document=document, name=name) + "\n" + body


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def check_proposals_target(path: str | os.PathLike, terms_dir: str | os.PathLike, force: bool = False) -> None:
    """Raise :class:`InputError` when proposals may not be written to ``path``: inside the termbase, over an
    existing file without ``force``, or over a directory. The CLI asks before mining, so a refusal is quick."""
    target, terms = Path(path), Path(terms_dir)
    if terms.is_dir() and _inside(target, terms):
        raise InputError(f"refusing to write proposals inside the termbase directory {terms}: write them "
                         "elsewhere, review them, then use `glossary merge`", target)
    if target.exists() and not force:
        raise InputError("already exists; refusing to overwrite it (use --force)", target)
    if target.is_dir():
        raise InputError("is a directory; give a file name for the proposals", target)


def write_proposals(path: str | os.PathLike, concepts: Sequence[Concept], terms_dir: str | os.PathLike,
                    document: str, force: bool = False) -> None:
    """Write the stubs atomically; never inside the termbase, never over a file unless ``force``."""
    check_proposals_target(path, terms_dir, force)
    atomic_write_text(path, render_proposals(concepts, document, Path(path).name))


# --- merging ---------------------------------------------------------------------------------------------------


@dataclass
class MergeResult:
    """Concept ids appended to each term file."""

    merged: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.merged.values())


def _where(concept: Concept) -> str:
    return f"{concept.origin.path}:{concept.origin.line}" if concept.origin else concept.id


def check_proposals(proposals: Sequence[Concept], termbase: Termbase, path: str) -> None:
    """Raise :class:`MergeError` for the first proposal that cannot go into the termbase."""
    zh_owner: dict[str, Concept] = {}
    for concept in termbase.values():
        for term in concept.terms.get("zh", ()):
            zh_owner.setdefault(zh_key(term.text), concept)
    for proposal in proposals:
        line = proposal.origin.line if proposal.origin else None
        if proposal.id in termbase:
            raise MergeError(f"concept {proposal.id} is already in the termbase ({_where(termbase[proposal.id])}); "
                             "nothing merged", path, line)
        missing = [lang for lang in LANGUAGES if not proposal.terms.get(lang)]
        if missing:
            raise MergeError(f"concept {proposal.id} still has no {', '.join(missing)} term: fill in every language "
                             "(status: proposed where unsure) before merging; nothing merged", path, line)
        if ".proposed-" in proposal.id:
            raise MergeError(f"concept {proposal.id}: give it its permanent id (e.g. "
                             f"{proposal.id.replace('.proposed-', '.', 1)}) before merging: ids never change once "
                             "in the termbase, and catalogs use them as msgctxt; nothing merged", path, line)
        if proposal.definition.strip().startswith(DEFINITION_PLACEHOLDER):
            raise MergeError(f"concept {proposal.id}: the definition is still the placeholder; write it before "
                             "merging; nothing merged", path, line)
        for term in proposal.terms.get("zh", ()):
            owner = zh_owner.get(zh_key(term.text))
            if owner is not None and owner.id != proposal.id:
                term_line = term.origin.line if term.origin else line
                raise MergeError(f"concept {proposal.id}: zh term {term.text!r} already belongs to {owner.id} "
                                 f"({_where(owner)}); nothing merged", path, term_line)
            zh_owner.setdefault(zh_key(term.text), proposal)
    findings = [f for f in check_termbase([*termbase.values(), *proposals]) if f.level == "error"]
    for finding in findings:
        if finding.path == path:
            raise MergeError(f"{finding.message}; nothing merged", path, finding.line)


def merge_proposals(path: str | os.PathLike, terms_dir: str | os.PathLike) -> MergeResult:
    """Append reviewed proposals to ``terms/<domain>.yaml`` as one transaction on the termbase: planned under
    its lock, all files or none written, and curated text (comments, layout) kept byte for byte."""
    name = os.fspath(path)
    parsed = read_term_file(name)
    if parsed.errors:
        first = parsed.errors[0]
        raise MergeError(f"{first.message}; nothing merged", first.path, first.line)
    if not parsed.concepts:
        raise MergeError("no proposals to merge", name)
    terms = Path(terms_dir)
    if not terms.is_dir():
        raise TermFileError("termbase directory not found (use --terms DIR)", terms)
    with termbase_transaction(terms) as transaction:  # planned on the files as they are under the lock
        termbase = load_termbase([terms])
        check_proposals(parsed.concepts, termbase, name)
        by_file: dict[Path, list[Concept]] = {}
        for concept in parsed.concepts:
            by_file.setdefault(terms / f"{ID_PREFIX[concept.domain]}.yaml", []).append(concept)
        for target, concepts in by_file.items():
            data = transaction.read(target)
            old = data.decode("utf-8") if data is not None else ""
            new = old
            if new and not new.endswith("\n"):
                new += "\n"
            if new.strip() in ("", "[]"):
                new = ""
            for concept in concepts:
                new += ("\n" if new else "") + format_concept(concept)
            check = parse_term_file(new.encode("utf-8"), os.fspath(target))
            if check.errors:  # pragma: no cover - format_concept writes what the reader reads
                first = check.errors[0]
                raise MergeError(f"merged file would not read back: {first.message}; nothing merged", first.path,
                                 first.line)
            transaction.write(target, new.encode("utf-8"))
    return MergeResult({os.fspath(t): [c.id for c in cs] for t, cs in by_file.items()})
