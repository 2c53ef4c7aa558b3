"""Database-enforced roles on PostgreSQL: what an agent's or a lead's login may change.

Two group roles (``console_agent`` and ``console_lead``) hold the privileges; a person's
login role is a member of exactly one of them. Both may read every table and write none:
they write by executing the command functions of :mod:`console.adapters.pg_commands`
(EXECUTE per group, as :data:`console.adapters.pg_commands.FUNCTIONS` says), which run as
``console_writer``, a role that cannot log in; :func:`grant` makes that role, hands it the
functions and gives it exactly the table rights they need.
Nobody may update, delete or truncate ticket events (their triggers refuse as well).

Roles are cluster-wide while privileges belong to one database: a login is an agent or a
lead in every console database of a cluster. Run :func:`grant` again after a schema upgrade
that adds tables (any user will do: it refreshes both groups' privileges).

Privileges restrict a login only when nothing else gives it rights, so :func:`grant` also
clears, or refuses when it cannot (in the one transaction), whatever would: attributes
(CREATEROLE lets a login make itself a lead), memberships of other roles, privileges granted
to the login itself or by default privileges, what it owns, roles that are its members, its
admin option on a console group, and the groups' own attributes, memberships and objects
(see :class:`Finding`). :func:`check` shows a login's effective rights and the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, LiteralString

import psycopg
from psycopg import sql
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, OperationalError

from console.adapters.database import Database, DatabaseError, describe
from console.adapters.pg_commands import FUNCTIONS, GROUPS, SCHEMA, privileges_sql
from console.domain.model import Role

__all__ = [
    "GROUPS",
    "SQLITE_REFUSAL",
    "Finding",
    "NoSuchLoginError",
    "check",
    "check_name",
    "grant",
    "grant_sql",
]

SQLITE_REFUSAL = (
    "roles are PostgreSQL's: SQLite has no users; the console enforces roles in its service layer"
)
# Any constant (not the change feed's): serialises concurrent grants on one database.
GRANT_LOCK_KEY = 7_340_114
MAX_NAME_LENGTH = 63  # PostgreSQL's NAMEDATALEN - 1: longer names are cut silently


class NoSuchLoginError(DatabaseError):
    """:func:`check` was asked about a role that does not exist."""


_NAME = re.compile(r"[a-z_][a-z0-9_.-]*")
_RESERVED = frozenset({"public", "none", "current_user", "session_user", "current_role"})
_TABLES = (
    "agents",
    "customers",
    "tickets",
    "ticket_events",
    "holiday_periods",
    "presences",
    "handovers",
    "changes",
    "clock_outcomes",
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


# --------------------------------------------------------------------------- what else gives rights


@dataclass(frozen=True)
class Finding:
    """Something that gives a login more than its group's rights, or lets it take them.

    :func:`grant` runs ``fix`` (the statements clearing it) or, when there are none,
    refuses; ``advice`` says what a person can do about it."""

    problem: str
    advice: str
    fix: tuple[str, ...] = ()
    done: str = ""


@dataclass(frozen=True)
class _Role:
    oid: int
    name: str
    login: bool
    superuser: bool
    createrole: bool
    createdb: bool
    bypassrls: bool
    replication: bool
    inherit: bool
    connection_limit: int
    valid_until: str | None


# What each attribute allows (for a login; a group's members may SET ROLE to it).
_ATTRIBUTE_RISKS = {
    "superuser": "no privileges restrict it",
    "login": "whoever knows its password can log in as it",
    "createrole": (
        f"it can create roles and make any role, itself included, a member of {GROUPS[Role.LEAD]}"
    ),
    "createdb": "it can create databases",
    "bypassrls": "row-level security policies do not apply to it",
    "replication": "it can copy every database of the cluster through replication",
}
_LOGIN_ATTRIBUTES = ("createrole", "createdb", "bypassrls", "replication")
_GROUP_ATTRIBUTES = ("superuser", "login", "createrole", "createdb", "bypassrls", "replication")
_SUPERUSER_ONLY = frozenset({"superuser", "bypassrls", "replication"})  # PostgreSQL 15's rule
# pg_identify_object's type -> the object kind of REVOKE ... ON.
_REVOKE_ON = {
    "table": "TABLE",
    "view": "TABLE",
    "materialized view": "TABLE",
    "foreign table": "TABLE",
    "sequence": "SEQUENCE",
    "function": "ROUTINE",
    "procedure": "ROUTINE",
    "aggregate": "ROUTINE",
    "schema": "SCHEMA",
    "type": "TYPE",
    "domain": "DOMAIN",
    "database": "DATABASE",
    "large object": "LARGE OBJECT",
    "language": "LANGUAGE",
    "foreign-data wrapper": "FOREIGN DATA WRAPPER",
    "server": "FOREIGN SERVER",
    "parameter ACL": "PARAMETER",
}
# pg_default_acl.defaclobjtype -> ALTER DEFAULT PRIVILEGES' kind.
_DEFAULT_KINDS = {
    "r": "TABLES",
    "S": "SEQUENCES",
    "f": "FUNCTIONS",
    "T": "TYPES",
    "n": "SCHEMAS",
    "L": "LARGE OBJECTS",  # PostgreSQL 17
}
# Objects of this database (and the database itself, and privileges on server parameters)
# that a role owns ('o') or whose privileges name it ('a'), from the shared dependencies.
_OBJECTS = (
    "WITH here AS (SELECT oid FROM pg_database WHERE datname = current_database()), "
    "mine AS MATERIALIZED (SELECT DISTINCT d.deptype, d.classid, d.objid "
    "FROM pg_shdepend d, here WHERE d.refclassid = 'pg_authid'::regclass "
    "AND d.refobjid = CAST(:o AS oid) AND d.deptype IN ('o', 'a') "
    "AND d.classid <> 'pg_default_acl'::regclass "
    "AND (d.dbid = here.oid "
    "OR (d.dbid = 0 AND d.classid = 'pg_database'::regclass AND d.objid = here.oid) "
    "OR (d.dbid = 0 AND d.classid = to_regclass('pg_catalog.pg_parameter_acl')))) "
    "SELECT m.deptype, o.type, o.identity FROM mine m "
    "CROSS JOIN LATERAL pg_identify_object(m.classid, m.objid, 0) AS o "
    "ORDER BY 1, 2, 3"
)
MAX_LISTED = 5  # objects named in one message


def _quoted(name: str) -> str:
    return _text(sql.Identifier(name))


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def _role(connection: Connection, name: str) -> _Role | None:
    row = connection.execute(
        text(
            "SELECT oid, rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, "
            "rolbypassrls, rolreplication, rolinherit, rolconnlimit, "
            # As text: 'infinity' is no Python datetime.
            "CASE WHEN isfinite(rolvaliduntil) THEN to_char(rolvaliduntil AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS"Z"\') ELSE rolvaliduntil::text END '
            "FROM pg_roles WHERE rolname = :u"
        ),
        {"u": name},
    ).first()
    return None if row is None else _Role(*row)


def _memberships(connection: Connection, oid: int) -> list[tuple[str, bool, bool]]:
    """(role, with admin option, is a superuser) of each role OID is a direct member of."""
    rows = connection.execute(
        text(
            "SELECT g.rolname, bool_or(m.admin_option), g.rolsuper FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = CAST(:o AS oid) "
            "GROUP BY g.rolname, g.rolsuper ORDER BY g.rolname"
        ),
        {"o": oid},
    )
    return [(str(name), bool(admin), bool(superuser)) for name, admin, superuser in rows]


def _members(connection: Connection, oid: int) -> list[str]:
    """The roles that are direct members of OID."""
    rows = connection.execute(
        text(
            "SELECT DISTINCT u.rolname FROM pg_auth_members m JOIN pg_roles u "
            "ON u.oid = m.member WHERE m.roleid = CAST(:o AS oid) ORDER BY 1"
        ),
        {"o": oid},
    )
    return [str(name) for name in rows.scalars()]


def _objects(connection: Connection, oid: int, deptype: str) -> list[tuple[str, str]]:
    """(type, identity) of what OID owns ('o') or is named in the privileges of ('a')."""
    rows = connection.execute(text(_OBJECTS), {"o": oid})
    return [(str(kind), str(identity)) for found, kind, identity in rows if found == deptype]


def _described(objects: list[tuple[str, str]]) -> list[str]:
    return [f"{'parameter' if kind == 'parameter ACL' else kind} {name}" for kind, name in objects]


def _default_privileges(
    connection: Connection, oid: int
) -> list[tuple[str, str | None, str, bool, str]]:
    """(owner, schema or None, kind, whether the current user may change them, privileges)
    of each default privilege that gives OID rights on objects created later."""
    rows = connection.execute(
        text(
            "SELECT r.rolname, n.nspname, a.defaclobjtype::text, "
            "pg_has_role(current_user, a.defaclrole, 'USAGE'), "
            "(SELECT string_agg(DISTINCT x.privilege_type, ', ' ORDER BY x.privilege_type) "
            "FROM aclexplode(a.defaclacl) AS x WHERE x.grantee = CAST(:o AS oid)) "
            "FROM pg_default_acl a JOIN pg_roles r ON r.oid = a.defaclrole "
            "LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace "
            "WHERE EXISTS (SELECT FROM aclexplode(a.defaclacl) AS x "
            "WHERE x.grantee = CAST(:o AS oid)) ORDER BY 1, 2 NULLS FIRST, 3"
        ),
        {"o": oid},
    )
    return [
        (str(owner), schema, str(kind), bool(may), str(privileges))
        for owner, schema, kind, may, privileges in rows
    ]


def _admin_is_superuser(connection: Connection) -> bool:
    return bool(
        connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
    )


def _unrestricted(connection: Connection, name: str) -> Finding | None:
    """Privileges cannot restrict a superuser or the tables' owner (a member of the owner
    may SET ROLE to it, whether or not it inherits its rights)."""
    row = connection.execute(
        text(
            "SELECT r.rolsuper, EXISTS (SELECT FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "AND pg_has_role(r.oid, c.relowner, 'MEMBER')) "
            "FROM pg_roles r WHERE r.rolname = :u"
        ),
        {"u": name},
    ).first()
    if row is None:
        return None
    superuser, owner = row
    if superuser:
        return Finding(
            f"{name} is a superuser",
            "no privileges restrict a superuser; grant roles to ordinary logins",
        )
    if owner:
        return Finding(
            f"{name} owns the console's tables (or has their owner's rights)",
            "privileges cannot restrict an owner; grant roles to separate logins",
        )
    return None


def _refuse_unrestricted(connection: Connection, name: str) -> None:
    found = _unrestricted(connection, name)
    if found is not None:
        raise DatabaseError(f"{found.problem}: {found.advice}. Nothing was changed.")


def _attribute_findings(
    role: _Role, attributes: tuple[str, ...], superuser: bool, subject: str
) -> list[Finding]:
    """ROLE's ATTRIBUTES that give rights: cleared, or refused when only a superuser may
    clear them and SUPERUSER (whether the current user is one) is false."""
    found = []
    for attribute in attributes:
        if not getattr(role, attribute):
            continue
        keyword = attribute.upper()
        statement = f"ALTER ROLE {_quoted(role.name)} NO{keyword}"
        problem = f"{subject} has {keyword}, so {_ATTRIBUTE_RISKS[attribute]}"
        if attribute in _SUPERUSER_ONLY and not superuser:
            advice = (
                "only a superuser may remove it (run db grant as a superuser, or have one run "
                f"{statement})"
            )
            found.append(Finding(problem, advice))
        else:
            found.append(
                Finding(
                    problem, f"run {statement}", (statement,), f"removed {keyword} from {role.name}"
                )
            )
    return found


def _owner_finding(
    owned: list[str], subject: str, consequence: str, role: str, admin: str
) -> Finding:
    """SUBJECT owns OWNED (CONSEQUENCE: what that allows, with ``{them}``), ROLE's objects."""
    them = "it" if len(owned) == 1 else "them"
    return Finding(
        f"{subject} owns {_some(owned)}, so {consequence.format(them=them)}",
        f"give {them} to another role first (ALTER ... OWNER TO, or REASSIGN OWNED BY "
        f"{_quoted(role)} TO {_quoted(admin)})",
    )


def _login_findings(
    connection: Connection, login: _Role, superuser: bool, admin: str
) -> list[Finding]:
    name, user = login.name, _quoted(login.name)
    found = _attribute_findings(login, _LOGIN_ATTRIBUTES, superuser, name)
    for other, admin_option, other_is_superuser in _memberships(connection, login.oid):
        if other in GROUPS.values():
            if admin_option:
                found.append(
                    Finding(
                        f"{name} may grant {other} to any role (it is a member WITH ADMIN OPTION)",
                        f"run REVOKE ADMIN OPTION FOR {_quoted(other)} FROM {user}",
                    )
                )
            continue  # the group it gets stays; grant_sql revokes the other one
        statement = f"REVOKE {_quoted(other)} FROM {user}"
        admin_ = " (with admin option)" if admin_option else ""
        if other_is_superuser and not superuser:
            found.append(
                Finding(
                    f"{name} is a member of the superuser role {other}{admin_}",
                    f"only a superuser may revoke it ({statement})",
                )
            )
        else:
            found.append(
                Finding(
                    f"{name} is a member of {other}{admin_}, so it has the rights of {other}",
                    f"run {statement}",
                    (statement,),
                    f"revoked {name}'s membership of {other}",
                )
            )
    found += [
        Finding(
            f"{member} is a member of {name}, so {name}'s rights would pass to {member}",
            f"run REVOKE {user} FROM {_quoted(member)}",
        )
        for member in _members(connection, login.oid)
    ]
    owned = _described(_objects(connection, login.oid, "o"))
    if owned:
        found.append(
            _owner_finding(
                owned, name, "it may change or drop {them} whatever its group may do", name, admin
            )
        )
    granted = _objects(connection, login.oid, "a")
    revocable = [(kind, identity) for kind, identity in granted if kind in _REVOKE_ON]
    if revocable:
        listed = _some(_described(revocable))
        found.append(
            Finding(
                f"{name} holds privileges granted to it directly on {listed}, beside its group's",
                f"revoke them as their grantor (REVOKE ALL ON ... FROM {user})",
                tuple(
                    f"REVOKE ALL ON {_REVOKE_ON[kind]} {identity} FROM {user} CASCADE"
                    for kind, identity in revocable
                ),
                f"revoked the privileges granted to {name} directly on {listed}",
            )
        )
    others = [(kind, identity) for kind, identity in granted if kind not in _REVOKE_ON]
    if others:
        found.append(
            Finding(
                f"{name} holds privileges granted to it directly on "
                f"{_some(_described(others))}, beside its group's",
                f"revoke them (REVOKE ALL ON ... FROM {user})",
            )
        )
    for owner, schema, kind, may, privileges in _default_privileges(connection, login.oid):
        noun = _DEFAULT_KINDS.get(kind, kind)
        in_schema = f" in schema {schema}" if schema is not None else ""
        statement = (
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quoted(owner)}"
            + (f" IN SCHEMA {_quoted(schema)}" if schema is not None else "")
            + f" REVOKE ALL ON {noun} FROM {user}"
        )
        problem = (
            f"default privileges give {name} {privileges} on the {noun.lower()} that "
            f"{owner} creates{in_schema}"
        )
        if may and kind in _DEFAULT_KINDS:
            done = (
                f"revoked the default privileges giving {name} {privileges} on new "
                f"{noun.lower()} of {owner}{in_schema}"
            )
            found.append(Finding(problem, f"run {statement}", (statement,), done))
        elif may:  # a kind this version does not know
            found.append(Finding(problem, f"revoke them by hand ({statement})"))
        else:
            found.append(Finding(problem, f"only {owner} or a superuser may run {statement}"))
    return found


def _group_findings(connection: Connection, superuser: bool, admin: str) -> list[Finding]:
    """What lets every member of a console group have more than its rights."""
    found = []
    for role, group in GROUPS.items():
        found_group = _role(connection, group)
        if found_group is None:
            continue
        subject = f"{group} (every {role}'s group)"
        found += _attribute_findings(found_group, _GROUP_ATTRIBUTES, superuser, subject)
        found += [
            Finding(
                f"{group} is a member of {other}, so every {role}'s login has the rights "
                f"of {other}",
                f"run REVOKE {_quoted(other)} FROM {_quoted(group)}",
            )
            for other, _, _ in _memberships(connection, found_group.oid)
        ]
        owned = _described(_objects(connection, found_group.oid, "o"))
        if owned:
            consequence = f"every {role}'s login may change or drop {{them}}"
            found.append(_owner_finding(owned, group, consequence, group, admin))
    return found


def _findings(connection: Connection, name: str) -> list[Finding]:
    """Whatever would let NAME (a login, or the name of one to make) have more than its
    console group's rights, as :func:`grant` would clear or refuse it when run by the
    current user."""
    unrestricted = _unrestricted(connection, name)
    if unrestricted is not None:
        return [unrestricted]  # nothing else matters
    superuser = _admin_is_superuser(connection)
    admin = str(connection.execute(text("SELECT current_user")).scalar_one())
    login = _role(connection, name)
    found = [] if login is None else _login_findings(connection, login, superuser, admin)
    return found + _group_findings(connection, superuser, admin)


def _refusal(
    name: str, role: Role, where: str, findings: list[Finding], admin: str | None = None
) -> str:
    reasons = "; ".join(f"{f.problem}: {f.advice}" for f in findings)
    cleared = (
        f" ({admin} could not clear {'it' if len(findings) == 1 else 'them'})" if admin else ""
    )
    return (
        f"{name} cannot be given the {role} rights on {where}: {reasons}{cleared}. "
        "Nothing was changed."
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


def grant(database: Database, name: str, role: Role, password: str | None = None) -> list[str]:
    """Make NAME a login with ROLE's rights on DATABASE, in one transaction, as its admin;
    what was cleared besides (see :func:`check`), one sentence each.

    Refused (nothing changed) on SQLite, before the schema is upgraded, for superusers and
    the tables' owner, for what the admin may not clear (attributes only a superuser may
    remove, memberships in superuser roles, default privileges of other roles), for what
    only a person should decide (what the login owns, roles that are its members, its admin
    option on a console group, the groups' own memberships and objects), and whenever the
    rights would not come out exactly as ROLE's.
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
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({GRANT_LOCK_KEY})")
            _refuse_unrestricted(connection, name)
            findings = _findings(connection, name)
            refused = [f for f in findings if not f.fix]
            if refused:
                raise DatabaseError(_refusal(name, role, where, refused))
            secret = _verifier(connection, name, password) if password is not None else None
            driver = _driver(connection)
            for statement in grant_sql(name, role, secret):
                # Straight to psycopg: through SQLAlchemy, '%' (in format()) is a placeholder.
                driver.execute(statement.encode())
            for finding in findings:
                _clear(driver, finding)
            # What the admin could not clear, or what a REVOKE left (it revokes only what the
            # admin granted, or the owner when the admin has the owner's rights).
            left = _findings(connection, name)
            if left:
                raise DatabaseError(_refusal(name, role, where, left, admin))
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
            raise DatabaseError(_not_allowed(where, _reason(error))) from None
        raise
    except psycopg.errors.InsufficientPrivilege as error:  # a statement run on psycopg
        raise DatabaseError(_not_allowed(where, _first_line(str(error)))) from None
    return [finding.done for finding in findings]


def _clear(driver: psycopg.Connection[Any], finding: Finding) -> None:
    """Run FINDING's fix; when the admin may not, leave things as they were."""
    driver.execute(b"SAVEPOINT console_grant_clear")
    try:
        for statement in finding.fix:
            driver.execute(statement.encode())
    except psycopg.errors.InsufficientPrivilege:
        driver.execute(b"ROLLBACK TO SAVEPOINT console_grant_clear")
    driver.execute(b"RELEASE SAVEPOINT console_grant_clear")


def _not_allowed(where: str, reason: str) -> str:
    return (
        f"the connecting user may not grant roles on {where}: {reason}; connect as the "
        "owner of the console's tables with CREATEROLE (or a superuser). Nothing was changed."
    )


# --------------------------------------------------------------------------- db grant --check

_TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
_COLUMN_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "REFERENCES")
_SEQUENCE_PRIVILEGES = ("USAGE", "SELECT", "UPDATE")
_RELATION_KINDS = {
    "r": "table",
    "p": "table",
    "v": "view",
    "m": "materialized view",
    "f": "foreign table",
}
_ROUTINE_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window function"}
# Schemas that are not PostgreSQL's own.
_USER_SCHEMA = (
    "{n}.nspname NOT IN ('pg_catalog', 'information_schema') AND left({n}.nspname, 3) <> 'pg_'"
)


def check(database: Database, name: str) -> list[str]:
    """What NAME may do on DATABASE, one fact a line (attributes, memberships, what it owns,
    its privileges on the database, the schemas, every table and sequence of schema public
    and every routine it may execute outside PostgreSQL's schemas), then a verdict and a
    warning for each thing :func:`grant` would clear or refuse. Changes nothing.

    The verdict calls NAME a console agent (or lead) only when it is a login member of that
    group alone and :func:`grant` would find nothing to change: :class:`NoSuchLoginError` when
    there is no role NAME."""
    check_name(name)
    if database.is_sqlite:
        raise DatabaseError(SQLITE_REFUSAL)
    where = describe(database.url)
    try:
        comparable = not database.needs_upgrade()
        with database.engine.connect() as connection:
            connection.execution_options(postgresql_readonly=True)
            login = _role(connection, name)
            if login is None:
                raise NoSuchLoginError(f"there is no role {name} on {where}: nothing to check")
            lines = [f"role: {name}", f"database: {where}", *_attribute_lines(login)]
            lines += _membership_lines(connection, login)
            lines += _object_lines(connection, login)
            lines += _privilege_lines(connection, login.oid)
            lines += _verdict(connection, login, where, comparable=comparable)
            connection.rollback()
    except OperationalError as error:
        raise DatabaseError(f"cannot reach {where}: {_reason(error)}") from None
    return lines


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _attribute_lines(login: _Role) -> list[str]:
    limit = "none" if login.connection_limit < 0 else str(login.connection_limit)
    return [
        f"login: {_yes(login.login)}",
        f"superuser: {_yes(login.superuser)}",
        f"createrole: {_yes(login.createrole)}",
        f"createdb: {_yes(login.createdb)}",
        f"bypassrls: {_yes(login.bypassrls)}",
        f"replication: {_yes(login.replication)}",
        f"inherit: {_yes(login.inherit)}",
        f"connection limit: {limit}",
        f"valid until: {login.valid_until or 'never'}",
    ]


def _membership_lines(connection: Connection, login: _Role) -> list[str]:
    rows = connection.execute(
        text(
            "WITH RECURSIVE up(roleid, path, admin) AS ("
            "SELECT m.roleid, ARRAY[]::name[], m.admin_option FROM pg_auth_members m "
            "WHERE m.member = CAST(:o AS oid) "
            "UNION ALL SELECT m.roleid, up.path || g.rolname, m.admin_option FROM up "
            "JOIN pg_roles g ON g.oid = up.roleid JOIN pg_auth_members m ON m.member = up.roleid "
            "WHERE cardinality(up.path) < 16) "
            "SELECT r.rolname, array_to_string(up.path, ', '), bool_or(up.admin) "
            "FROM up JOIN pg_roles r ON r.oid = up.roleid GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        {"o": login.oid},
    )
    lines = []
    for role, path, admin in rows:
        notes = ([f"through {path}"] if path else []) + (["with admin option"] if admin else [])
        lines.append(f"member of: {role}" + (f" ({', '.join(notes)})" if notes else ""))
    lines = lines or ["member of: nothing"]
    members = _members(connection, login.oid)
    return lines + ([f"has member: {m}" for m in members] or ["has members: none"])


def _object_lines(connection: Connection, login: _Role) -> list[str]:
    owned = _described(_objects(connection, login.oid, "o"))
    granted = _described(_objects(connection, login.oid, "a"))
    defaults = [
        f"default privileges: {privileges} on new {_DEFAULT_KINDS.get(kind, kind).lower()} "
        f"of {owner}" + (f" in schema {schema}" if schema is not None else "")
        for owner, schema, kind, _, privileges in _default_privileges(connection, login.oid)
    ]
    return (
        ([f"owns: {o}" for o in owned] or ["owns: nothing in this database"])
        + ([f"granted directly: {g}" for g in granted] or ["granted directly: nothing"])
        + (defaults or ["default privileges: none"])
    )


def _privilege_lines(connection: Connection, oid: int) -> list[str]:
    """Its effective privileges on the database, on each schema not PostgreSQL's, on each
    table and sequence of schema public, and the routines it may execute."""
    role = {"o": oid}
    database = connection.execute(
        text(
            "SELECT current_database(), "
            + ", ".join(
                f"has_database_privilege(CAST(:o AS oid), current_database(), '{p}')"
                for p in ("CONNECT", "CREATE", "TEMPORARY")
            )
        ),
        role,
    ).one()
    lines = [
        _privileges_line(
            f"database {database[0]}", ("CONNECT", "CREATE", "TEMPORARY"), database[1:]
        )
    ]
    schemas = connection.execute(
        text(
            "SELECT quote_ident(n.nspname), has_schema_privilege(CAST(:o AS oid), n.oid, 'USAGE'), "
            "has_schema_privilege(CAST(:o AS oid), n.oid, 'CREATE') FROM pg_namespace n WHERE "
            + _USER_SCHEMA.format(n="n")
            + " ORDER BY n.nspname"
        ),
        role,
    )
    lines += [_privileges_line(f"schema {s}", ("USAGE", "CREATE"), has) for s, *has in schemas]
    columns: dict[tuple[int, str], list[str]] = {}
    for table, column, *has in connection.execute(
        text(
            "SELECT a.attrelid, quote_ident(a.attname), "
            + ", ".join(
                f"has_column_privilege(CAST(:o AS oid), a.attrelid, a.attnum, '{p}')"
                for p in _COLUMN_PRIVILEGES
            )
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY a.attname"
        ),
        role,
    ):
        for privilege, granted in zip(_COLUMN_PRIVILEGES, has, strict=True):
            if granted:
                columns.setdefault((table, privilege), []).append(column)
    tables = connection.execute(
        text(
            "SELECT c.oid, c.relkind::text, quote_ident(c.relname), "
            + ", ".join(
                f"has_table_privilege(CAST(:o AS oid), c.oid, '{p}')" for p in _TABLE_PRIVILEGES
            )
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
            "ORDER BY c.relname"
        ),
        role,
    )
    for table, kind, relation, *has in tables:
        words = []
        for privilege, granted in zip(_TABLE_PRIVILEGES, has, strict=True):
            partial = columns.get((table, privilege))
            if granted:
                words.append(privilege)
            elif partial:
                words.append(f"{privilege} ({', '.join(partial)})")
        lines.append(f"{_RELATION_KINDS[kind]} public.{relation}: {', '.join(words) or 'none'}")
    sequences = connection.execute(
        text(
            "SELECT quote_ident(c.relname), "
            + ", ".join(
                f"has_sequence_privilege(CAST(:o AS oid), c.oid, '{p}')"
                for p in _SEQUENCE_PRIVILEGES
            )
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname"
        ),
        role,
    )
    lines += [
        _privileges_line(f"sequence public.{s}", _SEQUENCE_PRIVILEGES, has) for s, *has in sequences
    ]
    routines = connection.execute(
        text(
            "SELECT p.prokind::text, quote_ident(n.nspname) || '.' || quote_ident(p.proname) "
            "|| '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE "
            + _USER_SCHEMA.format(n="n")
            + " AND has_function_privilege(CAST(:o AS oid), p.oid, 'EXECUTE') "
            "ORDER BY signature"
        ),
        role,
    )
    executable = [f"{_ROUTINE_KINDS.get(k, k)} {s}: EXECUTE" for k, s in routines]
    return lines + (executable or ["routines it may execute: none"])


def _privileges_line(what: str, privileges: tuple[str, ...], has: Any) -> str:
    granted = [p for p, yes in zip(privileges, has, strict=True) if yes]
    return f"{what}: {', '.join(granted) or 'none'}"


def _verdict(connection: Connection, login: _Role, where: str, *, comparable: bool) -> list[str]:
    """The verdict line, then a warning for each thing db grant would clear or refuse."""
    name = login.name
    warnings = [
        f"{f.problem}; db grant clears it"
        if f.fix
        else f"{f.problem}; db grant refuses: {f.advice}"
        for f in _findings(connection, name)
    ]
    if not login.login:
        warnings.append(f"{name} cannot log in (NOLOGIN); db grant gives it LOGIN")
    if not login.inherit:
        warnings.append(
            f"{name} does not have its groups' rights (NOINHERIT); db grant gives it INHERIT"
        )
    groups = [
        r for r, g in GROUPS.items() if g in {m for m, _, _ in _memberships(connection, login.oid)}
    ]
    if len(groups) > 1:
        warnings.append(
            f"{name} is a member of both {' and '.join(GROUPS[r] for r in groups)}; db grant "
            "keeps only the one it gives"
        )
    if not comparable:
        warnings.append(
            f"the schema of {where} is not at this version's revision, so db grant refuses "
            f"(run support-console --db URL db upgrade first); {name}'s rights were not "
            "compared with the console's"
        )
    elif len(groups) == 1:
        warnings += [
            f"{name} {problem}, unlike the {groups[0]} rights; db grant sets them or refuses"
            for problem in _mismatches(connection, name, groups[0])
        ]
    if len(groups) == 1 and not warnings:
        verdict = f"{name} is a console {groups[0]}"
    elif groups:
        names = " and ".join(GROUPS[r] for r in groups)
        verdict = f"{name} is not a console login (a member of {names}, with the warnings below)"
    else:
        verdict = f"{name} is not a console login"
    return [verdict, *(f"warning: {w}" for w in warnings)]


def _reason(error: DBAPIError) -> str:
    return _first_line(str(error.orig)) or str(error)


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[0] if lines else message
