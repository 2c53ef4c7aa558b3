"""Shared test set-up.

The tests directory is importable (``from calendars import ...``). PostgreSQL tests start a
throw-away server once per session; without PostgreSQL they are skipped, unless
``SUPPORT_CONSOLE_REQUIRE_POSTGRES=1`` (set by CI), which turns the skip into a failure.

A test fails when anything logs a warning or worse while it runs, from any thread (an
exception logged with ``log.exception`` included), unless it says it expects that with
``@pytest.mark.allow_log`` or is on :data:`LOG_ALLOWED`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import uuid
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PostgresServer, PostgresUnavailable

REQUIRE_POSTGRES = os.environ.get("SUPPORT_CONSOLE_REQUIRE_POSTGRES") == "1"


def started_server() -> PostgresServer:
    """A started throw-away server; skips (or fails, when PostgreSQL is required) without."""
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        server.cleanup()
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required here but unavailable: {error}")
        pytest.skip(f"PostgreSQL unavailable: {error}")
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = started_server()
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'console.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each real database in turn: SQLite, then PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


class FakeTime:
    """A clock for tests: fixed until moved."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 20, 14, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


ClockFactory = Callable[[], datetime]


# --------------------------------------------------------------------------- log failures

# Tests that log a warning (or an error) on purpose but are not marked ``allow_log`` (their
# files are edited elsewhere): node id -> why the log is expected. Empty: no test of the
# suite logs at WARNING or above (the offline and reconnect tests included, since the
# backend does not log connection errors).
LOG_ALLOWED: dict[str, str] = {}

LOG_FAIL_LEVEL = logging.WARNING


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_log(*patterns, logger=None): the test expects warnings or errors to be logged"
        " (only those whose message matches one of the regular expressions ``patterns``, and"
        " whose logger is ``logger`` or below it, when given)",
    )


class LogFailHandler(logging.Handler):
    """Keeps every record of ``LOG_FAIL_LEVEL`` or above, from any thread, for the test to
    fail on afterwards (failing inside ``emit`` would only break the thread that logged)."""

    def __init__(self, allowed: Callable[[logging.LogRecord], bool]) -> None:
        super().__init__(LOG_FAIL_LEVEL)
        self.allowed = allowed
        self.records: list[logging.LogRecord] = []
        self.reported = 0
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s [%(threadName)s]: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:  # called under the handler's lock
        if not self.allowed(record):
            self.records.append(record)

    def unexpected(self) -> list[str]:
        """What was logged and not expected since the last call, formatted."""
        self.acquire()
        try:
            new = self.records[self.reported :]
            self.reported = len(self.records)
        finally:
            self.release()
        return [self.format(record) for record in new]


_LOG_HANDLER = pytest.StashKey[LogFailHandler]()


def _allowance(item: pytest.Item) -> Callable[[logging.LogRecord], bool]:
    if item.nodeid in LOG_ALLOWED:
        return lambda record: True
    markers = list(item.iter_markers("allow_log"))
    if not markers:
        return lambda record: False
    rules = [([re.compile(p) for p in m.args], m.kwargs.get("logger")) for m in markers]

    def allowed(record: logging.LogRecord) -> bool:
        for patterns, logger in rules:
            if logger is not None and not (
                record.name == logger or record.name.startswith(f"{logger}.")
            ):
                continue
            message = record.getMessage()
            if not patterns or any(p.search(message) for p in patterns):
                return True
        return False

    return allowed


def _fail_on(handler: LogFailHandler, when: str) -> None:
    lines = handler.unexpected()
    if lines:
        shown = "\n".join(lines)
        pytest.fail(
            f"{len(lines)} unexpected log record(s) at WARNING or above {when}"
            f" (mark the test @pytest.mark.allow_log if they are expected):\n{shown}",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def fail_on_logging(request: pytest.FixtureRequest) -> Iterator[LogFailHandler]:
    """Fail the test on any record of WARNING or above logged while it runs, from any thread;
    what the call logged fails the test itself, what fixtures log on the way out fails its
    teardown."""
    handler = LogFailHandler(_allowance(request.node))
    root = logging.getLogger()
    root.addHandler(handler)
    request.node.stash[_LOG_HANDLER] = handler
    try:
        yield handler
        _fail_on(handler, "while the test was torn down")
    finally:
        root.removeHandler(handler)
        del request.node.stash[_LOG_HANDLER]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    handler = item.stash.get(_LOG_HANDLER, None)
    try:
        result = yield
    except BaseException:
        if handler is not None:
            handler.unexpected()  # the test failed already: its own failure says more
        raise
    if handler is not None:
        _fail_on(handler, "while the test was set up or ran")
    return result


# --------------------------------------------------------------------------- mail servers

# Throw-away Dovecot (IMAP, LMTP) and SMTP servers, see tests/mailservers.py.  Without
# Dovecot (or aiosmtpd) the mail tests are skipped, unless ``SUPPORT_CONSOLE_REQUIRE_MAIL=1``
# (set by CI), which turns the skip into a failure.

# Imported here, next to their fixtures (tests/ is on sys.path since the top of the file).
from typing import NoReturn  # noqa: E402

from mailservers import DovecotServer, MailAccount, MailServerUnavailable, SmtpServer  # noqa: E402

REQUIRE_MAIL = os.environ.get("SUPPORT_CONSOLE_REQUIRE_MAIL") == "1"


def mail_unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the mail servers are required (a silent skip would hide a broken
    set-up)."""
    if REQUIRE_MAIL:
        pytest.fail(f"the mail servers are required here but unavailable: {reason}")
    pytest.skip(f"mail servers unavailable: {reason}")


def started_mail_server(server: DovecotServer | SmtpServer) -> None:
    """Start SERVER; skips (or fails, when mail is required) when it cannot run here."""
    reason = None
    try:
        server.start()
    except MailServerUnavailable as error:
        server.cleanup()
        reason = str(error)
    if reason is not None:  # outside the except block: no chained traceback in the report
        mail_unavailable(reason)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """Dovecot for the whole session: IMAP (plain/STARTTLS and TLS) and LMTP."""
    server = DovecotServer()
    started_mail_server(server)
    yield server
    server.cleanup()


@pytest.fixture
def smtp_server(dovecot_server: DovecotServer, tmp_path: Path) -> Iterator[SmtpServer]:
    """A fresh SMTP server (STARTTLS and TLS) delivering example.test mail to Dovecot."""
    server = SmtpServer(dovecot_server, base_dir=tmp_path)
    started_mail_server(server)
    yield server
    server.cleanup()


@pytest.fixture
def mailbox(dovecot_server: DovecotServer) -> MailAccount:
    """A team address of its own for this test (``support-<8 hex>@example.test``)."""
    return dovecot_server.new_account()


# --------------------------------------------------------------------------- language

_QT_TESTS = Path(__file__).parent / "qt"


@pytest.fixture(autouse=True)
def english(request: pytest.FixtureRequest) -> None:
    """The Qt tests speak English as the console does when English is chosen: its
    translators installed (the English forms of texts with a count among them), whatever
    the desktop's language. A test that installs another language puts English back. The
    other tests expect the services' English too: a language a Qt test left installed (a
    window started with ``--language de``) is put back to English before them."""
    if _QT_TESTS not in Path(request.node.path).parents:
        installed = sys.modules.get("console.qt.i18n")  # imported: Qt tests ran before
        if installed is not None and installed.installed_language() not in (None, "en"):
            from PySide6.QtCore import QCoreApplication

            app = QCoreApplication.instance()
            if app is not None:
                installed.install_language(app, "en")
        return
    from console.qt.i18n import install_language, installed_language

    app = request.getfixturevalue("qapp")
    if installed_language() != "en":
        install_language(app, "en")
