"""The Textual TUI: a leaf over the core (the core never imports it).

Build the app with :func:`emlit.tui.app.make_app`; ``tui.py`` and ``emlit tui`` run it.
"""
