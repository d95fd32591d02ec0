"""``glossary lookup``: find concepts by any of their terms, in any language, however typed."""

from __future__ import annotations

import shutil
import sys

import click

from glossary.commands._common import echo_json, format_option, terms_dir
from glossary.model import DOMAINS, LANGUAGES


@click.command()
@click.argument("query", nargs=-1)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Match only terms in this language.")
@click.option("--domain", type=click.Choice(DOMAINS), help="Match only concepts of this domain.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Most hits to show.")
@format_option("table", "json")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=str), envvar="GLOSSARY_CACHE_DIR",
              help="Where the index is cached (default: $XDG_CACHE_HOME/ctbt-glossary).")
@click.option("--no-cache", is_flag=True, help="Build the index in memory; neither read nor write the cache.")
@click.pass_context
def lookup(ctx: click.Context, query: tuple[str, ...], lang: str | None, domain: str | None, limit: int,
           fmt: str, cache_dir: str | None, no_cache: bool) -> None:
    """Find concepts by a term or abbreviation in any of the six languages, tolerating typos,
    accents, word order, Arabic diacritics and letter forms, ё/е and full-width forms.

    Each hit shows the concept, its preferred term in all six languages, its definition, the score
    and the term that matched. Without QUERY on a terminal, opens a prompt for repeated lookups;
    without QUERY in a pipeline, reads one query a line from stdin (with --format json, writes one JSON
    object a line). Exits with status 1 when a query matches nothing.

    \b
    Examples:
        glossary lookup "intl monitoring systm"
        glossary lookup МСМ --format json
        glossary lookup 现场视察 --lang zh --limit 3
        cut -f1 terms.tsv | glossary lookup --format json --limit 1
    """
    index = _open_index(terms_dir(ctx), cache_dir, no_cache)
    if query:
        found = _answer(index, " ".join(query), lang, domain, limit, fmt)
        ctx.exit(0 if found else 1)
    if not _stdin_is_terminal():
        ctx.exit(0 if _answer_lines(index, sys.stdin, lang, domain, limit, fmt) else 1)
    _prompt_loop(index, lang, domain, limit, fmt)


def _open_index(directory, cache_dir: str | None, no_cache: bool):
    """The compiled store's index (see glossary.store); an index built in memory without a cache."""
    from glossary.lookup import open_index

    if not no_cache:
        from glossary.store import open_store
        from glossary.store_index import store_lookup_index

        from glossary.commands._common import progress

        store = open_store([directory], cache_dir, lambda items, n: progress(items, "compiling the termbase", n))
        if store is not None:
            return store_lookup_index(store)
    return open_index([directory], cache_dir, use_cache=not no_cache).index


def _answer_lines(index, lines, lang: str | None, domain: str | None, limit: int, fmt: str) -> bool:
    """One lookup per non-blank line, answers in order (JSON lines with --format json); True when every
    query matched. A query that cannot be looked up is reported on stderr with its line number."""
    import json

    from glossary.errors import GlossaryError

    all_found = True
    for number, line in enumerate(lines, 1):
        query = line.strip()
        if not query:
            continue
        try:
            hits = index.search(query, lang=lang, domain=domain, limit=limit)
        except GlossaryError as exc:
            click.echo(f"error: line {number}: {exc.message}", err=True)
            all_found = False
            continue
        if fmt == "json":
            click.echo(json.dumps({"query": query, "hits": [hit.as_dict() for hit in hits]}, ensure_ascii=False))
        elif hits:
            click.echo(f"== {query}\n{render_hits(hits)}\n")
        if not hits:
            click.echo(f"no match for {query!r}", err=True)
            all_found = False
    return all_found


def _answer(index, query: str, lang: str | None, domain: str | None, limit: int, fmt: str) -> bool:
    hits = index.search(query, lang=lang, domain=domain, limit=limit)
    if fmt == "json":
        echo_json({"query": query, "hits": [hit.as_dict() for hit in hits]})
    elif hits:
        click.echo(render_hits(hits))
    if not hits:
        click.echo(f"no match for {query!r}", err=True)
    return bool(hits)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


#: What ends the interactive prompt besides Ctrl-D; colon-prefixed, so no term of any language is taken.
_QUIT = frozenset({":q", ":quit", ":exit"})


def _prompt_loop(index, lang: str | None, domain: str | None, limit: int, fmt: str) -> None:
    """Repeated lookups until end of input (Ctrl-D) or Ctrl-C; line editing where readline exists."""
    from glossary.errors import GlossaryError

    try:
        import readline  # noqa: F401 - gives input() line editing and history
    except ImportError:  # pragma: no cover - Windows
        pass
    click.echo(f"{index.concept_count} concepts. Type a term in any language; :q or Ctrl-D to quit.", err=True)
    while True:
        try:
            line = input("lookup> ")
        except (EOFError, KeyboardInterrupt):
            click.echo(err=True)
            return
        if not line.strip():
            continue
        if line.strip() in _QUIT:
            return
        try:
            _answer(index, line.strip(), lang, domain, limit, fmt)
        except GlossaryError as exc:
            click.echo(f"error: {exc.message}", err=True)
        click.echo()


def render_hits(hits) -> str:
    """Hits as blocks: the concept and score, the matched term, the six preferred terms one per line,
    the wrapped definition.

    Every right-to-left text ends its line (the matched term ends the second line, each Arabic term
    has its own line), so a terminal that applies the bidi algorithm shows it correctly and
    no left-to-right text is reordered around it.
    """
    import textwrap

    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))
    blocks = []
    for rank, hit in enumerate(hits, 1):
        card = hit.concept
        where = f"{card.domain}, {card.subject}" if card.subject else card.domain
        lines = [f"{rank}. {card.id}  ({where})  score {hit.score:g}",
                 f"   matched {hit.lang} {hit.type}, {hit.how}: {hit.matched}"]
        for lang in LANGUAGES:
            # the marker goes before the term, so that an Arabic term still ends its line
            marker = "(proposed) " if card.statuses.get(lang) == "proposed" else ""
            lines.append(f"   {lang}  {marker}{card.preferred.get(lang) or '-'}")
        if card.definition:
            lines.extend(textwrap.wrap(card.definition, width, initial_indent="   ", subsequent_indent="   "))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
