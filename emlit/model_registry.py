"""Models trained on a store's human decisions, kept beside it: ``<db>.models/<kind>/``
holds one JSON file per version and ``registry.json`` (which one is active, and the
versions before it, for rollback). Shared by the tagger, stance and relation trainers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
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


def active_entry(reg: dict[str, Any]) -> dict[str, Any] | None:
    """The registry's entry of the version in use (None: the bundled model is)."""
    return next((m for m in reg["models"] if m["id"] == reg.get("active")), None)


def active_file(store_path: str, *, kind: str) -> tuple[Path, dict[str, Any]] | None:
    """The file and registry entry of the trained version in use for this store (None: the
    bundled model is, as for a store in memory)."""
    if store_path == ":memory:":
        return None
    entry = active_entry(read_registry(store_path, kind=kind))
    if entry is None:
        return None
    return models_dir(store_path, kind=kind) / entry["file"], entry


def new_entry(
    reg: dict[str, Any],
    model_id: str,
    *,
    suffix: str,
    n_decided: int,
    report: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """The registry entry of a version trained now on ``n_decided`` human decisions, after
    the one in use (``previous``); ``extra``: what a model records besides."""
    return {
        "id": model_id,
        "file": f"{model_id}{suffix}",
        **extra,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_decided": n_decided,
        "previous": reg.get("active"),
        "report": report,
    }


def save_json_version(
    store_path: str,
    reg: dict[str, Any],
    model_id: str,
    data: dict[str, Any],
    *,
    kind: str,
    n_decided: int,
    report: dict[str, Any],
    **extra: Any,
) -> dict[str, Any]:
    """A version whose model is a JSON document (the stance and relation trainers): its
    registry entry, its file written and put in use; returns the entry."""
    entry = new_entry(reg, model_id, suffix=".json", n_decided=n_decided, report=report, **extra)
    save_version(store_path, reg, entry, (json.dumps(data) + "\n").encode("utf-8"), kind=kind)
    return entry


def save_version(
    store_path: str, reg: dict[str, Any], entry: dict[str, Any], payload: bytes, *, kind: str
) -> None:
    """Write a trained version's file (beside, then renamed over) and put it in use."""
    folder = models_dir(store_path, kind=kind)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (entry["file"] + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(folder / entry["file"])
    reg["models"].append(entry)
    reg["active"] = entry["id"]
    write_registry(store_path, reg, kind=kind)


def roll_back(store_path: str, *, kind: str, what: str) -> tuple[str, str | None]:
    """Put the version in use before the current one back in use (the bundled model after the
    first); returns (from id, to id). No version file is deleted."""
    reg = read_registry(store_path, kind=kind)
    current = active_entry(reg)
    if current is None:
        raise EmlitError(f"nothing to roll back: the store uses the bundled {what} model")
    reg["active"] = current.get("previous")
    write_registry(store_path, reg, kind=kind)
    return current["id"], reg["active"]
