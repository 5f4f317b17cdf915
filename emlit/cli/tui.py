"""``emlit tui``: the terminal user interface (Textual is imported only when it runs)."""

from __future__ import annotations

import click


def run_tui(db_path: str, *, poll_id: str | None = None, poll_url: str | None = None) -> None:
    """Build the app over ``db_path`` and run it until the user quits (``emlit demo`` calls this)."""
    from emlit.tui.app import make_app

    make_app(db_path, poll_id=poll_id, poll_url=poll_url).run()


@click.command()
@click.option(
    "--poll", "poll_id", default=None, help="Poll shown on the Polls screen (default: latest)."
)
@click.option("--poll-url", default=None, help="Voter URL the Polls screen shows as a QR code.")
@click.pass_context
def tui(ctx: click.Context, poll_id: str | None, poll_url: str | None) -> None:
    """Browse claims, definitions and evidence; review tags and links; follow a live poll.

    F1 shows every key.

    \b
    Example:
        emlit --db emlit.db tui
    """
    from emlit.cli.common import db_path

    run_tui(db_path(ctx), poll_id=poll_id, poll_url=poll_url)
