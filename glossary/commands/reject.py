"""``glossary reject``: remember that candidates are no terms, so that they are never proposed again."""

from __future__ import annotations

import click

from glossary.commands._common import echo_json, format_option, writable_terms_dir


@click.command()
@click.argument("terms", nargs=-1, required=True)
@click.option("--why", help="Why: general wording, a name, a fragment, a clause, ...")
@click.option("--by", "by", help="Who rejected them (initials or a name).")
@format_option("text", "json", default="text")
@click.pass_context
def reject(ctx: click.Context, terms: tuple[str, ...], why: str | None, by: str | None, fmt: str) -> None:
    """Record candidates as rejected in the termbase's rejected.yaml.

    `glossary mine` and `glossary align --write-proposals` never propose a rejected candidate again
    (compared without spaces, traditional characters folded to simplified). The file is created on first
    use; existing lines are kept as they are. `glossary validate` checks it.

    \b
    Example:
        glossary reject 主要挑战 正常运转 --why "general wording" --by lw
    """
    from glossary.rejections import add_rejections, rejected_path

    directory = writable_terms_dir(ctx)
    added, already = add_rejections(directory, terms, why, by)
    path = rejected_path(directory)
    if fmt == "json":
        echo_json({"file": str(path), "added": added, "already_rejected": already})
        return
    for text in already:
        click.echo(f"{path}: already rejected: {text}", err=True)
    click.echo(f"{path}: {len(added)} rejection(s) added" if added else f"{path}: nothing added")
