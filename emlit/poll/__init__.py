"""Belief polls at talks: questionnaires, votes in SQLite, statistics, reports and a LAN server.

Only ``emlit.poll.server`` imports the web framework; everything else is core.
"""

from __future__ import annotations
