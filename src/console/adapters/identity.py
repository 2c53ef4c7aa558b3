"""Who the database says the console's user is.

On PostgreSQL each console connects as its user's own login, and the login is the person:
the database enforces that login's rights whatever the console believes, so the console
must believe the same. SQLite has no logins: there the person is chosen in the console.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from console.adapters.database import Database, DatabaseError, describe

__all__ = ["Login", "database_login", "not_an_agent"]

# session_user, not current_user: the login that connected, whatever role it SETs later.
_QUERY = text("SELECT session_user, EXISTS (SELECT FROM agents WHERE name = session_user)")


@dataclass(frozen=True, slots=True)
class Login:
    """The database login a console connected as; ``is_agent`` when the ``agents`` table
    has a row of that name (else the login is nobody the console can act for)."""

    name: str
    is_agent: bool


def database_login(database: Database) -> Login | None:
    """The login ``database`` is used as (PostgreSQL), or None (SQLite: no logins).

    :class:`DatabaseError` when it cannot be read."""
    if database.is_sqlite:
        return None
    try:
        with database.engine.connect() as connection:
            name, is_agent = connection.execute(_QUERY).one()
    except DBAPIError as error:
        lines = [line.strip() for line in str(error.orig).splitlines() if line.strip()]
        reason = lines[0] if lines else type(error).__name__
        raise DatabaseError(
            f"cannot tell which login {describe(database.url)} is used as: {reason}"
        ) from None
    return Login(str(name), bool(is_agent))


def not_an_agent(login: str) -> str:
    """What the console says when ``login`` has no row in ``agents``."""
    return f"the login {login} is not an agent of this database: ask a team lead to add you"
