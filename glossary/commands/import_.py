"""``glossary import``: read another office's glossary into a review file; nothing enters terms/."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.commands._common import echo_json, format_option, load_termbase


@click.group("import")
def import_() -> None:
    """Read a glossary in an exchange format into a review file (see each subcommand).

    \b
    Example:
        glossary import tbx peer.tbx --review peer-review.xlsx
    """


@import_.command("tbx")
@click.argument("tbx_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--review", "review_out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Review file to write: .xlsx (a workbook) or .csv.")
@format_option("table", "json")
@click.pass_context
def tbx(ctx: click.Context, tbx_file: Path, review_out: Path, fmt: str) -> None:
    """Compare a TBX file (v3 Basic/Core/Min, or TBX 2008) with the termbase and write a review file.

    Concepts are matched by their terms. The review lists our concepts where the file differs, with
    its terms beside ours, and the file's concepts we lack. A reviewer copies what to adopt into our
    cells; `glossary import-review` then applies exactly that.

    \b
    Example:
        glossary import tbx unterm.tbx --review unterm-review.xlsx
        glossary import-review unterm-review.xlsx --dry-run
    """
    from glossary.errors import InputError
    from glossary.exchange.tbx_review import review_tbx
    from glossary.fileio import atomic_write_bytes

    suffix = review_out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError("the review file must end in .xlsx or .csv", review_out)
    review = review_tbx(load_termbase(ctx), tbx_file)
    if suffix == ".xlsx":
        from glossary.exchange.xlsx import render_review_workbook

        data = render_review_workbook(review.rows, with_theirs=True)
    else:
        from glossary.exchange.csv_format import render_review_csv

        data = render_review_csv(review.rows, with_theirs=True)
    atomic_write_bytes(review_out, data)
    if fmt == "json":
        echo_json({**review.as_dict(), "review": str(review_out)})
        return
    others = ", ".join(f"{lang} {n}" for lang, n in review.other_languages.items())
    click.echo(f"{tbx_file}: {review.dialect}, {review.concepts} concepts, {review.matched} matched ours; "
               f"{review.different} differ, {review.new} new" + (f"; other languages left out: {others}" if others else ""))
    click.echo(f"review written to {review_out}")
