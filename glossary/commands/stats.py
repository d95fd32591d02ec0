"""``glossary stats``: termbase summary."""

from __future__ import annotations

import click

from glossary.commands._common import (echo_json, existing_terms_dir, format_option, load_termbase, progress,
                                       render_table)


@click.command()
@format_option("table", "json")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Concepts by domain, and per language the share with a preferred term and the share still proposed.

    \b
    Example:
        glossary stats --format json
    """
    from babel import Locale

    from glossary.stats import compute_stats

    result = _compiled_stats(ctx)
    if result is None:
        result = compute_stats(load_termbase(ctx))
    if fmt == "json":
        echo_json(result.as_dict())
        return
    click.echo(f"{result.concepts} concepts: "
               + ", ".join(f"{domain} {count}" for domain, count in result.by_domain.items()))
    rows = [[lang, Locale.parse(lang).get_display_name("en"), str(s.terms),
             f"{s.with_preferred} ({result.share(s.with_preferred):.0%})",
             f"{s.proposed} ({result.share(s.proposed):.0%})"]
            for lang, s in result.languages.items()]
    click.echo(render_table(rows, ["lang", "language", "terms", "with preferred", "proposed"]))
    click.echo("(a head term still `proposed` counts as preferred until it is confirmed; "
               "the last column says how many are)")


def _compiled_stats(ctx: click.Context):
    """The figures added up from the compiled store's shards (see glossary.store), or ``None`` without one."""
    from glossary.stats import LanguageStats, TermbaseStats
    from glossary.store import open_store

    directory = existing_terms_dir(ctx)
    if not any(directory.glob("*.yaml")):
        return None  # the loader says what is wrong
    store = open_store([directory], None, lambda items, n: progress(items, "compiling the termbase", n))
    if store is None:
        return None
    totals = store.stats()
    return TermbaseStats(totals["concepts"], totals["by_domain"],
                         {lang: LanguageStats(**figures) for lang, figures in totals["languages"].items()})
