"""The stages ``emlit ingest`` runs on new claims after storing them.

Each stage is named ``module:function`` and imported only when ingestion reaches it, so the
CLI starts without torch or spaCy. A stage is called as ``stage(store, claim_ids, progress)``
where ``progress(advance: int)`` moves the stage's progress bar; it must leave human
decisions alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from emlit.store import Store

Progress = Callable[[int], None]
Stage = Callable[["Store", Sequence[str], Progress], None]

# (name shown in the progress bar, "module:function")
STAGES: list[tuple[str, str]] = [
    ("tag", "emlit.tagging.stage:tag_claims"),
    ("link", "emlit.evidence.stage:link_claims"),
]


# Stages that can spread over processes: called with ``workers=`` as ``emlit ingest`` got it
# (1: this process only; None: every core, when there is enough to share).
PARALLEL: frozenset[str] = frozenset({"link"})

# Stages the per-file work (emlit.filework) already does for the claims of the files it
# reads; they run afterwards only on the other new claims (those of Zotero items).
PER_FILE: frozenset[str] = frozenset({"tag"})


def load_stage(spec: str) -> Stage:
    module_name, _, func = spec.partition(":")
    stage: Stage = getattr(importlib.import_module(module_name), func)
    return stage
