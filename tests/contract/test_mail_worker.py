"""The mail worker against real servers (Dovecot for IMAP, an SMTP server delivering the
team's own copies to Dovecot by LMTP), on SQLite and PostgreSQL: the whole round trip, and
nothing lost or sent twice when a server is down, a send fails, or the worker dies."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy import text

from console.adapters.database import Database
from console.adapters.mail import ImapInbox
from console.adapters.sql import SqlUnitOfWork
from console.domain.mail import MailboxSettings, OutboxState, Outcome, Security
from console.domain.model import Channel, EventKind, Status
from console.domain.policy import load_policies
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.mail_worker import LeaseLostError, MailWorker, Passwords
from console.services.tickets import PolicyBook
from mailservers import MailAccount, SmtpServer

pytestmark = pytest.mark.mail

LEAD = "claire.dubois"
CUSTOMER = "dana@juniper-pharma.example.com"  # Juniper Pharma SA (laioutr)
_ids = count(1)


class Clock:
    """The real time, moved forward by tests (backoff without waiting)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def team(
    database_url: str,
    book: PolicyBook,
    mailbox: MailAccount,
    smtp_server: SmtpServer,
    clock: Clock,
) -> Iterator[Team]:
    database = Database.open(database_url)
    database.upgrade()
    now = clock()
    load_demo(SqlUnitOfWork(database, now=lambda: now), book, tickets=20, seed=4, now=now)
    settings = MailboxSettings(
        address=mailbox.address,
        imap=mailbox.imap(Security.TLS),
        smtp=smtp_server.settings(mailbox.address, mailbox.password, Security.STARTTLS),
        poll_seconds=5,
    )
    handle(c.ConfigureMailbox(settings, 0), SqlUnitOfWork(database), book, LEAD)
    team = Team(database, book, mailbox, smtp_server, settings, clock)
    yield team
    for worker in team.workers:
        worker.close()
    database.dispose()


class Team:
    def __init__(
        self,
        database: Database,
        book: PolicyBook,
        account: MailAccount,
        smtp: SmtpServer,
        settings: MailboxSettings,
        clock: Clock,
    ) -> None:
        self.database, self.book, self.account, self.smtp = database, book, account, smtp
        self.settings, self.clock = settings, clock
        self.workers: list[MailWorker] = []

    def worker(self, **options: Any) -> MailWorker:
        values: dict[str, Any] = {
            "lease_seconds": 5,
            "confirm_seconds": 3,
            "tick_seconds": 0.2,
            "now": self.clock,
            **options,
        }
        worker = MailWorker(
            self.database,
            self.book,
            Passwords(lambda which, server: self.account.password),
            **values,
        )
        self.workers.append(worker)
        return worker

    def deliver(self, raw: bytes) -> None:
        """A message arrives in the team's mailbox."""
        with ImapInbox(self.settings.imap, self.account.password) as inbox:
            inbox.connect()
            inbox.append(raw)

    def ticket(self, key: str) -> Any:
        with SqlUnitOfWork(self.database, write=False) as uow:
            return uow.tickets.get(key)

    def outbox(self) -> list[Any]:
        with SqlUnitOfWork(self.database, write=False) as uow:
            return uow.mail.outbox()

    def messages(self) -> list[Any]:
        with SqlUnitOfWork(self.database, write=False) as uow:
            rows = uow.session.execute(text("SELECT message_id, outcome FROM mail_messages")).all()
        return [(m, o) for m, o in rows]

    def reply(self, key: str, text: str) -> None:
        ticket = self.ticket(key)
        handle(
            c.RecordResponse(key, ticket.version, text, Channel.EMAIL),
            SqlUnitOfWork(self.database, now=self.clock),
            self.book,
            LEAD,
        )

    def to_customer(self) -> list[EmailMessage]:
        return [
            message_from_bytes(m.raw, policy=policy.default)  # type: ignore[misc]
            for m in self.smtp.messages()
            if CUSTOMER in m.recipients
        ]


def customer_mail(
    subject: str, body: str, *, in_reply_to: str | None = None, **headers: str
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Dana <{CUSTOMER}>"
    mail["To"] = "support@example.test"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = f"<c{next(_ids)}.{time.time_ns()}@juniper-pharma.example.com>"
    if in_reply_to:
        mail["In-Reply-To"] = f"<{in_reply_to}>"
        mail["References"] = f"<{in_reply_to}>"
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail.as_bytes()


def until(condition: Callable[[], Any], step: Callable[[], Any], rounds: int = 40) -> Any:
    for _ in range(rounds):
        found = condition()
        if found:
            return found
        step()
    raise AssertionError("the condition never held")


def opened_key(team: Team) -> str | None:
    with SqlUnitOfWork(team.database, write=False) as uow:
        mine = [
            t
            for t in uow.tickets.list()
            if t.customer == "Juniper Pharma SA" and t.title == "Checkout down"
        ]
    return mine[0].key if mine else None


def test_a_customers_mail_opens_a_ticket_and_the_reply_reaches_them(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "All requests fail with 500."))
    key = until(lambda: opened_key(team), worker.step)
    assert team.ticket(key).events[-1].data["text"] == "All requests fail with 500."
    team.reply(key, "We are on it.")
    until(lambda: team.outbox()[0].state is OutboxState.SENT, worker.step)
    (sent,) = team.to_customer()
    (received_id, _), *_ = team.messages()
    assert sent["In-Reply-To"].strip("<>") == received_id
    assert f"[{key}]" in sent["Subject"] and sent["Subject"].startswith("Re: ")
    assert sent.get_content().strip() == "We are on it."
    own_id = sent["Message-ID"].strip("<>")
    # The team's own copy comes back and is no message; the customer's answer threads.
    until(lambda: (own_id, "own") in team.messages(), worker.step)
    team.deliver(customer_mail("Re: Checkout down", "Thanks, it works", in_reply_to=own_id))
    until(lambda: team.ticket(key).events[-1].data.get("text") == "Thanks, it works", worker.step)
    assert len(team.to_customer()) == 1


def test_nothing_is_lost_while_the_imap_server_is_down(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "first"))
    server = team.account.server
    server.stop()
    try:
        for _ in range(3):
            worker.step()  # reported, never raised
    except Exception as error:  # pragma: no cover - the assertion below says it
        raise AssertionError(f"the worker gave up: {error}") from error
    finally:
        server.start()
    with SqlUnitOfWork(team.database, write=False) as uow:
        assert uow.mail.worker().last_error
    key = until(lambda: opened_key(team), lambda: run_round(worker))
    assert [e.kind for e in team.ticket(key).events].count(EventKind.CUSTOMER_MESSAGE) == 1


def run_round(worker: MailWorker) -> None:
    """One round as :meth:`MailWorker.run` does it: an error is reported, not raised."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()
    time.sleep(0.5)
    stop.set()
    thread.join(10)


def test_a_reply_waits_out_an_smtp_server_that_is_down_and_is_sent_once(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "x"))
    key = until(lambda: opened_key(team), worker.step)
    team.smtp.stop()
    team.reply(key, "Looking into it")
    until(lambda: team.outbox()[0].attempts >= 1, worker.step)
    (entry,) = team.outbox()
    assert entry.state is OutboxState.PENDING and entry.last_error
    assert entry.next_attempt_at > team.clock()
    team.smtp.start()
    worker.step()
    assert team.outbox()[0].state is OutboxState.PENDING  # waits for its next attempt
    team.clock.offset += timedelta(minutes=2)
    until(lambda: team.outbox()[0].state is OutboxState.SENT, worker.step)
    assert len(team.to_customer()) == 1


def test_temporary_refusals_are_retried_and_a_permanent_one_fails_on_the_ticket(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "x"))
    key = until(lambda: opened_key(team), worker.step)
    team.smtp.fail_next(1, 451)
    team.reply(key, "one")
    until(lambda: team.outbox()[0].attempts == 1, worker.step)
    team.clock.offset += timedelta(minutes=2)
    until(lambda: team.outbox()[0].state is OutboxState.SENT, worker.step)
    team.smtp.refuse(CUSTOMER, 550)
    team.reply(key, "two")
    until(lambda: team.outbox()[-1].state is OutboxState.FAILED, worker.step)
    assert "550" in team.outbox()[-1].last_error
    assert len(team.to_customer()) == 1


class Crash(BaseException):
    """The process dies here (nothing after it runs)."""


def test_a_worker_that_dies_after_the_send_does_not_send_again(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "x"))
    key = until(lambda: opened_key(team), worker.step)
    team.reply(key, "Fixed")
    real = worker.sender_factory

    def dying(server: Any, password: str) -> Any:
        sender = real(server, password)

        class Dying:
            def send(self, raw: bytes, sender_address: str, recipients: list[str]) -> None:
                sender.send(raw, sender_address, recipients)
                raise Crash  # the SMTP server has it; the database does not know

        return Dying()

    worker.sender_factory = dying
    with pytest.raises(Crash):
        worker.step()
    assert team.outbox()[0].state is OutboxState.SENDING
    assert len(team.to_customer()) == 1
    heir = team.worker()  # a new worker (the lease of the dead one runs out)
    team.clock.offset += timedelta(seconds=10)
    until(lambda: team.outbox()[0].state is OutboxState.SENT, heir.step)
    team.clock.offset += timedelta(minutes=5)
    for _ in range(3):
        heir.step()
    assert len(team.to_customer()) == 1


def test_a_worker_that_dies_before_the_send_sends_after_the_confirmation_wait(team: Team) -> None:
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "x"))
    key = until(lambda: opened_key(team), worker.step)
    team.reply(key, "Fixed")

    def dead(server: Any, password: str) -> Any:
        raise Crash

    worker.sender_factory = dead
    with pytest.raises(Crash):
        worker.step()
    assert team.outbox()[0].state is OutboxState.SENDING
    heir = team.worker()
    team.clock.offset += timedelta(seconds=10)  # lease gone, confirmation wait over
    until(lambda: team.outbox()[0].state is OutboxState.SENT, heir.step)
    assert len(team.to_customer()) == 1


def test_two_workers_never_both_work(team: Team) -> None:
    first, second = team.worker(), team.worker()
    for n in range(6):
        team.deliver(customer_mail(f"Issue {n}", f"body {n}"))
    for _ in range(4):
        first.step()
        second.step()
    assert first.holding and not second.holding
    assert second.counters.imported == 0
    assert first.counters.imported == 6
    team.clock.offset += timedelta(seconds=10)  # the first stops renewing: the second takes over
    team.deliver(customer_mail("Issue 6", "late"))
    until(lambda: second.counters.imported == 1, second.step)
    with pytest.raises(LeaseLostError), SqlUnitOfWork(team.database) as uow:
        first._fenced(uow)  # whatever the first one still tries is fenced off
    assert sorted(o for _, o in team.messages()) == ["opened"] * 7


def test_an_auto_replying_customer_causes_no_mail_loop(team: Team, book: PolicyBook) -> None:
    with SqlUnitOfWork(team.database, write=False) as uow:
        current, _ = uow.mail.settings()
    assert current is not None
    acked = MailboxSettings(
        address=current.address,
        imap=current.imap,
        smtp=current.smtp,
        poll_seconds=current.poll_seconds,
        acknowledge=frozenset({"laioutr"}),
    )
    handle(c.ConfigureMailbox(acked, current.version), SqlUnitOfWork(team.database), book, LEAD)
    worker = team.worker()
    team.deliver(customer_mail("Checkout down", "x"))
    answered: set[str] = set()
    for _ in range(12):
        worker.step()
        for sent in team.to_customer():  # the customer's auto-responder answers everything
            mid = sent["Message-ID"].strip("<>")
            if mid in answered:
                continue
            answered.add(mid)
            team.deliver(
                customer_mail(
                    "Out of office", "Away", in_reply_to=mid, Auto_Submitted="auto-replied"
                )
            )
            team.deliver(
                customer_mail("Re: " + str(sent["Subject"]), "I am away (naive)", in_reply_to=mid)
            )
    key = opened_key(team)
    assert key is not None
    assert len(team.to_customer()) == 1  # the acknowledgement, and nothing after it
    outcomes = sorted(o for _, o in team.messages())
    assert outcomes.count("opened") == 1 and outcomes.count("automatic") == 1
    ticket = team.ticket(key)
    assert ticket.status is Status.OPEN
    assert len(team.outbox()) == 1
    assert Outcome.AUTOMATIC.value in outcomes
