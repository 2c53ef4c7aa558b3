"""What the consoles show of the mail channel: a reply's delivery, the worker's state in the
status bar, and the messages waiting in Triage."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.mail import MailboxSettings, OutboxEntry, OutboxState, StoredMail
from console.services.conversation import Deliveries, Delivery
from console.services.texts import instant_text
from console.services.tickets import PolicyBook
from console.services.views import Query

_DELIVERY = {
    OutboxState.PENDING: Delivery.QUEUED,
    OutboxState.SENDING: Delivery.SENDING,
    OutboxState.SENT: Delivery.SENT,
    OutboxState.FAILED: Delivery.FAILED,
}


def _at(value: datetime | None) -> str:
    """``Fri 20 Nov 2026 15:02 UTC``: the console's one way of writing an instant in full."""
    return instant_text(value, UTC) if value is not None else ""


def delivery_note(entry: OutboxEntry) -> str:
    """Where a reply by e-mail stands, in words."""
    to = ", ".join(entry.recipients)
    match entry.state:
        case OutboxState.SENT:
            return f"sent {_at(entry.sent_at)}" + (f" to {to}" if to else "")
        case OutboxState.FAILED:
            return f"not delivered: {entry.last_error}" if entry.last_error else "not delivered"
        case OutboxState.SENDING:
            return f"handed to the mail server {_at(entry.attempt_at)}; waiting for its answer"
        case _:
            if entry.attempts and entry.last_error:
                return (
                    f"tried {entry.attempts} time{'s' if entry.attempts > 1 else ''}: "
                    f"{entry.last_error}; next attempt {_at(entry.next_attempt_at)}"
                )
            return "in the outbox: the mail worker sends it"


def deliveries_of(uow: UnitOfWork, key: str) -> Deliveries:
    """The replies by e-mail of ticket ``key`` and where each stands (none on a database that
    keeps no mail)."""
    store = getattr(uow, "mail", None)
    if store is None:
        return {}
    return {
        (at, kind, text): (_DELIVERY[entry.state], delivery_note(entry))
        for at, kind, text, entry in store.deliveries(key)
    }


def quotes_of(uow: UnitOfWork, key: str) -> dict[tuple[datetime, str], str]:
    """The quoted history of each message that came in by mail, by the instant and text of
    its customer message."""
    from console.services.mail_format import MailFormatError, read_mail

    store = getattr(uow, "mail", None)
    if store is None:
        return {}
    found: dict[tuple[datetime, str], str] = {}
    for at, text, raw in store.received(key):
        try:
            quoted = read_mail(raw).quoted
        except MailFormatError:
            continue
        if quoted:
            found[(at, text)] = quoted
    return found


@dataclass(frozen=True, slots=True)
class MailStateView:
    """The status bar's mail line: ``text`` and ``tip``; ``problem`` when it needs a look
    (no worker, not connected, failed replies)."""

    configured: bool
    text: str
    tip: str
    problem: bool
    outbox: int
    failed: int
    waiting: int
    settings: MailboxSettings | None = None


@dataclass(frozen=True, slots=True)
class MailState(Query[MailStateView]):
    """The mail channel as the status bar shows it."""

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> MailStateView:
        store = getattr(uow, "mail", None)
        if store is None:
            return MailStateView(False, "", "", False, 0, 0, 0)
        settings, _ = store.settings()
        outbox = store.outbox_length()
        failed = len(store.outbox(states=[OutboxState.FAILED]))
        waiting = len(store.waiting())
        if settings is None:
            return MailStateView(
                False,
                "Mail: not set up",
                "No team mailbox: a lead sets one in Console ▸ Team mailbox… or with "
                "support-console mail configure. Replies by e-mail wait in the outbox.",
                outbox > 0,
                outbox,
                failed,
                waiting,
            )
        worker = store.worker()
        stale = timedelta(seconds=max(90, 3 * settings.poll_seconds))
        alive = (
            bool(worker.holder)
            and worker.heartbeat_at is not None
            and (now - worker.heartbeat_at <= stale)
        )
        if not alive:
            state = "no worker"
        elif worker.connected:
            state = "connected"
        else:
            state = "not connected"
        parts = [f"Mail: {state}"]
        if outbox:
            parts.append(f"outbox {outbox}")
        if failed:
            parts.append(f"{failed} failed")
        if waiting:
            parts.append(f"triage {waiting}")
        tip = [f"Team mailbox {settings.address} ({settings.imap.describe()})"]
        if alive:
            tip.append(f"Mail worker {worker.holder}, last seen {_at(worker.heartbeat_at)}")
        else:
            tip.append(
                "No mail worker has reported for a while: start support-console mail run "
                "beside the database"
            )
        if worker.last_message_at is not None:
            tip.append(f"Last message read {_at(worker.last_message_at)}")
        if worker.last_error:
            tip.append(f"Last error {_at(worker.last_error_at)}: {worker.last_error}")
        tip.append(f"Outbox: {outbox} to send, {failed} not delivered")
        tip.append(f"Triage: {waiting} message(s) waiting for a lead")
        problem = not alive or not worker.connected or failed > 0
        return MailStateView(
            True, " · ".join(parts), "\n".join(tip), problem, outbox, failed, waiting, settings
        )

    @property
    def topic(self) -> Hashable:
        return MailState


@dataclass(frozen=True, slots=True)
class TriageView:
    messages: tuple[StoredMail, ...]
    contacts: tuple[tuple[str, str], ...]
    customers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage(Query[TriageView]):
    """Messages waiting for a lead (unknown senders, unreadable mail), the contacts and the
    customers a sender may be named for."""

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> TriageView:
        store: Any = getattr(uow, "mail", None)
        customers = tuple(sorted(c.name for c in uow.customers.list()))
        if store is None:
            return TriageView((), (), customers)
        return TriageView(
            tuple(store.waiting(with_raw=True)),
            tuple(sorted(store.contacts().items())),
            customers,
        )

    @property
    def topic(self) -> Hashable:
        return Triage
