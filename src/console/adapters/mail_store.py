"""The mail channel's tables (SQLite, PostgreSQL): the mailbox's settings and contacts, the
messages intake read, the outbox and the worker's lease.

One :class:`MailStore` per unit of work (``uow.mail``), in its transaction. A console login of
a team database changes settings and contacts, and discards messages, only through the
command functions (:mod:`console.adapters.pg_commands`); the mail worker runs as the tables'
owner (or on SQLite) and writes the rest directly.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from console.adapters.records import (
    CustomerRecord,
    MailContactRecord,
    MailMessageRecord,
    MailOutboxRecord,
    MailSettingsRecord,
    MailWorkerRecord,
    TicketEventRecord,
    TicketRecord,
)
from console.adapters.sql_api import _Calls
from console.domain.errors import ConcurrentEditError, DuplicateError, NotFoundError
from console.domain.mail import (
    MailboxSettings,
    OutboxEntry,
    OutboxState,
    Outcome,
    StoredMail,
    WorkerStatus,
)
from console.domain.model import ChangeKind

if TYPE_CHECKING:
    from console.adapters.sql import SqlUnitOfWork

_CONTACT = re.compile(r"[^@\s]*@[^@\s]+\.[^@\s]+")
OWN_ID = re.compile(r"sc-(?P<token>[a-z0-9]{8,32})-(?P<id>[0-9]{1,18})@.+", re.IGNORECASE)


def new_token() -> str:
    """A database's name in the Message-IDs of its replies."""
    return secrets.token_hex(8)


def own_message_id(token: str, outbox_id: int, domain: str) -> str:
    """The Message-ID (without angle brackets) of outbox row ``outbox_id``: its idempotency
    key, the same at every attempt."""
    return f"sc-{token}-{outbox_id}@{domain}"


def outbox_id_of(message_id: str, token: str) -> int | None:
    """The outbox row a Message-ID of this database names, or None."""
    match = OWN_ID.fullmatch(message_id.strip())
    if match is None or match["token"].lower() != token:
        return None
    return int(match["id"])


def check_contact(address: str) -> str:
    """``address`` in lower case if it is a mail address or a domain (``@example.com``)."""
    cleaned = address.strip().lower()
    if not _CONTACT.fullmatch(cleaned) or len(cleaned) > 320:
        raise ValueError(
            f"{address!r} is not a mail address (someone@example.com) or a domain (@example.com)"
        )
    return cleaned


@dataclass(frozen=True, slots=True)
class Thread:
    """What a reply on a ticket needs: whom to write, the subject, the Message-IDs of the
    ticket's mail so far (oldest first) and the last one received."""

    to: str | None
    subject: str
    references: tuple[str, ...]
    last_received: str | None


class MailStore(_Calls):
    """The mail tables in ``uow``'s transaction; a login's changes go through the command
    functions (:meth:`_Calls.call`)."""

    def __init__(self, uow: SqlUnitOfWork, *, through_functions: bool) -> None:
        self.uow = uow
        self.session = uow.session
        self.through_functions = through_functions

    # ------------------------------------------------------------------ settings

    def settings(self) -> tuple[MailboxSettings | None, str]:
        """The mailbox's settings (None when not configured) and the database's token."""
        row = self.session.get(MailSettingsRecord, 1)
        if row is None:
            return None, ""
        try:
            settings = MailboxSettings.from_json(row.data, row.version)
        except (KeyError, ValueError, TypeError) as error:
            raise ValueError(f"the stored mailbox settings cannot be read: {error}") from None
        return settings, row.token

    def configure(self, settings: MailboxSettings, expected_version: int) -> int:
        """Store ``settings`` over those of ``expected_version`` (0: none yet); the new
        version. :class:`ConcurrentEditError` when someone changed them meanwhile."""
        data = settings.as_json()
        token = new_token()
        if self.through_functions:
            return int(
                self.call(
                    "configure_mail",
                    "mail settings",
                    "mailbox",
                    expected_version,
                    data=data,
                    version=expected_version,
                    token=token,
                )
            )
        row = self.session.get(MailSettingsRecord, 1, with_for_update=True)
        current = row.version if row is not None else 0
        if current != expected_version:
            raise ConcurrentEditError(
                "mail settings", "mailbox", expected_version, self.settings()[0], {}
            )
        if row is None:
            self.session.execute(
                insert(MailSettingsRecord), {"id": 1, "data": data, "token": token, "version": 1}
            )
        else:
            self.session.execute(
                update(MailSettingsRecord)
                .where(MailSettingsRecord.id == 1)
                .values(data=data, version=MailSettingsRecord.version + 1)
            )
        self.uow.record("mail", "settings", ChangeKind.UPDATED)
        return current + 1

    # ------------------------------------------------------------------ contacts

    def contacts(self) -> dict[str, str]:
        """Each address or domain (``@example.com``) and the customer it names."""
        rows = self.session.execute(
            select(MailContactRecord.address, CustomerRecord.name).join(
                CustomerRecord, CustomerRecord.id == MailContactRecord.customer_id
            )
        )
        return {str(a): str(b) for a, b in rows}

    def set_contact(self, address: str, customer: str | None) -> None:
        """Make ``address`` name ``customer`` (None: forget the address)."""
        cleaned = check_contact(address)
        if self.through_functions:
            self.call(
                "set_mail_contact", "contact", cleaned, None, address=cleaned, customer=customer
            )
            return
        self.session.execute(delete(MailContactRecord).where(MailContactRecord.address == cleaned))
        if customer is not None:
            buyer = self.session.scalar(
                select(CustomerRecord.id).where(CustomerRecord.name == customer)
            )
            if buyer is None:
                raise NotFoundError("customer", customer)
            self.session.execute(
                insert(MailContactRecord), {"address": cleaned, "customer_id": buyer}
            )
        self.uow.record("mail", "contacts", ChangeKind.UPDATED)

    def customer_domains(self) -> dict[str, list[str]]:
        """Each domain of a customer's escalation contact and the customers it names."""
        found: dict[str, list[str]] = {}
        for name, contact in self.session.execute(
            select(CustomerRecord.name, CustomerRecord.escalation_contact)
        ):
            _, _, domain = (contact or "").strip().lower().rpartition("@")
            if domain and "." in domain:
                found.setdefault(domain, []).append(name)
        return found

    # ------------------------------------------------------------------ messages

    def is_known(self, message_id: str, folder: str, uidvalidity: int, uid: int) -> bool:
        """Whether intake read this message already (by its Message-ID or its place)."""
        return (
            self.session.scalar(
                select(func.count())
                .select_from(MailMessageRecord)
                .where(
                    or_(
                        MailMessageRecord.message_id == message_id,
                        (MailMessageRecord.folder == folder)
                        & (MailMessageRecord.uidvalidity == uidvalidity)
                        & (MailMessageRecord.uid == uid),
                    )
                )
            )
            or 0
        ) > 0

    def is_known_place(self, folder: str, uidvalidity: int, uid: int) -> bool:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(MailMessageRecord)
                .where(
                    (MailMessageRecord.folder == folder)
                    & (MailMessageRecord.uidvalidity == uidvalidity)
                    & (MailMessageRecord.uid == uid)
                )
            )
            or 0
        ) > 0

    def add_message(
        self,
        *,
        message_id: str,
        folder: str,
        uidvalidity: int,
        uid: int,
        received_at: datetime,
        sender: str,
        subject: str,
        outcome: Outcome,
        reason: str = "",
        ticket: str | None = None,
        event_id: int | None = None,
        attachments: Sequence[str] = (),
        raw: bytes | None = None,
    ) -> int:
        ticket_id = self._ticket_id(ticket) if ticket is not None else None
        try:
            with self.session.begin_nested():
                new_id = self.session.execute(
                    insert(MailMessageRecord).returning(MailMessageRecord.id),
                    {
                        "message_id": message_id[:998],
                        "folder": folder,
                        "uidvalidity": uidvalidity,
                        "uid": uid,
                        "received_at": received_at,
                        "imported_at": self.uow.now(),
                        "sender": sender[:320],
                        "subject": subject,
                        "outcome": outcome.value,
                        "reason": reason,
                        "ticket_id": ticket_id,
                        "event_id": event_id,
                        "attachments": list(attachments),
                        "raw": raw,
                        "version": 1,
                    },
                ).scalar_one()
        except IntegrityError:
            raise DuplicateError(f"message {message_id} was read already") from None
        self.uow.record("mail", str(new_id), ChangeKind.CREATED)
        return int(new_id)

    def message(self, message_id: int, *, with_raw: bool = False) -> StoredMail:
        row = self.session.get(MailMessageRecord, message_id)
        if row is None:
            raise NotFoundError("message", message_id)
        return self._stored(row, self._keys([row.ticket_id]), with_raw)

    def waiting(self, *, with_raw: bool = False, limit: int = 1_000) -> list[StoredMail]:
        """Messages waiting for a lead (triage and kept aside), oldest first."""
        rows = self.session.scalars(
            select(MailMessageRecord)
            .where(MailMessageRecord.outcome.in_([Outcome.TRIAGE.value, Outcome.ASIDE.value]))
            .order_by(MailMessageRecord.id)
            .limit(limit)
        ).all()
        keys = self._keys(r.ticket_id for r in rows)
        return [self._stored(r, keys, with_raw) for r in rows]

    def of_ticket(self, key: str) -> list[StoredMail]:
        """The messages read into a ticket, oldest first."""
        ticket_id = self._ticket_id(key)
        rows = self.session.scalars(
            select(MailMessageRecord)
            .where(MailMessageRecord.ticket_id == ticket_id)
            .order_by(MailMessageRecord.id)
        ).all()
        return [self._stored(r, {ticket_id: key}, False) for r in rows]

    def settle(
        self,
        message: StoredMail,
        outcome: Outcome,
        *,
        ticket: str | None = None,
        event_id: int | None = None,
        reason: str = "",
    ) -> None:
        """A waiting message's outcome now (triage opened a ticket, a lead discarded it)."""
        if self.through_functions:
            if outcome is not Outcome.DISCARDED:
                raise PermissionError("only the mail worker files a message into a ticket")
            self.call(
                "discard_mail",
                "message",
                message.id,
                message.version,
                id=message.id,
                version=message.version,
            )
            return
        done = self.session.execute(
            update(MailMessageRecord)
            .where(
                (MailMessageRecord.id == message.id)
                & (MailMessageRecord.version == message.version)
            )
            .values(
                outcome=outcome.value,
                ticket_id=self._ticket_id(ticket) if ticket else None,
                event_id=event_id,
                reason=reason,
                version=MailMessageRecord.version + 1,
            )
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            current = self.session.get(MailMessageRecord, message.id, populate_existing=True)
            now = self._stored(current, {}, False) if current is not None else None
            raise ConcurrentEditError("message", message.id, message.version, now, {})
        self.uow.record("mail", str(message.id), ChangeKind.UPDATED)

    def thread_ticket(self, references: Iterable[str], token: str) -> str | None:
        """The ticket a message answers, by the Message-IDs it refers to (the newest match):
        a message read into a ticket, or a reply of this database."""
        refs = [r for r in references if r]
        if not refs:
            return None
        for ref in reversed(refs):
            outbox_id = outbox_id_of(ref, token) if token else None
            if outbox_id is not None:
                key = self.session.scalar(
                    select(TicketRecord.key)
                    .join(MailOutboxRecord, MailOutboxRecord.ticket_id == TicketRecord.id)
                    .where(MailOutboxRecord.id == outbox_id)
                )
                if key is not None:
                    return str(key)
        rows = self.session.execute(
            select(MailMessageRecord.message_id, TicketRecord.key)
            .join(TicketRecord, TicketRecord.id == MailMessageRecord.ticket_id)
            .where(MailMessageRecord.message_id.in_(refs))
        )
        found = {str(m): str(k) for m, k in rows}
        for ref in reversed(refs):
            if ref in found:
                return str(found[ref])
        return None

    def thread(self, key: str, token: str, domain: str) -> Thread:
        """The mail so far of ticket ``key``: whom a reply goes to, and what it refers to."""
        ticket_id = self._ticket_id(key)
        received = self.session.execute(
            select(
                MailMessageRecord.id,
                MailMessageRecord.message_id,
                MailMessageRecord.sender,
                MailMessageRecord.subject,
                MailMessageRecord.imported_at,
            )
            .where(
                (MailMessageRecord.ticket_id == ticket_id)
                & MailMessageRecord.outcome.in_([Outcome.MESSAGE.value, Outcome.OPENED.value])
            )
            .order_by(MailMessageRecord.id)
        ).all()
        sent = self.session.execute(
            select(MailOutboxRecord.id, MailOutboxRecord.created_at)
            .where(
                (MailOutboxRecord.ticket_id == ticket_id)
                & (MailOutboxRecord.state == OutboxState.SENT.value)
            )
            .order_by(MailOutboxRecord.id)
        ).all()
        dated = [(r.imported_at, r.message_id) for r in received] + [
            (s.created_at, own_message_id(token, s.id, domain)) for s in sent
        ]
        dated.sort(key=lambda pair: pair[0])
        title = self.session.scalar(select(TicketRecord.title).where(TicketRecord.id == ticket_id))
        return Thread(
            to=received[-1].sender if received else None,
            subject=received[0].subject if received else str(title or ""),
            references=tuple(m for _, m in dated),
            last_received=received[-1].message_id if received else None,
        )

    # ------------------------------------------------------------------ outbox

    def outbox(
        self,
        *,
        states: Iterable[OutboxState] | None = None,
        due_by: datetime | None = None,
        keys: Iterable[str] | None = None,
        limit: int = 1_000,
    ) -> list[OutboxEntry]:
        query = select(MailOutboxRecord, TicketRecord.key).join(
            TicketRecord, TicketRecord.id == MailOutboxRecord.ticket_id
        )
        if states is not None:
            query = query.where(MailOutboxRecord.state.in_([s.value for s in states]))
        if due_by is not None:
            query = query.where(MailOutboxRecord.next_attempt_at <= due_by)
        if keys is not None:
            query = query.where(TicketRecord.key.in_(list(keys)))
        rows = self.session.execute(query.order_by(MailOutboxRecord.id).limit(limit)).all()
        return [_entry(row, key) for row, key in rows]

    def deliveries(self, key: str) -> list[tuple[datetime, str, str, OutboxEntry]]:
        """The outbox rows of ticket ``key`` with their replies' instant, kind and text."""
        rows = self.session.execute(
            select(
                MailOutboxRecord,
                TicketEventRecord.at,
                TicketEventRecord.kind,
                TicketEventRecord.data,
            )
            .join(TicketRecord, TicketRecord.id == MailOutboxRecord.ticket_id)
            .join(TicketEventRecord, TicketEventRecord.id == MailOutboxRecord.event_id)
            .where(TicketRecord.key == key)
            .order_by(MailOutboxRecord.id)
        ).all()
        return [
            (at, str(kind), str((data or {}).get("text", "")).strip(), _entry(row, key))
            for row, at, kind, data in rows
        ]

    def received(self, key: str) -> list[tuple[datetime, str, bytes]]:
        """The messages read into ticket ``key`` as received, with their customer
        message's instant and text (those whose bytes are kept)."""
        rows = self.session.execute(
            select(TicketEventRecord.at, TicketEventRecord.data, MailMessageRecord.raw)
            .join(TicketRecord, TicketRecord.id == MailMessageRecord.ticket_id)
            .join(TicketEventRecord, TicketEventRecord.id == MailMessageRecord.event_id)
            .where((TicketRecord.key == key) & MailMessageRecord.raw.is_not(None))
            .order_by(MailMessageRecord.id)
        ).all()
        return [
            (at, str((data or {}).get("text", "")).strip(), bytes(raw)) for at, data, raw in rows
        ]

    def outbox_entry(self, outbox_id: int) -> OutboxEntry:
        row = self.session.execute(
            select(MailOutboxRecord, TicketRecord.key)
            .join(TicketRecord, TicketRecord.id == MailOutboxRecord.ticket_id)
            .where(MailOutboxRecord.id == outbox_id)
        ).first()
        if row is None:
            raise NotFoundError("outbox entry", outbox_id)
        return _entry(row[0], row[1])

    def outbox_length(self) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(MailOutboxRecord)
                .where(
                    MailOutboxRecord.state.in_(
                        [OutboxState.PENDING.value, OutboxState.SENDING.value]
                    )
                )
            )
            or 0
        )

    def step_outbox(self, entry: OutboxEntry, **values: Any) -> OutboxEntry:
        """Change an outbox row as seen at ``entry.version``; the row as it is then."""
        if "state" in values:
            values["state"] = OutboxState(values["state"]).value
        if "recipients" in values:
            values["recipients"] = list(values["recipients"])
        done = self.session.execute(
            update(MailOutboxRecord)
            .where((MailOutboxRecord.id == entry.id) & (MailOutboxRecord.version == entry.version))
            .values(**values, version=MailOutboxRecord.version + 1)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentEditError("outbox entry", entry.id, entry.version, None, {})
        self.uow.record("ticket", entry.ticket, ChangeKind.UPDATED)
        return self.outbox_entry(entry.id)

    def event_text(self, event_id: int) -> tuple[str, dict[str, Any], str | None]:
        """The kind, data and actor of a stored event."""
        row = self.session.execute(
            select(TicketEventRecord.kind, TicketEventRecord.data, TicketEventRecord.actor).where(
                TicketEventRecord.id == event_id
            )
        ).first()
        if row is None:
            raise NotFoundError("event", event_id)
        return str(row.kind), dict(row.data or {}), row.actor

    def last_event_id(self, key: str) -> int:
        """The newest event of ticket ``key`` (the one just appended)."""
        ticket_id = self._ticket_id(key)
        found = self.session.scalar(
            select(func.max(TicketEventRecord.id)).where(TicketEventRecord.ticket_id == ticket_id)
        )
        if found is None:
            raise NotFoundError("ticket", key)
        return int(found)

    # ------------------------------------------------------------------ worker

    def take_lease(self, holder: str, now: datetime, until: datetime) -> WorkerStatus:
        """Hold the mailbox for ``holder`` until ``until`` if it is free, expired or its own
        already; the worker row as it is then (its ``holder`` says who holds it)."""
        row = self.session.get(MailWorkerRecord, 1, with_for_update=True)
        if row is None:
            try:
                with self.session.begin_nested():
                    self.session.execute(
                        insert(MailWorkerRecord),
                        {"id": 1, "holder": "", "connected": False, "last_error": ""},
                    )
            except IntegrityError:
                pass
            row = self.session.get(MailWorkerRecord, 1, with_for_update=True)
            assert row is not None
        if row.holder in ("", holder) or row.lease_until is None or row.lease_until < now:
            if row.holder != holder:
                row.connected = False
            row.holder = holder
            row.lease_until = until
            row.heartbeat_at = now
            self.session.flush()
        return _status(row)

    def holds_lease(self, holder: str, now: datetime) -> bool:
        """Whether ``holder`` holds the mailbox now (read under a lock: the transaction that
        acts on the mailbox's behalf cannot commit beside another holder's)."""
        row = self.session.get(MailWorkerRecord, 1, with_for_update=True)
        return (
            row is not None
            and row.holder == holder
            and row.lease_until is not None
            and row.lease_until >= now
        )

    def release_lease(self, holder: str) -> None:
        self.session.execute(
            update(MailWorkerRecord)
            .where((MailWorkerRecord.id == 1) & (MailWorkerRecord.holder == holder))
            .values(holder="", lease_until=None, connected=False)
        )

    def report(self, holder: str, **values: Any) -> None:
        """The worker's state for the status bar (only while it holds the mailbox)."""
        self.session.execute(
            update(MailWorkerRecord)
            .where((MailWorkerRecord.id == 1) & (MailWorkerRecord.holder == holder))
            .values(**values)
        )

    def worker(self) -> WorkerStatus:
        row = self.session.get(MailWorkerRecord, 1)
        return _status(row) if row is not None else WorkerStatus()

    # ------------------------------------------------------------------ helpers

    def _ticket_id(self, key: str) -> int:
        found = self.session.scalar(select(TicketRecord.id).where(TicketRecord.key == key))
        if found is None:
            raise NotFoundError("ticket", key)
        return int(found)

    def _keys(self, ids: Iterable[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = self.session.execute(
            select(TicketRecord.id, TicketRecord.key).where(TicketRecord.id.in_(wanted))
        )
        return {int(a): str(b) for a, b in rows}

    def _stored(self, row: MailMessageRecord, keys: dict[int, str], with_raw: bool) -> StoredMail:
        return StoredMail(
            id=int(row.id),
            message_id=row.message_id,
            received_at=row.received_at,
            sender=row.sender,
            subject=row.subject,
            outcome=Outcome(row.outcome),
            reason=row.reason,
            ticket=keys.get(row.ticket_id) if row.ticket_id is not None else None,
            event_id=row.event_id,
            attachments=tuple(row.attachments or ()),
            raw=row.raw if with_raw else None,
            version=row.version,
        )


def _entry(row: MailOutboxRecord, key: str) -> OutboxEntry:
    return OutboxEntry(
        id=int(row.id),
        ticket=key,
        event_id=int(row.event_id),
        state=OutboxState(row.state),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        attempt_at=row.attempt_at,
        sent_at=row.sent_at,
        recipients=tuple(row.recipients or ()),
        last_error=row.last_error,
        version=row.version,
    )


def _status(row: MailWorkerRecord) -> WorkerStatus:
    return WorkerStatus(
        holder=row.holder,
        lease_until=row.lease_until,
        heartbeat_at=row.heartbeat_at,
        connected=bool(row.connected),
        last_message_at=row.last_message_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
    )
