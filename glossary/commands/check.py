"""``glossary check``: term verification of a translated document."""

from __future__ import annotations

import click

from glossary.commands._common import echo_json, format_option, load_termbase
from glossary.model import LANGUAGES


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--lang", required=True, type=click.Choice(LANGUAGES), help="Language of the document.")
@click.option("--all", "show_all", is_flag=True,
              help="Also list admitted abbreviations and short forms (level info; they never fail the check).")
@format_option("text", "json", default="text")
@click.pass_context
def check(ctx: click.Context, path: str, lang: str, show_all: bool, fmt: str) -> None:
    """Find deprecated and non-preferred terms in a translated document, with the preferred term.

    Terms are found in any inflected form (plurals, Russian cases, Arabic attached conjunctions and
    prepositions); an inflected form has the level of its term. Prints PATH:LINE:COLUMN: LEVEL: FOUND
    (TERM, when the document has another form of it) -> PREFERRED (CONCEPT). Levels: error (deprecated
    term), warning (non-preferred variant), info (admitted abbreviation or short form; with --all only).
    Exit status 1 when an error or warning is found, 0 when none, 2 on bad input.

    \b
    Example:
        glossary check report.en.txt --lang en
        glossary check 报告.txt --lang zh --format json
        glossary check доклад.txt --lang ru
    """
    from glossary.term_check import check_document

    levels = ("error", "warning", "info") if show_all else ("error", "warning")
    issues = check_document(path, load_termbase(ctx), lang, levels)
    if fmt == "json":
        echo_json([issue.as_dict() for issue in issues])
    else:
        for issue in issues:
            click.echo(str(issue))
        counts = {level: sum(i.level == level for i in issues) for level in levels}
        click.echo(", ".join(f"{n} {level}(s)" for level, n in counts.items()), err=True)
    ctx.exit(1 if any(i.level in ("error", "warning") for i in issues) else 0)
