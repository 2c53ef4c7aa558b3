"""Who the database says the console's user is: the login that connected on PostgreSQL
(whatever role the session takes on later), and whether ``agents`` has a row for it; nobody
on SQLite, which has no logins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from conftest import FakeTime
from console.adapters.database import Database, DatabaseError
from console.adapters.grants import grant
from console.adapters.identity import Login, database_login, not_an_agent
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, Role


def test_sqlite_has_no_logins(sqlite_url: str) -> None:
    database = Database.open(sqlite_url)
    try:
        database.upgrade()
        assert database_login(database) is None
    finally:
        database.dispose()


def test_the_refusal_names_the_login() -> None:
    assert not_an_agent("ghost") == (
        "the login ghost is not an agent of this database: ask a team lead to add you"
    )


@pytest.fixture
def admin(postgres_url: str) -> Iterator[Database]:
    database = Database.open(postgres_url)
    database.upgrade()
    yield database
    database.dispose()


def open_as(admin: Database, name: str) -> Database:
    url = make_url(admin.url).set(username=name, password="pw")
    return Database.open(url.render_as_string(hide_password=False))


@pytest.mark.postgres
def test_the_login_and_whether_it_is_an_agent(admin: Database) -> None:
    for name in ("ident.agent", "ident.ghost"):
        grant(admin, name, Role.AGENT, "pw")
    with SqlUnitOfWork(admin, now=FakeTime()) as uow:
        uow.agents.add(Agent("ident.agent", "Ida Agent", Role.AGENT, "EMEA", "UTC"))
        uow.commit()
    for name, is_agent in (("ident.agent", True), ("ident.ghost", False)):
        database = open_as(admin, name)
        try:
            assert database_login(database) == Login(name, is_agent)
        finally:
            database.dispose()


@pytest.mark.postgres
def test_the_login_is_the_one_that_connected_not_the_role_it_sets(admin: Database) -> None:
    """A login whose sessions start with ``SET ROLE`` (a per-login default) is still that
    login: current_user would name the group role instead."""
    grant(admin, "ident.setter", Role.AGENT, "pw")
    with admin.engine.begin() as connection:
        connection.exec_driver_sql('ALTER ROLE "ident.setter" SET role = console_agent')
    database = open_as(admin, "ident.setter")
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar_one() == "console_agent"
        assert database_login(database) == Login("ident.setter", False)
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.exec_driver_sql('ALTER ROLE "ident.setter" RESET role')


@pytest.mark.postgres
def test_an_unreachable_server_is_a_database_error(admin: Database) -> None:
    url = make_url(admin.url).set(host="127.0.0.1", port=1)
    database = Database.open(url.render_as_string(hide_password=False))
    try:
        with pytest.raises(DatabaseError, match="cannot tell which login"):
            database_login(database)
    finally:
        database.dispose()
