"""A throw-away PgBouncer in front of a throw-away PostgreSQL (:mod:`pgserver`).

Why: a team of hundreds reaches its server through a transaction pooler, which breaks
whatever a console keeps in a server session from one transaction to the next (LISTEN,
prepared statements, startup options, session SETs). Only a real PgBouncer shows that, so
the tests and ``benchmarks/bench_team.py`` start one of their own: ``pool_mode =
transaction`` on a free port of 127.0.0.1, logins checked by SCRAM against the server's own
password verifiers (``auth_query``, so a login granted after the start is known at once),
everything in a temporary directory removed by :meth:`PgBouncer.cleanup` (also at exit).

As root the pooler runs as the ``postgres`` system user, like the server (it refuses root).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.conninfo import make_conninfo

from pgserver import HOST, PostgresServer, PostgresUnavailable, _child_env, _postgres_user

__all__ = ["PGBOUNCER", "PgBouncer", "PgBouncerUnavailable", "find_pgbouncer"]

PGBOUNCER = "/usr/sbin/pgbouncer"  # Debian's package
ADMIN_PASSWORD = "pgbouncer-admin"  # the superuser's, for the pooler's admin console only
START_TIMEOUT = 15.0
# What the tests need, and what a team's pooler would have (see the README, "Running a
# team of hundreds").
SETTINGS: dict[str, str | int] = {
    "pool_mode": "transaction",
    "default_pool_size": 20,
    "max_client_conn": 5000,
    "max_db_connections": 0,
    "server_idle_timeout": 60,
    "auth_type": "scram-sha-256",
    "auth_query": "SELECT usename, passwd FROM pg_shadow WHERE usename = $1",
    "auth_user": "postgres",
    "admin_users": "postgres",
    "stats_users": "postgres",
    "ignore_startup_parameters": "extra_float_digits",
    "log_connections": 0,
    "log_disconnections": 0,
}


class PgBouncerUnavailable(PostgresUnavailable):
    """PgBouncer cannot be run here (not installed); says why."""


def find_pgbouncer() -> Path:
    """Debian's ``/usr/sbin/pgbouncer``, else one on PATH."""
    for candidate in (PGBOUNCER, shutil.which("pgbouncer")):
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise PgBouncerUnavailable(
        f"pgbouncer not found at {PGBOUNCER} or on PATH: install the Debian package pgbouncer"
    )


class PgBouncer:
    """One pooler in front of ``server``: every database of the server by its own name,
    plus the aliases given to :meth:`add_database` (a database reached as a fixed user)."""

    def __init__(
        self, server: PostgresServer, *, settings: Mapping[str, str | int] | None = None
    ) -> None:
        self.server = server
        self.settings: dict[str, str | int] = {**SETTINGS, **(settings or {})}
        self._aliases: dict[str, str] = {}
        self._binary: Path | None = None
        self._tmp: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    # -- connection strings ------------------------------------------------------------------

    def url(self, database: str, user: str, password: str) -> str:
        """SQLAlchemy URL of ``database`` through the pooler, logging in as ``user``."""
        auth = quote(user, safe="") + ":" + quote(password, safe="")
        return f"postgresql+psycopg://{auth}@{HOST}:{self.port}/{quote(database, safe='')}"

    def admin(self, command: str) -> list[tuple[Any, ...]]:
        """Run ``command`` (``SHOW POOLS``, ``RELOAD`` ...) on the pooler's admin console."""
        conninfo = make_conninfo(
            host=HOST,
            port=self.port,
            dbname="pgbouncer",
            user="postgres",
            password=ADMIN_PASSWORD,
            connect_timeout=10,
        )
        # The admin console speaks the simple protocol only: no parameters, no preparing.
        with psycopg.connect(conninfo, autocommit=True, prepare_threshold=None) as conn:
            cursor = conn.cursor()
            cursor.execute(command.encode())
            return list(cursor.fetchall()) if cursor.description else []

    def show(self, what: str) -> list[dict[str, Any]]:
        """``SHOW what`` on the admin console, a dict per row."""
        conninfo = make_conninfo(
            host=HOST,
            port=self.port,
            dbname="pgbouncer",
            user="postgres",
            password=ADMIN_PASSWORD,
            connect_timeout=10,
        )
        with psycopg.connect(conninfo, autocommit=True, prepare_threshold=None) as conn:
            cursor = conn.cursor()
            cursor.execute(f"SHOW {what}".encode())
            names = [column.name for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Write the configuration and start the pooler; wait until it accepts logins."""
        self._binary = find_pgbouncer()
        if self._tmp is None:
            self._make_temp_dir()
        self.server.execute(
            f"ALTER ROLE postgres PASSWORD '{ADMIN_PASSWORD}'"  # for the admin console only
        )
        self.port = _free_port()
        self._write_config()
        kwargs: dict[str, Any] = {}
        extra: dict[str, str] = {}
        if os.geteuid() == 0:
            owner = _postgres_user()
            kwargs = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
            extra = {"HOME": owner.pw_dir, "USER": owner.pw_name}
        assert self._tmp is not None
        self._process = subprocess.Popen(
            [str(self._binary), str(self._tmp / "pgbouncer.ini")],
            cwd=self._tmp,
            env=_child_env(extra),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **kwargs,
        )
        self._wait_until_ready()

    def add_database(self, alias: str, database: str, user: str) -> None:
        """Serve ``database`` as ``alias`` too, every client's transactions run as ``user``
        on the server (one pool shared by all logins); takes effect at once (RELOAD)."""
        self._aliases[alias] = f"host={HOST} port={self.server.port} dbname={database} user={user}"
        self._write_config()
        self.admin("RELOAD")

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)  # "safe shutdown": waits for transactions
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def cleanup(self) -> None:
        """Stop the pooler and remove its directory; safe to call repeatedly."""
        with contextlib.suppress(Exception):
            atexit.unregister(self.cleanup)
        self.stop()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def log_tail(self, lines: int = 30) -> str:
        if self._tmp is None:
            return "(no pgbouncer log)"
        try:
            text = (self._tmp / "pgbouncer.log").read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            return f"(pgbouncer log unreadable: {error})"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> PgBouncer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    # -- internals ---------------------------------------------------------------------------

    def _make_temp_dir(self) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self._tmp = tmp
        atexit.register(self.cleanup)
        (tmp / "userlist.txt").write_text(f'"postgres" "{ADMIN_PASSWORD}"\n', encoding="utf-8")
        if os.geteuid() == 0:
            owner = _postgres_user()
            os.chmod(tmp, 0o755)
            for path in (tmp, tmp / "userlist.txt"):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    def _write_config(self) -> None:
        assert self._tmp is not None and self.port is not None
        databases = {
            **self._aliases,
            "*": f"host={HOST} port={self.server.port}",
        }
        settings: dict[str, str | int] = {
            "listen_addr": HOST,
            "listen_port": self.port,
            "unix_socket_dir": "",
            "auth_file": str(self._tmp / "userlist.txt"),
            "logfile": str(self._tmp / "pgbouncer.log"),
            "pidfile": str(self._tmp / "pgbouncer.pid"),
            **self.settings,
        }
        lines = ["[databases]"]
        lines += [f"{name} = {value}" for name, value in databases.items()]
        lines += ["", "[pgbouncer]"]
        lines += [f"{name} = {value}" for name, value in settings.items()]
        path = self._tmp / "pgbouncer.ini"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if os.geteuid() == 0:
            owner = _postgres_user()
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(
                    f"pgbouncer exited with {self._process.returncode}:\n{self.log_tail()}"
                )
            try:
                self.admin("SHOW VERSION")
                return
            except psycopg.OperationalError as error:
                last = error
                time.sleep(0.05)
        raise RuntimeError(
            f"pgbouncer did not answer on port {self.port} within {START_TIMEOUT:g} s: "
            f"{last}\n{self.log_tail()}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port
