"""Load benchmark of the poll server: N voters x 4 questions at concurrency C over loopback.

    python bench/bench_poll_load.py                      # 2,000 voters, concurrency 100
    python bench/bench_poll_load.py --voters 10000       # a 10,000-person hall

Starts `emlit poll serve` as a subprocess on 127.0.0.1 with a fresh database, fires the votes
with aiohttp (or httpx.AsyncClient with --client httpx: it is several times slower, so it
measures itself more than the server), then counts the rows in SQLite. Targets (issue 5): zero lost votes,
zero 5xx, >= 300 votes/s, p99 <= 250 ms on a 2-core machine. Prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import httpx

QUESTIONS = [
    ("belief", lambda r: r.choice(["agree", "disagree", "unsure"])),
    ("consensus", lambda r: r.choice(["agree", "disagree", "unsure"])),
    ("consensus_pct", lambda r: r.randint(0, 100)),
    ("definition", lambda r: r.choice(["D1", "D2", "D3", "D4", "D5", "D6", "other"])),
]


refreshed: dict[int, int] = {}  # status -> count of GET /api/poll made by --refreshers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def emlit(db: str, *args: str, **kw: object) -> subprocess.Popen[str] | str:
    cmd = [sys.executable, "-c", "from emlit.cli import main; main()", "--db", db, *args]
    if kw.get("background"):
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


async def wait_ready(base: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(base + "/api/poll")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("server did not start")


async def fire(
    base: str, voters: int, concurrency: int, seed: int, client_kind: str, refreshers: int = 0
) -> tuple[list[float], dict[int, int], int, float]:
    rng = random.Random(seed)
    refreshed.clear()
    work: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    for v in range(voters):
        token = f"bench-voter-{v:08d}-{rng.getrandbits(32):08x}"
        for qid, answer in QUESTIONS:
            work.put_nowait({"voter": token, "question": qid, "answer": answer(rng)})
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            try:
                body = work.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            try:
                res = await client.post(base + "/api/vote", json=body)
                statuses[res.status_code] = statuses.get(res.status_code, 0) + 1
            except httpx.TransportError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - t0)

    async def aio_worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while True:
            try:
                body = work.get_nowait()
            except asyncio.QueueEmpty:
                return
            t0 = time.perf_counter()
            try:
                async with session.post(base + "/api/vote", json=body) as res:
                    await res.read()
                    statuses[res.status] = statuses.get(res.status, 0) + 1
            except aiohttp.ClientError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - t0)

    async def refresher(session: aiohttp.ClientSession) -> None:
        """A phone page asking GET /api/poll for the phase, as fast as the server answers."""
        while True:
            async with session.get(base + "/api/poll") as res:
                await res.read()
                refreshed[res.status] = refreshed.get(res.status, 0) + 1

    start = time.perf_counter()
    if client_kind == "httpx":
        async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
            start = time.perf_counter()
            await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    else:
        connector = aiohttp.TCPConnector(limit=concurrency + refreshers)
        async with aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=30)
        ) as session:
            start = time.perf_counter()
            voting = asyncio.gather(*(aio_worker(session) for _ in range(concurrency)))
            polling = [asyncio.create_task(refresher(session)) for _ in range(refreshers)]
            await voting
            for task in polling:
                task.cancel()
            await asyncio.gather(*polling, return_exceptions=True)
    elapsed = time.perf_counter() - start
    return latencies, statuses, errors, elapsed


def run_loop(coro: Any) -> Any:
    """Run the load generator on uvloop when it is installed (less client CPU per request)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), to tell server from client cost."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--voters", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument(
        "--client",
        choices=["aiohttp", "httpx"],
        default="aiohttp",
        help="HTTP client of the load generator",
    )
    ap.add_argument(
        "--refreshers",
        type=int,
        default=0,
        help="extra connections polling GET /api/poll non-stop during the vote (aiohttp only)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        poll_id = str(emlit(db, "poll", "create", "--template", "emergence", "--title", "bench"))
        port = free_port()
        server = emlit(
            db,
            "poll",
            "serve",
            poll_id,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            background=True,
        )
        assert isinstance(server, subprocess.Popen)
        base = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(wait_ready(base))
            client_cpu0 = time.process_time()
            latencies, statuses, errors, elapsed = run_loop(
                fire(base, args.voters, args.concurrency, args.seed, args.client, args.refreshers)
            )
            client_cpu = time.process_time() - client_cpu0
            server_cpu = cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
        with sqlite3.connect(db) as conn:
            stored = conn.execute(
                "SELECT count(*) FROM poll_votes WHERE poll_id = ?", [poll_id]
            ).fetchone()[0]
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    sent = args.voters * len(QUESTIONS)
    acked = statuses.get(200, 0)
    five = sum(n for code, n in statuses.items() if code >= 500)
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print(f"voters {args.voters}, questions {len(QUESTIONS)}, concurrency {args.concurrency}")
    print(
        f"votes sent {sent}, acknowledged {acked}, stored {stored}, lost {acked - stored if acked > stored else 0}"
    )
    print(f"status codes {dict(sorted(statuses.items()))}, transport errors {errors}, 5xx {five}")
    print(f"elapsed {elapsed:.2f} s, throughput {acked / elapsed:.0f} votes/s")
    print(
        f"latency ms: p50 {1000 * percentile(latencies, 50):.1f}, p95 {1000 * percentile(latencies, 95):.1f}, "
        f"p99 {1000 * percentile(latencies, 99):.1f}, max {1000 * max(latencies):.1f}"
    )
    print(
        f"server CPU {server_cpu:.2f} s ({1000 * server_cpu / max(acked, 1):.2f} ms per vote), client CPU {client_cpu:.2f} s, load average {os.getloadavg()[0]:.1f}"
    )
    if args.refreshers:
        gets = sum(refreshed.values())
        print(f"GET /api/poll alongside: {gets} ({gets / elapsed:.0f}/s), status codes {refreshed}")
    print(f"integrity_check: {integrity}")
    ok = (
        stored == sent == acked
        and five == 0
        and errors == 0
        and acked / elapsed >= 300
        and percentile(latencies, 99) <= 0.25
    )
    print("targets (0 lost, 0 5xx, >= 300 votes/s, p99 <= 250 ms):", "MET" if ok else "NOT MET")


if __name__ == "__main__":
    main()
