"""``glossary merge``: move reviewed proposals into the termbase."""

from __future__ import annotations

import click

from glossary.commands._common import echo_json, format_option, writable_terms_dir


@click.command()
@click.argument("proposals", type=click.Path(exists=True, dir_okay=False, path_type=str))
@format_option("text", "json", default="text")
@click.pass_context
def merge(ctx: click.Context, proposals: str, fmt: str) -> None:
    """Append reviewed proposals to the termbase (terms/<domain>.yaml), all files as one transaction.

    Refused, with nothing changed, when a proposal still lacks a language or its definition, fails
    validation, or duplicates a concept already in the termbase (same id, or a Chinese term another
    concept has): merging the same file twice is refused the second time.

    \b
    Example:
        glossary align --write-proposals proposals.yaml
        glossary validate terms/ proposals.yaml
        glossary merge proposals.yaml
    """
    from glossary.proposals import merge_proposals

    result = merge_proposals(proposals, writable_terms_dir(ctx))
    if fmt == "json":
        echo_json({"merged": result.merged, "count": result.count})
        return
    for path, ids in result.merged.items():
        for concept_id in ids:
            click.echo(f"{path}: merged {concept_id}")
    click.echo(f"merged {result.count} concept(s)", err=True)
