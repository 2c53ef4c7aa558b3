"""Throw-away mail servers that tests start themselves: Dovecot for IMAP (and LMTP), and an
aiosmtpd SMTP server in a child process.

Why real servers: the mail transport's contract is about what real servers do (TLS
handshakes, refused logins, IDLE, a server going away); a mock would only repeat our
assumptions.  Both servers listen on free ports of 127.0.0.1, keep everything in a temporary
directory, trust a certificate authority made for the run (``ca_file``), and are stopped and
removed at exit, or by the next run when a run was killed.

Dovecot refuses to run mail processes as root, so when the tests run as root the mailboxes
belong to the ``mail`` system user (``nobody`` if there is none); its login and internal
processes run as Debian's ``dovenull`` and ``dovecot`` users.  Passwords live in one
passwd-file per user (``users/<domain>/<name>``), so a user added while Dovecot runs can log
in at once (a single passwd-file is re-read at most once a second).  Dovecot's growing delay
after failed logins is switched off; a refused login still takes about half a second.

The SMTP server runs in a child process (``python mailservers.py smtp CONFIG``) so a test
can stop or kill it.  It accepts AUTH PLAIN/LOGIN with the Dovecot users' passwords (and
its own), writes each accepted message to a spool directory, and first hands a copy for
each recipient of a local domain to Dovecot by LMTP, as a real mail server would.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import datetime as dt
import grp
import ipaddress
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from console.domain.mail import Security, ServerSettings

__all__ = [
    "CUSTOMER_ADDRESS",
    "CUSTOMER_PASSWORD",
    "TEAM_ADDRESS",
    "TEAM_PASSWORD",
    "DovecotServer",
    "MailAccount",
    "MailServerUnavailable",
    "SmtpServer",
    "SpooledMessage",
]

HOST = "127.0.0.1"
TEAM_ADDRESS = "support@example.test"
TEAM_PASSWORD = "support-password"
CUSTOMER_ADDRESS = "customer@customer.test"
CUSTOMER_PASSWORD = "customer-password"
DEFAULT_USERS = {TEAM_ADDRESS: TEAM_PASSWORD, CUSTOMER_ADDRESS: CUSTOMER_PASSWORD}

START_TIMEOUT = 10.0  # seconds until a started server must answer
STOP_TIMEOUT = 5.0  # seconds a server gets to exit before it is killed
PORT_ATTEMPTS = 5  # fresh ports tried when a chosen one was taken meanwhile
OWNER_FILE = "owner.pid"  # pid of the Python process owning a temp dir (see _reap_stale)
DOVECOT_PREFIX = "mailserver-dovecot-"
SMTP_PREFIX = "mailserver-smtp-"
_SBIN_PATH = "/usr/sbin:/usr/local/sbin:/sbin"
_PORT_IN_USE = re.compile(r"address already in use", re.I)
_EXIT_PORT_IN_USE = 3  # the SMTP child's exit status when it cannot bind its ports


class MailServerUnavailable(RuntimeError):  # noqa: N818 (name fixed by the test API)
    """A mail server cannot be run here (not installed, or it did not start); says why."""


@dataclass(frozen=True, slots=True)
class SpooledMessage:
    """A message the SMTP server accepted: the envelope and the bytes as received; whether
    the connection was encrypted (TLS or STARTTLS) and who logged in ("" for nobody)."""

    sender: str
    recipients: tuple[str, ...]
    raw: bytes
    tls: bool = False
    login: str = ""


@dataclass(frozen=True, slots=True)
class Certificates:
    """A certificate authority made for the run, and a server certificate it signed for
    ``localhost`` and 127.0.0.1."""

    ca_file: Path
    cert_file: Path
    key_file: Path


@dataclass(frozen=True, slots=True)
class MailAccount:
    """A user of the throw-away Dovecot server."""

    address: str
    password: str
    server: DovecotServer

    def imap(self, security: Security = Security.TLS, *, trusted: bool = True) -> ServerSettings:
        """IMAP settings for this account (see :meth:`DovecotServer.settings`)."""
        return self.server.settings(self.address, security=security, trusted=trusted)


# --------------------------------------------------------------------------------- Dovecot


class DovecotServer:
    """Dovecot serving IMAP (plain with STARTTLS, and TLS) and LMTP on free ports.

    Use as a context manager, or call :meth:`start` and :meth:`cleanup` (also run at exit).
    :meth:`stop` then :meth:`start` again keeps the ports and the mailboxes.
    """

    def __init__(
        self, base_dir: Path | None = None, *, users: Mapping[str, str] | None = None
    ) -> None:
        """BASE_DIR holds the temp dir (default: the system's; as root its parents must be
        open to the ``mail`` user, so not pytest's private dirs).  USERS maps addresses to
        passwords (default: :data:`TEAM_ADDRESS` and :data:`CUSTOMER_ADDRESS`)."""
        self._base_dir = Path(base_dir) if base_dir is not None else None
        self._initial_users = dict(DEFAULT_USERS if users is None else users)
        self._tmp: Path | None = None
        self._binary: str | None = None
        self._certificates: Certificates | None = None
        self._ports: tuple[int, int, int] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._cleaned = False
        self.last_start_seconds: float | None = None
        """Wall time of the latest :meth:`start`, for reporting."""

    # -- where -------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return HOST

    @property
    def imap_port(self) -> int:
        """IMAP without TLS, upgraded by STARTTLS on request."""
        return self._port(0)

    @property
    def imaps_port(self) -> int:
        """IMAP over TLS from the first byte."""
        return self._port(1)

    @property
    def lmtp_port(self) -> int:
        return self._port(2)

    @property
    def ca_file(self) -> str:
        """The certificate authority that signed the server's certificate."""
        return str(self.certificates.ca_file)

    @property
    def certificates(self) -> Certificates:
        if self._certificates is None:
            raise RuntimeError("the server has not been started yet")
        return self._certificates

    @property
    def temp_dir(self) -> Path:
        if self._tmp is None:
            raise RuntimeError("the server has not been started yet")
        return self._tmp

    @property
    def users_dir(self) -> Path:
        """One passwd-file per user: ``<domain>/<name>``."""
        return self.temp_dir / "users"

    @property
    def log_file(self) -> Path:
        return self.temp_dir / "dovecot.log"

    @property
    def config_file(self) -> Path:
        return self.temp_dir / "dovecot.conf"

    def settings(
        self,
        address: str,
        password: str | None = None,
        security: Security = Security.TLS,
        *,
        trusted: bool = True,
    ) -> ServerSettings:
        """IMAP settings for ADDRESS: the TLS port for ``Security.TLS``, the plain one for
        the others.  With PASSWORD, the user is added first (or its password changed);
        ``trusted=False`` leaves ``ca_file`` empty (the system's authorities only)."""
        if password is not None:
            self.add_user(address, password)
        port = self.imaps_port if security is Security.TLS else self.imap_port
        return ServerSettings(
            host=HOST,
            port=port,
            security=security,
            user=address,
            ca_file=self.ca_file if trusted else "",
        )

    # -- users -------------------------------------------------------------------------------

    def add_user(self, address: str, password: str) -> None:
        """Create a user, or change its password; works while the server runs."""
        _write_passwd(self.users_dir, address, password)

    def new_account(self, prefix: str = "support", domain: str = "example.test") -> MailAccount:
        """A fresh user ``PREFIX-<8 hex digits>@DOMAIN`` with a random password."""
        address = f"{prefix}-{secrets.token_hex(4)}@{domain}"
        password = secrets.token_urlsafe(12)
        self.add_user(address, password)
        return MailAccount(address=address, password=password, server=self)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start Dovecot (on the same ports as before, if it ran before) and wait until its
        IMAP and LMTP ports answer."""
        if self._cleaned:
            raise RuntimeError("this server was cleaned up; create a new DovecotServer")
        if self.is_running():
            return
        began = time.perf_counter()
        if self._tmp is None:
            self._prepare()
        if self._ports is not None:
            self._start_on(self._ports, same_ports=True)
        else:
            for attempt in range(1, PORT_ATTEMPTS + 1):
                ports = _free_ports(3)
                try:
                    self._start_on((ports[0], ports[1], ports[2]), same_ports=False)
                except _PortInUseError:
                    if attempt == PORT_ATTEMPTS:
                        raise MailServerUnavailable(
                            f"Dovecot found no free ports in {PORT_ATTEMPTS} attempts\n"
                            f"{self.log_tail()}"
                        ) from None
                    continue
                break
        self.last_start_seconds = time.perf_counter() - began

    def stop(self) -> None:
        """Stop the server (clients see their connections closed); mail stays."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process, signal.SIGTERM)

    def kill(self) -> None:
        """Crash the server (SIGKILL, no goodbye to clients); mail stays."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process, signal.SIGKILL)

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def cleanup(self) -> None:
        """Stop the server and delete the temp dir; safe to call repeatedly."""
        self._cleaned = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.cleanup)
        self.kill()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            if not self._tmp.exists():
                self._tmp = None

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    def log_tail(self, lines: int = 30) -> str:
        """The end of Dovecot's log (and of what it wrote to stderr), for failure messages."""
        if self._tmp is None:
            return "(no Dovecot log: not started)"
        return _tail(self.log_file, lines) + "\n" + _tail(self.temp_dir / "stderr.log", lines)

    # -- internals ---------------------------------------------------------------------------

    def _port(self, index: int) -> int:
        if self._ports is None:
            raise RuntimeError("the server has not been started yet")
        return self._ports[index]

    def _prepare(self) -> None:
        """Find Dovecot, make the temp dir, the certificates, the users and the mail dir."""
        self._binary = _find_dovecot()
        owner = _mail_owner()
        base = self._base_dir if self._base_dir is not None else Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        _reap_stale(base, DOVECOT_PREFIX)
        tmp = Path(tempfile.mkdtemp(prefix=DOVECOT_PREFIX, dir=base))
        (tmp / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        self._tmp = tmp
        atexit.register(self.cleanup)
        os.chmod(tmp, 0o755)  # the mail processes run as another user when we are root
        for name in ("run", "state", "mail", "users"):
            (tmp / name).mkdir(mode=0o755)
        os.chown(tmp / "mail", owner.pw_uid, owner.pw_gid)
        self._certificates = make_certificates(tmp / "tls")
        for address, password in self._initial_users.items():
            self.add_user(address, password)

    def _start_on(self, ports: tuple[int, int, int], *, same_ports: bool) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self._ports = ports
            self._write_config()
            offsets = self._log_offsets()
            self._process = self._spawn()
            try:
                self._wait_until_ready(deadline, offsets)
                return
            except _PortInUseError:
                self.kill()
                if not same_ports:
                    self._ports = None
                    raise
                # A server stopped a moment ago may still hold the ports: wait for them.
                if time.monotonic() + 1.0 < deadline:
                    time.sleep(0.1)
                    continue
                raise MailServerUnavailable(
                    f"Dovecot cannot listen on its ports {ports} again: another process "
                    f"holds one\n{self.log_tail()}"
                ) from None
            except BaseException:
                self.kill()
                raise

    def _spawn(self) -> subprocess.Popen[bytes]:
        assert self._binary is not None
        with (self.temp_dir / "stderr.log").open("ab") as stderr:
            return subprocess.Popen(
                [self._binary, "-F", "-c", str(self.config_file)],
                cwd=self.temp_dir,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,  # its own process group: stopped as one, by us
            )

    def _log_files(self) -> tuple[Path, Path]:
        return self.log_file, self.temp_dir / "stderr.log"

    def _log_offsets(self) -> tuple[int, ...]:
        return tuple(_size(path) for path in self._log_files())

    def _port_in_use(self, offsets: tuple[int, ...]) -> bool:
        """True if Dovecot logged, since OFFSETS, that one of its ports is taken."""
        files = self._log_files()
        return any(
            _PORT_IN_USE.search(_read_from(path, offset))
            for path, offset in zip(files, offsets, strict=True)
        )

    def _wait_until_ready(self, deadline: float, offsets: tuple[int, ...]) -> None:
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                if self._port_in_use(offsets):
                    raise _PortInUseError
                raise MailServerUnavailable(
                    f"Dovecot exited at start (status {self._process.returncode})\n"
                    f"{self.log_tail()}"
                )
            if _answers(self.imap_port, b"* OK") and _answers(self.lmtp_port, b"220"):
                return
            time.sleep(0.02)
        if self._port_in_use(offsets):  # Dovecot retries a while before it gives up
            raise _PortInUseError
        raise MailServerUnavailable(
            f"Dovecot did not answer on port {self.imap_port} within {START_TIMEOUT:.0f} s\n"
            f"{self.log_tail()}"
        )

    def _write_config(self) -> None:
        tmp = self.temp_dir
        owner = _mail_owner()
        group = grp.getgrgid(owner.pw_gid).gr_name
        certificates = self.certificates
        if os.geteuid() == 0:
            # Debian's dovecot-core creates these users.
            privileges = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
            chroot = ""
        else:
            privileges = (
                f"default_internal_user = {owner.pw_name}\n"
                f"default_internal_group = {group}\n"
                f"default_login_user = {owner.pw_name}\n"
            )
            chroot = "  chroot =\n"
        config = f"""# Written by tests/mailservers.py for one test run.
base_dir = {tmp / "run"}
state_dir = {tmp / "state"}
instance_name = {tmp.name}
log_path = {self.log_file}
info_log_path = {self.log_file}
protocols = imap lmtp
listen = {HOST}
{privileges}
ssl = yes
ssl_cert = <{certificates.cert_file}
ssl_key = <{certificates.key_file}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Lu
auth_failure_delay = 0
auth_verbose = yes
first_valid_uid = {owner.pw_uid}
first_valid_gid = {owner.pw_gid}
mail_location = maildir:~/Maildir
mailbox_idle_check_interval = 1 secs

passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.users_dir}/%Ld/%Ln
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={tmp / "mail"}/%Ld/%Ln
}}

service imap-login {{
{chroot}  inet_listener imap {{
    address = {HOST}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = {HOST}
    port = {self.lmtp_port}
  }}
}}
service anvil {{
{chroot}  # No growing delay after failed logins (the tests fail logins on purpose).
  # (auth then logs an error about this socket once: expected.)
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""
        self.config_file.write_text(config, encoding="utf-8")


class _PortInUseError(Exception):
    """A server could not listen because another process holds one of its ports."""


# ----------------------------------------------------------------------------------- SMTP


class SmtpServer:
    """An aiosmtpd server in a child process: plain with STARTTLS, and TLS, on free ports.

    Messages for a local domain go to DOVECOT by LMTP before the server answers 250; every
    accepted message is spooled (see :meth:`messages`).  :meth:`stop` then :meth:`start`
    again keeps the ports and the spool.
    """

    def __init__(
        self,
        dovecot: DovecotServer | None = None,
        *,
        base_dir: Path | None = None,
        local_domains: Sequence[str] = ("example.test",),
        users: Mapping[str, str] | None = None,
        require_auth: bool = True,
    ) -> None:
        """DOVECOT (started) receives local mail and lends its users' passwords for AUTH;
        USERS adds SMTP-only users; REQUIRE_AUTH refuses mail before a login (530)."""
        self._dovecot = dovecot
        self._base_dir = Path(base_dir) if base_dir is not None else None
        self._local_domains = [d.lower() for d in local_domains]
        self._initial_users = dict(users or {})
        self._require_auth = require_auth
        self._tmp: Path | None = None
        self._certificates: Certificates | None = None
        self._ports: tuple[int, int] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._cleaned = False
        self.last_start_seconds: float | None = None

    # -- where -------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return HOST

    @property
    def smtp_port(self) -> int:
        """SMTP without TLS, upgraded by STARTTLS on request."""
        return self._port(0)

    @property
    def smtps_port(self) -> int:
        """SMTP over TLS from the first byte."""
        return self._port(1)

    @property
    def ca_file(self) -> str:
        if self._certificates is None:
            raise RuntimeError("the server has not been started yet")
        return str(self._certificates.ca_file)

    @property
    def temp_dir(self) -> Path:
        if self._tmp is None:
            raise RuntimeError("the server has not been started yet")
        return self._tmp

    @property
    def spool_dir(self) -> Path:
        return self.temp_dir / "spool"

    @property
    def log_file(self) -> Path:
        return self.temp_dir / "smtp.log"

    def settings(
        self,
        address: str,
        password: str | None = None,
        security: Security = Security.TLS,
        *,
        trusted: bool = True,
    ) -> ServerSettings:
        """SMTP settings logging in as ADDRESS: the TLS port for ``Security.TLS``, the plain
        one for the others.  With PASSWORD, the user is added first (an SMTP-only user)."""
        if password is not None:
            self.add_user(address, password)
        port = self.smtps_port if security is Security.TLS else self.smtp_port
        return ServerSettings(
            host=HOST,
            port=port,
            security=security,
            user=address,
            ca_file=self.ca_file if trusted else "",
        )

    # -- behaviour ---------------------------------------------------------------------------

    def add_user(self, address: str, password: str) -> None:
        """An SMTP-only user (Dovecot's users can log in anyway); works while running."""
        _write_passwd(self.temp_dir / "users", address, password)

    def fail_next(self, count: int = 1, code: int = 451) -> None:
        """Answer CODE (a temporary failure by default) to the next COUNT messages."""
        self._update_control(fail_next=count, fail_code=code)

    def refuse(self, address: str, code: int = 550) -> None:
        """Refuse ADDRESS as a recipient with CODE (4xx: try later, 5xx: never)."""
        control = self._read_control()
        refused = dict(control.get("refuse", {}))
        refused[address.lower()] = code
        self._update_control(refuse=refused)

    def messages(self) -> list[SpooledMessage]:
        """Every message accepted so far, in arrival order."""
        found = []
        for path in sorted(self.spool_dir.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                SpooledMessage(
                    sender=record["sender"],
                    recipients=tuple(record["recipients"]),
                    raw=base64.b64decode(record["data"]),
                    tls=bool(record.get("tls")),
                    login=str(record.get("login") or ""),
                )
            )
        return found

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the child process and wait until both ports answer."""
        if self._cleaned:
            raise RuntimeError("this server was cleaned up; create a new SmtpServer")
        if self.is_running():
            return
        began = time.perf_counter()
        if self._tmp is None:
            self._prepare()
        if self._ports is not None:
            self._start_on(self._ports, same_ports=True)
        else:
            for attempt in range(1, PORT_ATTEMPTS + 1):
                ports = _free_ports(2)
                try:
                    self._start_on((ports[0], ports[1]), same_ports=False)
                except _PortInUseError:
                    if attempt == PORT_ATTEMPTS:
                        raise MailServerUnavailable(
                            f"the SMTP server found no free ports in {PORT_ATTEMPTS} "
                            f"attempts\n{self.log_tail()}"
                        ) from None
                    continue
                break
        self.last_start_seconds = time.perf_counter() - began

    def stop(self) -> None:
        """Stop the server (SIGTERM); the spool stays."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process, signal.SIGTERM)

    def kill(self) -> None:
        """Crash the server (SIGKILL); the spool stays."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process, signal.SIGKILL)

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def cleanup(self) -> None:
        """Stop the server and delete the temp dir; safe to call repeatedly."""
        self._cleaned = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.cleanup)
        self.kill()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            if not self._tmp.exists():
                self._tmp = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()

    def log_tail(self, lines: int = 30) -> str:
        if self._tmp is None:
            return "(no SMTP server log: not started)"
        return _tail(self.log_file, lines)

    # -- internals ---------------------------------------------------------------------------

    def _port(self, index: int) -> int:
        if self._ports is None:
            raise RuntimeError("the server has not been started yet")
        return self._ports[index]

    def _prepare(self) -> None:
        try:
            import aiosmtpd  # noqa: F401 (only checked here; the child process uses it)
        except ImportError as exc:
            raise MailServerUnavailable(
                f"aiosmtpd is not installed (pip install -e '.[test]'): {exc}"
            ) from None
        base = self._base_dir if self._base_dir is not None else Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        _reap_stale(base, SMTP_PREFIX)
        tmp = Path(tempfile.mkdtemp(prefix=SMTP_PREFIX, dir=base))
        (tmp / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        self._tmp = tmp
        atexit.register(self.cleanup)
        (tmp / "spool").mkdir()
        (tmp / "users").mkdir()
        if self._dovecot is not None:
            self._certificates = self._dovecot.certificates
        else:
            self._certificates = make_certificates(tmp / "tls")
        for address, password in self._initial_users.items():
            self.add_user(address, password)
        self._update_control(fail_next=0, fail_code=451, refuse={})

    def _start_on(self, ports: tuple[int, int], *, same_ports: bool) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self._ports = ports
            self._write_config()
            self._process = self._spawn()
            try:
                self._wait_until_ready(deadline)
                return
            except _PortInUseError:
                self.kill()
                if not same_ports:
                    self._ports = None
                    raise
                if time.monotonic() + 1.0 < deadline:
                    time.sleep(0.1)
                    continue
                raise MailServerUnavailable(
                    f"the SMTP server cannot listen on its ports {ports} again: another "
                    f"process holds one\n{self.log_tail()}"
                ) from None
            except BaseException:
                self.kill()
                raise

    def _write_config(self) -> None:
        assert self._certificates is not None
        users_dirs = [str(self.temp_dir / "users")]
        lmtp: list[Any] | None = None
        if self._dovecot is not None:
            users_dirs.append(str(self._dovecot.users_dir))
            lmtp = [self._dovecot.host, self._dovecot.lmtp_port]
        config = {
            "host": HOST,
            "ports": [self.smtp_port, self.smtps_port],
            "cert_file": str(self._certificates.cert_file),
            "key_file": str(self._certificates.key_file),
            "users_dirs": users_dirs,
            "local_domains": self._local_domains,
            "lmtp": lmtp,
            "require_auth": self._require_auth,
            "spool_dir": str(self.spool_dir),
            "control_file": str(self.temp_dir / "control.json"),
            "ready_file": str(self.temp_dir / "ready"),
        }
        (self.temp_dir / "config.json").write_text(json.dumps(config), encoding="utf-8")

    def _spawn(self) -> subprocess.Popen[bytes]:
        (self.temp_dir / "ready").unlink(missing_ok=True)
        src = Path(__file__).resolve().parents[1] / "src"
        path = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "smtp",
                    str(self.temp_dir / "config.json"),
                ],
                cwd=self.temp_dir,
                env=_child_env({"PYTHONPATH": path}),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def _wait_until_ready(self, deadline: float) -> None:
        assert self._process is not None
        ready = self.temp_dir / "ready"
        while time.monotonic() < deadline:
            status = self._process.poll()
            if status == _EXIT_PORT_IN_USE:
                raise _PortInUseError
            if status is not None:
                raise MailServerUnavailable(
                    f"the SMTP server exited at start (status {status})\n{self.log_tail()}"
                )
            if ready.exists():
                return
            time.sleep(0.02)
        raise MailServerUnavailable(
            f"the SMTP server did not start within {START_TIMEOUT:.0f} s\n{self.log_tail()}"
        )

    def _read_control(self) -> dict[str, Any]:
        try:
            data = json.loads((self.temp_dir / "control.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return dict(data)

    def _update_control(self, **changes: Any) -> None:
        control = {**self._read_control(), **changes}
        _write_atomically(self.temp_dir / "control.json", json.dumps(control).encode())


# ---------------------------------------------------------------------------- certificates


def make_certificates(directory: Path, host: str = "localhost") -> Certificates:
    """A certificate authority, and a certificate it signs for HOST and 127.0.0.1, valid
    from an hour ago for two days; written to DIRECTORY as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    not_before, not_after = now - dt.timedelta(hours=1), now + dt.timedelta(days=2)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "support-console test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(host), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )

    certificates = Certificates(
        ca_file=directory / "ca.pem",
        cert_file=directory / "server.pem",
        key_file=directory / "server.key",
    )
    certificates.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    certificates.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    certificates.key_file.touch(mode=0o600)
    certificates.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificates


# --------------------------------------------------------------------------------- helpers


def _find_dovecot() -> str:
    search = os.pathsep.join(p for p in (os.environ.get("PATH", ""), _SBIN_PATH) if p)
    binary = shutil.which("dovecot", path=search)
    if binary is None:
        raise MailServerUnavailable(
            "dovecot not found: install the Debian packages dovecot-imapd and dovecot-lmtpd"
        )
    return binary


def _mail_owner() -> pwd.struct_passwd:
    """Whose mailboxes: ours, or as root (Dovecot refuses uid 0) the ``mail`` user's."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("mail", "nobody"):
        with contextlib.suppress(KeyError):
            owner = pwd.getpwnam(name)
            if owner.pw_uid != 0:
                return owner
    raise MailServerUnavailable(
        "running as root, and Dovecot refuses to keep mail as root, but there is neither a "
        "'mail' nor a 'nobody' user to keep it"
    )


def _write_passwd(users_dir: Path, address: str, password: str) -> None:
    """Write ADDRESS's passwd-file line, as Dovecot reads it (``%Ld/%Ln``)."""
    address = address.strip().lower()
    name, _, domain = address.rpartition("@")
    if not name or not domain or any(c in address for c in ":/\\\n\r\0") or address[0] == ".":
        raise ValueError(f"not an address the test servers can keep: {address!r}")
    if any(c in password for c in ":\n\r\0"):
        raise ValueError("a password for the test servers may not hold ':' or a line break")
    path = users_dir / domain / name
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    _write_atomically(path, f"{address}:{{PLAIN}}{password}::::::\n".encode())


def _read_password(users_dirs: Sequence[str], address: str) -> str | None:
    """The password of ADDRESS in one of USERS_DIRS, or None."""
    address = address.strip().lower()
    name, _, domain = address.rpartition("@")
    if not name or "/" in address or address.startswith("."):
        return None
    for users_dir in users_dirs:
        try:
            line = (Path(users_dir) / domain / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        fields = line.split(":")
        if len(fields) > 1 and fields[0] == address and fields[1].startswith("{PLAIN}"):
            return fields[1].removeprefix("{PLAIN}")
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _free_ports(count: int) -> list[int]:
    """COUNT distinct ports that were free a moment ago (start() retries on a race)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((HOST, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports


def _answers(port: int, greeting: bytes) -> bool:
    """True if a server on PORT greets with GREETING."""
    try:
        with socket.create_connection((HOST, port), timeout=1.0) as sock:
            return sock.recv(64).startswith(greeting)
    except OSError:
        return False


def _terminate(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    """Send HOW to the process group of PROCESS (a session leader we started), reap it, and
    make sure nothing of its session is left (SIGKILL after STOP_TIMEOUT)."""
    # The whole group at once: Dovecot's master alone takes a second to stop its children,
    # and its children (login, imap, lmtp ...) hold the listening sockets the next start on
    # the same ports needs.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, how)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()
    _end_session(process.pid, STOP_TIMEOUT)


def _end_session(session: int, grace: float) -> None:
    """Wait up to GRACE seconds for the processes of SESSION to exit, then SIGKILL them
    and wait (up to STOP_TIMEOUT) until they are gone."""
    deadline = time.monotonic() + grace
    members = _session_members(session)
    while members and time.monotonic() < deadline:
        time.sleep(0.01)
        members = _session_members(session)
    for pid in members:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_TIMEOUT
    while members and time.monotonic() < deadline:
        time.sleep(0.01)
        members = _session_members(session)


def _session_members(session: int) -> list[int]:
    """Live (not zombie) processes of SESSION, from /proc; empty where there is none."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 3 and fields[3] == str(session) and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap_stale(base: Path, prefix: str) -> None:
    """Remove servers left behind by runs that died without atexit (SIGKILL, SIGTERM)."""
    for tmp in base.glob(prefix + "*"):
        try:
            if tmp.stat().st_uid != os.geteuid():
                continue
            owner_pid = int((tmp / OWNER_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner_pid):
            continue
        with contextlib.suppress(OSError, ValueError):
            master = int((tmp / "run" / "master.pid").read_text(encoding="ascii").strip())
            cmdline = Path(f"/proc/{master}/cmdline").read_bytes()
            if str(tmp).encode() in cmdline:  # that pid is still our Dovecot, not a reuse
                _end_session(master, 0.0)
        shutil.rmtree(tmp, ignore_errors=True)


def _child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env.update({"LC_ALL": "C", "LANG": "C"})
    if extra:
        env.update(extra)
    return env


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"({path.name} unreadable: {exc})"
    tail = text.splitlines()[-lines:]
    return f"--- last {len(tail)} lines of {path} ---\n" + "\n".join(tail)


# ------------------------------------------------------------------- the SMTP child process


def _smtp_main(config_path: str) -> int:
    """Run the SMTP server described by CONFIG_PATH until SIGTERM or the parent's exit."""
    import asyncio
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    try:
        return asyncio.run(_serve_smtp(config))
    except _PortInUseError as exc:
        print(f"cannot listen: {exc.__cause__}", file=sys.stderr, flush=True)
        return _EXIT_PORT_IN_USE


async def _serve_smtp(config: dict[str, Any]) -> int:
    import asyncio
    import ssl

    from aiosmtpd.smtp import SMTP

    loop = asyncio.get_running_loop()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(config["cert_file"], config["key_file"])
    handler = _SpoolHandler(config)
    parent = os.getppid()

    def smtp(implicit_tls: bool) -> SMTP:
        return SMTP(
            handler,
            hostname="mail.example.test",
            enable_SMTPUTF8=True,
            tls_context=None if implicit_tls else tls,
            require_starttls=False,
            auth_required=bool(config["require_auth"]),
            auth_require_tls=False,  # so Security.NONE can be tested
            authenticator=handler.authenticate,
            timeout=60,
        )

    plain_port, tls_port = config["ports"]
    try:
        servers = [
            await loop.create_server(lambda: smtp(False), config["host"], plain_port),
            await loop.create_server(lambda: smtp(True), config["host"], tls_port, ssl=tls),
        ]
    except OSError as exc:
        if _PORT_IN_USE.search(str(exc)):
            raise _PortInUseError from exc
        raise
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    Path(config["ready_file"]).write_text(f"{os.getpid()}\n", encoding="ascii")
    while not stop.is_set():
        if os.getppid() != parent:  # the test run died: don't outlive it
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
    for server in servers:
        server.close()
    return 0


class _SpoolHandler:
    """aiosmtpd handler: local delivery by LMTP, then the spool, then 250."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.spool = Path(config["spool_dir"])
        self.control = Path(config["control_file"])
        self.local_domains = set(config["local_domains"])
        self.sequence = 0

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        known = _read_password(self.config["users_dirs"], login)
        if known is None or not secrets.compare_digest(known, password):
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=auth_data)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        code = self._read_control().get("refuse", {}).get(address.lower())
        if code is not None:
            status = "4.2.1" if int(code) < 500 else "5.1.1"
            return f"{code} {status} <{address}>: recipient refused (test server told to)"
        if (
            self._is_local(address)
            and self.config["lmtp"] is not None
            and _read_password(self.config["users_dirs"], address) is None
        ):
            return f"550 5.1.1 <{address}>: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        import asyncio
        import logging

        control = self._read_control()
        if int(control.get("fail_next", 0)) > 0:
            control["fail_next"] = int(control["fail_next"]) - 1
            _write_atomically(self.control, json.dumps(control).encode())
            code = int(control.get("fail_code", 451))
            status = "4.3.0" if code < 500 else "5.3.0"
            return f"{code} {status} failure on purpose (test server told to)"
        raw: bytes = envelope.original_content or envelope.content
        local = [r for r in envelope.rcpt_tos if self._is_local(r)]
        if local and self.config["lmtp"] is not None:
            loop = asyncio.get_running_loop()
            try:
                await loop.run_in_executor(None, self._deliver, envelope.mail_from, local, raw)
            except Exception as exc:  # any failure: the client should try again later
                logging.getLogger("mailservers").error("local delivery failed: %r", exc)
                return f"451 4.4.0 local delivery failed: {exc}"
        login = session.login_data
        self._spool(
            {
                "sender": envelope.mail_from,
                "recipients": list(envelope.rcpt_tos),
                "data": base64.b64encode(raw).decode("ascii"),
                "tls": server.transport.get_extra_info("ssl_object") is not None,
                "login": login.decode("utf-8", "replace") if isinstance(login, bytes) else "",
            }
        )
        return "250 2.0.0 OK: queued"

    def _deliver(self, sender: str, recipients: list[str], raw: bytes) -> None:
        import smtplib

        host, port = self.config["lmtp"]
        with smtplib.LMTP(host, port, timeout=10) as lmtp:
            for recipient in recipients:  # one at a time: smtplib reads one LMTP reply
                lmtp.sendmail(sender, [recipient], raw)

    def _spool(self, record: dict[str, Any]) -> None:
        self.sequence += 1
        name = f"{time.time_ns():020d}-{os.getpid()}-{self.sequence:06d}.json"
        _write_atomically(self.spool / name, json.dumps(record).encode())

    def _is_local(self, address: str) -> bool:
        return address.rpartition("@")[2].lower() in self.local_domains

    def _read_control(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.control.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}


def _main(argv: Sequence[str]) -> int:
    if len(argv) == 2 and argv[0] == "smtp":
        return _smtp_main(argv[1])
    print("usage: python mailservers.py smtp CONFIG.json", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
