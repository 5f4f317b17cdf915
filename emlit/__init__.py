"""emlit: a survey and literature knowledge graph for the debate about emergent abilities."""

from __future__ import annotations

__version__ = "0.1.0"
