"""``glossary compare``: another glossary against ours, concept by concept."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.commands._common import echo_json, format_option, load_termbase, progress, render_table


@click.command("compare")
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@format_option("table", "json")
@click.option("--limit", type=click.IntRange(min=0), default=40, show_default=True,
              help="Differences and unmatched concepts listed in the table (json lists all).")
@click.pass_context
def compare(ctx: click.Context, other: Path, fmt: str, limit: int) -> None:
    """Compare a TBX or CSV glossary with ours: agreement per language, differences, what we lack.

    Concepts are matched on a shared English term (or terms shared in two or more languages),
    ignoring case, accents and punctuation. Every difference is a prompt for a terminologist to
    check against the Treaty and CTBTO usage; nothing is changed.

    \b
    Example:
        glossary compare ../shared/peer-data/csv/unthesaurus_scraping__out.csv
        glossary compare iate-extract.tbx --format json
    """
    from glossary.exchange.compare import Comparison, read_other_glossary
    from glossary.exchange.matching import match_all

    termbase = load_termbase(ctx)
    kind, concepts = read_other_glossary(other)
    with progress(concepts, "comparing", length=len(concepts)) as items:
        result = Comparison(str(other), kind, match_all(termbase, items))
    if fmt == "json":
        echo_json(result.as_dict())
        return
    click.echo(f"{other}: {result.format}, {len(result.matches)} concepts, {len(result.matched)} match ours")
    rows = []
    for lang, counts in result.per_language().items():
        share = result.agreement(counts)
        rows.append([lang, f"{share:.1%}" if share is not None else "-", *map(str, counts.values())])
    click.echo(render_table(rows, ["lang", "agreement", "agree", "ours among theirs", "differ", "we lack",
                                   "they lack"]))
    differences = result.differences()
    if differences and limit:
        click.echo(f"\ndifferences (first {min(limit, len(differences))} of {len(differences)}; check each "
                   "against the Treaty and CTBTO usage):")
        click.echo(render_table([[d["concept"], d["lang"], d["verdict"], d["ours"] or "", " | ".join(d["theirs"]),
                                  d["where"]] for d in differences[:limit]],
                                ["concept", "lang", "verdict", "ours", "theirs", "where"]))
    unmatched = result.unmatched()
    click.echo(f"\n{len(unmatched)} of their concepts match none of ours" +
               (" (`--format json` lists them)" if unmatched else ""))
