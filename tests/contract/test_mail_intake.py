"""Intake on SQLite and PostgreSQL: threading, new tickets for known customers, Triage,
automatic mail, each message once, the team's own copies, acknowledgements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import count
from typing import Any

import pytest

from console.adapters.database import Database
from console.adapters.mail_store import own_message_id
from console.adapters.sql import SqlUnitOfWork
from console.domain.mail import MailboxSettings, OutboxState, Outcome, Security, ServerSettings
from console.domain.model import Channel, EventKind, Metric, Status
from console.domain.policy import load_policies
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.mail_intake import Imported, Intake, Received
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LEAD = "claire.dubois"
TEAM = "support@example.test"
JUNIPER = "Juniper Pharma SA"  # laioutr; escalation contact at juniper-pharma.example.com
ALDER = "Alder Home Pty Ltd"  # zitadel; alder-home.example.com
_uids = count(1)


def settings(**changes: Any) -> MailboxSettings:
    imap = ServerSettings("127.0.0.1", 1143, Security.NONE, TEAM)
    smtp = ServerSettings("127.0.0.1", 1025, Security.NONE, TEAM)
    return MailboxSettings(address=TEAM, imap=imap, smtp=smtp, **changes)


def message(
    sender: str,
    subject: str,
    body: str,
    *,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = TEAM
    mail["Subject"] = subject
    mail["Date"] = format_datetime(NOW)
    mail["Message-ID"] = f"<{message_id or f'm{next(_uids)}@customer.test'}>"
    if in_reply_to:
        mail["In-Reply-To"] = f"<{in_reply_to}>"
        mail["References"] = f"<{in_reply_to}>"
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body)
    return mail.as_bytes()


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def database(database_url: str, book: PolicyBook) -> Iterator[Database]:
    database = Database.open(database_url)
    database.upgrade()
    load_demo(SqlUnitOfWork(database, now=lambda: NOW), book, tickets=30, seed=4, now=NOW)
    handle(c.ConfigureMailbox(settings(), 0), SqlUnitOfWork(database), book, LEAD)
    yield database
    database.dispose()


class Mailbox:
    """Intake of one database, fed message by message as the worker would."""

    def __init__(self, database: Database, book: PolicyBook, **changes: Any) -> None:
        self.database = database
        self.book = book
        self.intake = Intake(book)
        self.settings = settings(**changes)
        self.now = NOW
        with SqlUnitOfWork(database, write=False) as uow:
            self.token = uow.mail.settings()[1]

    def read(self, raw: bytes, *, uid: int | None = None, received: datetime | None = None) -> Any:
        place = Received("INBOX", 7, uid or next(_uids), received or self.now, raw)
        with SqlUnitOfWork(self.database, now=lambda: self.now) as uow:
            result: Imported | None = self.intake.read(uow, self.settings, self.token, place)
            uow.commit()
        return result

    def ticket(self, key: str) -> Any:
        with SqlUnitOfWork(self.database, write=False) as uow:
            return uow.tickets.get(key)


def test_a_known_customers_new_thread_opens_a_ticket_with_its_words(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    received = NOW - timedelta(minutes=7)
    raw = message("Dana <dana@juniper-pharma.example.com>", "Checkout is down", "All 500s.")
    result = box.read(raw, received=received)
    assert result.outcome is Outcome.OPENED and result.ticket
    ticket = box.ticket(result.ticket)
    policy = book.policies["laioutr"]
    assert (ticket.customer, ticket.title, ticket.status) == (
        JUNIPER,
        "Checkout is down",
        Status.OPEN,
    )
    assert ticket.severity == max(s.level for s in policy.severities)
    assert ticket.submitted_at == received  # the instant the mailbox received it
    created, said = ticket.events
    assert created.kind is EventKind.CREATED and created.data["channel"] == "email"
    assert (said.kind, said.data["text"], said.actor) == (
        EventKind.CUSTOMER_MESSAGE,
        "All 500s.",
        None,
    )
    # The next key of the policy: one more than the highest of its prefix.
    prefix, number = result.ticket.rsplit("-", 1)
    with SqlUnitOfWork(database, write=False) as uow:
        numbers = [
            int(t.key.rsplit("-", 1)[1])
            for t in uow.tickets.list(open_only=False)
            if t.key.startswith(prefix + "-") and t.key != result.ticket
        ]
        (stored,) = uow.mail.of_ticket(result.ticket)
    assert int(number) == max(numbers) + 1
    assert stored.outcome is Outcome.OPENED and stored.sender == "dana@juniper-pharma.example.com"


def test_an_answer_threads_by_its_references_and_resumes_a_paused_clock(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    first = box.read(message("dana@juniper-pharma.example.com", "Down", "Help", message_id="a@x"))
    key = first.ticket
    ticket = box.ticket(key)
    handle(
        c.SetStatus(key, ticket.version, Status.AWAITING_CUSTOMER),
        SqlUnitOfWork(database, now=lambda: NOW),
        book,
        LEAD,
    )
    box.now = NOW + timedelta(hours=1)
    answer = message("someone.else@gmail.test", "Re: Down", "Here are the logs", in_reply_to="a@x")
    assert box.read(answer).ticket == key  # by References, whoever writes
    ticket = box.ticket(key)
    assert ticket.status is Status.OPEN
    kinds = [e.kind for e in ticket.events]
    assert kinds[-2:] == [EventKind.CUSTOMER_MESSAGE, EventKind.STATUS_CHANGED]
    assert ticket.events[-2].data["text"] == "Here are the logs"


def test_a_subject_tag_threads_only_for_those_who_may_speak_for_the_ticket(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    key = box.read(message("dana@juniper-pharma.example.com", "Down", "Help")).ticket
    colleague = message("ops@juniper-pharma.example.com", f"[{key}] more", "Also broken here")
    assert box.read(colleague).ticket == key
    stranger = message("eve@evil.test", f"Re: [{key}] more", "Please wire money")
    result = box.read(stranger)
    assert result.outcome is Outcome.TRIAGE and result.ticket is None
    other = message("ana@alder-home.example.com", f"[{key}] hello", "Wrong customer")
    assert box.read(other).ticket != key  # another customer opens its own ticket


def test_an_unknown_sender_waits_in_triage_until_a_lead_names_the_customer(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    result = box.read(message("kim@newco.test", "Hello", "We signed last week"))
    assert result.outcome is Outcome.TRIAGE and "kim@newco.test" in result.reason
    with SqlUnitOfWork(database, write=False) as uow:
        (waiting,) = uow.mail.waiting(with_raw=True)
    assert waiting.raw is not None and waiting.subject == "Hello"
    handle(c.SetMailContact("@newco.test", ALDER), SqlUnitOfWork(database), book, LEAD)
    with SqlUnitOfWork(database, now=lambda: NOW) as uow:
        opened = box.intake.retriage(uow, box.settings, uow.mail.message(waiting.id, with_raw=True))
        uow.commit()
    assert opened is not None and opened.outcome is Outcome.OPENED
    ticket = box.ticket(opened.ticket)
    assert ticket.customer == ALDER and ticket.events[-1].data["text"] == "We signed last week"
    with SqlUnitOfWork(database, write=False) as uow:
        assert uow.mail.waiting() == []
    # The next message of that sender opens a ticket at once.
    assert box.read(message("kim@newco.test", "Again", "x")).outcome is Outcome.OPENED


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_mail_never_opens_reopens_or_adds_to_a_ticket(
    database: Database, book: PolicyBook, headers: dict[str, str]
) -> None:
    box = Mailbox(database, book)
    first = box.read(message("dana@juniper-pharma.example.com", "Down", "Help", message_id="b@x"))
    ticket = box.ticket(first.ticket)
    handle(
        c.SetStatus(ticket.key, ticket.version, Status.AWAITING_CUSTOMER),
        SqlUnitOfWork(database, now=lambda: NOW),
        book,
        LEAD,
    )
    before = box.ticket(ticket.key)
    reply = message(
        "dana@juniper-pharma.example.com",
        "Out of office",
        "Away",
        in_reply_to="b@x",
        headers=headers,
    )
    result = box.read(reply)
    assert result.outcome is Outcome.AUTOMATIC and result.ticket == ticket.key
    assert box.ticket(ticket.key) == before  # not reopened, no message
    fresh = message("dana@juniper-pharma.example.com", "Out of office", "Away", headers=headers)
    assert box.read(fresh).outcome is Outcome.AUTOMATIC  # no ticket either
    own = message(TEAM, "Loop?", "from ourselves")
    assert box.read(own).outcome is Outcome.AUTOMATIC


def test_each_message_is_read_once(database: Database, book: PolicyBook) -> None:
    box = Mailbox(database, book)
    raw = message("dana@juniper-pharma.example.com", "Down", "Help", message_id="once@x")
    assert box.read(raw, uid=9001) is not None
    assert box.read(raw, uid=9001) is None  # the same place (read again after a crash)
    assert box.read(raw, uid=9002) is None  # the same Message-ID delivered twice
    with SqlUnitOfWork(database, write=False) as uow:
        tickets = [t for t in uow.tickets.list() if t.title == "Down"]
    assert len(tickets) == 1


def test_an_unreadable_message_is_kept_aside_with_its_reason(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    raw = b"Subject: nothing\r\n\r\n"  # no From, no body
    result = box.read(raw)
    assert result.outcome is Outcome.ASIDE and result.reason
    with SqlUnitOfWork(database, write=False) as uow:
        (kept,) = uow.mail.waiting(with_raw=True)
    assert kept.raw == raw and kept.reason == result.reason
    assert box.read(raw) is None  # the same bytes again: once


def test_the_teams_own_copy_confirms_a_reply_and_is_no_message(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book)
    key = box.read(message("dana@juniper-pharma.example.com", "Down", "Help")).ticket
    ticket = box.ticket(key)
    handle(
        c.RecordResponse(key, ticket.version, "Looking", Channel.EMAIL),
        SqlUnitOfWork(database, now=lambda: NOW),
        book,
        LEAD,
    )
    with SqlUnitOfWork(database, write=False) as uow:
        (entry,) = uow.mail.outbox()
    copy = message(
        TEAM,
        f"Re: [{key}] Down",
        "Looking",
        message_id=own_message_id(box.token, entry.id, "example.test"),
    )
    before = box.ticket(key)
    assert box.read(copy).outcome is Outcome.OWN
    with SqlUnitOfWork(database, write=False) as uow:
        assert uow.mail.outbox_entry(entry.id).state is OutboxState.SENT
    assert box.ticket(key).events == before.events
    # A customer's answer to that reply threads by its Message-ID.
    answer = message(
        "dana@juniper-pharma.example.com",
        "Re: Down",
        "Thanks",
        in_reply_to=own_message_id(box.token, entry.id, "example.test"),
    )
    assert box.read(answer).ticket == key


def test_an_acknowledgement_is_automated_and_stops_no_clock(
    database: Database, book: PolicyBook
) -> None:
    box = Mailbox(database, book, acknowledge=frozenset({"laioutr"}))
    key = box.read(message("dana@juniper-pharma.example.com", "Down", "Help")).ticket
    ticket = box.ticket(key)
    ack = ticket.events[-1]
    assert ack.kind is EventKind.RESPONDED and ack.data["automated"] is True
    assert key in ack.data["text"] and ack.data["channel"] == "email"
    with SqlUnitOfWork(database, write=False) as uow:
        (entry,) = uow.mail.outbox()
        customer = uow.customers.get(ticket.customer)
    assert entry.ticket == key and entry.state is OutboxState.PENDING
    clocks = {k.metric: k for k in book.clocks(customer, ticket.events, NOW + timedelta(minutes=1))}
    assert clocks[Metric.INITIAL_RESPONSE].is_counting  # "first non-automated response"
    # Not for a policy that was not asked for.
    other = box.read(message("ana@alder-home.example.com", "Hi", "x")).ticket
    assert box.ticket(other).events[-1].kind is EventKind.CUSTOMER_MESSAGE


def test_the_quoted_history_is_kept_apart_and_attachments_are_listed(
    database: Database, book: PolicyBook
) -> None:
    from console.services.conversation import Message, MessageKind
    from console.services.views import Detail

    box = Mailbox(database, book)
    key = box.read(
        message("dana@juniper-pharma.example.com", "Down", "Help", message_id="q@x")
    ).ticket
    mail = EmailMessage()
    mail["From"] = "dana@juniper-pharma.example.com"
    mail["To"] = TEAM
    mail["Subject"] = "Re: Down"
    mail["Message-ID"] = "<q2@x>"
    mail["In-Reply-To"] = "<q@x>"
    mail.set_content("Still down, logs attached.\n\nOn Monday, Support wrote:\n> Looking into it\n")
    mail.add_attachment(b"x" * 2048, maintype="text", subtype="plain", filename="server.log")
    assert box.read(mail.as_bytes()).ticket == key
    said = box.ticket(key).events[-1].data["text"]
    assert said.startswith("Still down, logs attached.") and "Looking into it" not in said
    assert "server.log (2 kB)" in said
    view = Detail(key).run(SqlUnitOfWork(database, write=False), book)
    customer = [
        m for m in view.conversation if isinstance(m, Message) and m.kind is MessageKind.CUSTOMER
    ]
    assert "> Looking into it" in customer[-1].quoted
    assert customer[0].quoted == ""
