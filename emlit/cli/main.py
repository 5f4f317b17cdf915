"""The ``emlit`` group, its global ``--db`` option, and error handling."""

from __future__ import annotations

import importlib
import sys

import click

from emlit import __version__
from emlit.cli.options import encoder_option
from emlit.errors import EmlitError

# Command name -> "module:attribute". One line per command module; each module is small and
# imports heavy libraries only inside the command, so `emlit --help` stays fast.
COMMANDS: dict[str, str] = {
    "ingest": "emlit.cli.ingest:ingest",
    "watch": "emlit.cli.watch:watch",
    "claims": "emlit.cli.claims:claims",
    "stats": "emlit.cli.stats:stats",
    "demo": "emlit.cli.demo:demo",
    "poll": "emlit.cli.poll:poll",
    "tui": "emlit.cli.tui:tui",
    "tag": "emlit.cli.tag:tag",
    "eval": "emlit.cli.eval:eval_",
    "train": "emlit.cli.train:train",
    "relate": "emlit.cli.relate:relate",
    "export": "emlit.cli.export:export",
    "sparql": "emlit.cli.sparql:sparql",
    "analyze": "emlit.cli.analyze:analyze",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are first needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module_name, _, attr = spec.partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        _accept_db_option(command)
        return command


def _remember_db(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["db_path"] = value


def _accept_db_option(command: click.Command) -> None:
    """Let ``--db`` follow the subcommand too (``emlit stats --json --db x.db``)."""
    if any(p.name == "db_override" for p in command.params):
        return
    option = click.Option(
        ["--db", "db_override"],
        type=click.Path(dir_okay=False),
        expose_value=False,
        is_eager=True,
        callback=_remember_db,
        help="SQLite database (default: $EMLIT_DB, else ./emlit.db).",
    )
    command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_db_option(sub)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite database (default: $EMLIT_DB, else ./emlit.db).",
)
@encoder_option
@click.version_option(__version__, prog_name="emlit")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """emlit: claims, definitions and evidence in the debate on emergent abilities of LLMs."""
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path  # None: $EMLIT_DB or ./emlit.db, resolved when opened


def main(argv: list[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="emlit", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except EmlitError as exc:
        click.echo(f"emlit: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
