"""TUI speed on a big database: first paint, search, scrolling. Prints its figures.

    python bench/make_big_db.py --out /tmp/big.db          # 100,000 claims, once (~2 min)
    python bench/bench_tui.py --db /tmp/big.db

Targets (issue 6): claims on screen within 1 s of process start, search answers within 100 ms.
"First paint" in a real process is measured from just before the launcher starts (Python
start-up and imports included) to the moment the app has drawn its first claim rows into a
pseudo-terminal (the app's EMLIT_TUI_PAINTED_FILE hook records the time and exits).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEARCHES = ["reasoning", "推理", "思维链推理", "sharply unpredictably", "experiment 4242", "突"]


CPU_TIMES: list[float] = []  # CPU seconds (user + system) of each real process, to exit
CPU_SEARCH: list[float] = []  # CPU seconds of the app process until a filter's first page


def real_process_first_paint(db: str, runs: int) -> list[float]:
    """Seconds from spawning ``python tui.py --db DB`` in a 120x36 pty to first claim rows
    (and, in CPU_TIMES, the CPU seconds each process used: on a loaded machine the wall
    time includes waiting for a core, the CPU time does not)."""
    import resource

    out = []
    for _ in range(runs):
        marker = Path(tempfile.mkdtemp()) / "painted"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        env = {**os.environ, "EMLIT_TUI_PAINTED_FILE": str(marker), "TERM": "xterm-256color"}
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        started = time.time()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen(
            [sys.executable, str(REPO / "tui.py"), "--db", db],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        try:
            proc.wait(timeout=60)
        finally:
            os.close(slave)
        if not marker.exists():
            raise SystemExit(f"the TUI exited ({proc.returncode}) without painting claims")
        out.append(float(marker.read_text()) - started)
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU_TIMES.append(cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime)
        os.close(master)
    return out


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


async def in_process(db: str) -> dict[str, object]:
    from emlit.store import ClaimFilter
    from emlit.tui.app import make_app
    from emlit.tui.screens.claims import ClaimsScreen
    from emlit.tui.widgets.claims_table import ClaimsTable

    started = time.perf_counter()
    app = make_app(db)
    figures: dict[str, object] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        while app.painted_at is None:
            await pilot.pause(0.005)
        figures["app start to first rows (in process)"] = app.painted_at - started
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        table = screen.query_one(ClaimsTable)
        figures["claims"] = table.total

        async def timed(f: ClaimFilter) -> tuple[float, float, int]:
            """(first page on screen, exact count known) in seconds, and the count."""
            t0 = time.perf_counter()
            c0 = time.process_time()
            screen.apply_filter(f)
            while table.total and table.painted_at < t0:  # until the new rows are drawn
                await asyncio.sleep(0.001)
            first = (table.painted_at if table.total else time.perf_counter()) - t0
            CPU_SEARCH.append(time.process_time() - c0)  # the process's CPU, all threads
            while screen.counting:
                await asyncio.sleep(0.001)
            return first, time.perf_counter() - t0, table.total

        searches = {}
        CPU_SEARCH.clear()
        for term in SEARCHES:
            await timed(
                ClaimFilter(search=term)
            )  # warm the page cache once, as a user typing would
            runs = [await timed(ClaimFilter(search=term)) for _ in range(3)]
            figures.setdefault("search cpu", {})[term] = statistics.median(CPU_SEARCH[-3:])  # type: ignore[index]
            searches[term] = (
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                runs[0][2],
            )
        figures["search"] = searches
        filters = {
            "definition D3": ClaimFilter(definition="D3"),
            "has counters": ClaimFilter(has_counters=True),
            "not reviewed": ClaimFilter(unreviewed=True),
            "zh + D4 + search 推理": ClaimFilter(search="推理", lang="zh", definition="D4"),
        }
        figures["filters"] = {name: await timed(f) for name, f in filters.items()}
        await timed(ClaimFilter())
        table.focus()
        await pilot.pause()
        # The widget's own work per PageDown: move the cursor, fetch if needed, draw every line.
        t0 = time.perf_counter()
        for _ in range(300):
            table.action_page(1)
            for y in range(table.size.height):
                table.render_line(y)
        figures["pagedown x300, widget work per key"] = (time.perf_counter() - t0) / 300
        t0 = time.perf_counter()
        for _ in range(30):
            await pilot.press("pagedown")
        figures["pagedown x30 through Pilot (per key)"] = (time.perf_counter() - t0) / 30
        t0 = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        figures["jump to the last of 100,000 (End)"] = time.perf_counter() - t0
        figures["rows on screen at the end"] = table.current.id if table.current else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.db).is_file():
        raise SystemExit(f"{args.db}: no such database (make one with bench/make_big_db.py)")
    paints = real_process_first_paint(args.db, args.runs)
    print(f"database: {args.db}")
    print(
        f"real process start to first claim rows: median {statistics.median(paints) * 1000:.0f} ms"
        f" (runs: {', '.join(f'{p * 1000:.0f}' for p in paints)} ms; target 1000 ms)"
    )
    print(
        f"  CPU of that process (start, first paint, exit): median "
        f"{statistics.median(CPU_TIMES) * 1000:.0f} ms (load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    figures = asyncio.run(in_process(args.db))
    print(f"claims in the table: {figures['claims']:,}")
    print(
        f"app start to first rows, in process: "
        f"{figures['app start to first rows (in process)'] * 1000:.0f} ms"  # type: ignore[operator]
    )
    print(
        "search (first page drawn / exact count known / matches / CPU to the first page), "
        "target 100 ms:"
    )
    cpu = figures["search cpu"]
    for term, (first, counted, n) in figures["search"].items():  # type: ignore[attr-defined]
        print(
            f"  {term!r:28} {first * 1000:6.1f} ms  {counted * 1000:6.1f} ms  {n:,}"
            f"  cpu {cpu[term] * 1000:.1f} ms"  # type: ignore[index]
        )
    print("filters (first page drawn / exact count known / matches):")
    for name, (first, counted, n) in figures["filters"].items():  # type: ignore[attr-defined]
        print(f"  {name:28} {first * 1000:6.1f} ms  {counted * 1000:6.1f} ms  {n:,}")
    work = figures["pagedown x300, widget work per key"]
    pilot = figures["pagedown x30 through Pilot (per key)"]
    print(f"PageDown x300 (9,000 rows), widget work per key: {work * 1000:.1f} ms")  # type: ignore[operator]
    print(f"PageDown through Pilot (includes its idle waits), per key: {pilot * 1000:.1f} ms")  # type: ignore[operator]
    print(
        f"End (jump to the last claim): {figures['jump to the last of 100,000 (End)'] * 1000:.0f} ms"  # type: ignore[operator]
        f" -> {figures['rows on screen at the end']}"
    )


if __name__ == "__main__":
    main()
