"""``glossary validate``: check term files."""

from __future__ import annotations

import click

from glossary.commands._common import echo_json, format_option, terms_dir


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@format_option("text", "json", default="text")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> None:
    """Check term files (default: the termbase) for schema, script and consistency problems.

    Prints each finding as PATH:LINE: LEVEL: MESSAGE. Exit status 0 when clean, 1 with warnings only,
    2 with errors.

    \b
    Example:
        glossary validate terms/ims.yaml
    """
    from glossary.validate import exit_status, validate_paths

    termbase_dir = terms_dir(ctx)
    context = [termbase_dir] if paths and termbase_dir.is_dir() else []
    findings = validate_paths(paths or [termbase_dir], context)
    if fmt == "json":
        echo_json([f.as_dict() for f in findings])
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.level == "error" for f in findings)
        warnings = len(findings) - errors
        click.echo(f"{errors} error(s), {warnings} warning(s)" if findings else "clean", err=True)
    ctx.exit(exit_status(findings))
