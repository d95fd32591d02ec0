"""Pieces every command shares: the termbase from the context, output formats, progress and writing."""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

T = TypeVar("T")


def terms_dir(ctx: click.Context) -> Path:
    """The termbase directory chosen with ``--terms`` / ``$GLOSSARY_TERMS``, or the default one."""
    from glossary.resources import default_terms_dir

    chosen = (ctx.find_root().obj or {}).get("terms_dir")
    return Path(chosen) if chosen else default_terms_dir()


def load_termbase(ctx: click.Context):
    """Load the termbase for a command; errors surface as one ``path:line: error:`` line."""
    from glossary.cache import load_termbase_cached
    from glossary.errors import TermFileError

    directory = existing_terms_dir(ctx)
    if not any(directory.glob("*.yaml")):
        raise TermFileError("no term files (*.yaml) in the termbase directory (use --terms DIR)", directory)
    return load_termbase_cached([directory])


def existing_terms_dir(ctx: click.Context) -> Path:
    """The termbase directory, which must exist."""
    from glossary.errors import TermFileError

    directory = terms_dir(ctx)
    if not directory.is_dir():
        raise TermFileError("termbase directory not found (use --terms DIR)", directory)
    return directory


def writable_terms_dir(ctx: click.Context) -> Path:
    """The termbase directory a command may write to: never the copy installed inside the package,
    which the next upgrade would replace, losing the edits."""
    from glossary.errors import TermFileError
    from glossary.resources import is_bundled

    directory = existing_terms_dir(ctx)
    if is_bundled(directory):
        raise TermFileError("this is the termbase installed with the tool and is read-only; run in a checkout "
                            "with terms/ or pass --terms DIR", directory)
    return directory


def format_option(*choices: str, default: str = "table"):
    """``--format`` with the given choices; commands that report always offer ``json``."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, with an ellipsis where it was cut."""
    from glossary.textnorm import display_width

    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = display_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


#: Columns a reader scans by: never clipped to fit a terminal.
_NEVER_CLIPPED = frozenset({"rank", "term", "candidate", "concept", "lang"})


def render_table(rows: list[list[str]], headers: list[str], max_width: int | None = None) -> str:
    """A plain aligned table. On a terminal (or with ``max_width``) the widest columns are clipped with an
    ellipsis until a row fits the screen; piped output keeps every character (use json/csv for machines)."""
    from glossary.textnorm import display_width

    if max_width is None and sys.stdout.isatty():
        max_width = shutil.get_terminal_size().columns
    cols = [headers, *([str(c) for c in r] for r in rows)]
    widths = [max(display_width(r[i]) for r in cols) for i in range(len(headers))]
    if max_width:
        floor = [widths[i] if h in _NEVER_CLIPPED else min(widths[i], max(display_width(h), 6))
                 for i, h in enumerate(headers)]
        while sum(widths) + 2 * (len(widths) - 1) > max_width:
            widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
            if widths[widest] <= floor[widest]:
                break
            widths[widest] -= 1
        cols = [[_clip(c, widths[i]) for i, c in enumerate(r)] for r in cols]
    lines = []
    for n, row in enumerate(cols):
        cells = [c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report_import(result: Any, *, dry_run: bool, fmt: str, rows: list[list[str]], headers: list[str],
                  summary: list[str]) -> None:
    """How every import into terms/ reports, then exits (1 when anything is a conflict).

    ``result`` has ``as_dict()``, ``diff()``, ``files`` and ``has_conflicts`` (import-po's and
    import-review's results). JSON carries the diff on a dry run; the table form prints the diff, the rows
    that did something, the ``summary`` lines and the term files changed.
    """
    if fmt == "json":
        data = result.as_dict()
        data["dry_run"] = dry_run
        if dry_run:
            data["diff"] = result.diff()
        echo_json(data)
    else:
        if dry_run and result.files:
            click.echo(result.diff(), nl=False)
            click.echo()
        if rows:
            click.echo(render_table(rows, headers))
        for line in summary:
            click.echo(line)
        verb = "would change" if dry_run else "changed"
        click.echo(f"term files {verb}: {', '.join(sorted(result.files)) or 'none'}")
    sys.exit(1 if result.has_conflicts else 0)


@contextlib.contextmanager
def progress(items: Iterable[T], label: str, length: int | None = None) -> Iterator[Iterable[T]]:
    """A progress bar on stderr when it is a terminal; the bare iterable when piped."""
    if sys.stderr.isatty():
        with click.progressbar(items, label=label, length=length, file=sys.stderr) as bar:
            yield bar
    else:
        yield items
