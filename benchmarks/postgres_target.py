"""The PostgreSQL database a benchmark measures: one named on the command line, or a new one
in a throw-away server started as the tests start theirs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


@contextmanager
def postgres_database(url: str | None, name: str) -> Iterator[str | None]:
    """``url`` when given; else the URL of a new database ``name`` in a throw-away server
    (removed afterwards), or None (said on the output) when PostgreSQL is not installed."""
    if url is not None:
        yield url
        return
    from pgserver import PostgresServer, PostgresUnavailable

    server = PostgresServer()
    try:
        try:
            server.start()
            made = server.create_database(name)
        except PostgresUnavailable as error:
            print(f"PostgreSQL skipped: {error}")
            made = None
        yield made
    finally:
        server.cleanup()
