"""The ``glossary`` command: a thin click layer; each command lives in ``glossary.commands`` and loads lazily.

Lazy loading keeps ``glossary lookup`` from importing jieba, polib or anything else it does not use.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import click

from glossary import __version__

#: command name -> "module:attribute" inside glossary.commands
COMMANDS = {
    "validate": "validate:validate",
    "stats": "stats:stats",
    "mine": "mine:mine",
    "align": "align:align",
    "merge": "merge:merge",
    "check": "check:check",
    "export": "export:export",
    "import-po": "import_po:import_po",
    "lookup": "lookup:lookup",
    "harvest": "harvest:harvest",
    "apply-harvest": "harvest:apply_harvest",
    "show": "show:show",
    "import": "import_:import_",
    "import-review": "import_review:import_review",
    "compare": "compare:compare",
    "reject": "reject:reject",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._spec(name) is not None)

    @staticmethod
    def _spec(name: str):
        module, _, _attr = COMMANDS[name].partition(":")
        return importlib.util.find_spec(f"glossary.commands.{module}")

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or self._spec(name) is None:
            return None
        module, _, attr = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(f"glossary.commands.{module}"), attr)

    def invoke(self, ctx: click.Context):
        from glossary.errors import GlossaryError

        try:
            return super().invoke(ctx)
        except GlossaryError as exc:
            click.echo(exc.diagnostic(), err=True)
            ctx.exit(2)
        except BrokenPipeError:
            # The reader went away (`glossary validate | head`): the command did not finish, so it must
            # not claim success. Exit as a process killed by SIGPIPE does (128 + 13), the status shells
            # and `set -o pipefail` expect, after pointing stdout at /dev/null so the final flush is quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as exc:  # an output directory that cannot be created or written, a full disk, ...
            where = f"{exc.filename}: " if exc.filename is not None else ""
            click.echo(f"{where}error: {exc.strerror or exc}", err=True)
            ctx.exit(2)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glossary")
@click.option("--terms", "terms_dir", type=click.Path(file_okay=False, path_type=str), envvar="GLOSSARY_TERMS",
              help="Termbase directory (default: ./terms, or the one installed with the tool).")
@click.pass_context
def cli(ctx: click.Context, terms_dir: str | None) -> None:
    """Build and serve the six-language CTBT verification glossary.

    \b
    Example:
        glossary validate
        glossary mine --top 20
        glossary lookup "intl monitoring systm"
    """
    ctx.obj = {"terms_dir": terms_dir}


def main() -> None:
    cli(prog_name="glossary")


if __name__ == "__main__":
    main()
