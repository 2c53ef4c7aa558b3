"""PostgreSQL connections whose waits for the server are bounded.

Every PostgreSQL connection of the console (the pool's and the change-feed listener's) is a
:class:`WatchedConnection`. Inside :func:`~console.adapters.watchdog.bounded_waits` each of
its waits for the server (a statement, a commit, a rollback, the pool's ping) that outlasts
the bound has its socket shut down by the watchdog, and fails with
:class:`ServerSilentError` (a ``psycopg.OperationalError``, so SQLAlchemy drops the
connection). The transaction on it was never committed: the server rolls it back when it
reads the socket again. (A ``COMMIT`` the server had already received before it stopped
answering is the exception, as with any connection lost during a commit: it lands, once.)

Connecting is not such a wait: libpq's ``connect_timeout`` bounds it.
"""

from __future__ import annotations

from typing import Any

import psycopg

from console.adapters.watchdog import wait_bound, watched

__all__ = ["ServerSilentError", "WatchedConnection"]


class ServerSilentError(psycopg.OperationalError):
    """The server did not answer within the bound: the connection was shut down."""

    def __init__(self, seconds: float) -> None:
        # "timed out": the words console.adapters.storage_errors reads as unreachable.
        super().__init__(
            f"timed out: the server did not answer within {seconds:g} s, so the connection "
            "was closed"
        )
        self.seconds = seconds


class WatchedConnection(psycopg.Connection[Any]):
    """A psycopg connection whose waits are bounded by
    :func:`~console.adapters.watchdog.bounded_waits` (psycopg runs every exchange with the
    server through :meth:`wait`)."""

    def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        seconds = wait_bound()
        if seconds is None:
            return super().wait(gen, *args, **kwargs)
        with watched(self.pgconn.socket, seconds) as watch:
            try:
                return super().wait(gen, *args, **kwargs)
            except psycopg.Error as error:
                if watch.cut:
                    raise ServerSilentError(seconds) from error
                raise
