"""Checks that keep curated term files sound: schema, head terms, scripts, text hygiene, duplicates."""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from glossary.errors import Finding
from glossary.model import LANGUAGES, Concept
from glossary.termfile import read_term_file, term_file_paths
from glossary.textnorm import script_of

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_PREFIX = {"IMS": "ims", "IDC": "idc", "OSI": "osi", "general": "general"}

EXPECTED_SCRIPT = {"ar": "Arabic", "ru": "Cyrillic", "zh": "Han", "en": "Latin", "fr": "Latin", "es": "Latin"}
# Latin codes and acronyms (IMS, NET-VISA, RN53, IFE25) may stand in any language.
_LATIN_CODE = re.compile(r"^[A-Z0-9][A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*$")


def script_problem(lang: str, text: str) -> str | None:
    """Why ``text`` is in the wrong script for ``lang``, or ``None`` when it is fine."""
    expected = EXPECTED_SCRIPT[lang]
    scripts = {s for ch in text if (s := script_of(ch))}
    if not scripts:
        return None
    foreign = scripts - {expected, "Latin"}
    if foreign:
        return f"{lang} term {text!r} contains {', '.join(sorted(foreign))} letters; expected {expected}"
    if expected not in scripts and not _LATIN_CODE.match(text):
        return f"{lang} term {text!r} has no {expected} letters"
    return None


def term_text_problems(text: str) -> list[str]:
    """What is wrong with a term's text whatever its language: normalisation, spacing, invisible characters."""
    problems = []
    if unicodedata.normalize("NFC", text) != text:
        problems.append(f"term {text!r} is not in Unicode NFC")
    if text != " ".join(text.split()) or any(c in text for c in "\t\r\n\u00a0\u3000"):
        problems.append(f"term {text!r} has stray whitespace (leading, trailing, doubled or non-space)")
    # Format characters (bidi marks that right-to-left editors insert, zero-width spaces and joiners) are
    # invisible: a term with one looks identical to the right one but never matches it.
    invisible = sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cf", "Cc")})
    if invisible:
        problems.append(f"term {text!r} contains invisible characters ({', '.join(invisible)}); delete them")
    if text.strip() and not any(c.isalnum() for c in text):
        problems.append(f"term {text!r} has no letters or digits")
    return problems


def traditional_problem(text: str) -> str | None:
    """Why a zh term is not in the simplified characters UN Chinese uses, or ``None``."""
    from glossary.textnorm import fold_traditional

    simplified = fold_traditional(text)
    if simplified == text:
        return None
    return f"zh term {text!r} has traditional characters; UN Chinese writes {simplified!r}"


def check_concept(concept: Concept) -> Iterable[Finding]:
    """Per-concept rules; schema problems were already reported by the reader."""
    path = concept.origin.path if concept.origin else "<memory>"
    line = concept.origin.line if concept.origin else None

    def at(term, level, message):
        return Finding(path, term.origin.line if term and term.origin else line, level, message)

    if not ID_PATTERN.match(concept.id):
        yield at(None, "error", f"concept id {concept.id!r} is not of the form <domain>.<lower-case-slug>")
    elif concept.id.split(".", 1)[0] != ID_PREFIX[concept.domain]:
        yield at(None, "warning", f"concept {concept.id}: id prefix does not match domain {concept.domain}")
    for lang in LANGUAGES:
        terms = concept.terms.get(lang)
        if not terms:
            yield at(None, "error", f"concept {concept.id}: no {lang} term (write one with status: proposed if "
                                    "the official equivalent is unknown)")
            continue
        heads = [t for t in terms if t.is_head]
        if not heads:
            yield at(terms[0], "error", f"concept {concept.id}: {lang} has no preferred term")
        elif len(heads) > 1:
            yield at(heads[1], "error", f"concept {concept.id}: {lang} has {len(heads)} preferred terms "
                                        f"({', '.join(t.text for t in heads)}); keep one, make the others admitted")
        seen = set()
        for term in terms:
            for problem in term_text_problems(term.text):
                yield at(term, "error", f"concept {concept.id}: {lang} {problem}")
            if (problem := script_problem(lang, term.text)) is not None:
                yield at(term, "error", f"concept {concept.id}: {problem}")
            if lang == "zh" and (problem := traditional_problem(term.text)) is not None:
                yield at(term, "warning", f"concept {concept.id}: {problem}")
            if term.text in seen:
                yield at(term, "error", f"concept {concept.id}: {lang} term {term.text!r} is listed twice")
            seen.add(term.text)


def validate_paths(paths: Iterable[str | os.PathLike], context: Iterable[str | os.PathLike] = ()) -> list[Finding]:
    """All findings for the given term files or directories, in file and line order.

    ``context`` names the rest of the termbase (usually its directory) when only some of its files are
    checked, so that links to concepts defined elsewhere are not reported as dangling.
    """
    findings: list[Finding] = []
    concepts: list[Concept] = []
    files = term_file_paths(paths)
    for path in files:
        parsed = read_term_file(path)
        findings.extend(parsed.findings)
        concepts.extend(parsed.concepts)
    checked = {p.resolve() for p in files}
    known_ids = {c.id for path in term_file_paths(context) if path.resolve() not in checked
                 for c in read_term_file(path).concepts}
    findings.extend(check_termbase(concepts, known_ids))
    order = {}
    return sorted(findings, key=lambda f: (order.setdefault(f.path, len(order)), f.line or 0))


def check_termbase(concepts: list[Concept], known_ids: Iterable[str] = ()) -> list[Finding]:
    """Per-concept rules plus those across concepts: duplicate ids, shared preferred terms, dangling links
    (a link to one of ``known_ids``, concepts of the termbase not being checked, is not dangling)."""
    known = set(known_ids)
    findings: list[Finding] = []
    first_by_id: dict[str, Concept] = {}
    for concept in concepts:
        findings.extend(check_concept(concept))
        if concept.id in first_by_id:
            first = first_by_id[concept.id].origin
            findings.append(Finding(concept.origin.path, concept.origin.line, "error",
                                    f"duplicate concept id {concept.id!r} (first at {first.path}:{first.line})"))
        else:
            first_by_id[concept.id] = concept
    owners: dict[tuple[str, str], list[Concept]] = defaultdict(list)
    for concept in first_by_id.values():
        for lang in LANGUAGES:
            term = concept.head_term(lang)
            if term is not None:
                owners[(lang, term.text.casefold())].append(concept)
        for target in concept.related:
            if target not in first_by_id and target not in known:
                findings.append(Finding(concept.origin.path, concept.origin.line, "warning",
                                        f"concept {concept.id}: related id {target!r} does not exist"))
    for (lang, _), sharing in owners.items():
        for concept in sharing[1:]:
            term = concept.head_term(lang)
            findings.append(Finding(concept.origin.path, term.origin.line if term.origin else None, "warning",
                                    f"concept {concept.id}: {lang} preferred term {term.text!r} is also the "
                                    f"preferred term of {sharing[0].id}"))
    return findings


def exit_status(findings: list[Finding]) -> int:
    """0 clean, 1 warnings only, 2 errors."""
    levels = {f.level for f in findings}
    return 2 if "error" in levels else 1 if "warning" in levels else 0
