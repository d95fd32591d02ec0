"""``glossary show``: one concept's whole record, the way a terminologist reads an entry."""

from __future__ import annotations

import shutil
import textwrap

import click

from glossary.commands._common import echo_json, format_option, load_termbase, terms_dir
from glossary.model import LANGUAGES, Concept, Termbase


@click.command()
@click.argument("query", nargs=-1, required=True)
@format_option("text", "json", default="text")
@click.pass_context
def show(ctx: click.Context, query: tuple[str, ...], fmt: str) -> None:
    """Show one concept: every term with its type, status, source and note, in the six languages,
    the definition, the references, related concepts and notes.

    QUERY is a concept id, or a term in any language (typos and abbreviations allowed, as in
    `glossary lookup`): the best match is shown. Exits with status 1 when nothing matches.

    \b
    Examples:
        glossary show ims.primary-seismic-station
        glossary show МСМ
        glossary show "on-site inspecton" --format json
    """
    termbase = load_termbase(ctx)
    text = " ".join(query).strip()
    concept, matched = find_concept(termbase, text, [terms_dir(ctx)])
    if concept is None:
        click.echo(f"no concept matches {text!r}", err=True)
        ctx.exit(1)
    if fmt == "json":
        echo_json({**concept_record(concept, termbase), "matched": matched})
        return
    if matched is not None:
        click.echo(f"best match for {text!r}: {matched['lang']} {matched['text']} (score {matched['score']:g})",
                   err=True)
    click.echo(render_concept(concept, termbase))


def find_concept(termbase: Termbase, text: str, paths) -> tuple[Concept | None, dict | None]:
    """The concept with id ``text``, else the best lookup hit (with what matched)."""
    if text in termbase:
        return termbase[text], None
    from glossary.lookup import open_index

    hits = open_index(paths).index.search(text, limit=1)
    if not hits:
        return None, None
    hit = hits[0]
    return termbase[hit.concept.id], {"text": hit.matched, "lang": hit.lang, "type": hit.type, "how": hit.how,
                                      "score": hit.score}


def concept_record(concept: Concept, termbase: Termbase) -> dict:
    """The whole concept as plain data, languages in UN order."""
    return {
        "id": concept.id, "domain": concept.domain, "subject": concept.subject, "definition": concept.definition,
        "terms": {lang: [{"text": t.text, "type": t.type, "status": t.status, "source": t.source, "note": t.note}
                         for t in concept.terms.get(lang, ())] for lang in LANGUAGES},
        "sources": [{"document": s.document, "paragraphs": list(s.paragraphs), "location": s.location,
                     "references": s.references()} for s in concept.sources],
        "related": [{"id": rid, "en": termbase[rid].preferred("en") if rid in termbase else None}
                    for rid in concept.related],
        "notes": concept.notes,
    }


def render_concept(concept: Concept, termbase: Termbase) -> str:
    """The record as text. Each term's text ends its line (status and type come first), so Arabic shows
    correctly in a terminal that applies the bidi algorithm."""
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))
    where = f"{concept.domain}, {concept.subject}" if concept.subject else concept.domain
    lines = [f"{concept.id}  ({where})"]
    if concept.definition:
        lines += textwrap.wrap(concept.definition, width, initial_indent="  ", subsequent_indent="  ")
    lines.append("")
    for lang in LANGUAGES:
        terms = concept.terms.get(lang, ())
        if not terms:
            lines.append(f"{lang}  (no term)")
        for n, term in enumerate(terms):
            label = term.status + ("" if term.type == "fullForm" else f", {term.type}")
            lines.append(f"{lang if n == 0 else '':2}  {label:<24}  {term.text}")
            for name, value in (("source", term.source), ("note", term.note)):
                if value:
                    lines += textwrap.wrap(f"{name}: {value}", width, initial_indent=" " * 30,
                                           subsequent_indent=" " * 32)
    if concept.sources:
        lines += ["", "references:"]
        lines += [f"  {ref}" for s in concept.sources for ref in _references(s)]
    if concept.related:
        lines += ["", "related:"]
        lines += [f"  {rid}" + (f"  {termbase[rid].preferred('en') or ''}".rstrip() if rid in termbase else
                                "  (not in the termbase)") for rid in concept.related]
    if concept.notes:
        lines += ["", "notes:"]
        lines += textwrap.wrap(concept.notes, width, initial_indent="  ", subsequent_indent="  ")
    return "\n".join(lines)


def _references(source) -> list[str]:
    """One line per source: ``CTBT/WGB-62/INF.4 paras. 5, 9, 11`` rather than a line per paragraph."""
    if len(source.paragraphs) > 1:
        return [f"{source.document} paras. {', '.join(source.paragraphs)}"]
    return source.references()
