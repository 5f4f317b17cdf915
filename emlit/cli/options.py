"""Options shared by several commands (importing this module is cheap: click only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _select_encoder(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from emlit.encoder import select

    select(value)


# One setting for every stage that embeds (tagging and linking): it sets $EMLIT_ENCODER, so
# the stages, and worker processes started later, all read the same model.
encoder_option = click.option(
    "--encoder",
    metavar="MODEL",
    expose_value=False,
    is_eager=True,
    callback=_select_encoder,
    help="Sentence encoder for tagging and linking: use-multilingual (the default), "
    "all-MiniLM-L6-v2, a local sentence-transformers folder or a name in the local Hugging "
    "Face cache ($EMLIT_ENCODER).",
)


def workers_option(help: str) -> Callable[[F], F]:
    """``--workers N`` (at least 1; None when not given: the command's default)."""
    return click.option("--workers", type=click.IntRange(min=1), metavar="N", help=help)
