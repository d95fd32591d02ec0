"""``glossary mine``: ranked term candidates from Chinese documents."""

from __future__ import annotations

import csv
import io
import sys

import click

from glossary.commands._common import format_option, load_termbase, progress, render_table, terms_dir

HEADERS = ["rank", "term", "score", "frequency", "documents", "domain", "references", "contexts", "known"]
KNOWN_HEADERS = ["term", "concept", "termbase form", "type", "match", "frequency", "references"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@click.option("--discovery", is_flag=True,
              help="Use no termbase knowledge while segmenting (the honest measure of the miner).")
@click.option("--top", type=click.IntRange(min=0), default=100, show_default=True,
              help="Report the N best candidates (0: all).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for segmentation.")
@click.option("--scheduler", metavar="ADDRESS|local:N",
              help="Count on a Dask cluster: a scheduler address (tcp://host:8786) or local:N worker processes "
                   "(needs the 'distributed' extra).")
@click.option("--no-termbase", is_flag=True, help="Do not read the termbase at all (nothing is marked known).")
@format_option("table", "json", "csv", "tsv")
@click.pass_context
def mine(ctx: click.Context, paths: tuple[str, ...], discovery: bool, top: int, jobs: int, scheduler: str | None,
         no_termbase: bool, fmt: str) -> None:
    """Mine ranked term candidates from Chinese documents.

    PATHS are files, directories (read recursively) or - for stdin; without PATHS the bundled report
    CTBT/WGB-62/INF.4 is mined. Text may be UTF-8 (with or without BOM), GB18030/GBK or UTF-16 with BOM,
    in simplified or traditional characters.

    With the termbase (the default), the table first lists every known term the documents use (exact,
    short forms, traditional characters), then the new candidates the termbase does not know; the JSON
    output has both (`known_terms`, `new_candidates`; `candidates` is the top N overall, with `known` set or
    null). Candidates rejected with
    `glossary reject` are never listed.

    \b
    Example:
        glossary mine --top 20
        glossary mine --discovery --format json reports/ > candidates.json
        glossary mine --scheduler local:2 archive/
        glossary mine --scheduler tcp://10.0.0.5:8786 archive/
    """
    from glossary.corpus import SkippedFile, iter_documents, read_document
    from glossary.mining import MiningConfig
    from glossary.mining import mine as mine_candidates
    from glossary.resources import BUNDLED_REPORT

    termbase = None if no_termbase else load_termbase(ctx)
    chosen = list(paths) or [str(BUNDLED_REPORT)]
    stdin = None
    if "-" in chosen:
        stdin = read_document("-", sys.stdin.buffer.read())  # stdin can be read once: keep that document
    skipped: list[SkippedFile] = []

    def documents():
        for document in iter_documents([p for p in chosen if p != "-"], skipped):
            yield document
        if stdin is not None:
            yield stdin

    first_pass = [True]

    def source():
        """Both passes stream the documents; the first shows progress on a terminal."""
        if not first_pass[0]:
            return documents()
        first_pass[0] = False
        return _with_progress(documents())

    from glossary.rejections import rejected_keys

    config = MiningConfig(top=top or None, top_new=top or None, jobs=jobs, scheduler=scheduler)
    rejected = frozenset() if no_termbase else rejected_keys(terms_dir(ctx))
    result = mine_candidates(source, termbase=termbase, discovery=discovery, config=config, rejected=rejected)
    if skipped:
        listed = ", ".join(f"{s.path} ({s.reason})" for s in _unique(skipped))
        click.echo(f"warning: skipped {len(_unique(skipped))} unreadable file(s): {listed}", err=True)
    if result.documents == 0:
        from glossary.errors import InputError

        raise InputError("no readable documents to mine", chosen[0])
    if not result.candidates:
        click.echo("warning: no term candidates found; the miner reads Chinese text", err=True)
    click.echo(render(result, fmt), nl=fmt in ("table", "json"))


def _unique(skipped):
    seen: dict[str, object] = {}
    for item in skipped:
        seen.setdefault(item.path, item)
    return list(seen.values())


def _with_progress(documents):
    with progress(documents, label="mining") as items:
        yield from items


def render(result, fmt: str) -> str:
    """The candidates as a table, JSON, CSV or TSV (references and contexts joined with `` | ``); in termbase
    mode the table lists the known terms first and then the new candidates only."""
    if fmt == "json":
        import json

        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
    shown = result.new_candidates if fmt == "table" and result.mode == "termbase" else result.candidates
    rows = [[str(c.rank), c.term if c.kind == "term" else f"{c.term} (code)", f"{c.score:.2f}", str(c.frequency),
             str(c.documents), c.domain, " | ".join(c.references), " | ".join(c.contexts), c.known or ""]
            for c in shown]
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return out.getvalue()
    table_rows = []
    for c, row in zip(shown, rows):
        table_rows.append(row[:6] + [_short_references(c.references), c.contexts[0] if c.contexts else "", row[8]])
        for context in c.contexts[1:]:
            table_rows.append([""] * 7 + [context, ""])
    if result.mode != "termbase":
        return render_table(table_rows, HEADERS)
    known_rows = [[k.term, k.concept, k.form, k.type, k.match, str(k.frequency), _short_references(k.references)]
                  for k in result.known_terms]
    return (f"known terms ({len(known_rows)}):\n" + render_table(known_rows, KNOWN_HEADERS)
            + f"\n\nnew candidates ({len(shown)}), not in the termbase:\n"
            + render_table(table_rows, HEADERS))


def _short_references(references) -> str:
    return ", ".join(r.rsplit(" ", 1)[-1] for r in references[:6]) + (" ..." if len(references) > 6 else "")
