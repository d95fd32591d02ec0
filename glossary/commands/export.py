"""``glossary export``: the termbase in exchange formats, one subcommand per format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from glossary.commands._common import echo_json, format_option, load_termbase, terms_dir


@click.group()
def export() -> None:
    """Write the termbase in an exchange format (see each subcommand).

    \b
    Example:
        glossary export po --mo
    """


@export.command("po")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output directory (default: locales/ beside the termbase directory, or ./locales).")
@click.option("--mo", is_flag=True, help="Also compile <locale>/LC_MESSAGES/glossary.mo files.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if the catalogs in the output directory differ from a fresh export.")
@click.option("--timestamp", is_flag=True,
              help="Stamp POT-Creation-Date and PO-Revision-Date with now (or $SOURCE_DATE_EPOCH); "
                   "without it the files carry no date, so unchanged terms give identical bytes.")
@format_option("table", "json")
@click.pass_context
def po(ctx: click.Context, out_dir: Path | None, mo: bool, check: bool, timestamp: bool, fmt: str) -> None:
    """Gettext catalogs: glossary.pot and <locale>/LC_MESSAGES/glossary.po for ar zh_Hans en fr ru es.

    msgctxt is the concept id, msgid the English preferred term, msgstr the preferred term in the
    catalog's language (fuzzy where it is only proposed); abbreviations are entries of their own.
    Translators' edits come back with `glossary import-po`.

    \b
    Example:
        glossary export po                 # regenerate locales/
        glossary export po --check         # exit 1 if locales/ is out of date (CI)
        glossary export po --out /tmp/l10n --mo
    """
    from glossary.catalogs import (NOT_PRODUCED, read_report, render_catalogs, source_date, stale_catalogs,
                                   write_catalogs)
    from glossary.resources import BUNDLED_REPORT, default_locales_dir

    termbase = load_termbase(ctx)
    out_dir = out_dir or default_locales_dir(terms_dir(ctx))
    files = render_catalogs(termbase, report=read_report(BUNDLED_REPORT), mo=mo,
                            timestamp=source_date() if timestamp else None)
    if check:
        stale = stale_catalogs(out_dir, files)
        if fmt == "json":
            echo_json({"directory": str(out_dir), "up_to_date": not stale, "problems": stale})
        elif stale:
            for problem in stale:
                click.echo(f"{out_dir / problem}")
            fix = "run `glossary export po` to regenerate"
            if any(problem.endswith(NOT_PRODUCED) for problem in stale):  # the export never deletes a file
                fix += ", and remove the files it does not produce"
            click.echo(f"{len(stale)} catalog file(s) out of date; {fix}", err=True)
        else:
            click.echo(f"{out_dir}: {len(files)} catalog files up to date")
        sys.exit(1 if stale else 0)
    written = write_catalogs(out_dir, files)
    _report_written(out_dir, len(termbase), files, written, fmt, "catalog files")


def _report_written(out_dir: Path, concepts: int, files: dict, written: list, fmt: str, what: str,
                    hint: str = "") -> None:
    """What an export wrote: every file it produces, and those that changed."""
    if fmt == "json":
        echo_json({"directory": str(out_dir), "concepts": concepts, "files": sorted(files),
                   "written": sorted(str(p) for p in written)})
        return
    click.echo(f"{out_dir}: {len(files)} {what} for {concepts} concepts "
               f"({len(written)} written, {len(files) - len(written)} already up to date){hint}")


@export.command("html")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write the site to (created if missing).")
@format_option("table", "json")
@click.pass_context
def html(ctx: click.Context, out_dir: Path, fmt: str) -> None:
    """A static web glossary: a search page and a page per domain, one card per concept with the six
    languages side by side. Self-contained (no server, no CDN): open index.html from a file share or
    put the directory on any static web host.

    Cards are anchored by concept id, so a URL cites a concept:

    \b
        OUT/ims.html#ims.primary-seismic-station
        OUT/index.html#ims.primary-seismic-station   (forwards to the card)

    \b
    Example:
        glossary export html --out out/site
        xdg-open out/site/index.html
    """
    from glossary.site import render_site, write_site

    termbase = load_termbase(ctx)
    files = render_site(termbase)
    written = write_site(out_dir, files)
    _report_written(out_dir, len(termbase), files, written, fmt, "files", f"; open {out_dir / 'index.html'}")
