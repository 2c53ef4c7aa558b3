"""The mail channel's tables on SQLite and PostgreSQL: a reply by e-mail and its outbox row
commit together (through an agent's own login too), the mailbox's lead commands, the
worker's lease, and what an agent's login cannot do to the mail tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from console.adapters.database import Database
from console.adapters.grants import grant
from console.adapters.sql import SqlUnitOfWork
from console.domain.errors import ConcurrentEditError, PermissionDeniedError
from console.domain.mail import (
    MailboxSettings,
    OutboxState,
    Outcome,
    Security,
    ServerSettings,
)
from console.domain.model import Channel, EventKind, Role, Status
from console.domain.policy import load_policies
from console.domain.rules import InvalidEventError
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LEAD, AGENT = "claire.dubois", "ana.ortiz"


def mailbox(address: str = "support@example.test", **changes: Any) -> MailboxSettings:
    imap = ServerSettings("127.0.0.1", 1143, Security.NONE, address)
    smtp = ServerSettings("127.0.0.1", 1025, Security.NONE, address)
    values: dict[str, Any] = {"address": address, "imap": imap, "smtp": smtp, **changes}
    return MailboxSettings(**values)


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def database(database_url: str, book: PolicyBook) -> Iterator[Database]:
    database = Database.open(database_url)
    database.upgrade()
    load_demo(SqlUnitOfWork(database, now=lambda: NOW), book, tickets=30, seed=4, now=NOW)
    yield database
    database.dispose()


def an_open_ticket(database: Database) -> Any:
    with SqlUnitOfWork(database, write=False) as uow:
        return next(t for t in uow.tickets.list() if t.status is Status.OPEN)


def outbox(database: Database) -> list[Any]:
    with SqlUnitOfWork(database, write=False) as uow:
        return uow.mail.outbox()


def send(database: Database, book: PolicyBook, actor: str, command: c.Command) -> Any:
    return handle(command, SqlUnitOfWork(database, now=lambda: NOW), book, actor)


def test_a_reply_by_email_and_its_outbox_row_commit_together(
    database: Database, book: PolicyBook
) -> None:
    ticket = an_open_ticket(database)
    after = send(
        database, book, LEAD, c.RecordResponse(ticket.key, ticket.version, "On it", Channel.EMAIL)
    )
    (entry,) = outbox(database)
    assert entry.ticket == ticket.key and entry.state is OutboxState.PENDING
    with SqlUnitOfWork(database, write=False) as uow:
        kind, data, actor = uow.mail.event_text(entry.event_id)
    assert (kind, data["text"], data["channel"], actor) == ("responded", "On it", "email", LEAD)
    # Said by phone, or only noted: nothing to send.
    after = send(database, book, LEAD, c.SendUpdate(ticket.key, after.version, "x", Channel.PHONE))
    after = send(database, book, LEAD, c.AddNote(ticket.key, after.version, "called them"))
    assert len(outbox(database)) == 1
    after = send(
        database, book, LEAD, c.SendUpdate(ticket.key, after.version, "Update", Channel.EMAIL)
    )
    assert len(outbox(database)) == 2
    # A refused reply (a stale version) leaves no outbox row behind.
    with pytest.raises(ConcurrentEditError):
        send(database, book, LEAD, c.RecordResponse(ticket.key, 1, "late", Channel.EMAIL))
    assert len(outbox(database)) == 2


def test_the_mailbox_is_configured_by_leads_only_and_conflicts_show(
    database: Database, book: PolicyBook
) -> None:
    with pytest.raises(PermissionDeniedError):
        send(database, book, AGENT, c.ConfigureMailbox(mailbox(), 0))
    assert send(database, book, LEAD, c.ConfigureMailbox(mailbox(), 0)) == 1
    with SqlUnitOfWork(database, write=False) as uow:
        stored, token = uow.mail.settings()
    assert stored == mailbox(version=1) and len(token) == 16
    with pytest.raises(ConcurrentEditError) as raised:
        send(database, book, LEAD, c.ConfigureMailbox(mailbox("other@example.test"), 0))
    assert raised.value.current == stored  # what the other lead saved, to compare
    assert send(database, book, LEAD, c.ConfigureMailbox(mailbox(poll_seconds=30), 1)) == 2
    with SqlUnitOfWork(database, write=False) as uow:
        again, same_token = uow.mail.settings()
    assert again is not None and again.poll_seconds == 30 and same_token == token
    with pytest.raises(ValueError, match="acknowledge: no policy 'nope'"):
        send(database, book, LEAD, c.ConfigureMailbox(mailbox(acknowledge=frozenset({"nope"})), 2))
    with pytest.raises(ValueError, match="address"):
        send(database, book, LEAD, c.ConfigureMailbox(mailbox("not an address"), 2))


def test_contacts_name_customers_and_leads_discard_waiting_mail(
    database: Database, book: PolicyBook
) -> None:
    with SqlUnitOfWork(database, write=False) as uow:
        customer = uow.customers.list()[0].name
    send(database, book, LEAD, c.SetMailContact("Ops@Customer.TEST", customer))
    send(database, book, LEAD, c.SetMailContact("@customer.test", customer))
    with pytest.raises(PermissionDeniedError):
        send(database, book, AGENT, c.SetMailContact("x@customer.test", customer))
    with pytest.raises(ValueError, match="not a mail address"):
        send(database, book, LEAD, c.SetMailContact("nobody", customer))
    with SqlUnitOfWork(database, write=False) as uow:
        assert uow.mail.contacts() == {"ops@customer.test": customer, "@customer.test": customer}
    send(database, book, LEAD, c.SetMailContact("ops@customer.test", None))
    with SqlUnitOfWork(database) as uow:
        assert uow.mail.contacts() == {"@customer.test": customer}
        waiting = uow.mail.add_message(
            message_id="m1@x.test",
            folder="INBOX",
            uidvalidity=7,
            uid=1,
            received_at=NOW,
            sender="who@unknown.test",
            subject="help",
            outcome=Outcome.TRIAGE,
            raw=b"Subject: help\r\n\r\nhelp",
        )
        uow.commit()
    with pytest.raises(PermissionDeniedError):
        send(database, book, AGENT, c.DiscardMail(waiting, 1))
    with pytest.raises(ConcurrentEditError) as raised:
        send(database, book, LEAD, c.DiscardMail(waiting, 2))
    assert raised.value.current.version == 1
    send(database, book, LEAD, c.DiscardMail(waiting, 1))
    with SqlUnitOfWork(database, write=False) as uow:
        assert uow.mail.waiting() == []
        assert uow.mail.message(waiting).outcome is Outcome.DISCARDED
        assert uow.mail.is_known("m1@x.test", "INBOX", 0, 0)
        assert uow.mail.is_known("other", "INBOX", 7, 1)
    with pytest.raises(ValueError, match="not waiting"):
        send(database, book, LEAD, c.DiscardMail(waiting, 2))


def test_one_worker_holds_the_mailbox_until_its_lease_runs_out(database: Database) -> None:
    def take(holder: str, at: datetime) -> str:
        with SqlUnitOfWork(database) as uow:
            status = uow.mail.take_lease(holder, at, at + timedelta(seconds=30))
            uow.commit()
        return status.holder

    assert take("a", NOW) == "a"
    assert take("b", NOW + timedelta(seconds=10)) == "a"
    assert take("a", NOW + timedelta(seconds=20)) == "a"  # renewed until +50 s
    assert take("b", NOW + timedelta(seconds=45)) == "a"
    with SqlUnitOfWork(database) as uow:
        assert uow.mail.holds_lease("a", NOW + timedelta(seconds=49))
        assert not uow.mail.holds_lease("b", NOW + timedelta(seconds=49))
        assert not uow.mail.holds_lease("a", NOW + timedelta(seconds=51))
    assert take("b", NOW + timedelta(seconds=51)) == "b"
    with SqlUnitOfWork(database) as uow:
        uow.mail.release_lease("a")  # not a's to give back any more
        uow.commit()
    assert take("c", NOW + timedelta(seconds=52)) == "b"


# --------------------------------------------------------------------------- an agent's login


@pytest.fixture
def logins(postgres_url: str, book: PolicyBook) -> Iterator[dict[str, Database]]:
    admin = Database.open(postgres_url)
    admin.upgrade()
    load_demo(SqlUnitOfWork(admin, now=lambda: NOW), book, tickets=30, seed=4, now=NOW)
    grant(admin, AGENT, Role.AGENT, "pw")
    grant(admin, LEAD, Role.LEAD, "pw")
    opened = {"admin": admin}
    for name in (AGENT, LEAD):
        url = make_url(admin.url).set(username=name, password="pw")
        opened[name] = Database.open(url.render_as_string(hide_password=False))
    yield opened
    for database in opened.values():
        database.dispose()


def refused(database: Database, statement: str) -> str:
    with pytest.raises(DBAPIError) as raised, database.engine.begin() as connection:
        connection.execute(text(statement))
    return str(raised.value.orig)


@pytest.mark.postgres
def test_an_agents_login_writes_mail_only_through_the_commands(
    logins: dict[str, Database], book: PolicyBook
) -> None:
    agent, lead, admin = logins[AGENT], logins[LEAD], logins["admin"]
    ticket = an_open_ticket(admin)
    handle(
        c.RecordResponse(ticket.key, ticket.version, "On it", Channel.EMAIL),
        SqlUnitOfWork(agent),
        book,
        AGENT,
    )
    (entry,) = outbox(admin)
    assert entry.ticket == ticket.key and entry.state is OutboxState.PENDING
    with SqlUnitOfWork(admin, write=False) as uow:
        version = uow.tickets.get(ticket.key, with_events=False).version
    handle(  # said by phone: the function writes no outbox row
        c.SendUpdate(ticket.key, version, "Called them", Channel.PHONE),
        SqlUnitOfWork(agent),
        book,
        AGENT,
    )
    assert len(outbox(admin)) == 1
    with SqlUnitOfWork(admin, write=False) as uow:
        kind, _, actor = uow.mail.event_text(entry.event_id)
    assert (kind, actor) == (EventKind.RESPONDED.value, AGENT)
    for attack in (
        "UPDATE mail_outbox SET state = 'sent'",
        "DELETE FROM mail_outbox",
        "INSERT INTO mail_outbox (ticket_id, event_id, created_at, state, attempts, "
        "next_attempt_at, recipients, last_error, version) VALUES (1, 999999, now(), "
        "'pending', 0, now(), '[\"x@evil.test\"]', '', 1)",
        "INSERT INTO mail_contacts (address, customer_id) VALUES ('@evil.test', 1)",
        "INSERT INTO mail_settings (id, data, token, version) VALUES (1, '{}', 'x', 1)",
        "UPDATE mail_worker SET holder = 'me'",
        "UPDATE mail_messages SET outcome = 'discarded'",
    ):
        assert "permission denied" in refused(agent, attack), attack
    with pytest.raises(PermissionDeniedError):
        handle(c.ConfigureMailbox(mailbox(), 0), SqlUnitOfWork(agent), book, AGENT)
    assert refused(
        agent,
        'SELECT console_api.configure_mail(\'{"address": "a@b.c", "imap": {}, '
        "\"smtp\": {}}', 0, 'abcdefgh12345678')",
    ).startswith("permission denied for function configure_mail")
    handle(c.ConfigureMailbox(mailbox(), 0), SqlUnitOfWork(lead), book, LEAD)
    with pytest.raises(ConcurrentEditError) as raised:  # a lead who saw no mailbox yet
        handle(c.ConfigureMailbox(mailbox("x@example.test"), 0), SqlUnitOfWork(lead), book, LEAD)
    assert raised.value.current == mailbox(version=1)
    with SqlUnitOfWork(agent, write=False) as uow:  # every console reads the settings
        stored, _ = uow.mail.settings()
    assert stored is not None and stored.address == "support@example.test"
    with (
        pytest.raises(InvalidEventError, match="passwords are never stored"),
        SqlUnitOfWork(lead) as uow,
    ):
        uow.mail.call(  # a forged call with a password in it
            "configure_mail",
            "mail settings",
            "mailbox",
            1,
            data={**mailbox().as_json(), "password": "hunter2"},
            version=1,
            token="abcdefgh12345678",
        )
    with pytest.raises(PermissionDeniedError):
        handle(c.SetMailContact("@evil.test", ticket.customer), SqlUnitOfWork(agent), book, AGENT)
    handle(c.SetMailContact("@good.test", ticket.customer), SqlUnitOfWork(lead), book, LEAD)
    with SqlUnitOfWork(agent, write=False) as uow:
        assert uow.mail.contacts() == {"@good.test": ticket.customer}
