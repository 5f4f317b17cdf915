"""Benchmark: exporting a big store as GraphML, Turtle and node-link JSON, streamed (what
`emlit export` does for the whole graph: in parts, one process per core; and in one
process, `--workers 1`) against building the networkx graph first (what it did before, and
still does for filtered exports and the other formats).

    python bench/make_big_db.py --out /tmp/big.db --claims 100000
    python bench/bench_export.py --db /tmp/big.db [--formats graphml turtle json] [--skip-graph]

Each export runs in a fresh subprocess, so its peak memory is that process's maximum
resident set (its own ru_maxrss, as `/usr/bin/time -v` reports it). "export s" is the wall time of
the export call, "its CPU s" that call's CPU time (process_time), "process CPU s" the whole
child's (start-up, imports and opening the store included); the CPU of the processes that
write the parts is counted in both, and "peak MB" is the largest of the export's processes.
On a shared machine wall time moves with the load, CPU time much less: the speed-up is given
for both (wall time against every core, CPU against one process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from emlit.graph.parts import default_workers

REPO = Path(__file__).resolve().parents[1]
ISSUE_GRAPHML_S = 11.0 / 100_000  # issue 11: GraphML of 100,000 claims took 11 s, a claim

CHILD = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path

from emlit.graph.parts import default_workers
from emlit.store import Store
from emlit.graph.export import export, write_graph
from emlit.graph.build import build_graph
mode, fmt, db, out = sys.argv[1:5]
from emlit.store import ClaimFilter
store = Store(db)
n = store.quick_count(ClaimFilter())
t = time.perf_counter()
c = time.process_time()
import resource
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
if mode == "graph":
    g = build_graph(store)
    write_graph(g, fmt, Path(out))
else:
    export(store, fmt, out, workers=1 if mode == "stream1" else None)
wall = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - c + (after.ru_utime - kids.ru_utime) + (after.ru_stime - kids.ru_stime)
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, after.ru_maxrss)
print(n, wall, cpu, peak)
"""


def run(mode: str, fmt: str, db: str, out: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(repo=str(REPO)), mode, fmt, db, str(out)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    claims, inner, inner_cpu, peak_kb = proc.stdout.split()
    return {
        "claims": int(claims),
        "export_s": float(inner),  # opening the store and importing excluded
        "export_cpu_s": float(inner_cpu),
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mb": int(peak_kb) / 1024,  # this child's own maximum resident set
        "mb": out.stat().st_size / 1e6,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    ap.add_argument("--formats", nargs="+", default=["graphml", "turtle", "json"])
    ap.add_argument(
        "--skip-graph", action="store_true", help="only the streamed exports (a huge store)"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="emlit-export-"))
    results: dict[tuple[str, str], dict[str, float]] = {}
    # Streamed first, then the networkx path (each a fresh process, measured back to back).
    modes = ["stream", "stream1"] + ([] if args.skip_graph else ["graph"])
    hows = {
        "stream": f"streamed, {default_workers()} processes",
        "stream1": "streamed, one process",
        "graph": "networkx graph (before)",
    }
    for mode in modes:
        for fmt in args.formats:
            r = run(mode, fmt, args.db, tmp / f"{mode}.{fmt}")
            results[(mode, fmt)] = r
            print(json.dumps({"mode": mode, "format": fmt, **r}), flush=True)
    claims = next(iter(results.values()))["claims"]
    print(f"\nexport of {claims:,} claims ({args.db}):")
    print(
        f"  {'format':<8} {'how':<25} {'export s':>9} {'its CPU s':>9} {'process CPU s':>13} "
        f"{'CPU us/claim':>12} {'peak MB':>8} {'file MB':>8}"
    )
    for fmt in args.formats:
        for mode in modes:
            r = results[(mode, fmt)]
            print(
                f"  {fmt:<8} {hows[mode]:<25} {r['export_s']:>9.1f} {r['export_cpu_s']:>9.1f} "
                f"{r['cpu_s']:>13.1f} {1e6 * r['export_cpu_s'] / claims:>12.1f} "
                f"{r['peak_mb']:>8.0f} {r['mb']:>8.1f}"
            )
        if not args.skip_graph:
            s, one, g = (results[(m, fmt)] for m in ("stream", "stream1", "graph"))
            print(
                f"  {fmt:<8} speed-up: {g['export_s'] / s['export_s']:.1f}x export time "
                f"(every core), {g['export_s'] / one['export_s']:.1f}x (one process), "
                f"{g['export_cpu_s'] / one['export_cpu_s']:.1f}x its CPU (one process); "
                "target 5x"
            )
    if "graphml" in args.formats:
        s, one = results[("stream", "graphml")], results[("stream1", "graphml")]
        print(
            f"  graphml against the issue's figure before (11 s per 100,000 claims, "
            f"{1e6 * ISSUE_GRAPHML_S:.0f} us a claim): "
            f"{ISSUE_GRAPHML_S * claims / s['export_s']:.1f}x by export time, "
            f"{ISSUE_GRAPHML_S * claims / one['export_cpu_s']:.1f}x by its CPU in one process "
            "(target 5x)"
        )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("\n(peak MB: the largest maximum resident set of an export's processes)")


if __name__ == "__main__":
    main()
