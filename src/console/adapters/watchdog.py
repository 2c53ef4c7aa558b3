"""A client-side bound on how long a thread waits for a database server.

psycopg has no timeout of its own for a query: a thread waits for the answer as long as the
socket stays open. A server that stops answering without closing its sockets (its processes
stopped, its host paused, a failover in progress) keeps them open: its kernel still
acknowledges every packet, so TCP keepalives and ``tcp_user_timeout`` never fire, and the
server's own ``statement_timeout`` cannot fire either. Asking the server to cancel does not
help: the cancel request waits for the same server.

So the waits are bounded here, in the client: inside :func:`bounded_waits` each wait for the
server (see :class:`console.adapters.postgres.WatchedConnection`) is watched by one daemon
thread, which shuts the connection's socket down once the wait outlasts the bound. The
waiting thread then wakes up at once with the connection gone.

Outside :func:`bounded_waits` nothing is watched: the command line waits as long as the
server's own timeouts allow. Only the standard library is used here, so that a console on
SQLite does not load the PostgreSQL driver to set a bound it never needs.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Watch", "bounded_waits", "wait_bound", "watched"]

_BOUND: ContextVar[float | None] = ContextVar("console_wait_bound", default=None)


@contextmanager
def bounded_waits(seconds: float | None) -> Iterator[None]:
    """Within the block, on this thread, each wait for the server lasts at most ``seconds``
    (``None``: unbounded)."""
    token = _BOUND.set(seconds)
    try:
        yield
    finally:
        _BOUND.reset(token)


def wait_bound() -> float | None:
    """The bound :func:`bounded_waits` set for this thread, if any."""
    return _BOUND.get()


@dataclass(eq=False)
class Watch:
    """One wait being watched; ``cut`` once the watchdog shut its socket down."""

    deadline: float
    fd: int  # a duplicate of the socket, so the number cannot be reused meanwhile
    cut: bool = False


@contextmanager
def watched(fd: int, seconds: float) -> Iterator[Watch]:
    """Shut the socket ``fd`` down if the block has not ended within ``seconds``."""
    watch = _WATCHDOG.watch(fd, seconds)
    try:
        yield watch
    finally:
        _WATCHDOG.release(watch)


class _Watchdog:
    """One daemon thread for the process: sleeps until the earliest deadline of the waits
    being watched, and shuts down the socket of each wait that reached its deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._watches: set[Watch] = set()
        self._wakes_at = float("inf")  # when the thread wakes up by itself
        self._thread: threading.Thread | None = None

    def watch(self, fd: int, seconds: float) -> Watch:
        watch = Watch(time.monotonic() + seconds, os.dup(fd))
        with self._cond:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="console-db-watchdog", daemon=True
                )
                self._thread.start()
            if watch.deadline < self._wakes_at:  # rare: bounds are alike, so later
                self._cond.notify()
        return watch

    def release(self, watch: Watch) -> None:
        with self._cond:
            self._watches.discard(watch)
            os.close(watch.fd)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for watch in self._watches:
                    if not watch.cut and watch.deadline <= now:
                        watch.cut = True
                        _shut_down(watch.fd)
                waiting = [w.deadline for w in self._watches if not w.cut]
                self._wakes_at = min(waiting, default=float("inf"))
                self._cond.wait(max(0.0, self._wakes_at - now) if waiting else None)


def _shut_down(fd: int) -> None:
    """Shut the socket behind ``fd`` down both ways: a thread blocked on it wakes up to the
    end of the stream, and the peer is sent a FIN (nothing that needs an answer)."""
    with suppress(OSError):
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


_WATCHDOG = _Watchdog()
