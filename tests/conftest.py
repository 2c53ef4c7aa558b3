"""Shared test set-up.

The tests directory is importable (``from calendars import ...``). PostgreSQL tests start a
throw-away server once per session; without PostgreSQL they are skipped, unless
``SUPPORT_CONSOLE_REQUIRE_POSTGRES=1`` (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PostgresServer, PostgresUnavailable

REQUIRE_POSTGRES = os.environ.get("SUPPORT_CONSOLE_REQUIRE_POSTGRES") == "1"


def started_server() -> PostgresServer:
    """A started throw-away server; skips (or fails, when PostgreSQL is required) without."""
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        server.cleanup()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = started_server()
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'console.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each real database in turn: SQLite, then PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


class FakeClock:
    """A clock for tests: fixed until moved."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 20, 14, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


ClockFactory = Callable[[], datetime]
