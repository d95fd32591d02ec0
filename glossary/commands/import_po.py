"""``glossary import-po``: merge translators' PO edits back into the term files."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.commands._common import existing_terms_dir, format_option, report_import, writable_terms_dir


@click.command("import-po")
@click.argument("po_files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the unified diff of the term files; write nothing.")
@click.option("--keep-old", type=click.Choice(["admitted", "deprecated"]), default="deprecated",
              show_default=True, help="Status the replaced preferred term keeps.")
@format_option("table", "json")
@click.option("--accept-unmarked", is_flag=True,
              help="Take the PO's text for entries without a glossary-base marker (after msgmerge), even though "
                   "a termbase edit since export cannot be detected for them.")
@click.pass_context
def import_po(ctx: click.Context, po_files: tuple[Path, ...], dry_run: bool, keep_old: str, fmt: str,
              accept_unmarked: bool) -> None:
    """Merge edited catalogs into terms/*.yaml: a changed msgstr becomes the preferred term.

    The language is read from each file's Language header. Untouched, empty, fuzzy and obsolete
    entries change nothing; conflicts (unknown msgctxt, changed msgid, a term changed both in the
    termbase and in the PO since export) are reported and not applied, and make the exit status 1.
    Comments and order in the term files are kept.

    \b
    Example:
        glossary import-po --dry-run locales/fr/LC_MESSAGES/glossary.po
        glossary import-po --keep-old admitted reviewed/*.po --format json
    """
    from glossary.po_import import import_catalogs

    directory = existing_terms_dir(ctx) if dry_run else writable_terms_dir(ctx)
    result = import_catalogs(directory, po_files, keep_old=keep_old, accept_unmarked=accept_unmarked,
                             dry_run=dry_run)
    rows = [[o.outcome, f"{o.po_path}:{o.po_line}" if o.po_line else o.po_path, o.lang, o.context or "",
             o.reason + (f": {o.old!r} -> {o.new!r}" if o.old is not None and o.new is not None
                         and o.old != o.new else "")]
            for o in result.outcomes if o.outcome != "unchanged"]
    summary = [f"{catalog.path} ({catalog.lang}): "
               + ", ".join(f"{n} {k}" for k, n in result.counts(catalog.path).items())
               for catalog in result.catalogs]
    report_import(result, dry_run=dry_run, fmt=fmt, rows=rows,
                  headers=["outcome", "entry", "lang", "msgctxt", "detail"], summary=summary)
