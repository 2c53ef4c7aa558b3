"""Database-enforced roles on PostgreSQL: what an agent's or a lead's login may change.

Two group roles (``console_agent`` and ``console_lead``) hold the privileges; a person's
login role is a member of exactly one of them. Both may read everything, append ticket
events and change-feed entries, and write handovers; an agent may update only the ticket
columns in :data:`AGENT_TICKET_COLUMNS` (not ``severity``); a lead may also open tickets,
update every ticket column, edit holiday periods and presences, and add or edit customers and
agents.
Nobody may update, delete or truncate ticket events (their triggers refuse as well).

Roles are cluster-wide while privileges belong to one database: a login is an agent or a
lead in every console database of a cluster. Run :func:`grant` again after a schema upgrade
that adds tables (any user will do: it refreshes both groups' privileges).
"""

from __future__ import annotations

import re
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError

from console.adapters.database import Database, DatabaseError, describe
from console.adapters.pg_commands import FUNCTIONS, SCHEMA, privileges_sql
from console.domain.model import Role

__all__ = [
    "AGENT_TICKET_COLUMNS",
    "GROUPS",
    "HANDOVER_COLUMNS",
    "SQLITE_REFUSAL",
    "check_name",
    "grant",
    "grant_sql",
]

GROUPS: dict[Role, str] = {Role.AGENT: "console_agent", Role.LEAD: "console_lead"}
AGENT_TICKET_COLUMNS = (
    "title",
    "status",
    "assignee_id",
    "waivers",
    "next_due_at",
    "clock_kind",
    "clock_metric",
    "clock_calendar",
    "clock_target_s",
    "clock_paused_left_s",
    "clock_paused_by",
    "clock_plan",
    "version",
)
HANDOVER_COLUMNS = ("note", "ticket_notes", "acknowledged_by", "acknowledged_at", "version")
SQLITE_REFUSAL = (
    "roles are PostgreSQL's: SQLite has no users; the console enforces roles in its service layer"
)
# Any constant (not the change feed's): serialises concurrent grants on one database.
GRANT_LOCK_KEY = 7_340_114
MAX_NAME_LENGTH = 63  # PostgreSQL's NAMEDATALEN - 1: longer names are cut silently

_NAME = re.compile(r"[a-z_][a-z0-9_.-]*")
_RESERVED = frozenset({"public", "none", "current_user", "session_user", "current_role"})
# (table, key column) of the serial sequences that both groups, or leads only, draw from.
_COMMON_SEQUENCES = (("ticket_events", "id"), ("changes", "seq"), ("handovers", "id"))
_LEAD_SEQUENCES = (
    ("tickets", "id"),
    ("holiday_periods", "id"),
    ("presences", "id"),
    ("customers", "id"),
    ("agents", "id"),
)
_TABLES = (
    "agents",
    "customers",
    "tickets",
    "ticket_events",
    "holiday_periods",
    "presences",
    "handovers",
    "changes",
    "alembic_version",
)


def check_name(name: str) -> str:
    """NAME if it can be a console login role; else ValueError saying why."""
    if not name:
        raise ValueError("a role name cannot be empty")
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a role name: use lower-case letters, digits, '_', '.' and '-', "
            "starting with a letter or '_' (like an agent's name, e.g. 'ana.ortiz')"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"{name!r} is longer than PostgreSQL's {MAX_NAME_LENGTH} characters")
    if name.startswith("pg_") or name in _RESERVED:
        raise ValueError(f"{name!r} is reserved by PostgreSQL")
    if name in GROUPS.values():
        raise ValueError(f"{name!r} is one of the console's group roles, not a person's login")
    return name


def _check_password(password: str | None) -> None:
    if password is not None and (not password or "\0" in password):
        raise ValueError("a password cannot be empty or contain NUL characters")


def _text(statement: sql.Composable) -> str:
    return statement.as_string(None)


def _block(body: LiteralString, **parts: sql.Composable) -> str:
    """An anonymous PL/pgSQL block (parts are validated names, so no ``$$`` inside)."""
    return _text(sql.SQL("DO $$BEGIN " + body + " END$$").format(**parts))


def _sequences(pairs: tuple[tuple[str, str], ...], group: str) -> str:
    values = sql.SQL(", ").join(
        sql.SQL("({}, {})").format(sql.Literal(f"public.{t}"), sql.Literal(c)) for t, c in pairs
    )
    return _text(
        sql.SQL(
            "DO $$DECLARE s text; BEGIN FOR s IN SELECT pg_get_serial_sequence(t, c) "
            "FROM (VALUES {values}) AS v(t, c) LOOP IF s IS NOT NULL THEN "
            "EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', s, {group}); "
            "END IF; END LOOP; END$$"
        ).format(values=values, group=sql.Literal(group))
    )


def _group_sql() -> list[str]:
    """Create both group roles if needed and set their privileges from scratch."""
    statements: list[str] = []
    groups = [sql.Identifier(g) for g in GROUPS.values()]
    both = sql.SQL(", ").join(groups)
    for group in groups:
        statements.append(
            _block(
                "CREATE ROLE {group} NOLOGIN; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;",
                group=group,
            )
        )
    statements += [
        _text(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(both)),
        _text(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(both)),
        _block(
            "EXECUTE format('GRANT CONNECT ON DATABASE %I TO {both}', current_database());",
            both=both,
        ),
        _text(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(both)),
        _text(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(both)),
        # No INSERT, UPDATE or DELETE anywhere: logins write through the command functions.
        *privileges_sql(GROUPS),
    ]
    return statements


def grant_sql(name: str, role: Role, password: str | None = None) -> list[str]:
    """The statements making NAME a login with ROLE's rights (and only those), idempotent.

    PASSWORD may be plain (the server hashes it) or a verifier (``SCRAM-SHA-256$...``);
    None keeps the current one. Run as the tables' owner (or a superuser) with CREATEROLE,
    in one transaction; :func:`grant` also refuses logins that privileges cannot restrict.
    """
    user = sql.Identifier(check_name(name))
    _check_password(password)
    role = Role(role)
    other = next(g for r, g in GROUPS.items() if r is not role)
    statements = [
        f"SELECT pg_advisory_xact_lock({GRANT_LOCK_KEY})",
        *_group_sql(),
        _block(
            "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
            "CREATE ROLE {user} LOGIN INHERIT; ELSE ALTER ROLE {user} LOGIN INHERIT; END IF;",
            name=sql.Literal(name),
            user=user,
        ),
    ]
    if password is not None:
        statements.append(
            _text(sql.SQL("ALTER ROLE {} PASSWORD {}").format(user, sql.Literal(password)))
        )
    member = (
        "EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = {group_name} "
        "AND u.rolname = {name})"
    )
    statements += [
        # Rights granted to the login itself would add to its group's.
        _text(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(user)),
        _text(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(user)),
        _block(
            "IF " + member + " THEN REVOKE {group} FROM {user}; END IF;",
            group_name=sql.Literal(other),
            group=sql.Identifier(other),
            name=sql.Literal(name),
            user=user,
        ),
        _block(
            "IF NOT " + member + " THEN GRANT {group} TO {user}; END IF;",
            group_name=sql.Literal(GROUPS[role]),
            group=sql.Identifier(GROUPS[role]),
            name=sql.Literal(name),
            user=user,
        ),
    ]
    return statements


def _expected(role: Role) -> list[tuple[str, str, bool]]:
    """(privilege test, what it means, whether ROLE's login must have it)."""
    checks = [
        ("has_database_privilege(:u, current_database(), 'CONNECT')", "CONNECT", True),
        ("has_schema_privilege(:u, 'public', 'USAGE')", "use schema public", True),
        ("has_schema_privilege(:u, 'public', 'CREATE')", "create in schema public", False),
        (f"has_schema_privilege(:u, '{SCHEMA}', 'USAGE')", f"use schema {SCHEMA}", True),
        (f"has_schema_privilege(:u, '{SCHEMA}', 'CREATE')", f"create in schema {SCHEMA}", False),
    ]
    for signature, roles in FUNCTIONS.items():
        checks.append(
            (
                f"has_function_privilege(:u, '{SCHEMA}.{signature}', 'EXECUTE')",
                f"execute {SCHEMA}.{signature.split('(')[0]}",
                role in roles,
            )
        )
    for table in _TABLES:
        qualified = f"'public.{table}'"
        checks += [
            (f"has_table_privilege(:u, {qualified}, 'SELECT')", f"SELECT {table}", True),
            (f"has_table_privilege(:u, {qualified}, 'INSERT')", f"INSERT {table}", False),
            (f"has_any_column_privilege(:u, {qualified}, 'UPDATE')", f"UPDATE {table}", False),
            (f"has_table_privilege(:u, {qualified}, 'DELETE')", f"DELETE {table}", False),
            (f"has_table_privilege(:u, {qualified}, 'TRUNCATE')", f"TRUNCATE {table}", False),
        ]
    return checks


def _mismatches(connection: Connection, name: str, role: Role) -> list[str]:
    checks = _expected(role)
    query = "SELECT " + ", ".join(test for test, _, _ in checks)
    row = connection.execute(text(query), {"u": name}).one()
    return [
        f"{'cannot' if must else 'can'} {what}"
        for (_, what, must), has in zip(checks, row, strict=True)
        if bool(has) is not must
    ]


def _refuse_unrestricted(connection: Connection, name: str) -> None:
    """Privileges cannot restrict a superuser or the tables' owner: refuse them."""
    row = connection.execute(
        text(
            "SELECT r.rolsuper, EXISTS (SELECT FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "AND pg_has_role(r.oid, c.relowner, 'USAGE')) "
            "FROM pg_roles r WHERE r.rolname = :u"
        ),
        {"u": name},
    ).first()
    if row is None:
        return
    superuser, owner = row
    if superuser:
        raise DatabaseError(
            f"{name} is a superuser: no privileges restrict a superuser; grant roles to "
            "ordinary logins. Nothing was changed."
        )
    if owner:
        raise DatabaseError(
            f"{name} owns the console's tables (or has their owner's rights): privileges "
            "cannot restrict an owner; grant roles to separate logins. Nothing was changed."
        )


def _driver(connection: Connection) -> psycopg.Connection[Any]:
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    return raw


def _verifier(connection: Connection, name: str, password: str) -> str:
    """PASSWORD hashed here as the server would (so the plain text is never sent or logged)."""
    algorithm = connection.exec_driver_sql("SHOW password_encryption").scalar_one()
    hashed = _driver(connection).pgconn.encrypt_password(
        password.encode(), name.encode(), str(algorithm).encode()
    )
    return hashed.decode("ascii")


def grant(database: Database, name: str, role: Role, password: str | None = None) -> None:
    """Make NAME a login with ROLE's rights on DATABASE, in one transaction, as its admin.

    Refused (nothing changed) on SQLite, before the schema is upgraded, for superusers and
    the tables' owner, and whenever the rights would not come out exactly as ROLE's.
    """
    check_name(name)
    _check_password(password)
    role = Role(role)
    if database.is_sqlite:
        raise DatabaseError(SQLITE_REFUSAL)
    where = describe(database.url)
    try:
        database.check_schema()
        if database.needs_upgrade():
            raise DatabaseError(
                f"the database {where} needs its schema upgraded first: run "
                "`support-console --db URL db upgrade`, then grant roles"
            )
        with database.write_engine.begin() as connection:
            admin = connection.exec_driver_sql("SELECT current_user").scalar_one()
            _refuse_unrestricted(connection, name)
            secret = _verifier(connection, name, password) if password is not None else None
            driver = _driver(connection)
            for statement in grant_sql(name, role, secret):
                # Straight to psycopg: through SQLAlchemy, '%' (in format()) is a placeholder.
                driver.execute(statement.encode())
            problems = _mismatches(connection, name, role)
            if problems:
                raise DatabaseError(
                    f"{name} would not have exactly the {role} rights on {where}: it "
                    f"{', '.join(problems)} (it may belong to another role with more rights, "
                    f"or {admin} may not grant them). Nothing was changed."
                )
    except OperationalError as error:
        raise DatabaseError(f"cannot reach {where}: {_reason(error)}") from None
    except DBAPIError as error:
        if isinstance(error.orig, psycopg.errors.InsufficientPrivilege):
            raise DatabaseError(
                f"the connecting user may not grant roles on {where}: {_reason(error)}; "
                "connect as the owner of the console's tables with CREATEROLE (or a "
                "superuser). Nothing was changed."
            ) from None
        raise


def _reason(error: DBAPIError) -> str:
    lines = [line.strip() for line in str(error.orig).splitlines() if line.strip()]
    return lines[0] if lines else str(error)
