"""``python -m emlit`` runs the CLI."""

from emlit.cli.main import main

main()
