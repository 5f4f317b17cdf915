"""Write a set of files into a folder that a person also writes in (an Obsidian vault),
touching only files emlit wrote itself.

``.emlit-manifest.json`` in the folder records each file emlit wrote (relative path and
SHA-256 of its content). A file not in the manifest is the user's and is never written,
moved or removed; a file in the manifest whose content changed since was edited by the user
and is kept as it is (with a warning). Unchanged files are not rewritten, so a second export
of the same store leaves every byte and every modification time as it was. Before anything
is written the manifest also records the new files as ``pending``, so an export cut short
still knows them as emlit's on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from emlit.errors import EmlitError

MANIFEST = ".emlit-manifest.json"
WRITTEN_BY = "emlit export --format obsidian"


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by the user, left as they are
    warnings: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    files: dict[str, str]  # relative path -> sha256 of the content emlit wrote
    pending: dict[str, str]  # written (or about to be) by a run that has not finished

    def ours(self, rel: str, digest: str) -> bool:
        """Is this content what emlit wrote at ``rel`` (not edited since)?"""
        return digest in (self.files.get(rel), self.pending.get(rel))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_folder(out: Path) -> None:
    """``out`` can hold the notes: an existing folder, or a new one in an existing folder."""
    if out.exists() and not out.is_dir():
        raise EmlitError(f"{out}: is a file; --format obsidian writes a folder of notes")
    if not out.exists() and not out.parent.is_dir():
        raise EmlitError(f"{out}: folder {out.parent} does not exist")


def sync_folder(out: Path, files: dict[str, bytes]) -> SyncReport:
    """Make ``out`` hold ``files`` (relative POSIX path -> content) as far as that is safe."""
    check_folder(out)
    manifest = read_manifest(out)
    root = out.resolve() if out.exists() else out.parent.resolve() / out.name
    targets = {rel: _inside(root, out, rel) for rel in files}
    current = {rel: _read(targets[rel]) for rel in files}
    _refuse_foreign(out, files, current, manifest, targets)

    stale = sorted((set(manifest.files) | set(manifest.pending)) - set(files))
    stale_paths = {rel: _inside(root, out, rel) for rel in stale}

    report = SyncReport()
    final: dict[str, str] = {}  # the manifest once done
    to_write: dict[str, bytes] = {}
    for rel, data in files.items():
        now = current[rel]
        if now is not None and sha256(now) == sha256(data):
            report.unchanged.append(rel)
            final[rel] = sha256(data)
        elif now is None or manifest.ours(rel, sha256(now)):
            to_write[rel] = data
        else:
            report.kept.append(rel)
            final[rel] = manifest.files.get(rel) or manifest.pending[rel]
            report.warnings.append(
                f"{out / rel}: edited since emlit wrote it; kept as it is (delete it to get "
                "emlit's version on the next export)"
            )
    if to_write:
        out.mkdir(exist_ok=True)
        _write_manifest(out, Manifest(manifest.files, {r: sha256(d) for r, d in to_write.items()}))
    for rel, data in to_write.items():
        _write(targets[rel], data)
        final[rel] = sha256(data)
        report.written.append(rel)
    for rel, path in stale_paths.items():
        now = _read(path)
        if now is None:
            continue
        if manifest.ours(rel, sha256(now)):
            path.unlink()
            report.removed.append(rel)
            _prune(path.parent, root)
        else:
            # The user edited it: keep it, and keep knowing it as emlit's (edited), so a
            # claim that comes back later does not collide with it.
            final[rel] = manifest.files.get(rel) or manifest.pending[rel]
            report.kept.append(rel)
            report.warnings.append(
                f"{out / rel}: its claim or work is no longer exported, but the note was "
                "edited since emlit wrote it; kept (move or delete it yourself)"
            )
    if out.exists() and (final != manifest.files or manifest.pending):
        _write_manifest(out, Manifest(final, {}))
    return report


def read_manifest(out: Path) -> Manifest:
    path = out / MANIFEST
    if not path.exists():
        return Manifest({}, {})
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EmlitError(f"{path}: cannot read emlit's manifest ({exc})") from None
    parts = []
    for key in ("files", "pending"):
        entries = data.get(key, {}) if isinstance(data, dict) else None
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _relative(k) for k, v in entries.items()
        ):
            raise EmlitError(
                f"{path}: not an emlit manifest ('{key}' must map relative paths inside the "
                "folder to hashes); move it away to export here"
            )
        parts.append(entries)
    return Manifest(parts[0], parts[1])


def _relative(rel: str) -> bool:
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and rel != MANIFEST


def _inside(root: Path, out: Path, rel: str) -> Path:
    """``out/rel``, refusing a path that leads out of the folder (say, through a symlink)."""
    path = out / rel
    real = (root / rel).resolve()
    if not real.is_relative_to(root):
        raise EmlitError(f"{path}: leads outside {out}; emlit writes only inside it")
    return path


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None


def _refuse_foreign(
    out: Path,
    files: dict[str, bytes],
    current: dict[str, bytes | None],
    manifest: Manifest,
    targets: dict[str, Path],
) -> None:
    """Fail before writing anything when a name emlit needs is taken by the user's own file
    or folder (also ignoring case: the vault may be synced to macOS or Windows)."""
    known = {rel.casefold() for rel in (*manifest.files, *manifest.pending)}
    listings: dict[Path, dict[str, str]] = {}
    for rel in sorted(files):
        path = targets[rel]
        for parent in reversed(path.parents):
            if parent.is_relative_to(out) and parent.exists() and not parent.is_dir():
                raise EmlitError(f"{parent}: is a file, but emlit needs a folder there")
        if path.exists() and not path.is_file():
            raise EmlitError(f"{path}: is a folder, but emlit needs to write a note there")
        if rel.casefold() in known:
            continue
        if current[rel] is not None:
            raise EmlitError(
                f"{path}: exists and was not written by emlit (not in {out / MANIFEST}); "
                "emlit does not touch it: move it, or export to another folder"
            )
        if path.parent not in listings:
            listings[path.parent] = (
                {p.name.casefold(): p.name for p in path.parent.iterdir()}
                if path.parent.is_dir()
                else {}
            )
        same = listings[path.parent].get(path.name.casefold())
        if same is not None:
            raise EmlitError(
                f"{path.parent / same}: not written by emlit, and its name differs only in "
                f"case from the note {rel}; move it, or export to another folder"
            )


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename, so a note is never half written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.emlit-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot write ({exc.strerror})") from None


def _write_manifest(out: Path, manifest: Manifest) -> None:
    data = {"written_by": WRITTEN_BY, "version": 1, "files": dict(sorted(manifest.files.items()))}
    if manifest.pending:
        data["pending"] = dict(sorted(manifest.pending.items()))
    _write(out / MANIFEST, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty by a removal (never the export folder itself)."""
    while folder.resolve() != root and folder.resolve().is_relative_to(root):
        try:
            folder.rmdir()  # fails, harmlessly, when the folder still holds anything
        except OSError:
            return
        folder = folder.parent
