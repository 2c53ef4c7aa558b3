"""Database-enforced roles on PostgreSQL: an agent's login cannot change severity, ticket
events or calendars (holiday periods, presences) even past the service layer; a lead's can
change severity and calendars; nobody can change or delete ticket events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from conftest import REQUIRE_POSTGRES, FakeTime
from console.adapters.database import Database, DatabaseError, describe
from console.adapters.grants import (
    GROUPS,
    SQLITE_REFUSAL,
    check,
    grant,
    grant_sql,
)
from console.adapters.sql import SqlUnitOfWork
from console.cli_errors import ExitStatus
from console.domain.model import (
    EventKind,
    Role,
)
from console.domain.policy import load_policies
from console.services.commands import AddNote, OpenTicket
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook
from pgserver import PostgresServer, PostgresUnavailable

NOW = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)
BAD_NAMES = [
    "ana; drop table x",
    "",
    "Ana Ortiz",
    "ana ortiz",
    '"ana"',
    "ana'",
    "1ana",
    "pg_ana",
    "public",
    "console_lead",
    "a" * 64,
]

Opener = Callable[[str, str | None], Database]


# --------------------------------------------------------------------------- without a server


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused(name: str, sqlite_url: str) -> None:
    with pytest.raises(ValueError, match=r"name|reserved|group role|longer"):
        grant_sql(name, Role.AGENT)
    database = Database.open(sqlite_url)
    try:
        with pytest.raises(ValueError):
            grant(database, name, Role.AGENT)
    finally:
        database.dispose()


@pytest.mark.parametrize("password", ["", "a\0b"])
def test_empty_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValueError, match="password"):
        grant_sql("ana", Role.AGENT, password)


def test_names_and_passwords_are_quoted() -> None:
    statements = grant_sql("ana.ortiz", Role.LEAD, "it's")
    joined = "\n".join(statements)
    assert 'CREATE ROLE "ana.ortiz" LOGIN' in joined
    assert 'GRANT "console_lead" TO "ana.ortiz"' in joined
    assert 'REVOKE "console_agent" FROM "ana.ortiz"' in joined
    assert "ALTER ROLE \"ana.ortiz\" PASSWORD 'it''s'" in statements
    assert not any("PASSWORD" in s for s in grant_sql("ana.ortiz", Role.LEAD))


def test_sqlite_is_refused_clearly(sqlite_url: str) -> None:
    database = Database.open(sqlite_url)
    try:
        database.upgrade()
        with pytest.raises(DatabaseError) as raised:
            grant(database, "ana", Role.AGENT, "pw")
        assert str(raised.value) == SQLITE_REFUSAL
    finally:
        database.dispose()


# --------------------------------------------------------------------------- on PostgreSQL


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def admin(postgres_url: str, book: PolicyBook) -> Iterator[Database]:
    """The superuser's view of an upgraded database holding a small demo queue."""
    database = Database.open(postgres_url)
    database.upgrade()
    load_demo(SqlUnitOfWork(database, now=FakeTime(NOW)), book, tickets=12, seed=3, now=NOW)
    yield database
    database.dispose()


@pytest.fixture
def login(admin: Database) -> Iterator[Opener]:
    """Opens the admin's database as another user (disposed of after the test)."""
    opened: list[Database] = []

    def open_as(user: str, password: str | None = "pw") -> Database:
        url = make_url(admin.url).set(username=user, password=password)
        database = Database.open(url.render_as_string(hide_password=False))
        opened.append(database)
        return database

    yield open_as
    for database in opened:
        database.dispose()


def run(database: Database, statement: str, **params: Any) -> int:
    """Run one statement in its own transaction; the number of rows it touched."""
    with database.engine.begin() as connection:
        result = connection.execute(text(statement), params)
        return int(result.rowcount)


def denied(database: Database, statement: str, **params: Any) -> str:
    """Assert the statement is refused for want of privileges; the server's message."""
    with pytest.raises(ProgrammingError) as raised:
        run(database, statement, **params)
    assert isinstance(raised.value.orig, psycopg.errors.InsufficientPrivilege)
    return str(raised.value.orig)


def first_key(database: Database) -> str:
    with SqlUnitOfWork(database, write=False) as uow:
        return uow.tickets.list()[0].key


def member_of(admin: Database, user: str) -> set[str]:
    with admin.engine.connect() as connection:
        return set(
            connection.execute(
                text(
                    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g "
                    "ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                    "WHERE u.rolname = :u"
                ),
                {"u": user},
            ).scalars()
        )


def unique(prefix: str) -> str:
    """A role name no other test uses: roles are the whole (session-wide) server's."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def attributes(database: Database, user: str) -> dict[str, bool]:
    with database.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, rolcanlogin "
                "FROM pg_roles WHERE rolname = :u"
            ),
            {"u": user},
        ).one()
    return dict(
        zip(("createrole", "createdb", "bypassrls", "replication", "login"), row, strict=True)
    )


CATALOG = (
    "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, "
    "rolreplication, rolbypassrls, rolconnlimit, rolpassword, rolvaliduntil::text "
    "FROM pg_authid ORDER BY rolname",
    "SELECT roleid::regrole::text, member::regrole::text, admin_option FROM pg_auth_members "
    "ORDER BY 1, 2",
    "SELECT defaclrole::regrole::text, defaclnamespace::regnamespace::text, "
    "defaclobjtype::text, defaclacl::text FROM pg_default_acl ORDER BY 1, 2, 3",
    "SELECT c.oid::regclass::text, c.relowner::regrole::text, c.relacl::text FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname !~ '^(pg_|information_)' "
    "ORDER BY 1",
    "SELECT attrelid::regclass::text, attname::text, attacl::text FROM pg_attribute "
    "WHERE attacl IS NOT NULL ORDER BY 1, 2",
    "SELECT p.oid::regprocedure::text, p.proowner::regrole::text, p.proacl::text FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname !~ '^(pg_|information_)' "
    "ORDER BY 1",
    "SELECT nspname::text, nspowner::regrole::text, nspacl::text FROM pg_namespace ORDER BY 1",
    "SELECT datname::text, datdba::regrole::text, datacl::text FROM pg_database ORDER BY 1",
)


def catalog(superuser: Database) -> list[list[Any]]:
    """The roles, their memberships, owners and privileges (read by a superuser): what
    "nothing was changed" compares."""
    with superuser.engine.connect() as connection:
        return [[tuple(row) for row in connection.execute(text(query))] for query in CATALOG]


INSERT_EVENT = (
    "INSERT INTO ticket_events (ticket_id, kind, at, actor, data, recorded_at) "
    "SELECT id, 'note', now(), 'ana', '{}', now() FROM tickets WHERE key = :key"
)
INSERT_HOLIDAY = (
    "INSERT INTO holiday_periods (policy_id, first, last, reason, version) "
    "VALUES ('laioutr', '2026-12-24', '2026-12-26', 'Christmas', 1)"
)
INSERT_PRESENCE = (
    "INSERT INTO presences (policy_id, country, subdivision, version) "
    "VALUES ('laioutr', 'DE', 'BY', 1)"
)


@pytest.mark.postgres
def test_granting_again_switches_the_rights(admin: Database, login: Opener) -> None:
    grant(admin, "sam", Role.AGENT)
    run(admin, 'GRANT DELETE, UPDATE ON tickets TO "sam"')  # granted by hand, beside the role
    grant(admin, "sam", Role.AGENT)  # idempotent, and takes the extra rights away
    sam = login("sam", None)
    key = first_key(sam)
    severity = "UPDATE tickets SET severity = 1, version = version + 1 WHERE key = :key"
    denied(sam, severity, key=key)
    denied(sam, "DELETE FROM tickets WHERE key = :key", key=key)
    assert member_of(admin, "sam") == {GROUPS[Role.AGENT]}
    lead_only = "SELECT has_function_privilege('sam', 'console_api.set_derived(jsonb)', 'EXECUTE')"
    both = (
        "SELECT has_function_privilege('sam', "
        "'console_api.record_event(text, integer, text, jsonb, jsonb)', 'EXECUTE')"
    )
    with admin.engine.connect() as connection:
        assert connection.execute(text(lead_only)).scalar() is False
        assert connection.execute(text(both)).scalar() is True

    grant(admin, "sam", Role.LEAD)
    assert member_of(admin, "sam") == {GROUPS[Role.LEAD]}
    with admin.engine.connect() as connection:
        assert connection.execute(text(lead_only)).scalar() is True
    denied(sam, severity, key=key)  # a lead too writes only through the functions
    denied(sam, INSERT_HOLIDAY)

    grant(admin, "sam", Role.AGENT)
    assert member_of(admin, "sam") == {GROUPS[Role.AGENT]}
    with admin.engine.connect() as connection:
        assert connection.execute(text(lead_only)).scalar() is False
    denied(sam, INSERT_HOLIDAY)
    denied(sam, "DELETE FROM presences")


@pytest.mark.postgres
def test_the_password_is_sent_hashed_and_checks_out(admin: Database) -> None:
    grant(admin, "ana", Role.AGENT, "pw")
    with admin.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = 'ana'")
        ).scalar_one()
    assert scram_matches(stored, "pw")
    assert not scram_matches(stored, "wrong")


def scram_matches(verifier: str, password: str) -> bool:
    """Check a SCRAM-SHA-256 verifier (RFC 5802/7677) against a password."""
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    counted, keys = rest.split("$")
    iterations, salt = counted.split(":")
    stored_key, server_key = (base64.b64decode(k) for k in keys.split(":"))
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return hashlib.sha256(client_key).digest() == stored_key and (
        hmac.digest(salted, b"Server Key", "sha256") == server_key
    )


@pytest.mark.postgres
def test_logins_that_privileges_cannot_restrict_are_refused(admin: Database) -> None:
    with pytest.raises(DatabaseError, match="superuser"):
        grant(admin, "postgres", Role.AGENT)
    run(admin, 'CREATE ROLE "owen" LOGIN')
    run(admin, 'ALTER TABLE holiday_periods OWNER TO "owen"')
    with pytest.raises(DatabaseError, match="owns the console's tables"):
        grant(admin, "owen", Role.AGENT)
    assert member_of(admin, "owen") == set()


@pytest.mark.postgres
def test_rights_given_to_everyone_refuse_the_grant_and_change_nothing(admin: Database) -> None:
    wendy = unique("wendy")
    run(admin, f'CREATE ROLE "{wendy}" LOGIN')
    run(admin, "GRANT UPDATE ON tickets, ticket_events TO PUBLIC")
    before = catalog(admin)
    with pytest.raises(DatabaseError) as raised:
        grant(admin, wendy, Role.AGENT, "pw")
    message = str(raised.value)
    assert "can UPDATE tickets" in message
    assert "can UPDATE ticket_events" in message
    assert "Nothing was changed" in message
    assert catalog(admin) == before  # no membership, no password


@pytest.mark.postgres
def test_a_membership_that_gives_more_rights_is_revoked(admin: Database, login: Opener) -> None:
    wendy = unique("wendy")
    run(admin, f'CREATE ROLE "{wendy}" LOGIN')
    run(admin, f'GRANT pg_write_all_data TO "{wendy}"')
    assert grant(admin, wendy, Role.AGENT, "pw") == [
        f"revoked {wendy}'s membership of pg_write_all_data"
    ]
    assert member_of(admin, wendy) == {GROUPS[Role.AGENT]}
    database = login(wendy, "pw")
    key = first_key(database)
    denied(database, "UPDATE tickets SET severity = 1 WHERE key = :key", key=key)
    denied(database, "UPDATE ticket_events SET actor = 'mallory'")


@pytest.mark.postgres
def test_an_admin_without_rights_is_refused_and_changes_nothing(
    admin: Database, login: Opener
) -> None:
    run(admin, 'CREATE ROLE "carl" LOGIN')
    carl = login("carl", None)
    with pytest.raises(DatabaseError, match="Nothing was changed"):
        grant(carl, "dora", Role.LEAD, "pw")
    with admin.engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = 'dora'"))
        assert found.scalar_one() == 0


@pytest.mark.postgres
def test_the_tables_owner_with_createrole_can_grant(postgres_url: str) -> None:
    """The usual set-up: the console's tables belong to an ordinary role with CREATEROLE."""
    superuser = Database.open(postgres_url)
    owner_url = make_url(postgres_url).set(username="desk_admin", password="pw")
    try:
        run(superuser, 'CREATE ROLE "desk_admin" LOGIN CREATEROLE')
        name = make_url(postgres_url).database
        run(superuser, f'ALTER DATABASE "{name}" OWNER TO "desk_admin"')
    finally:
        superuser.dispose()
    owner = Database.open(owner_url.render_as_string(hide_password=False))
    try:
        owner.upgrade()
        grant(owner, "olga", Role.LEAD, "pw")
        grant(owner, "olga", Role.AGENT, "pw")
        assert member_of(owner, "olga") == {GROUPS[Role.AGENT]}
    finally:
        owner.dispose()


@pytest.mark.postgres
def test_an_upgrade_to_the_command_functions_takes_table_rights_away(
    admin: Database, login: Opener
) -> None:
    """Given logins granted under the old model (agents could insert events and update
    tickets), at revision 0004,
    When the schema is upgraded to 0005, logins can no longer write a table; once `db grant`
    ran again they write through the command functions."""
    from alembic import command

    config = admin._config()
    with admin.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    run(
        admin,
        "DO $$BEGIN CREATE ROLE console_agent NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END$$",
    )
    run(
        admin,
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana.ortiz') "
        'THEN CREATE ROLE "ana.ortiz" LOGIN; END IF; END$$',
    )
    run(admin, 'GRANT console_agent TO "ana.ortiz"')
    run(admin, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO console_agent")
    run(admin, "GRANT INSERT ON ticket_events, changes TO console_agent")
    run(admin, "GRANT UPDATE (status, version) ON tickets TO console_agent")
    admin.upgrade()
    ana = login("ana.ortiz", None)
    book = PolicyBook(load_policies())
    with SqlUnitOfWork(admin, write=False) as uow:
        customer = uow.customers.list()[0].name
    submitted = datetime.now(UTC) - timedelta(hours=1)  # before the server's now
    key = "OLD-1"
    handle(
        OpenTicket(key, "Old", customer, 2, submitted), SqlUnitOfWork(admin), book, "claire.dubois"
    )
    assert "permission denied" in denied(
        ana, "UPDATE tickets SET status = 'on_hold' WHERE key = :key", key=key
    )
    assert "permission denied" in denied(ana, INSERT_EVENT, key=key)
    grant(admin, "ana.ortiz", Role.AGENT)
    with SqlUnitOfWork(ana, write=False) as uow:
        version = uow.tickets.get(key, with_events=False).version
    handle(AddNote(key, version, "still works"), SqlUnitOfWork(ana), book, "ana.ortiz")
    with SqlUnitOfWork(admin, write=False) as uow:
        last = uow.tickets.get(key).events[-1]
    assert (last.kind, last.actor, last.data["text"]) == (
        EventKind.NOTE,
        "ana.ortiz",
        "still works",
    )
    assert "permission denied" in denied(ana, INSERT_EVENT, key=key)


@pytest.mark.postgres
def test_the_presences_command_acts_for_the_login(
    admin: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``--as``, `presences set` on PostgreSQL is the login's action: a lead's login
    names them, an agent's is refused (by the service, and the database would too)."""
    from console.cli import main

    grant(admin, "claire.dubois", Role.LEAD, "pw")
    grant(admin, "ana.ortiz", Role.AGENT, "pw")

    def as_login(user: str, *argv: str) -> tuple[int, str]:
        url = make_url(admin.url).set(username=user, password="pw")
        code = main(["--db", url.render_as_string(hide_password=False), *argv])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    code, text_ = as_login("claire.dubois", "presences", "set", "laioutr", "DE-BY")
    assert code == 0, text_
    code, text_ = as_login("ana.ortiz", "presences", "set", "laioutr", "AT-9")
    assert code == 1 and "Ana Ortiz (ana.ortiz) is an agent" in text_
    code, text_ = as_login("ana.ortiz", "presences", "show")
    assert code == 0 and "laioutr (Laioutr): DE-BY (Bayern, Germany)" in text_


@pytest.mark.postgres
def test_a_schema_not_upgraded_is_refused(postgres_url: str) -> None:
    database = Database.open(postgres_url)
    try:
        with pytest.raises(DatabaseError, match="upgraded first"):
            grant(database, "ana", Role.AGENT)
    finally:
        database.dispose()


# --------------------------------------------------------------------------- what else gives rights


@pytest.fixture
def superuser(postgres_url: str) -> Iterator[Database]:
    """The superuser's view of a fresh, empty database."""
    database = Database.open(postgres_url)
    yield database
    database.dispose()


@pytest.fixture
def desk(superuser: Database) -> Iterator[Database]:
    """The usual set-up, as the role that grants: an ordinary role with CREATEROLE (not a
    superuser) that owns the database and the console's tables."""
    owner = unique("desk")
    run(superuser, f'CREATE ROLE "{owner}" LOGIN CREATEROLE')
    run(superuser, f'ALTER DATABASE "{make_url(superuser.url).database}" OWNER TO "{owner}"')
    url = make_url(superuser.url).set(username=owner, password="pw")
    database = Database.open(url.render_as_string(hide_password=False))
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def groups_restored(admin: Database) -> Iterator[None]:
    """The console groups belong to the whole server: puts back what a test changed."""
    yield
    for group in GROUPS.values():
        if attributes(admin, group)["login"]:
            run(admin, f'ALTER ROLE "{group}" NOLOGIN PASSWORD NULL')
        with admin.engine.connect() as connection:
            others = connection.execute(
                text(
                    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g "
                    "ON g.oid = m.roleid WHERE m.member = CAST(:g AS regrole)"
                ),
                {"g": group},
            ).scalars()
            for other in list(others):
                run(admin, f'REVOKE "{other}" FROM "{group}"')


NO_ATTRIBUTES = {
    "createrole": False,
    "createdb": False,
    "bypassrls": False,
    "replication": False,
    "login": True,
}


@pytest.mark.postgres
@pytest.mark.usefixtures("groups_restored")
def test_a_login_made_with_createrole_cannot_make_itself_a_lead(
    admin: Database, login: Opener
) -> None:
    """The attack: a login created WITH CREATEROLE and given the agent's rights made itself a
    lead. Given it had also taken a role with more rights and opened the lead group to logins,
    when granted the agent's rights, it loses all of that and the attributes that let it."""
    grant(admin, unique("lee"), Role.LEAD)  # the groups exist
    cora = unique("cora")
    run(admin, f'CREATE ROLE "{cora}" LOGIN CREATEROLE CREATEDB BYPASSRLS REPLICATION')
    before = login(cora, None)
    run(before, f'GRANT console_lead TO "{cora}"')
    run(before, f'GRANT pg_write_all_data TO "{cora}"')
    run(before, "ALTER ROLE console_lead LOGIN PASSWORD 'known'")

    cleared = grant(admin, cora, Role.AGENT)

    assert attributes(admin, cora) == NO_ATTRIBUTES
    assert member_of(admin, cora) == {GROUPS[Role.AGENT]}
    assert attributes(admin, GROUPS[Role.LEAD])["login"] is False
    assert cleared == [
        f"removed CREATEROLE from {cora}",
        f"removed CREATEDB from {cora}",
        f"removed BYPASSRLS from {cora}",
        f"removed REPLICATION from {cora}",
        f"revoked {cora}'s membership of pg_write_all_data",
        "removed LOGIN from console_lead",
    ]
    cora_db = login(cora, None)
    for statement in (
        f'GRANT console_lead TO "{cora}"',
        f'GRANT pg_write_all_data TO "{cora}"',
        f'ALTER ROLE "{cora}" CREATEROLE',
        "ALTER ROLE console_lead LOGIN",
        f'CREATE ROLE "{cora}_2" LOGIN',
    ):
        denied(cora_db, statement)
    assert member_of(admin, cora) == {GROUPS[Role.AGENT]}
    key = first_key(cora_db)
    denied(cora_db, "UPDATE tickets SET severity = 1 WHERE key = :key", key=key)
    denied(cora_db, INSERT_HOLIDAY)
    lead_group = login(GROUPS[Role.LEAD], "known")
    with pytest.raises(OperationalError, match="not permitted to log in"):
        run(lead_group, "SELECT 1")


@pytest.mark.postgres
def test_an_admin_not_superuser_clears_what_it_may_and_refuses_the_rest(
    desk: Database, superuser: Database
) -> None:
    """PostgreSQL 15 lets a role with CREATEROLE remove CREATEROLE and CREATEDB, but only a
    superuser may remove BYPASSRLS or REPLICATION, or revoke a superuser role."""
    cid = unique("cid")
    run(superuser, f'CREATE ROLE "{cid}" LOGIN CREATEROLE CREATEDB')
    assert grant(desk, cid, Role.AGENT) == [
        f"removed CREATEROLE from {cid}",
        f"removed CREATEDB from {cid}",
    ]
    assert attributes(superuser, cid) == NO_ATTRIBUTES
    assert member_of(superuser, cid) == {GROUPS[Role.AGENT]}
    for attribute in ("BYPASSRLS", "REPLICATION"):
        name = unique(attribute.lower())
        run(superuser, f'CREATE ROLE "{name}" LOGIN CREATEROLE {attribute}')
        before = catalog(superuser)
        with pytest.raises(DatabaseError) as raised:
            grant(desk, name, Role.AGENT, "pw")
        message = str(raised.value)
        assert f"{name} has {attribute}" in message
        assert (
            "only a superuser may remove it (run db grant as a superuser, or have one run "
            f'ALTER ROLE "{name}" NO{attribute})' in message
        )
        assert "CREATEROLE" not in message  # that one it could clear
        assert message.endswith("Nothing was changed.")
        assert catalog(superuser) == before  # CREATEROLE kept as well: all or nothing
    boss, sid = unique("boss"), unique("sid")
    run(superuser, f'CREATE ROLE "{boss}" SUPERUSER')
    run(superuser, f'CREATE ROLE "{sid}" LOGIN')
    run(superuser, f'GRANT "{boss}" TO "{sid}"')
    before = catalog(superuser)
    with pytest.raises(DatabaseError) as raised:
        grant(desk, sid, Role.AGENT)
    assert f"{sid} is a member of the superuser role {boss}: only a superuser" in str(raised.value)
    assert catalog(superuser) == before


@pytest.mark.postgres
def test_memberships_of_other_roles_are_revoked(admin: Database, login: Opener) -> None:
    writers, team, mo = unique("writers"), unique("team"), unique("mo")
    run(admin, f'CREATE ROLE "{writers}"')
    run(admin, f'GRANT INSERT, UPDATE, DELETE ON tickets, ticket_events TO "{writers}"')
    run(admin, f'CREATE ROLE "{team}"')
    run(admin, f'GRANT "{writers}" TO "{team}"')
    run(admin, f'CREATE ROLE "{mo}" LOGIN')
    run(admin, f'GRANT "{team}" TO "{mo}"')
    run(admin, f'GRANT "{writers}" TO "{mo}" WITH ADMIN OPTION')

    assert grant(admin, mo, Role.AGENT) == [
        f"revoked {mo}'s membership of {team}",
        f"revoked {mo}'s membership of {writers}",
    ]
    assert member_of(admin, mo) == {GROUPS[Role.AGENT]}
    assert member_of(admin, team) == {writers}  # only the login's memberships go
    database = login(mo, None)
    key = first_key(database)
    denied(database, "DELETE FROM tickets")
    denied(database, "INSERT INTO tickets (title) VALUES ('x')")
    denied(database, "UPDATE tickets SET severity = 1 WHERE key = :key", key=key)
    denied(database, "DELETE FROM ticket_events")
    denied(database, f'GRANT "{writers}" TO "{mo}"')


@pytest.mark.postgres
def test_privileges_given_to_the_login_itself_are_revoked(admin: Database, login: Opener) -> None:
    """Besides the tables': on a function, the schema and the database, and default
    privileges on the tables made later."""
    pat = unique("pat")
    name = make_url(admin.url).database
    run(admin, f'CREATE ROLE "{pat}" LOGIN')
    run(admin, f"CREATE FUNCTION public.{pat}_f() RETURNS int LANGUAGE sql AS 'SELECT 1'")
    run(admin, f"REVOKE EXECUTE ON FUNCTION public.{pat}_f() FROM PUBLIC")
    run(admin, f'GRANT EXECUTE ON FUNCTION public.{pat}_f() TO "{pat}"')
    run(admin, f'GRANT CREATE ON SCHEMA public TO "{pat}"')
    run(admin, f'GRANT CREATE ON DATABASE "{name}" TO "{pat}"')
    run(admin, f'GRANT UPDATE (severity) ON tickets TO "{pat}"')
    run(
        admin,
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, DELETE ON TABLES TO "{pat}"',
    )

    assert grant(admin, pat, Role.AGENT) == [
        f"revoked the privileges granted to {pat} directly on database {name}, function "
        f"public.{pat}_f(), schema public, table public.tickets",
        f"revoked the default privileges giving {pat} DELETE, INSERT on new tables of "
        "postgres in schema public",
    ]
    run(admin, "CREATE TABLE public.later (x int)")
    database = login(pat, None)
    denied(database, f"SELECT public.{pat}_f()")
    denied(database, "CREATE TABLE public.mine (x int)")
    denied(database, "CREATE SCHEMA mine")
    denied(database, "INSERT INTO later VALUES (1)")
    denied(database, "DELETE FROM later")
    key = first_key(database)
    denied(database, "UPDATE tickets SET severity = 1 WHERE key = :key", key=key)


REFUSED = [
    pytest.param(
        ("GRANT console_agent TO {u} WITH ADMIN OPTION",),
        "{u} may grant console_agent to any role (it is a member WITH ADMIN OPTION)",
        'run REVOKE ADMIN OPTION FOR "console_agent" FROM "{u}"',
        id="admin-of-its-group",
    ),
    pytest.param(
        ("GRANT console_lead TO {u} WITH ADMIN OPTION",),
        "{u} may grant console_lead to any role (it is a member WITH ADMIN OPTION)",
        'run REVOKE ADMIN OPTION FOR "console_lead" FROM "{u}"',
        id="admin-of-the-other-group",
    ),
    pytest.param(
        ("CREATE ROLE {u}_m", "GRANT {u} TO {u}_m"),
        "{u}_m is a member of {u}, so {u}'s rights would pass to {u}_m",
        'run REVOKE "{u}" FROM "{u}_m"',
        id="a-role-is-its-member",
    ),
    pytest.param(
        (
            "CREATE SCHEMA {u}_s AUTHORIZATION {u}",
            "CREATE TABLE {u}_s.t (x int)",
            "ALTER TABLE {u}_s.t OWNER TO {u}",
        ),
        "{u} owns schema {u}_s, table {u}_s.t, so it may change or drop them whatever its "
        "group may do",
        'give them to another role first (ALTER ... OWNER TO, or REASSIGN OWNED BY "{u}" TO '
        '"postgres")',
        id="owns-a-schema",
    ),
    pytest.param(
        (
            "CREATE FUNCTION public.{u}_f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "ALTER FUNCTION public.{u}_f() OWNER TO {u}",
        ),
        "{u} owns function public.{u}_f(), so it may change or drop it whatever its group may do",
        "give it to another role first",
        id="owns-a-function",
    ),
    pytest.param(
        ("ALTER DATABASE {db} OWNER TO {u}",),
        "{u} owns database {db}, so it may change or drop it whatever its group may do",
        "give it to another role first",
        id="owns-the-database",
    ),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("statements", "problem", "advice"), REFUSED)
def test_what_a_person_should_undo_refuses_the_grant_and_changes_nothing(
    admin: Database, statements: tuple[str, ...], problem: str, advice: str
) -> None:
    """Given an agent that has something only a person should undo,
    When --check looks at it, Then it warns that db grant refuses, and what to do;
    When it is granted a role, Then the grant is refused and nothing changes."""
    grant(admin, unique("ana"), Role.AGENT)  # the groups exist
    user = unique("uma")
    grant(admin, user, Role.AGENT)
    names = {"u": user, "db": make_url(admin.url).database}
    for statement in statements:
        run(admin, statement.format(**names))
    problem, advice = problem.format(**names), advice.format(**names)
    lines = check(admin, user)
    assert f"{user} is a console agent" not in lines
    assert any(line.startswith(f"{user} is not a console login") for line in lines)
    assert any(line.startswith(f"warning: {problem}; db grant refuses: {advice}") for line in lines)

    before = catalog(admin)
    with pytest.raises(DatabaseError) as raised:
        grant(admin, user, Role.LEAD, "pw")
    message = str(raised.value)
    assert message.startswith(f"{user} cannot be given the lead rights on ")
    assert f"{problem}: {advice}" in message
    assert message.endswith("Nothing was changed.")
    assert catalog(admin) == before


@pytest.mark.postgres
def test_what_the_admin_may_not_revoke_refuses_the_grant(
    desk: Database, superuser: Database
) -> None:
    """A REVOKE takes away only what its user granted (or the owner, for the owner's
    rights): what is left after it, or what the admin may not touch, refuses the grant."""
    vic = unique("vic")
    admin = make_url(desk.url).username
    run(superuser, f'CREATE ROLE "{vic}" LOGIN')
    run(superuser, f"CREATE SCHEMA {vic}_vault")
    run(superuser, f"CREATE TABLE {vic}_vault.secrets (x int)")
    run(superuser, f'GRANT USAGE ON SCHEMA {vic}_vault TO "{admin}"')
    run(superuser, f'GRANT SELECT ON {vic}_vault.secrets TO "{vic}", "{admin}"')
    before = catalog(superuser)
    with pytest.raises(DatabaseError) as raised:
        grant(desk, vic, Role.AGENT, "pw")
    message = str(raised.value)
    assert f"{vic} holds privileges granted to it directly on table {vic}_vault.secrets" in message
    assert message.endswith(f"({admin} could not clear it). Nothing was changed.")
    assert catalog(superuser) == before

    run(superuser, f'REVOKE USAGE ON SCHEMA {vic}_vault FROM "{admin}"')
    before = catalog(superuser)
    with pytest.raises(DatabaseError) as raised:
        grant(desk, vic, Role.AGENT, "pw")
    assert f"({admin} could not clear it). Nothing was changed." in str(raised.value)
    assert catalog(superuser) == before

    run(superuser, f'REVOKE SELECT ON {vic}_vault.secrets FROM "{vic}"')
    run(superuser, f'ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES TO "{vic}"')
    before = catalog(superuser)
    with pytest.raises(DatabaseError) as raised:
        grant(desk, vic, Role.AGENT, "pw")
    assert (
        f"default privileges give {vic} SELECT on the tables that postgres creates: only "
        f'postgres or a superuser may run ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" '
        f'REVOKE ALL ON TABLES FROM "{vic}"'
    ) in str(raised.value)
    assert catalog(superuser) == before


@pytest.mark.postgres
@pytest.mark.usefixtures("groups_restored")
def test_the_groups_give_no_more_than_their_privileges(admin: Database) -> None:
    """A group that can log in is opened no more; one that is a member of another role (so
    every member has its rights) refuses grants until a person revokes it."""
    grant(admin, unique("ana"), Role.AGENT)  # the groups exist
    run(admin, "ALTER ROLE console_agent LOGIN CREATEDB")
    assert grant(admin, unique("ana"), Role.LEAD) == [
        "removed LOGIN from console_agent",
        "removed CREATEDB from console_agent",
    ]
    assert attributes(admin, GROUPS[Role.AGENT]) == {**NO_ATTRIBUTES, "login": False}
    run(admin, "GRANT pg_write_all_data TO console_lead")
    user = unique("ana")
    with pytest.raises(DatabaseError) as raised:
        grant(admin, user, Role.AGENT)
    assert (
        "console_lead is a member of pg_write_all_data, so every lead's login has the rights "
        'of pg_write_all_data: run REVOKE "pg_write_all_data" FROM "console_lead"'
    ) in str(raised.value)
    assert member_of(admin, user) == set()


# --------------------------------------------------------------------------- db grant --check


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    """`support-console ARGV` in-process: the exit status, standard output's lines and
    standard error."""
    from console.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


PRIVILEGE = re.compile(
    r"(SELECT|INSERT|UPDATE|DELETE|TRUNCATE|REFERENCES|TRIGGER)(?: \(([^)]*)\))?"
)


def shown_rights(lines: list[str]) -> dict[str, dict[str, set[str] | None]]:
    """Table -> privilege -> its columns (None: the whole table), as --check prints them."""
    rights: dict[str, dict[str, set[str] | None]] = {}
    for line in lines:
        if line.startswith("table public."):
            table, privileges = line.removeprefix("table public.").split(": ", 1)
            rights[table] = {
                privilege: set(columns.split(", ")) if columns else None
                for privilege, columns in PRIVILEGE.findall(privileges)
            }
    return rights


def actual_rights(database: Database, user: str) -> dict[str, dict[str, set[str] | None]]:
    """The same, asked of PostgreSQL table by table and column by column."""
    rights: dict[str, dict[str, set[str] | None]] = {}
    with database.engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        for table in list(tables):
            rights[table] = {}
            for privilege in (
                "SELECT",
                "INSERT",
                "UPDATE",
                "DELETE",
                "TRUNCATE",
                "REFERENCES",
                "TRIGGER",
            ):
                whole = connection.execute(
                    text("SELECT has_table_privilege(:u, :t, :p)"),
                    {"u": user, "t": f"public.{table}", "p": privilege},
                ).scalar_one()
                if whole:
                    rights[table][privilege] = None
                elif privilege in ("SELECT", "INSERT", "UPDATE", "REFERENCES"):
                    columns = set(
                        connection.execute(
                            text(
                                "SELECT attname FROM pg_attribute WHERE attrelid = "
                                "CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped "
                                "AND has_column_privilege(:u, attrelid, attnum, :p)"
                            ),
                            {"u": user, "t": f"public.{table}", "p": privilege},
                        ).scalars()
                    )
                    if columns:
                        rights[table][privilege] = columns
    return rights


@pytest.mark.postgres
def test_check_shows_an_agent_and_a_lead_and_changes_nothing(
    admin: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    agent, lead = unique("ana"), unique("lee")
    grant(admin, agent, Role.AGENT, "pw")
    grant(admin, lead, Role.LEAD)
    before = catalog(admin)
    outputs = {}
    for user, role in ((agent, Role.AGENT), (lead, Role.LEAD)):
        code, lines, err = run_main(capsys, "--db", admin.url, "db", "grant", user, "--check")
        assert (code, err) == (0, "")
        outputs[role] = lines
        assert lines[0] == f"role: {user}"
        assert lines[-1] == f"{user} is a console {role}"  # and no warning after it
        for fact in (
            "login: yes",
            "superuser: no",
            "createrole: no",
            "createdb: no",
            "bypassrls: no",
            "replication: no",
            "inherit: yes",
            "connection limit: none",
            "valid until: never",
            f"member of: {GROUPS[role]}",
            "has members: none",
            "owns: nothing in this database",
            "granted directly: nothing",
            "default privileges: none",
            "schema public: USAGE",
            f"database {make_url(admin.url).database}: CONNECT, TEMPORARY",
        ):
            assert fact in lines
        assert [line for line in lines if line.startswith("member of: ")] == [
            f"member of: {GROUPS[role]}"
        ]
        rights = shown_rights(lines)
        assert rights == actual_rights(admin, user)
        assert set(rights) >= {"tickets", "ticket_events", "holiday_periods", "alembic_version"}
        assert all("SELECT" in privileges for privileges in rights.values())
        for forbidden in ("UPDATE", "DELETE", "TRUNCATE"):
            assert forbidden not in rights["ticket_events"]
    for role in (Role.AGENT, Role.LEAD):  # no table is written but through the functions
        for privileges in shown_rights(outputs[role]).values():
            assert not {"INSERT", "UPDATE", "DELETE", "TRUNCATE"} & set(privileges)
    lead_only = [line for line in outputs[Role.LEAD] if "set_derived" in line]
    assert lead_only
    assert not [line for line in outputs[Role.AGENT] if "set_derived" in line]
    assert catalog(admin) == before


@pytest.mark.postgres
def test_check_shows_rights_of_any_login_and_what_grant_would_clear(
    admin: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a login with partial and direct rights and CREATEDB, --check shows them and
    warns of each thing a grant clears; after the grant, it is a plain console agent."""
    grant(admin, unique("ana"), Role.AGENT)  # the groups exist
    pat, reporting, readers = unique("pat"), unique("reporting"), unique("readers")
    run(admin, f'CREATE ROLE "{pat}" LOGIN CREATEDB CONNECTION LIMIT 3')
    run(admin, f'CREATE ROLE "{reporting}"')
    run(admin, f'CREATE ROLE "{readers}"')
    run(admin, f'GRANT "{readers}" TO "{reporting}"')
    run(admin, f'GRANT "{reporting}" TO "{pat}" WITH ADMIN OPTION')
    run(admin, f'GRANT SELECT, UPDATE (title, status) ON tickets TO "{reporting}"')
    run(admin, f"CREATE FUNCTION public.{pat}_f(integer) RETURNS int LANGUAGE sql AS 'SELECT 1'")
    run(admin, f"REVOKE EXECUTE ON FUNCTION public.{pat}_f(integer) FROM PUBLIC")
    run(admin, f'GRANT EXECUTE ON FUNCTION public.{pat}_f(integer) TO "{pat}"')
    before = catalog(admin)
    code, lines, _ = run_main(capsys, "--db", admin.url, "db", "grant", pat, "--check")
    assert code == 0
    assert catalog(admin) == before
    for fact in (
        "createdb: yes",
        "connection limit: 3",
        f"member of: {readers} (through {reporting})",
        f"member of: {reporting} (with admin option)",
        f"granted directly: function public.{pat}_f(integer)",
        "table public.tickets: SELECT, UPDATE (status, title)",
        "table public.agents: none",
        f"function public.{pat}_f(integer): EXECUTE",
        f"{pat} is not a console login",
    ):
        assert fact in lines
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert warnings == [
        f"warning: {pat} has CREATEDB, so it can create databases; db grant clears it",
        f"warning: {pat} is a member of {reporting} (with admin option), so it has the rights "
        f"of {reporting}; db grant clears it",
        f"warning: {pat} holds privileges granted to it directly on function "
        f"public.{pat}_f(integer), beside its group's; db grant clears it",
    ]
    code, lines, _ = run_main(capsys, "--db", admin.url, "db", "grant", pat, "--role", "agent")
    where = describe(admin.url)
    assert (code, lines) == (
        0,
        [
            f"{where}: {pat} has the agent rights",
            f"{where}: removed CREATEDB from {pat}",
            f"{where}: revoked {pat}'s membership of {reporting}",
            f"{where}: revoked the privileges granted to {pat} directly on function "
            f"public.{pat}_f(integer)",
        ],
    )
    code, lines, _ = run_main(capsys, "--db", admin.url, "db", "grant", pat, "--check")
    assert lines[-1] == f"{pat} is a console agent"
    assert [line for line in lines if line.startswith("member of: ")] == [
        "member of: console_agent"
    ]
    assert f"function public.{pat}_f(integer): EXECUTE" not in lines

    run(admin, f'ALTER ROLE "{pat}" CREATEROLE')
    run(admin, "GRANT UPDATE ON ticket_events TO PUBLIC")
    code, lines, _ = run_main(capsys, "--db", admin.url, "db", "grant", pat, "--check")
    assert lines[-3:] == [
        f"{pat} is not a console login (a member of console_agent, with the warnings below)",
        f"warning: {pat} has CREATEROLE, so it can create roles and make any role, itself "
        "included, a member of console_lead; db grant clears it",
        f"warning: {pat} can UPDATE ticket_events, unlike the agent rights; db grant sets "
        "them or refuses",
    ]


@pytest.mark.postgres
def test_check_before_the_schema_is_upgraded(superuser: Database) -> None:
    sam = unique("sam")
    run(superuser, f'CREATE ROLE "{sam}" LOGIN')
    lines = check(superuser, sam)
    assert not any(line.startswith("table ") for line in lines)
    assert lines[-2:] == [
        f"{sam} is not a console login",
        f"warning: the schema of {describe(superuser.url)} is not at this version's "
        "revision, so db grant refuses (run support-console --db URL db upgrade first); "
        f"{sam}'s rights were not compared with the console's",
    ]


@pytest.mark.postgres
def test_check_of_a_missing_login_is_bad_input(
    admin: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = catalog(admin)
    code, lines, err = run_main(capsys, "--db", admin.url, "db", "grant", "nobody_here", "--check")
    assert code == ExitStatus.BAD_INPUT
    assert lines == []
    assert err == (
        f"support-console: there is no role nobody_here on {describe(admin.url)}: nothing to "
        "check\n"
    )
    assert catalog(admin) == before


@pytest.mark.parametrize(
    "options",
    [["--check", "--role", "agent"], ["--check", "--password"], ["--role", "lead", "--check"], []],
)
def test_check_goes_without_role_and_password(
    options: list[str], sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = run_main(capsys, "--db", sqlite_url, "db", "grant", "ana", *options)
    assert code == ExitStatus.USAGE
    assert lines == []
    assert err.count("\n") == 1 and "--check" in err and "--role" in err


def test_check_is_refused_on_sqlite(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "--db", sqlite_url, "db", "upgrade")[0] == 0
    code, lines, err = run_main(capsys, "--db", sqlite_url, "db", "grant", "ana", "--check")
    assert (code, lines, err) == (ExitStatus.PROBLEMS, [], f"support-console: {SQLITE_REFUSAL}\n")


# --------------------------------------------------------------------------- real passwords


@pytest.fixture(scope="module")
def password_server() -> Iterator[PostgresServer]:
    """A server of its own that asks everyone but the superuser for a password."""
    folder = Path(tempfile.mkdtemp(prefix="grants-hba-"))
    os.chmod(folder, 0o755)  # the server may run as the postgres user
    hba = folder / "pg_hba.conf"
    hba.write_text(
        "local all all trust\n"
        "host all postgres 127.0.0.1/32 trust\n"
        "host all all 127.0.0.1/32 scram-sha-256\n",
        encoding="ascii",
    )
    hba.chmod(0o644)
    server = PostgresServer(settings={"hba_file": str(hba)})
    try:
        server.start()
    except PostgresUnavailable as error:
        server.cleanup()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    yield server
    server.cleanup()
    hba.unlink()
    folder.rmdir()


@pytest.mark.postgres
def test_the_login_needs_its_password(password_server: PostgresServer) -> None:
    url = password_server.create_database("grants")
    admin = Database.open(url)
    try:
        admin.upgrade()
        grant(admin, "ana", Role.AGENT, "s3cret'$$")
        good = make_url(url).set(username="ana", password="s3cret'$$")
        bad = make_url(url).set(username="ana", password="wrong")
        for attempt, works in ((good, True), (bad, False)):
            database = Database.open(attempt.render_as_string(hide_password=False))
            try:
                if works:
                    assert run(database, "SELECT 1 FROM tickets") == 0
                else:
                    with pytest.raises(OperationalError, match="password authentication"):
                        run(database, "SELECT 1")
            finally:
                database.dispose()
    finally:
        admin.dispose()
