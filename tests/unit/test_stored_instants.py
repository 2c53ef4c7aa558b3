"""Instants as SQLite keeps them (naive UTC text), read back by the UtcDateTime column type:
aware, in UTC, the same instant that was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from console.adapters.records import UtcDateTime


@pytest.fixture
def read() -> object:
    return UtcDateTime().result_processor(sqlite.dialect(), None)


@pytest.mark.parametrize(
    ("stored", "instant"),
    [
        ("2026-11-06 08:28:41.000000", datetime(2026, 11, 6, 8, 28, 41, tzinfo=UTC)),
        ("2026-11-06 08:28:41.250000", datetime(2026, 11, 6, 8, 28, 41, 250000, tzinfo=UTC)),
        ("2026-11-06 08:28:41", datetime(2026, 11, 6, 8, 28, 41, tzinfo=UTC)),
        ("2026-11-06T08:28:41", datetime(2026, 11, 6, 8, 28, 41, tzinfo=UTC)),
        # Not what the console writes: text with an offset of its own is that instant.
        ("2026-11-06 09:28:41+01:00", datetime(2026, 11, 6, 8, 28, 41, tzinfo=UTC)),
        ("2026-11-06", datetime(2026, 11, 6, tzinfo=UTC)),
    ],
)
def test_stored_text_reads_as_the_instant_in_utc(
    read: object, stored: str, instant: datetime
) -> None:
    """Given an instant stored as SQLite text,
    When it is read back,
    Then it is that instant, aware, with UTC as its zone."""
    assert callable(read)
    value = read(stored)
    assert value == instant
    assert value.tzinfo is UTC
    assert value.utcoffset() == timedelta(0)


def test_nothing_stored_reads_as_none(read: object) -> None:
    assert callable(read)
    assert read(None) is None


def test_a_written_instant_reads_back_the_same() -> None:
    """Given an aware instant in another zone, written as SQLite keeps it,
    When it is read back,
    Then it is the same instant in UTC."""
    column = UtcDateTime()
    dialect = sqlite.dialect()
    written = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    stored = column.process_bind_param(written, dialect)
    assert stored is not None
    read = column.result_processor(dialect, None)
    assert read(str(stored)) == written
