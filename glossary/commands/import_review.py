"""``glossary import-review``: bring a reviewed XLSX or CSV back into the term files."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.commands._common import existing_terms_dir, format_option, report_import, writable_terms_dir


@click.command("import-review")
@click.argument("review_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the unified diff of the term files; write nothing.")
@click.option("--keep-old", type=click.Choice(["admitted", "deprecated"]), default="deprecated",
              show_default=True, help="Status the replaced head term keeps.")
@format_option("table", "json")
@click.pass_context
def import_review(ctx: click.Context, review_file: Path, dry_run: bool, keep_old: str, fmt: str) -> None:
    """Apply a reviewer's edits from a workbook or CSV made by `glossary export xlsx|csv`.

    A changed cell becomes the head term with the reviewer's status; the old term stays (deprecated,
    or admitted). The row's comment becomes the new term's note. Conflicts -- a cell also changed in
    terms/ since the export, an unknown concept, text in the wrong script -- are reported, not applied,
    and make the exit status 1. Term files keep their comments and order.

    \b
    Example:
        glossary import-review review.xlsx --dry-run
        glossary import-review review.csv --keep-old admitted --format json
    """
    from glossary.exchange.review import import_review as import_reviewed_table

    directory = existing_terms_dir(ctx) if dry_run else writable_terms_dir(ctx)
    result = import_reviewed_table(directory, review_file, keep_old=keep_old, dry_run=dry_run)
    rows = [[o.outcome, o.where, o.concept, o.lang,
             o.reason + (f": {o.old!r} -> {o.new!r}" if o.old != o.new and o.new is not None else "")]
            for o in result.outcomes if o.outcome != "unchanged"]
    summary = [f"{result.path}: {result.rows} rows; " + ", ".join(f"{n} {k}" for k, n in result.counts().items())]
    report_import(result, dry_run=dry_run, fmt=fmt, rows=rows, headers=["outcome", "row", "concept", "lang", "detail"],
                  summary=summary)
