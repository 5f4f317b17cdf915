"""Launch the emlit TUI: ``python tui.py [--db PATH]``."""

from __future__ import annotations

import argparse
import sys

from emlit.errors import EmlitError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Browse claims, evidence and polls in emlit.")
    parser.add_argument(
        "--db", default=None, help="SQLite database (default: $EMLIT_DB, else ./emlit.db)"
    )
    parser.add_argument(
        "--poll", default=None, help="poll id for the Polls screen (default: latest)"
    )
    parser.add_argument("--poll-url", default=None, help="voter URL shown as a QR code")
    args = parser.parse_args(argv)
    from emlit.store import default_db_path
    from emlit.tui.app import make_app

    try:
        app = make_app(args.db or default_db_path(), poll_id=args.poll, poll_url=args.poll_url)
    except EmlitError as exc:
        print(f"emlit: error: {exc}", file=sys.stderr)
        return 1
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
