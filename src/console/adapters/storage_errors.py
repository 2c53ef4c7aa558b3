"""What went wrong with a database or a file, in words a user can act on.

The drivers say it in many ways: SQLite through ``sqlite3`` error names and messages
("database or disk is full", "file is not a database"), PostgreSQL through psycopg's
connection messages and SQLSTATE codes, files through ``errno``, each perhaps wrapped by
SQLAlchemy or by :class:`~console.adapters.database.DatabaseError`.
:func:`describe_storage_error` maps all of them to one :class:`StorageProblem`: a kind the
caller can act on (the command line picks its exit status by it, the window its banner) and
a message that names the file or the database URL (never its password).
"""

from __future__ import annotations

import enum
import errno
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from console.adapters.database import DatabaseError, DatabaseLockedError, describe

__all__ = ["StorageKind", "StorageProblem", "describe_storage_error"]


class StorageKind(enum.Enum):
    """Why a database or a file could not be used."""

    LOCKED = "locked"  # another program holds the SQLite file
    FULL = "full"  # the disk (or the database's size limit) is full
    READ_ONLY = "read-only"  # the file, its folder or the disk may not be written
    CORRUPT = "corrupt"  # not a SQLite file, or a damaged one
    MISSING = "missing"  # the file or its folder does not exist, or a folder is in its place
    IO_ERROR = "I/O error"  # the disk failed to read or write
    UNREACHABLE = "unreachable"  # no answer from the database server
    LOGIN_REFUSED = "login refused"  # the server refused the user or its password
    NO_DATABASE = "no database"  # the server has no database of that name
    BAD_URL = "bad URL"  # the URL's options are not the driver's (?sslmode=bogus, ?mode=zz)

    @property
    def is_connection(self) -> bool:
        """A problem reaching a database server (rather than with the data kept)."""
        return self in (StorageKind.UNREACHABLE, StorageKind.LOGIN_REFUSED, StorageKind.NO_DATABASE)


@dataclass(frozen=True)
class StorageProblem:
    kind: StorageKind
    message: str

    def __str__(self) -> str:
        return self.message


def describe_storage_error(error: BaseException, url: str | None = None) -> StorageProblem | None:
    """The storage problem behind ``error``, or None when it is not one.

    ``url`` is the database the error came from, if any; it names the file or server in
    the message. Looks through SQLAlchemy's wrapping (``error.orig``) and through the
    console's own :class:`DatabaseError` to the driver error that caused it.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseLockedError):
            return StorageProblem(StorageKind.LOCKED, str(current))
        if isinstance(current, DBAPIError) and current.orig is not None:
            current = current.orig
            continue
        if isinstance(current, sqlite3.Error):
            return _sqlite_problem(current, url)
        if _is_psycopg(current):
            return _server_problem(current, url)
        if isinstance(current, OSError):
            return _file_problem(current)
        if isinstance(current, DatabaseError):
            # The console's DatabaseError says "cannot reach ..." for any OperationalError; the
            # driver error it was raised from says which kind of failure it was.
            current = current.__cause__ or current.__context__
            continue
        return None
    return None


# --------------------------------------------------------------------------- SQLite

_SQLITE_KINDS = (
    ("SQLITE_FULL", StorageKind.FULL),
    ("SQLITE_READONLY", StorageKind.READ_ONLY),
    ("SQLITE_PERM", StorageKind.READ_ONLY),
    ("SQLITE_CORRUPT", StorageKind.CORRUPT),
    ("SQLITE_NOTADB", StorageKind.CORRUPT),
    ("SQLITE_CANTOPEN", StorageKind.MISSING),
    ("SQLITE_BUSY", StorageKind.LOCKED),
    ("SQLITE_LOCKED", StorageKind.LOCKED),
    ("SQLITE_IOERR", StorageKind.IO_ERROR),
)
# For drivers that give no error name: SQLite's own message for each code.
_SQLITE_MESSAGES = (
    ("no such access mode", StorageKind.BAD_URL),  # options of a file: URI
    ("no such cache mode", StorageKind.BAD_URL),
    ("no such vfs", StorageKind.BAD_URL),
    ("database or disk is full", StorageKind.FULL),
    ("readonly database", StorageKind.READ_ONLY),
    ("file is not a database", StorageKind.CORRUPT),
    ("malformed", StorageKind.CORRUPT),
    ("unable to open database file", StorageKind.MISSING),
    ("database is locked", StorageKind.LOCKED),
    ("database table is locked", StorageKind.LOCKED),
    ("disk i/o error", StorageKind.IO_ERROR),
)


def _sqlite_problem(error: sqlite3.Error, url: str | None) -> StorageProblem | None:
    name = getattr(error, "sqlite_errorname", None) or ""
    text = str(error)
    kind = next((k for prefix, k in _SQLITE_KINDS if name.startswith(prefix)), None)
    if kind is None:
        lowered = text.lower()
        kind = next((k for part, k in _SQLITE_MESSAGES if part in lowered), None)
    if kind is None:
        return None
    path = _sqlite_path(url)
    file = f"the database file {path}" if path else "the database file"
    if kind is StorageKind.BAD_URL:
        message = f"{_url_text(url)} is not a usable SQLite URL: {text}"
    elif kind is StorageKind.FULL:
        message = (
            f"{file} cannot grow: the disk is full (or the file reached its size limit); "
            "nothing was saved. Free some space and try again"
        )
    elif kind is StorageKind.READ_ONLY:
        message = (
            f"{file} is read-only (the file, its folder or the disk may not be written): "
            "nothing was saved"
        )
    elif kind is StorageKind.CORRUPT:
        message = (
            f"{file} is not a SQLite database, or it is damaged ({text}): nothing was "
            "changed; use another file, or restore a copy"
        )
    elif kind is StorageKind.MISSING:
        message = f"{file} cannot be opened: {_why_unopenable(path)}"
    elif kind is StorageKind.LOCKED:
        message = (
            f"{file} is locked by another program: nothing was saved; try again when it is free"
        )
    else:
        message = f"{file} could not be read or written ({text}): nothing was saved"
    return StorageProblem(kind, message)


def _sqlite_path(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = parsed.database
    # A URI filename (file:/path?mode=ro) names the same file.
    return path.removeprefix("file:") if parsed.query.get("uri") else path


def _why_unopenable(path: str | None) -> str:
    """Why SQLite could not open ``path`` (it says only "unable to open database file")."""
    if path is None:
        return "it does not exist, is a folder, or may not be read"
    file = Path(path)
    if file.is_dir():
        return "it is a folder, not a file"
    if not file.parent.is_dir():
        return f"its folder {file.parent} does not exist"
    if not file.exists():
        return "it does not exist"
    if not os.access(file, os.R_OK):
        return "it may not be read"
    return "its folder may not be written (SQLite keeps its journal there)"


# --------------------------------------------------------------------------- PostgreSQL


def _is_psycopg(error: BaseException) -> bool:
    return any(cls.__module__.startswith("psycopg") for cls in type(error).__mro__)


# SQLSTATE classes and codes (PostgreSQL manual, appendix A).
_SQLSTATE_KINDS = {
    "3D000": StorageKind.NO_DATABASE,  # invalid_catalog_name
    "28000": StorageKind.LOGIN_REFUSED,  # invalid_authorization_specification
    "28P01": StorageKind.LOGIN_REFUSED,  # invalid_password
    "53100": StorageKind.FULL,  # disk_full
    "25006": StorageKind.READ_ONLY,  # read_only_sql_transaction
    "57P01": StorageKind.UNREACHABLE,  # admin_shutdown
    "57P02": StorageKind.UNREACHABLE,  # crash_shutdown
    "57P03": StorageKind.UNREACHABLE,  # cannot_connect_now
}
# Errors at connection time carry no SQLSTATE, only the server's or libpq's words.
_SERVER_MESSAGES = (
    (
        re.compile(
            r"invalid connection option|invalid \w+ value|invalid integer value"
            r"|connection info string|invalid URI|invalid percent-encoded"
        ),
        StorageKind.BAD_URL,
    ),
    (re.compile(r'database ".*" does not exist'), StorageKind.NO_DATABASE),
    (
        re.compile(
            r"password authentication failed|authentication failed|role \".*\" does not exist"
            r"|no pg_hba\.conf entry|no password supplied|is not permitted to log in"
            r"|permission denied for database"
        ),
        StorageKind.LOGIN_REFUSED,
    ),
    (
        re.compile(
            r"connection refused|timeout expired|timed out|could not translate host name"
            r"|name or service not known|no route to host|network is unreachable"
            r"|server closed the connection|connection to server .* failed"
            r"|could not connect|the database system is (starting up|shutting down)"
            r"|terminating connection|consuming input failed|connection is (lost|closed)"
            r"|no such file or directory",
            re.IGNORECASE,
        ),
        StorageKind.UNREACHABLE,
    ),
)


def _server_problem(error: BaseException, url: str | None) -> StorageProblem | None:
    text = str(error)
    state = getattr(error, "sqlstate", None)
    kind = _SQLSTATE_KINDS.get(state) if isinstance(state, str) else None
    if kind is None and isinstance(state, str) and state.startswith("08"):
        kind = StorageKind.UNREACHABLE  # connection_exception
    if kind is None and not state:  # words from an error of SQL (with a SQLSTATE) may mislead
        kind = next((k for pattern, k in _SERVER_MESSAGES if pattern.search(text)), None)
    if kind is None:
        return None
    where = _url_text(url)
    reason = _server_reason(text)
    if kind is StorageKind.BAD_URL:
        message = f"{where} is not a usable PostgreSQL URL: {reason}"
    elif kind is StorageKind.UNREACHABLE:
        message = f"cannot reach {where}: {reason}"
    elif kind is StorageKind.LOGIN_REFUSED:
        message = (
            f"{where} refused the login: {reason}; check the user name and the password "
            "(in the URL or in ~/.pgpass)"
        )
    elif kind is StorageKind.NO_DATABASE:
        message = (
            f"{where}: {reason}: create it (createdb) and run "
            "`support-console --db URL db upgrade` once"
        )
    elif kind is StorageKind.FULL:
        message = f"{where}: the server's disk is full ({reason}): nothing was saved"
    else:
        message = f"{where} is read-only ({reason}): nothing was saved"
    return StorageProblem(kind, message)


def _url_text(url: str | None) -> str:
    if not url:
        return "the database"
    try:
        return describe(url)
    except ArgumentError:
        return "the database"


def _server_reason(text: str) -> str:
    """The server's or libpq's reason, without psycopg's "connection failed: ..." preamble."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "no reason given"
    first = lines[0]
    # 'connection failed: connection to server at "h", port 5 failed: FATAL:  role "x" ...'
    first = first.rsplit(" failed: ", 1)[-1]
    first = re.sub(r"^(FATAL|ERROR):\s+", "", first)
    return first


# --------------------------------------------------------------------------- files


def _file_problem(error: OSError) -> StorageProblem:
    path = error.filename if error.filename is not None else None
    name = os.fsdecode(path) if isinstance(path, str | bytes) else None
    file = name or "a file"
    reason = error.strerror or str(error)
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return StorageProblem(StorageKind.FULL, f"cannot write {file}: the disk is full ({reason})")
    if code == errno.EFBIG:
        message = f"cannot write {file}: it would grow past the size allowed ({reason})"
        return StorageProblem(StorageKind.FULL, message)
    if code == errno.EROFS:
        return StorageProblem(StorageKind.READ_ONLY, f"{file} is on a read-only disk ({reason})")
    if code in (errno.EACCES, errno.EPERM):
        return StorageProblem(StorageKind.READ_ONLY, f"{file}: not permitted ({reason})")
    if code == errno.ENOENT:
        if name is not None and not Path(name).parent.is_dir():
            where = f"its folder {Path(name).parent} does not exist"
            return StorageProblem(StorageKind.MISSING, f"{file}: {where}")
        return StorageProblem(StorageKind.MISSING, f"{file} does not exist")
    if code == errno.EISDIR:
        return StorageProblem(StorageKind.MISSING, f"{file} is a folder, not a file")
    if code == errno.ENOTDIR:
        return StorageProblem(StorageKind.MISSING, f"{file}: a part of its path is not a folder")
    if code in (errno.EBUSY, errno.ETXTBSY, errno.EAGAIN):
        return StorageProblem(StorageKind.LOCKED, f"{file} is in use by another program ({reason})")
    return StorageProblem(StorageKind.IO_ERROR, f"cannot read or write {file}: {reason}")
