"""One screen per module; the app pushes them (emlit.tui.app)."""
