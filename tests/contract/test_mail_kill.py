"""``support-console mail run`` killed (SIGKILL) again and again while it imports and while it
sends, on SQLite and PostgreSQL: every message is read exactly once, every reply reaches
the customer exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from console.adapters.database import Database
from console.adapters.mail import ImapInbox
from console.adapters.sql import SqlUnitOfWork
from console.domain.mail import MailboxSettings, OutboxState, Security
from console.domain.model import Channel, EventKind
from console.domain.policy import load_policies
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook
from mailservers import MailAccount, SmtpServer

pytestmark = pytest.mark.mail

LEAD = "claire.dubois"
CUSTOMER = "dana@juniper-pharma.example.com"
SRC = Path(__file__).resolve().parents[2] / "src"
LOG = Path(tempfile.gettempdir()) / f"mail-worker-{os.getpid()}.log"


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def setup(
    database_url: str, book: PolicyBook, mailbox: MailAccount, smtp_server: SmtpServer
) -> Iterator[tuple[Database, MailboxSettings]]:
    database = Database.open(database_url)
    database.upgrade()
    now = datetime.now(UTC)
    load_demo(SqlUnitOfWork(database, now=lambda: now), book, tickets=10, seed=4, now=now)
    settings = MailboxSettings(
        address=mailbox.address,
        imap=mailbox.imap(Security.STARTTLS),
        smtp=smtp_server.settings(mailbox.address, mailbox.password, Security.TLS),
        poll_seconds=5,
    )
    handle(c.ConfigureMailbox(settings, 0), SqlUnitOfWork(database), book, LEAD)
    yield database, settings
    database.dispose()


def start_worker(
    database: Database, account: MailAccount, log_file: Path | None = None
) -> subprocess.Popen[bytes]:
    """``support-console mail run`` in a process of its own; what it says goes to
    ``log_file`` (a shared log by default)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SUPPORT_CONSOLE_IMAP_PASSWORD": account.password,
        "SUPPORT_CONSOLE_SMTP_PASSWORD": account.password,
    }
    command = [
        sys.executable,
        "-m",
        "console",
        "--db",
        database.url,
        "mail",
        "run",
        "--lease-seconds",
        "2",
        "--confirm-seconds",
        "2",
        "--tick-seconds",
        "0.2",
    ]
    with (log_file or LOG).open("ab") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def kill_repeatedly(database: Database, account: MailAccount, times: int, seed: int) -> None:
    chance = random.Random(seed)
    for _ in range(times):
        worker = start_worker(database, account)
        time.sleep(chance.uniform(1.0, 3.0))
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)


def finish(database: Database, account: MailAccount, done: object, timeout: float = 90) -> None:
    worker = start_worker(database, account)
    try:
        deadline = time.monotonic() + timeout
        while not done():  # type: ignore[operator]
            assert worker.poll() is None, LOG.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the worker did not finish in time"
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)


def customer_mail(subject: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = CUSTOMER
    mail["To"] = "support@example.test"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = (
        f"<{subject.replace(' ', '.')}.{time.time_ns()}@juniper-pharma.example.com>"
    )
    mail.set_content(f"The words of {subject}")
    return mail.as_bytes()


def scalar(database: Database, statement: str) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text(statement)).scalar() or 0)


def test_killed_during_imports_every_message_is_read_exactly_once(
    setup: tuple[Database, MailboxSettings], mailbox: MailAccount
) -> None:
    database, settings = setup
    subjects = [f"Issue {n}" for n in range(40)]
    with ImapInbox(settings.imap, mailbox.password) as inbox:
        inbox.connect()
        for subject in subjects:
            inbox.append(customer_mail(subject))
    kill_repeatedly(database, mailbox, 5, seed=1)
    finish(database, mailbox, lambda: scalar(database, "SELECT count(*) FROM mail_messages") >= 40)
    with SqlUnitOfWork(database, write=False) as uow:
        mine = [t for t in uow.tickets.list() if t.title.startswith("Issue ")]
        histories = uow.tickets.events_of(t.key for t in mine)
    assert Counter(t.title for t in mine) == Counter(subjects)  # each once
    for ticket in mine:
        said = [e for e in histories[ticket.key] if e.kind is EventKind.CUSTOMER_MESSAGE]
        assert [e.data["text"] for e in said] == [f"The words of {ticket.title}"]
    assert scalar(database, "SELECT count(*) FROM mail_messages") == 40
    with ImapInbox(settings.imap, mailbox.password) as inbox:
        inbox.connect()
        assert inbox.unprocessed() == []  # all marked, after their commits


def test_killed_during_sends_every_reply_reaches_the_customer_exactly_once(
    setup: tuple[Database, MailboxSettings],
    mailbox: MailAccount,
    smtp_server: SmtpServer,
    book: PolicyBook,
) -> None:
    database, settings = setup
    with ImapInbox(settings.imap, mailbox.password) as inbox:
        inbox.connect()
        inbox.append(customer_mail("Checkout down"))
    finish(database, mailbox, lambda: scalar(database, "SELECT count(*) FROM mail_messages") >= 1)
    with SqlUnitOfWork(database, write=False) as uow:
        (ticket,) = [t for t in uow.tickets.list() if t.title == "Checkout down"]
    replies = [f"Reply number {n}" for n in range(15)]
    for words in replies:
        with SqlUnitOfWork(database, write=False) as uow:
            version = uow.tickets.get(ticket.key, with_events=False).version
        handle(
            c.SendUpdate(ticket.key, version, words, Channel.EMAIL),
            SqlUnitOfWork(database),
            book,
            LEAD,
        )
    kill_repeatedly(database, mailbox, 6, seed=2)

    def all_sent() -> bool:
        with SqlUnitOfWork(database, write=False) as uow:
            return all(e.state is OutboxState.SENT for e in uow.mail.outbox())

    finish(database, mailbox, all_sent)
    to_customer = [
        message_from_bytes(m.raw, policy=policy.default)
        for m in smtp_server.messages()
        if CUSTOMER in m.recipients
    ]
    ids = Counter(str(m["Message-ID"]) for m in to_customer)
    assert len(ids) == 15 and set(ids.values()) == {1}, ids
    assert sorted(m.get_content().strip() for m in to_customer) == sorted(replies)  # type: ignore[attr-defined]


def test_two_workers_started_at_once_never_both_work(
    setup: tuple[Database, MailboxSettings], mailbox: MailAccount, tmp_path: Path
) -> None:
    database, settings = setup
    with ImapInbox(settings.imap, mailbox.password) as inbox:
        inbox.connect()
        for n in range(20):
            inbox.append(customer_mail(f"Twin {n}"))
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = [start_worker(database, mailbox, log) for log in logs]
    try:
        deadline = time.monotonic() + 90
        while scalar(database, "SELECT count(*) FROM mail_messages") < 20:
            assert time.monotonic() < deadline, "the workers did not finish in time"
            time.sleep(0.3)
        time.sleep(1)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(20)
    said = [log.read_text() for log in logs]
    read = sorted(int(text.split("stopped: ")[1].split(" ")[0]) for text in said)
    assert read == [0, 20], said  # one read everything, the other waited
    with SqlUnitOfWork(database, write=False) as uow:
        mine = [t.title for t in uow.tickets.list() if t.title.startswith("Twin ")]
    assert sorted(mine) == sorted(f"Twin {n}" for n in range(20))
