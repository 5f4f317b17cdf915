"""Models trained on a store's human decisions, kept beside it: ``<db>.models/<kind>/``
holds one JSON file per version and ``registry.json`` (which one is active, and the
versions before it, for rollback). Shared by the tagger, stance and relation trainers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emlit.errors import EmlitError

REGISTRY = "registry.json"


def models_dir(store_path: str, *, kind: str) -> Path:
    """The folder of one kind of trained model ("" for the tagger's, the first there was)."""
    if store_path == ":memory:":
        raise EmlitError("emlit train needs a database file (--db PATH), not :memory:")
    return Path(store_path + ".models") / kind


def read_registry(store_path: str, *, kind: str) -> dict[str, Any]:
    path = models_dir(store_path, kind=kind) / REGISTRY
    if not path.exists():
        return {"active": None, "models": []}
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmlitError(f"{path}: cannot read the model registry ({exc})") from None
    return data


def write_registry(store_path: str, data: dict[str, Any], *, kind: str) -> None:
    """Written beside and renamed over: a reader never sees half a registry."""
    folder = models_dir(store_path, kind=kind)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (REGISTRY + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(folder / REGISTRY)


def list_models(store_path: str, *, kind: str) -> tuple[str | None, list[dict[str, Any]]]:
    reg = read_registry(store_path, kind=kind)
    return reg.get("active"), list(reg["models"])
