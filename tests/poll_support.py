"""Helpers for the poll tests: a real `emlit poll serve` subprocess on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from emlit.poll.store import create_poll, get_poll
from emlit.poll.templates import load_template
from emlit.store import Store

CLI = [sys.executable, "-c", "from emlit.cli import main; main()"]
T = TypeVar("T")


def eventually(check: Callable[[], T], what: str, timeout: float = 10.0) -> T:
    """Ask `check` until it returns something truthy, and return that; fail after `timeout` s.

    For state behind a cache or another process: a fixed sleep is either too short on a
    loaded machine or wasted time everywhere else.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {timeout:g} s (last: {value!r})")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_poll(db: Path, title: str = "Test talk") -> tuple[str, str]:
    """A fresh emergence poll; returns (poll id, admin token)."""
    with Store(db) as store:
        poll = create_poll(store, load_template("emergence"), title=title)
        return poll.id, get_poll(store, poll.id).admin_token


class Server:
    """`emlit --db DB poll serve POLL --host 127.0.0.1 --port P` as a child process."""

    def __init__(self, db: Path, poll_id: str, port: int | None = None) -> None:
        self.db, self.poll_id = db, poll_id
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> Server:
        self.proc = subprocess.Popen(
            [
                *CLI,
                "--db",
                str(self.db),
                "poll",
                "serve",
                self.poll_id,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited: {self.proc.stderr.read() if self.proc.stderr else ''}"
                )
            try:
                if httpx.get(self.base + "/api/poll", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start within 20 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
