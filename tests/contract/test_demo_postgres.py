"""A large demo on PostgreSQL: making the data takes longer than the server lets a
transaction sit idle, so it is made outside any transaction."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.engine import make_url

from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.cli import main

pytestmark = pytest.mark.postgres


def test_a_demo_slower_to_make_than_the_idle_timeout_loads(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The URL's own options win over the console's: half a second idle at most (the
    # writing transaction's own gaps are far shorter).
    url = make_url(postgres_url).update_query_dict(
        {"options": "-c idle_in_transaction_session_timeout=500"}
    )
    text = url.render_as_string(hide_password=False)
    assert main(["--db", text, "db", "upgrade"]) == 0
    started = time.perf_counter()
    code = main(["--db", text, "demo", "--tickets", "6000", "--now", "2026-11-20T14:30Z"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert time.perf_counter() - started > 1.0  # the data took much longer than the limit
    assert "6,000 tickets" in out
    database = Database.open(postgres_url)
    try:
        with SqlUnitOfWork(database, write=False) as uow:
            assert uow.tickets.count() == 6_000
    finally:
        database.dispose()
