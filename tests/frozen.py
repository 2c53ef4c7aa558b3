"""Freezing a throw-away PostgreSQL server the way a hung host does: every process of the
cluster is stopped (SIGSTOP), so nothing answers, while the kernel still accepts connections
and acknowledges every packet (so TCP keepalives see nothing wrong). Always thawed
(SIGCONT) on the way out, whatever happened."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from pgserver import PostgresServer

T = TypeVar("T")

SIGNAL_SECONDS = 10.0  # how long a stopped process may take to show as stopped


def postmaster_pid(server: PostgresServer) -> int:
    first = (server.data_dir / "postmaster.pid").read_text(encoding="ascii").split("\n", 1)[0]
    return int(first)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the cluster's background processes and
    backends are all children of the postmaster)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _stat(pid: int) -> list[str] | None:
    """State, parent ... of ``pid`` from /proc/PID/stat (after the command name), or None
    once it is gone."""
    try:
        line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return line.rsplit(")", 1)[1].split()


def _wait_stopped(pids: list[int]) -> None:
    deadline = time.monotonic() + SIGNAL_SECONDS
    while True:
        states = {pid: _stat(pid) for pid in pids}
        running = [pid for pid, fields in states.items() if fields and fields[0] not in "Tt"]
        if not running:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"processes {running} did not stop")
        time.sleep(0.01)


@contextlib.contextmanager
def frozen(server: PostgresServer) -> Iterator[list[int]]:
    """Stop the postmaster (so it forks no more), then each of its children; continue them
    all when the block ends. Yields the stopped process ids."""
    stopped: list[int] = []
    try:
        postmaster = postmaster_pid(server)
        os.kill(postmaster, signal.SIGSTOP)
        stopped.append(postmaster)
        _wait_stopped([postmaster])
        for child in children(postmaster):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGSTOP)
                stopped.append(child)
        _wait_stopped(stopped)
        yield list(stopped)
    finally:
        for pid in reversed(stopped):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def without_hanging(work: Callable[[], T], seconds: float) -> T:
    """``work()``'s result or exception, run on a thread of its own; the test fails if it
    has not ended after ``seconds`` (a guard against a hang, not a measure of speed)."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=run, name="test-without-hanging", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still waiting after {seconds:g} s: it hangs")
    if failure:
        raise failure[0]
    return outcome[0]
