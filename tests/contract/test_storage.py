"""A SQLite file that is missing, deleted under a running console, or not a database: each
named as such, and never a new empty database made where one was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from console.adapters.database import Database, DatabaseError, DatabaseMissingError
from console.adapters.sql import SqlUnitOfWork


def test_a_missing_file_is_refused_unless_creating_it_was_asked(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "console.sqlite3"
    with pytest.raises(DatabaseMissingError, match="does not exist") as missing:
        Database.open(str(path), create=False)
    assert missing.value.path == str(path)
    assert not path.exists() and not path.parent.exists()
    database = Database.open(str(path), create=True)
    try:
        database.ensure_schema()
        assert path.exists()
    finally:
        database.dispose()


def test_a_file_deleted_under_a_running_console_is_not_made_again(tmp_path: Path) -> None:
    """Given a console on a SQLite file, when the file is deleted while it runs, then its
    next read fails and no empty file takes the deleted one's place."""
    path = tmp_path / "console.sqlite3"
    database = Database.open(str(path))
    try:
        database.ensure_schema()
        with SqlUnitOfWork(database, write=False) as uow:
            assert uow.tickets.count() == 0
        for leftover in tmp_path.glob("console.sqlite3*"):
            leftover.unlink()
        reading = SqlUnitOfWork(database, write=False)
        with pytest.raises(OperationalError, match="unable to open database file"), reading:
            reading.tickets.count()
        with pytest.raises(OperationalError), SqlUnitOfWork(database) as uow:
            uow.tickets.count()
        assert list(tmp_path.iterdir()) == []
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, just text\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4096],
)
def test_a_file_that_is_not_a_database_is_named_as_such(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "console.sqlite3"
    path.write_bytes(content)
    database = Database.open(str(path), create=False)
    try:
        with pytest.raises(DatabaseError, match=r"cannot use sqlite:///.*console\.sqlite3: "):
            database.ensure_schema()
    finally:
        database.dispose()
    assert path.read_bytes() == content  # nothing was written to it
