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


def _write_or_print(data: bytes, out: Path | None) -> None:
    """Write ``data`` atomically to ``out``, or to stdout when no file is given."""
    from glossary.fileio import atomic_write_bytes

    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(out, data)


@export.command("tbx")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout).")
@click.option("--style", type=click.Choice(["dca", "dct"]), default="dca", show_default=True,
              help="TBX v3 style: data categories as typed elements (dca) or namespaced ones (dct).")
@click.option("--version", "tbx_version", type=click.Choice(["3", "2"]), default="3", show_default=True,
              help="3: TBX-Basic v3 (ISO 30042:2019); 2: TBX 2008 martif, as Weblate and translate-toolkit read.")
@click.pass_context
def tbx(ctx: click.Context, out: Path | None, style: str, tbx_version: str) -> None:
    """TBX-Basic: one conceptEntry per concept, a langSec per language, a termSec per term.

    Status, term type, definition, domain (subjectField), sources, notes and related concepts are
    kept; 'proposed' is written as admitted with the note 'glossary-status: proposed' (the file's
    header says so). Same termbase, same bytes.

    \b
    Example:
        glossary export tbx --out ctbt-glossary.tbx
        glossary export tbx --version 2 --out weblate-glossary.tbx
    """
    from glossary.exchange.tbx_write import render_tbx

    _write_or_print(render_tbx(load_termbase(ctx), style=style, version=int(tbx_version)), out)


@export.command("csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout).")
@click.pass_context
def csv_export(ctx: click.Context, out: Path | None) -> None:
    """CSV (UTF-8 with BOM): one row per concept, each language's head term with its status and source.

    The file is a review table: edit it in a spreadsheet and bring it back with `glossary import-review`.

    \b
    Example:
        glossary export csv --out review.csv
    """
    from glossary.exchange.csv_format import render_review_csv
    from glossary.exchange.table import review_rows

    _write_or_print(render_review_csv(review_rows(load_termbase(ctx))), out)


@export.command("xlsx")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("glossary-review.xlsx"),
              show_default=True, help="Output workbook.")
@click.pass_context
def xlsx(ctx: click.Context, out: Path) -> None:
    """Review workbook: a sheet per domain, six languages with status and source, a legend sheet.

    Arabic cells run right to left, the header is frozen and status cells offer the four statuses.
    Reviewers edit cells; `glossary import-review FILE.xlsx` brings the edits back.

    \b
    Example:
        glossary export xlsx --out review.xlsx
    """
    from glossary.exchange.table import review_rows
    from glossary.exchange.xlsx import render_review_workbook

    termbase = load_termbase(ctx)
    _write_or_print(render_review_workbook(review_rows(termbase)), out)
    click.echo(f"{out}: {len(termbase)} concepts", err=True)
