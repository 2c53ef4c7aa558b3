"""The mail worker: one per database. It holds the mailbox (a lease in the database, so
two workers started at once never both work), reads new mail into tickets (intake) and sends
the outbox, and reports its state for the consoles' status bar.

Nothing is lost or done twice:

- a message is marked on the server (a keyword, never \\Seen) only after the transaction that
  filed it committed; one read again after a crash is known by its Message-ID or its
  UIDVALIDITY/UID and only marked;
- a reply is marked ``sending`` (committed) before it is handed to the SMTP server, with a
  Message-ID fixed by its outbox row (the idempotency key), and a copy goes to the team's own
  address. After a crash between the SMTP server's answer and the record of it, the team's
  copy in the mailbox proves the reply left (it is not sent again); with no copy after
  ``confirm_seconds`` it is sent again, under the same Message-ID;
- every transaction that acts for the mailbox first checks, under a lock, that this worker
  still holds the lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.policy import SMTP
from typing import Any

from console.adapters.database import Database
from console.adapters.mail import ImapInbox, MailServerError, SmtpSender
from console.adapters.mail_store import own_message_id
from console.adapters.repository import Now, system_now
from console.adapters.sql import SqlUnitOfWork
from console.domain.mail import MailboxSettings, OutboxEntry, OutboxState, ServerSettings
from console.services.mail_format import build_reply
from console.services.mail_intake import Intake, Received
from console.services.tickets import PolicyBook

log = logging.getLogger(__name__)

GIVE_UP_AFTER = 12  # attempts (about 17 hours of backoff) before a reply is failed for good


InboxFactory = Callable[[ServerSettings, str, str], ImapInbox]
SenderFactory = Callable[[ServerSettings, str], SmtpSender]


class LeaseLostError(Exception):
    """Another worker holds the mailbox now: this one stops acting for it."""


def backoff(attempts: int) -> timedelta:
    """How long a reply waits after its ``attempts``-th failed attempt: one minute, doubled
    each time, at most two hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 7_200))


@dataclass
class Passwords:
    """Where the worker's passwords come from (see :mod:`console.adapters.mail_secrets`)."""

    lookup: Callable[[str, ServerSettings], str]


@dataclass
class Counters:
    imported: int = 0
    sent: int = 0
    failed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class MailWorker:
    """Serves the team mailbox of ``database`` until ``stop`` is set (:meth:`run`)."""

    def __init__(
        self,
        database: Database,
        book: PolicyBook,
        passwords: Passwords,
        *,
        inbox_factory: InboxFactory = ImapInbox,
        sender_factory: SenderFactory = SmtpSender,
        holder: str | None = None,
        lease_seconds: float = 30.0,
        confirm_seconds: float = 120.0,
        tick_seconds: float = 2.0,
        now: Now = system_now,
    ) -> None:
        self.database = database
        self.book = book
        self.passwords = passwords
        self.inbox_factory = inbox_factory
        self.sender_factory = sender_factory
        self.holder = holder or default_holder()
        self.lease = timedelta(seconds=lease_seconds)
        self.confirm = timedelta(seconds=confirm_seconds)
        self.tick = tick_seconds
        self.now = now
        self.intake = Intake(book)
        self.counters = Counters()
        self.settings: MailboxSettings | None = None
        self.token = ""
        self.inbox: ImapInbox | None = None
        self.holding = False
        self._last_fetch: datetime | None = None
        self._wake = True

    # ------------------------------------------------------------------ running

    def run(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set; errors are reported and waited out, never fatal."""
        try:
            while not stop.is_set():
                try:
                    waited = self.step()
                except LeaseLostError:
                    self._disconnect()
                    waited = False
                except Exception as error:  # the worker outlives any one error
                    log.warning("mail worker: %s", error, exc_info=True)
                    self._report_error(str(error))
                    self._disconnect()
                    waited = False
                if not waited:
                    stop.wait(self.tick)
        finally:
            self.close()

    def close(self) -> None:
        """Log out of the mailbox and hand it back (as :meth:`run` does when it stops)."""
        self._disconnect()
        self._release()

    def step(self) -> bool:
        """One round: hold the lease, connect, read new mail, send what is due. True when it
        waited on the mailbox (IDLE) already."""
        if not self._hold():
            return False
        settings = self.settings
        if settings is None:
            return False
        try:
            self._connect(settings)
            assert self.inbox is not None
            self._recover(settings)
            self.read_new(settings)
            self.retriage(settings)
            self.send_due(settings)
            self._heartbeat(connected=True)
            woke = self.inbox.wait(self.tick)
        except MailServerError as error:
            # A server down or refusing: said in the status bar, tried again next round.
            log.info("mail worker: %s", error.reason)
            self._report_error(error.reason)
            self._disconnect()
            return False
        self._wake = woke and self.inbox.supports_idle
        return True

    # ------------------------------------------------------------------ the lease

    def _hold(self) -> bool:
        now = self.now()
        with SqlUnitOfWork(self.database, now=self.now) as uow:
            status = uow.mail.take_lease(self.holder, now, now + self.lease)
            settings, token = uow.mail.settings()
            uow.commit()
        held = status.holder == self.holder
        if self.holding and not held:
            log.warning("mail worker: the mailbox is held by %s now", status.holder)
        self.holding = held
        if not held:
            self._disconnect()
            return False
        if settings != self.settings:
            self._disconnect()
        self.settings, self.token = settings, token
        return True

    def _fenced(self, uow: SqlUnitOfWork) -> None:
        if not uow.mail.holds_lease(self.holder, self.now()):
            self.holding = False
            raise LeaseLostError(self.holder)

    def _release(self) -> None:
        if not self.holding:
            return
        try:
            with SqlUnitOfWork(self.database, now=self.now) as uow:
                uow.mail.release_lease(self.holder)
                uow.commit()
        except Exception:  # leaving anyway; the lease runs out by itself
            log.info("mail worker: could not hand the mailbox back", exc_info=True)
        self.holding = False

    def _heartbeat(self, **values: Any) -> None:
        with SqlUnitOfWork(self.database, now=self.now) as uow:
            uow.mail.report(self.holder, heartbeat_at=self.now(), **values)
            uow.commit()

    def _report_error(self, reason: str) -> None:
        try:
            with SqlUnitOfWork(self.database, now=self.now) as uow:
                uow.mail.report(
                    self.holder,
                    connected=False,
                    last_error=reason[:2_000],
                    last_error_at=self.now(),
                    heartbeat_at=self.now(),
                )
                uow.commit()
        except Exception:  # the database itself may be what failed
            log.info("mail worker: could not report %s", reason, exc_info=True)

    # ------------------------------------------------------------------ the mailbox

    def _connect(self, settings: MailboxSettings) -> None:
        if self.inbox is not None:
            return
        secret = self.passwords.lookup("imap", settings.imap)
        inbox = self.inbox_factory(settings.imap, secret, settings.folder)
        inbox.connect()
        self.inbox = inbox
        self._wake = True
        self._heartbeat(connected=True, last_error="")

    def _disconnect(self) -> None:
        if self.inbox is not None:
            self.inbox.close()
            self.inbox = None

    def read_new(self, settings: MailboxSettings) -> int:
        """Read what is new in the mailbox (when IDLE said so, or every ``poll_seconds``);
        how many messages were filed."""
        assert self.inbox is not None
        now = self.now()
        due = self._last_fetch is None or now - self._last_fetch >= timedelta(
            seconds=settings.poll_seconds
        )
        # With IDLE, a search every round costs little and misses nothing that arrived
        # between two waits; without it the mailbox is polled every poll_seconds.
        if not (self._wake or due or self.inbox.supports_idle):
            return 0
        self._last_fetch = now
        filed = 0
        while True:
            batch = self.inbox.unprocessed(100)
            for uid, received_at, raw in batch:
                received = Received(settings.folder, self.inbox.uidvalidity, uid, received_at, raw)
                with SqlUnitOfWork(self.database, now=self.now) as uow:
                    self._fenced(uow)
                    result = self.intake.read(uow, settings, self.token, received)
                    if result is not None:
                        uow.mail.report(self.holder, last_message_at=self.now())
                    uow.commit()
                # Marked only now that the ticket's transaction committed.
                self.inbox.mark_processed(uid)
                if result is not None:
                    filed += 1
                    self.counters.imported += 1
                    key = result.outcome.value
                    self.counters.outcomes[key] = self.counters.outcomes.get(key, 0) + 1
            if len(batch) < 100:
                return filed

    def retriage(self, settings: MailboxSettings) -> int:
        """Messages in Triage whose sender a lead has named since open their tickets."""
        with SqlUnitOfWork(self.database, write=False, now=self.now) as uow:
            waiting = uow.mail.waiting()
            contacts = uow.mail.contacts()
        if not contacts:
            return 0
        opened = 0
        for message in waiting:
            if message.outcome.value != "triage":
                continue
            with SqlUnitOfWork(self.database, now=self.now) as uow:
                self._fenced(uow)
                fresh = uow.mail.message(message.id, with_raw=True)
                if self.intake.retriage(uow, settings, fresh) is not None:
                    uow.commit()
                    opened += 1
        return opened

    # ------------------------------------------------------------------ the outbox

    def _recover(self, settings: MailboxSettings) -> None:
        """Replies cut short while sending: confirmed by the team's copy, or sent again."""
        assert self.inbox is not None
        now = self.now()
        with SqlUnitOfWork(self.database, write=False, now=self.now) as uow:
            stuck = uow.mail.outbox(states=[OutboxState.SENDING])
        domain = settings.address.rpartition("@")[2]
        for entry in stuck:
            message_id = own_message_id(self.token, entry.id, domain)
            found = self.inbox.find_message_id(message_id)
            if not found and (entry.attempt_at is None or now - entry.attempt_at < self.confirm):
                continue
            with SqlUnitOfWork(self.database, now=self.now) as uow:
                self._fenced(uow)
                current = uow.mail.outbox_entry(entry.id)
                if current.state is not OutboxState.SENDING:
                    continue
                if found:
                    uow.mail.step_outbox(current, state=OutboxState.SENT, sent_at=now)
                else:
                    uow.mail.step_outbox(current, state=OutboxState.PENDING, next_attempt_at=now)
                uow.commit()

    def send_due(self, settings: MailboxSettings) -> int:
        """Send the replies that are due; how many left."""
        with SqlUnitOfWork(self.database, write=False, now=self.now) as uow:
            due = uow.mail.outbox(states=[OutboxState.PENDING], due_by=self.now(), limit=200)
        sent = 0
        for entry in due:
            if self.send_one(settings, entry):
                sent += 1
        return sent

    def send_one(self, settings: MailboxSettings, entry: OutboxEntry) -> bool:
        domain = settings.address.rpartition("@")[2]
        message_id = own_message_id(self.token, entry.id, domain)
        with SqlUnitOfWork(self.database, now=self.now) as uow:
            self._fenced(uow)
            current = uow.mail.outbox_entry(entry.id)
            if current.state is not OutboxState.PENDING or current.next_attempt_at > self.now():
                return False
            _, data, _ = uow.mail.event_text(current.event_id)
            thread = uow.mail.thread(current.ticket, self.token, domain)
            if thread.to is None:
                uow.mail.step_outbox(
                    current,
                    state=OutboxState.FAILED,
                    last_error="no address to write to: the customer has not written to this "
                    "ticket by mail",
                )
                uow.commit()
                self.counters.failed += 1
                return False
            message = build_reply(
                message_id=message_id,
                sender=settings.address,
                sender_name=settings.display_name,
                to=[thread.to],
                subject=thread.subject,
                key=current.ticket,
                text=str(data.get("text", "")),
                in_reply_to=thread.last_received,
                references=thread.references,
                automated=bool(data.get("automated")),
                sent_at=self.now(),
            )
            current = uow.mail.step_outbox(
                current,
                state=OutboxState.SENDING,
                attempts=current.attempts + 1,
                attempt_at=self.now(),
                recipients=[thread.to],
            )
            uow.commit()
        raw = message.as_bytes(policy=SMTP)
        try:
            sender = self.sender_factory(
                settings.smtp, self.passwords.lookup("smtp", settings.smtp)
            )
            # A copy to the team's own address: the proof, after a crash, that it left.
            sender.send(raw, settings.address, [thread.to, settings.address])
        except MailServerError as error:
            give_up = not error.transient or current.attempts >= GIVE_UP_AFTER
            with SqlUnitOfWork(self.database, now=self.now) as uow:
                self._fenced(uow)
                uow.mail.step_outbox(
                    current,
                    state=OutboxState.FAILED if give_up else OutboxState.PENDING,
                    next_attempt_at=self.now() + backoff(current.attempts),
                    last_error=error.reason[:2_000],
                )
                uow.commit()
            if give_up:
                self.counters.failed += 1
            self._report_error(error.reason)
            return False
        with SqlUnitOfWork(self.database, now=self.now) as uow:
            latest = uow.mail.outbox_entry(current.id)
            if latest.state is OutboxState.SENDING:  # (the team's copy may have come first)
                uow.mail.step_outbox(
                    latest, state=OutboxState.SENT, sent_at=self.now(), last_error=""
                )
            uow.commit()
        self.counters.sent += 1
        return True


def worker_status_text(status: Any, outbox: int, now: datetime, stale_after: timedelta) -> str:
    """One line on the mail worker for the status bar."""
    if not status.holder or status.heartbeat_at is None or now - status.heartbeat_at > stale_after:
        state = "no mail worker running"
    elif status.connected:
        state = "connected"
    else:
        state = f"not connected: {status.last_error}" if status.last_error else "connecting"
    parts = [f"Mail: {state}"]
    if status.last_message_at is not None:
        parts.append(f"last message {status.last_message_at:%H:%M} UTC")
    parts.append(f"outbox {outbox}")
    return " · ".join(parts)
