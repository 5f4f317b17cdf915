"""The ``emlit`` command line: thin click commands over library functions."""

from emlit.cli.main import cli, main

__all__ = ["cli", "main"]
