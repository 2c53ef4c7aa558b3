"""A throw-away PostgreSQL server that tests start themselves.

Why: the database tests need a real PostgreSQL (not SQLite) with a known state, on a port
nobody else uses, that they can also crash on purpose (fault tests).  The server lives in a
temporary directory, trusts local connections, trades durability for speed, and is removed
at exit.  Only the standard library and psycopg are used.

When the tests run as root, ``initdb``/``pg_ctl`` refuse to run, so they are started as the
``postgres`` system user: the child process's uid, gid and supplementary groups are switched
by :mod:`subprocess` itself (``user=``/``group=``/``extra_groups=``), so neither ``runuser``,
``su`` nor PAM is involved and the child environment stays exactly the one we build.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bindir"]

HOST = "127.0.0.1"
SUPERUSER = "postgres"
START_TIMEOUT = 30.0  # seconds for pg_ctl start plus the first successful connection
STOP_TIMEOUT = 60.0
PORT_ATTEMPTS = 5  # fresh ports tried by start() when the chosen one was taken meanwhile
DIR_PREFIX = "pgserver-"
OWNER_FILE = "owner.pid"  # pid of the Python process owning a temp dir (see _reap_stale)

# Written to postgresql.conf after initdb.  Durability is traded for speed: a throw-away
# cluster never has to survive an OS crash.  Beware synchronous_commit=off: a commit's WAL may
# still sit in shared memory (for up to ~3 * wal_writer_delay = 0.6 s) and is then LOST by
# ``stop("immediate")`` -- measured here: 10 of 10 commits made just before the crash were
# gone after restart.  With fsync=off, "on" costs nothing measurable (a write() per commit),
# so fault tests that expect committed rows to survive a crash should pass
# ``settings={"synchronous_commit": "on"}`` or ``SET synchronous_commit = on`` per session.
SETTINGS: dict[str, str | int] = {
    "listen_addresses": HOST,
    "max_connections": 200,
    "fsync": "off",
    "synchronous_commit": "on",
    "full_page_writes": "off",
    "logging_collector": "off",
}

_STOP_MODES = frozenset({"smart", "fast", "immediate"})
_PORT_IN_USE = re.compile(r"could not bind IPv[46] address|address already in use", re.I)
# sun_path holds 108 bytes including the NUL; ".s.PGSQL.NNNNN.lock" must fit after the dir.
_MAX_SOCKET_DIR = 107 - len("/.s.PGSQL.65535.lock")


class PostgresUnavailable(RuntimeError):  # noqa: N818 (name fixed by the test API)
    """PostgreSQL cannot be run here (binaries or the ``postgres`` user missing); says why."""


def find_bindir() -> Path:
    """Locate the directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Why several places: on Debian the server binaries are not on PATH; ``pg_config`` comes
    from libpq-dev and may belong to another major version than the installed server.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
                env=_child_env(),
            )
            candidates.append(Path(out.stdout.strip()))
    # Debian/Ubuntu layout, newest major version first.
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: _version_key(p.parent.name),
        reverse=True,
    )
    candidates.extend(debian)
    on_path = shutil.which("initdb")
    if on_path is not None:
        candidates.append(Path(on_path).resolve().parent)

    for bindir in candidates:
        if all(_is_executable(bindir / name) for name in ("initdb", "pg_ctl", "postgres")):
            return bindir
    searched = ", ".join(str(c) for c in candidates) or "nothing found to search"
    raise PostgresUnavailable(
        "initdb not found: install the Debian package postgresql "
        f"(looked at pg_config --bindir, /usr/lib/postgresql/*/bin and PATH: {searched})"
    )


class PostgresServer:
    """One throw-away cluster: initdb once, then start/stop/restart on a fixed port.

    Use as a context manager, or call :meth:`start` and :meth:`cleanup` (also run at exit).
    """

    def __init__(
        self, base_dir: Path | None = None, *, settings: Mapping[str, str | int] | None = None
    ) -> None:
        """BASE_DIR holds the temp dir (default: the system temp dir); SETTINGS override or
        extend the server settings written at initdb (see SETTINGS)."""
        self._base_dir = Path(base_dir) if base_dir is not None else None
        self._settings: dict[str, str | int] = {**SETTINGS, **(settings or {})}
        self._bindir: Path | None = None
        self._tmp: Path | None = None
        self._port: int | None = None
        self._cleaned = False
        self.startup_seconds: float | None = None
        """Wall time of the first :meth:`start` (initdb included), for reporting."""
        self.last_start_seconds: float | None = None
        """Wall time of the latest :meth:`start`/:meth:`restart` (crash recovery included)."""

    # -- paths -------------------------------------------------------------------------------

    @property
    def temp_dir(self) -> Path:
        """The directory holding everything (data, socket, log); removed by cleanup()."""
        if self._tmp is None:
            raise RuntimeError("the server has not been started yet")
        return self._tmp

    @property
    def data_dir(self) -> Path:
        return self.temp_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.temp_dir / "postgres.log"

    @property
    def socket_dir(self) -> Path | None:
        """Where the unix socket lives (the data dir), or None if that path is too long."""
        return self.data_dir if len(str(self.data_dir)) <= _MAX_SOCKET_DIR else None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server has not been started yet")
        return self._port

    # -- connection strings ------------------------------------------------------------------

    def url(
        self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        """SQLAlchemy URL using the psycopg 3 driver, over TCP on 127.0.0.1."""
        auth = quote(user, safe="")
        if password is not None:
            auth += ":" + quote(password, safe="")
        return f"postgresql+psycopg://{auth}@{HOST}:{self.port}/{quote(database, safe='')}"

    def dsn(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """libpq conninfo for ``psycopg.connect``; explicit so PGHOST etc. cannot redirect it."""
        return make_conninfo(
            host=HOST, port=self.port, dbname=database, user=user, connect_timeout=10
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """initdb (first time only) and start on a free port; wait until it answers queries.

        A port is picked by binding to port 0 and closing the socket, so another process may
        grab it before postgres does: then a new port is tried (up to PORT_ATTEMPTS times).
        """
        if self._cleaned:
            raise RuntimeError("this server was cleaned up; create a new PostgresServer")
        if self.is_running():
            return
        began = time.perf_counter()
        if self._tmp is None:
            self._bindir = find_bindir()
            self._make_temp_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        if self._port is not None:  # started before: keep the port clients know about
            self._start_on(self._port, same_port_retry=True)
        else:
            for attempt in range(1, PORT_ATTEMPTS + 1):
                port = _free_port()
                try:
                    self._start_on(port, same_port_retry=False)
                except _PortInUseError:
                    if attempt == PORT_ATTEMPTS:
                        raise RuntimeError(
                            f"no free port after {PORT_ATTEMPTS} attempts\n{self.log_tail()}"
                        ) from None
                    continue
                break
        self.last_start_seconds = time.perf_counter() - began
        if self.startup_seconds is None:
            self.startup_seconds = self.last_start_seconds

    def restart(self) -> None:
        """Start again on the same port with the same data (after a stop or a crash)."""
        if self._tmp is None or self._port is None:
            raise RuntimeError("restart() needs a server that was started before")
        if self.is_running():
            self.stop("fast")
        self.start()

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop -m MODE -w; "immediate" is a crash (recovery runs on the next start)."""
        if mode not in _STOP_MODES:
            raise ValueError(f"stop mode must be one of {sorted(_STOP_MODES)}, not {mode!r}")
        if not self.is_running():
            return
        result = self._run(
            [
                self._bin("pg_ctl"),
                "stop",
                "-D",
                str(self.data_dir),
                "-m",
                mode,
                "-w",
                "-t",
                str(int(STOP_TIMEOUT)),
            ],
            timeout=STOP_TIMEOUT + 10,
        )
        if result.returncode != 0 and self.is_running():
            raise RuntimeError(f"pg_ctl stop failed: {result.stdout}\n{self.log_tail()}")

    def is_running(self) -> bool:
        """True if the postmaster recorded in postmaster.pid is alive."""
        if self._tmp is None:
            return False
        return _postmaster_pid(self.data_dir) is not None

    def cleanup(self) -> None:
        """Crash-stop the server if needed and delete the temp dir; safe to call repeatedly."""
        self._cleaned = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.cleanup)
        if self._tmp is None:
            return
        if self._bindir is not None:
            _kill_cluster(self._bindir, self.data_dir)
        shutil.rmtree(self._tmp, ignore_errors=True)
        if not self._tmp.exists():
            self._tmp = None

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    # -- SQL helpers -------------------------------------------------------------------------

    def execute(self, sql_text: str, database: str = "postgres") -> None:
        """Run SQL as the superuser in autocommit (needed for CREATE/DROP DATABASE)."""
        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            # bytes: psycopg wants a LiteralString (injection guard); this is test-authored SQL.
            conn.execute(sql_text.encode())

    def create_database(self, name: str) -> str:
        """(Re)create an empty database and return its SQLAlchemy URL."""
        ident = sql.Identifier(name)
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
        return self.url(name)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server log, to put into failure messages."""
        if self._tmp is None:
            return "(no server log: not started)"
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(server log unreadable: {exc})"
        tail = text.splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_file} ---\n" + "\n".join(tail)

    # -- internals ---------------------------------------------------------------------------

    def _bin(self, name: str) -> str:
        assert self._bindir is not None
        return str(self._bindir / name)

    def _make_temp_dir(self) -> None:
        owner = _postgres_user() if os.geteuid() == 0 else None
        base = self._base_dir if self._base_dir is not None else Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        _reap_stale(base, self._bindir_checked())
        if owner is not None:
            _check_traversable(base, owner)
        tmp = Path(tempfile.mkdtemp(prefix=DIR_PREFIX, dir=base))
        (tmp / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        self._tmp = tmp
        atexit.register(self.cleanup)
        if owner is not None:
            # postgres creates data/ and writes the log here (pg_ctl redirects as postgres).
            os.chmod(tmp, 0o755)
            os.chown(tmp, owner.pw_uid, owner.pw_gid)

    def _initdb(self) -> None:
        result = self._run(
            [
                self._bin("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed (exit {result.returncode}):\n{result.stdout}")
        owner = _postgres_user() if os.geteuid() == 0 else None
        if owner is not None:
            os.chown(self.data_dir, owner.pw_uid, owner.pw_gid)
        os.chmod(self.data_dir, 0o700)
        socket_dir = self.socket_dir
        settings = {**self._settings, "unix_socket_directories": str(socket_dir or "")}
        lines = [f"{key} = {_conf_value(value)}" for key, value in settings.items()]
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# added by tests/pgserver.py\n" + "\n".join(lines) + "\n")

    def _start_on(self, port: int, *, same_port_retry: bool) -> None:
        """pg_ctl start on PORT; raise _PortInUseError if the port is taken (after retries if
        same_port_retry, since a just-crashed server may still be releasing it)."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            result = self._run(
                [
                    self._bin("pg_ctl"),
                    "start",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    str(int(START_TIMEOUT)),
                    "-o",
                    f"-p {port}",
                ],
                timeout=START_TIMEOUT + 10,
            )
            if result.returncode == 0:
                break
            new_log = self._log_since(log_offset)
            if _PORT_IN_USE.search(new_log) and not self.is_running():
                if same_port_retry and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise _PortInUseError(port)
            _kill_cluster(self._bindir_checked(), self.data_dir)
            raise RuntimeError(
                f"pg_ctl start failed (exit {result.returncode}): {result.stdout.strip()}\n"
                f"{self.log_tail()}"
            )
        self._port = port
        self._wait_until_ready(deadline)

    def _wait_until_ready(self, deadline: float) -> None:
        """pg_ctl -w trusts postmaster.pid; also require a real query to succeed."""
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                conninfo = make_conninfo(self.dsn(), connect_timeout=2)
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute("select 1")
                return
            except psycopg.OperationalError as exc:
                last_error = exc
                time.sleep(0.05)
        raise RuntimeError(
            f"PostgreSQL did not accept connections on port {self._port} within "
            f"{START_TIMEOUT:.0f} s: {last_error}\n{self.log_tail()}"
        )

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as fh:
                fh.seek(offset)
                return fh.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _bindir_checked(self) -> Path:
        assert self._bindir is not None
        return self._bindir

    def _run(self, args: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
        assert self._tmp is not None
        return _run_as_cluster_owner(args, cwd=self._tmp, timeout=timeout)


class _PortInUseError(Exception):
    """pg_ctl start failed because another process holds the port."""


# -- module helpers ----------------------------------------------------------------------------


def _child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without PG* variables (PGHOST, PGPORT, PGDATA, PGOPTIONS...)
    and with C messages, so the user's settings can't redirect or reconfigure the children
    and log messages can be matched."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.pop("LANGUAGE", None)
    env.update({"LC_ALL": "C", "LANG": "C"})
    if extra:
        env.update(extra)
    return env


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable(
            "running as root, and initdb/pg_ctl refuse root, but there is no 'postgres' "
            "system user to run them as (install the Debian package postgresql)"
        ) from None


def _run_as_cluster_owner(
    args: Sequence[str], cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool; as root, as the postgres user (uid, gid and groups dropped)."""
    kwargs: dict[str, Any] = {}
    extra: dict[str, str] = {}
    if os.geteuid() == 0:
        owner = _postgres_user()
        kwargs = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
        extra = {"HOME": owner.pw_dir, "USER": owner.pw_name, "LOGNAME": owner.pw_name}
    return subprocess.run(
        list(args),
        cwd=cwd,  # the caller's cwd (e.g. /root) may be unreadable for postgres
        env=_child_env(extra),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def _postmaster_pid(data_dir: Path) -> int | None:
    """The live postmaster's pid from postmaster.pid, or None."""
    try:
        first = (data_dir / "postmaster.pid").read_text(encoding="ascii").split("\n", 1)[0]
        pid = int(first.strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _pid_alive(pid: int) -> bool:
    """kill(pid, 0), but a zombie counts as dead: a postmaster killed after pg_ctl exited
    is reparented to pid 1, which in containers may be slow (or fail) to reap it."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError, IndexError):
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        if stat_line.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _kill_cluster(bindir: Path, data_dir: Path) -> None:
    """Stop a cluster the hard way: pg_ctl stop -m immediate, then SIGKILL if still alive."""
    pid = _postmaster_pid(data_dir)
    if pid is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError, PostgresUnavailable):
        _run_as_cluster_owner(
            [
                str(bindir / "pg_ctl"),
                "stop",
                "-D",
                str(data_dir),
                "-m",
                "immediate",
                "-w",
                "-t",
                "20",
            ],
            cwd=data_dir.parent,
            timeout=30,
        )
    if _pid_alive(pid):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)  # children exit on their own when the postmaster dies


def _reap_stale(base: Path, bindir: Path) -> None:
    """Remove servers left behind by runs that died without atexit (SIGKILL, SIGTERM)."""
    mine = {os.geteuid()}
    if os.geteuid() == 0:
        with contextlib.suppress(KeyError):
            mine.add(pwd.getpwnam(SUPERUSER).pw_uid)
    for tmp in base.glob(DIR_PREFIX + "*"):
        try:
            if tmp.stat().st_uid not in mine:
                continue
            owner_pid = int((tmp / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner_pid):
            continue
        _kill_cluster(bindir, tmp / "data")
        shutil.rmtree(tmp, ignore_errors=True)


def _check_traversable(base: Path, owner: pwd.struct_passwd) -> None:
    """As root, fail early if the postgres user can't reach BASE (e.g. a 0700 pytest dir)."""
    for directory in [base.resolve(), *base.resolve().parents]:
        st = directory.stat()
        if st.st_uid == owner.pw_uid:
            bit = stat.S_IXUSR
        elif st.st_gid == owner.pw_gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            raise PermissionError(
                f"running as root, the cluster is run by the 'postgres' user, who cannot "
                f"enter {directory}; choose a base_dir with traversable parents (e.g. /tmp)"
            )


def _free_port() -> int:
    """A port that was free a moment ago (the race is handled by retrying in start())."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _conf_value(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
