"""Intake: a message from the team mailbox becomes a customer message on the ticket it
answers, a new ticket for a known customer, or waits in Triage for a lead; each message once.

Threading, first match wins:

1. a Message-ID of this database's replies, or of a message read into a ticket, among the
   message's In-Reply-To and References (the newest one named);
2. a ``[KEY]`` tag in the subject, when the sender may speak for that ticket (an address or
   domain of its customer, or someone who wrote to it before);
3. otherwise a new thread: a known sender (an address of the mail contacts, else its domain
   among the contacts, else the domain of exactly one customer's escalation contact) opens a
   ticket for that customer's plan; an unknown one waits in Triage.

Automatic mail (see :func:`console.services.mail_format.read_mail`) and mail from the team's
own address never open a ticket, never reopen one and are never answered; the team's own
copy of a reply confirms that reply as sent. A message that cannot be read is kept aside with
the reason. Each runs in the caller's unit of work; the caller commits, and only then marks
the message on the server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, cast, func, select

from console.adapters.mail_store import MailStore, outbox_id_of
from console.adapters.records import TicketRecord
from console.adapters.sql import SqlUnitOfWork
from console.domain.errors import NotFoundError
from console.domain.mail import InboundMail, MailboxSettings, OutboxState, Outcome, StoredMail
from console.domain.model import Channel, Customer, EventKind, Status, TicketEvent
from console.domain.rules import MAX_TEXT, OPEN_TICKET_PAST_HOURS
from console.services import commands as c
from console.services.handlers import new_ticket
from console.services.mail_format import (
    MailFormatError,
    clean_subject,
    read_mail,
    subject_keys,
)
from console.services.tickets import PolicyBook, apply_event
from console.services.views import default_key_prefix, next_ticket_keys

# Messages larger than this keep their headers only (the reason says so): attachments are
# listed by name and size either way. See README, "The mail channel".
RAW_LIMIT = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Received:
    """A message as the mailbox holds it: its place, when the server received it, its bytes."""

    folder: str
    uidvalidity: int
    uid: int
    received_at: datetime
    raw: bytes


@dataclass(frozen=True, slots=True)
class Imported:
    """What intake made of a message (``ticket``: the ticket it went to or opened)."""

    outcome: Outcome
    message_id: str
    ticket: str | None = None
    reason: str = ""


def acknowledgement(key: str) -> str:
    """The automated acknowledgement of a ticket opened by mail."""
    return (
        f"We have your request {key}. An engineer will answer you here; please keep "
        f"[{key}] in the subject of your messages about it.\n\n"
        "This message was sent automatically."
    )


class Intake:
    """Reads messages into the tickets of one database, in the caller's units of work."""

    def __init__(self, book: PolicyBook) -> None:
        self.book = book
        self._prefixes: dict[str, str] = {}

    def read(
        self, uow: SqlUnitOfWork, settings: MailboxSettings, token: str, received: Received
    ) -> Imported | None:
        """File ``received`` (None when it was read already)."""
        mail_store = uow.mail
        if mail_store.is_known_place(received.folder, received.uidvalidity, received.uid):
            return None
        try:
            mail = read_mail(received.raw)
        except MailFormatError as error:
            digest = "sha256-" + hashlib.sha256(received.raw).hexdigest()[:32]
            if mail_store.is_known(digest, received.folder, received.uidvalidity, received.uid):
                return None
            self._store(mail_store, received, digest, "", "", Outcome.ASIDE, str(error))
            return Imported(Outcome.ASIDE, digest, reason=str(error))
        if mail_store.is_known(
            mail.message_id, received.folder, received.uidvalidity, received.uid
        ):
            return None
        return self._file(uow, settings, token, received, mail)

    def _file(
        self,
        uow: SqlUnitOfWork,
        settings: MailboxSettings,
        token: str,
        received: Received,
        mail: InboundMail,
    ) -> Imported:
        store = uow.mail
        own = outbox_id_of(mail.message_id, token) if token else None
        if own is not None:
            return self._own_copy(uow, received, mail, own)
        key = store.thread_ticket(mail.references, token) or self._tagged(uow, mail)
        team = settings.address.strip().lower()
        automatic = mail.automatic or (
            "sent from the team's own address" if mail.sender == team else ""
        )
        if automatic:
            self._store(
                store,
                received,
                mail.message_id,
                mail.sender,
                mail.subject,
                Outcome.AUTOMATIC,
                automatic,
                ticket=key,
                mail=mail,
            )
            return Imported(Outcome.AUTOMATIC, mail.message_id, key, automatic)
        if key is not None:
            event_id = self.add_message(uow, key, mail)
            self._store(
                store,
                received,
                mail.message_id,
                mail.sender,
                mail.subject,
                Outcome.MESSAGE,
                ticket=key,
                event_id=event_id,
                mail=mail,
            )
            return Imported(Outcome.MESSAGE, mail.message_id, key)
        customer = self.customer_of(store, mail.sender)
        if customer is None:
            reason = f"no customer is known for {mail.sender}"
            self._store(
                store,
                received,
                mail.message_id,
                mail.sender,
                mail.subject,
                Outcome.TRIAGE,
                reason,
                mail=mail,
            )
            return Imported(Outcome.TRIAGE, mail.message_id, reason=reason)
        key, event_id = self.open_ticket(uow, settings, customer, mail, received.received_at)
        self._store(
            store,
            received,
            mail.message_id,
            mail.sender,
            mail.subject,
            Outcome.OPENED,
            ticket=key,
            event_id=event_id,
            mail=mail,
        )
        return Imported(Outcome.OPENED, mail.message_id, key)

    def retriage(
        self, uow: SqlUnitOfWork, settings: MailboxSettings, message: StoredMail
    ) -> Imported | None:
        """A message waiting in Triage opens its ticket once a lead named its sender's
        customer (a mail contact); None while the sender is still unknown."""
        customer = self.customer_of(uow.mail, message.sender)
        if customer is None or message.raw is None or message.outcome is not Outcome.TRIAGE:
            return None
        mail = read_mail(message.raw)
        key, event_id = self.open_ticket(uow, settings, customer, mail, message.received_at)
        uow.mail.settle(
            message,
            Outcome.OPENED,
            ticket=key,
            event_id=event_id,
            reason=f"{message.sender} speaks for {customer}",
        )
        return Imported(Outcome.OPENED, message.message_id, key)

    # ------------------------------------------------------------------ the parts

    def _own_copy(
        self, uow: SqlUnitOfWork, received: Received, mail: InboundMail, outbox_id: int
    ) -> Imported:
        """The team's copy of a reply it sent: proof the reply left; never a message."""
        store = uow.mail
        try:
            entry = store.outbox_entry(outbox_id)
        except NotFoundError:
            entry = None
        if entry is not None and entry.state in (OutboxState.PENDING, OutboxState.SENDING):
            store.step_outbox(entry, state=OutboxState.SENT, sent_at=uow.now(), last_error="")
        ticket = entry.ticket if entry is not None else None
        self._store(
            store,
            received,
            mail.message_id,
            mail.sender,
            mail.subject,
            Outcome.OWN,
            "the team's own copy of a reply",
            ticket=ticket,
            keep_raw=False,
        )
        return Imported(Outcome.OWN, mail.message_id, ticket)

    def _tagged(self, uow: SqlUnitOfWork, mail: InboundMail) -> str | None:
        """A ticket named in the subject, if the sender may speak for it."""
        for key in map(str, subject_keys(mail.subject)):
            try:
                ticket = uow.tickets.get(key, with_events=False)
            except NotFoundError:
                continue
            if self.customer_of(uow.mail, mail.sender) == ticket.customer:
                return key
            if any(m.sender == mail.sender for m in uow.mail.of_ticket(key)):
                return key
        return None

    def customer_of(self, store: MailStore, sender: str) -> str | None:
        """The customer an address speaks for: by the address, else by its domain (the
        contacts first, then the one customer whose escalation contact has it)."""
        contacts = store.contacts()
        if sender in contacts:
            return contacts[sender]
        domain = sender.rpartition("@")[2]
        if f"@{domain}" in contacts:
            return contacts[f"@{domain}"]
        named = store.customer_domains().get(domain, [])
        return named[0] if len(named) == 1 else None

    def add_message(self, uow: SqlUnitOfWork, key: str, mail: InboundMail) -> int:
        """The customer's words on ticket ``key``; a ticket awaiting the customer is open
        again (its paused clock resumes). The customer message's event id."""
        ticket = uow.tickets.get(key)
        said = {"text": _words(mail), "channel": Channel.EMAIL.value}
        ticket = apply_event(
            uow, self.book, ticket, TicketEvent(EventKind.CUSTOMER_MESSAGE, uow.now(), said)
        )
        event_id = uow.mail.last_event_id(key)
        if ticket.status is Status.AWAITING_CUSTOMER:
            reopen = {"status": Status.OPEN.value}
            apply_event(
                uow, self.book, ticket, TicketEvent(EventKind.STATUS_CHANGED, uow.now(), reopen)
            )
        return event_id

    def open_ticket(
        self,
        uow: SqlUnitOfWork,
        settings: MailboxSettings,
        customer_name: str,
        mail: InboundMail,
        received_at: datetime,
    ) -> tuple[str, int]:
        """A new ticket of ``customer_name`` with the message as its first words, submitted
        when the mailbox received it; acknowledged when its policy asks. Its key and the
        customer message's event id."""
        customer = uow.customers.get(customer_name)
        policy = self.book.policies[customer.policy_id]
        now = uow.now()
        earliest = now - timedelta(hours=OPEN_TICKET_PAST_HOURS)
        submitted = min(max(received_at, earliest), now)
        key = self._next_key(uow, customer)
        severity = max(s.level for s in policy.severities)
        command = c.OpenTicket(
            key=key,
            title=clean_subject(mail.subject),
            customer=customer_name,
            severity=severity,
            submitted_at=submitted,
            channel=Channel.EMAIL,
            description=_words(mail),
        )
        ticket = new_ticket(command, uow, self.book, None)
        event_id = uow.mail.last_event_id(key)
        if customer.policy_id in settings.acknowledge:
            said = {"text": acknowledgement(key), "channel": Channel.EMAIL.value, "automated": True}
            apply_event(uow, self.book, ticket, TicketEvent(EventKind.RESPONDED, now, said))
        return key, event_id

    def _next_key(self, uow: SqlUnitOfWork, customer: Customer) -> str:
        prefix = self._prefixes.get(customer.policy_id)
        if prefix is None:
            found = next_ticket_keys(
                uow.tickets.list(open_only=False), uow.customers.list(), self.book.policies
            )
            prefix = found.get(customer.policy_id, (default_key_prefix(customer.policy_id), ""))[0]
            self._prefixes[customer.policy_id] = prefix
        start = len(prefix) + 2
        highest = uow.session.scalar(
            select(func.max(cast(func.substr(TicketRecord.key, start), Integer))).where(
                TicketRecord.key.like(f"{prefix}-%")
            )
        )
        return f"{prefix}-{int(highest or 0) + 1}"

    def _store(
        self,
        store: MailStore,
        received: Received,
        message_id: str,
        sender: str,
        subject: str,
        outcome: Outcome,
        reason: str = "",
        *,
        ticket: str | None = None,
        event_id: int | None = None,
        mail: InboundMail | None = None,
        keep_raw: bool = True,
    ) -> None:
        raw: bytes | None = received.raw if keep_raw else None
        if raw is not None and len(raw) > RAW_LIMIT:
            head = received.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
            raw = head + b"\r\n\r\n"
            note = f"{len(received.raw):,} bytes: only its headers are kept"
            reason = f"{reason}; {note}" if reason else note
        store.add_message(
            message_id=message_id,
            folder=received.folder,
            uidvalidity=received.uidvalidity,
            uid=received.uid,
            received_at=received.received_at,
            sender=sender,
            subject=subject,
            outcome=outcome,
            reason=reason,
            ticket=ticket,
            event_id=event_id,
            attachments=[_attachment(a.name, a.size) for a in mail.attachments] if mail else [],
            raw=raw,
        )


def _words(mail: InboundMail) -> str:
    """The text of a customer message: the new words, and the attachments by name."""
    text = mail.text.strip()
    if mail.attachments:
        listed = "\n".join(f"- {_attachment(a.name, a.size)}" for a in mail.attachments)
        text = f"{text}\n\nAttachments:\n{listed}" if text else f"Attachments:\n{listed}"
    if not text:
        text = mail.subject.strip() or "(an empty message)"
    return text[:MAX_TEXT]


def _attachment(name: str, size: int) -> str:
    if size < 1024:
        return f"{name} ({size} bytes)"
    if size < 1024 * 1024:
        return f"{name} ({size / 1024:.0f} kB)"
    return f"{name} ({size / 1024 / 1024:.1f} MB)"
