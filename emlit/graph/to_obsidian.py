"""``emlit export --format obsidian | canvas`` (contract 14): check where to write, build the
graph, write notes or canvas, and say what happened."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from emlit.graph.build import GraphFilter, build_graph
from emlit.graph.export import Exported

if TYPE_CHECKING:
    from emlit.store import StoreReader


def export_vault(store: StoreReader, fmt: str, out: Path, flt: GraphFilter | None) -> Exported:
    from emlit.graph import canvas, obsidian, vault

    # Check the destination before the (slower) graph build, so bad --out fails at once.
    if fmt == "obsidian":
        vault.check_folder(out)
    else:
        canvas.check_file(out)
    g = build_graph(store, flt)
    if fmt == "canvas":
        data = canvas.debate_canvas(g, canvas.notes_beside(g, out))
        wrote = canvas.write_canvas(out, data)
        n_claims = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "claim")
        n_lanes = sum(1 for n in data["nodes"] if n["type"] == "group")
        state = "" if wrote else ", unchanged"
        summary = (
            f"{n_claims} claims in {n_lanes} lanes, {len(data['edges'])} links (canvas{state})"
        )
        return Exported(g, summary)
    notes = obsidian.vault_notes(g)
    report = vault.sync_folder(out, notes)
    kinds = Counter(p.split("/", 1)[0] for p in notes)
    summary = (
        f"{kinds['claims']} claim, {kinds['works']} work and {kinds['definitions']} definition "
        f"notes (obsidian): {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.kept)} kept as edited"
    )
    return Exported(g, summary, report.warnings)
