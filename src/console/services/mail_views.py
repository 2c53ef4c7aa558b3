"""What the consoles show of the mail channel: a reply's delivery, the worker's state in the
status bar, and the messages waiting in Triage."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.mail import MailboxSettings, OutboxEntry, OutboxState, StoredMail
from console.services import words
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
            if to:
                return words.tr("sent {when} to {to}").format(when=_at(entry.sent_at), to=to)
            return words.tr("sent {when}").format(when=_at(entry.sent_at))
        case OutboxState.FAILED:
            if entry.last_error:
                return words.tr("not delivered: {error}").format(error=entry.last_error)
            return words.tr("not delivered")
        case OutboxState.SENDING:
            return words.tr("handed to the mail server {when}; waiting for its answer").format(
                when=_at(entry.attempt_at)
            )
        case _:
            if entry.attempts and entry.last_error:
                return words.tr(
                    "tried %n time(s): {error}; next attempt {when}", "", entry.attempts
                ).format(error=entry.last_error, when=_at(entry.next_attempt_at))
            return words.tr("in the outbox: the mail worker sends it")


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
                words.tr("Mail: not set up"),
                words.tr(
                    "No team mailbox: a lead sets one in Console ▸ Team mailbox… or with "
                    "support-console mail configure. Replies by e-mail wait in the outbox."
                ),
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
            state = words.tr("Mail: no worker")
        elif worker.connected:
            state = words.tr("Mail: connected")
        else:
            state = words.tr("Mail: not connected")
        parts = [state]
        if outbox:
            parts.append(words.tr("outbox {count}").format(count=outbox))
        if failed:
            parts.append(words.tr("{count} failed").format(count=failed))
        if waiting:
            parts.append(words.tr("triage {count}").format(count=waiting))
        tip = [
            words.tr("Team mailbox {address} ({server})").format(
                address=settings.address, server=settings.imap.describe()
            )
        ]
        if alive:
            tip.append(
                words.tr("Mail worker {holder}, last seen {when}").format(
                    holder=worker.holder, when=_at(worker.heartbeat_at)
                )
            )
        else:
            tip.append(
                words.tr(
                    "No mail worker has reported for a while: start support-console mail run "
                    "beside the database"
                )
            )
        if worker.last_message_at is not None:
            tip.append(
                words.tr("Last message read {when}").format(when=_at(worker.last_message_at))
            )
        if worker.last_error:
            tip.append(
                words.tr("Last error {when}: {error}").format(
                    when=_at(worker.last_error_at), error=worker.last_error
                )
            )
        tip.append(
            words.tr("Outbox: {outbox} to send, {failed} not delivered").format(
                outbox=outbox, failed=failed
            )
        )
        tip.append(words.tr("Triage: %n message(s) waiting for a lead", "", waiting))
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
