"""Alembic (with Mako and Pygments) is slow to import: a process that opens a database and
reads the queue does not load it; the schema's methods do, when they run."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [m for m in json.loads(out.splitlines()[-1]) if m.split(".")[0] == "alembic"]


def test_reading_the_queue_loads_no_alembic(tmp_path: object) -> None:
    """Given a fresh interpreter,
    When it imports what a console reads the queue with and opens a database,
    Then alembic is not loaded."""
    code = (
        "from console.adapters.database import Database\n"
        "from console.adapters.sql import SqlUnitOfWork\n"
        "from console.services.views import Agents, QueueRows\n"
        f"Database.open('sqlite:///{tmp_path}/console.sqlite3').dispose()\n"
    )
    assert loaded_after(code) == []


def test_the_schema_check_loads_it(tmp_path: object) -> None:
    """And when it asks for the schema's revision, alembic is loaded (the check works)."""
    code = (
        "from console.adapters.database import Database\n"
        f"database = Database.open('sqlite:///{tmp_path}/console.sqlite3')\n"
        "assert database.current_revision() is None\n"
    )
    assert loaded_after(code) != []
