"""The team mailbox as the console knows it: where it receives (IMAP) and sends (SMTP) mail,
and who it is. No secrets here: passwords live in the platform's keyring, a file or the
environment (see :mod:`console.adapters.mail_secrets`), never in the database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Security(StrEnum):
    """How a connection to a mail server is protected."""

    TLS = "tls"  # TLS from the first byte (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"  # plain first, then upgraded before the login (IMAP 143, SMTP 587)
    NONE = "none"  # no encryption: for a server on this machine only

    @property
    def label(self) -> str:
        return {"tls": "TLS", "starttls": "STARTTLS", "none": "none"}[self.value]


DEFAULT_PORTS = {
    ("imap", Security.TLS): 993,
    ("imap", Security.STARTTLS): 143,
    ("imap", Security.NONE): 143,
    ("smtp", Security.TLS): 465,
    ("smtp", Security.STARTTLS): 587,
    ("smtp", Security.NONE): 25,
}


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """One mail server: ``ca_file`` names a file of certificates to trust besides the
    system's (a company's own authority); empty for the system's only."""

    host: str
    port: int
    security: Security
    user: str
    ca_file: str = ""

    def describe(self) -> str:
        return f"{self.user}@{self.host}:{self.port} ({self.security.label})"


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    """A database's team mailbox. ``address`` is the team's address (From of every reply,
    and where intake's own copies of replies arrive); ``acknowledge`` the policies whose
    new tickets by mail get an automated acknowledgement."""

    address: str
    imap: ServerSettings
    smtp: ServerSettings
    display_name: str = "Support"
    folder: str = "INBOX"
    poll_seconds: int = 60
    acknowledge: frozenset[str] = frozenset()
    version: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "display_name": self.display_name,
            "folder": self.folder,
            "poll_seconds": self.poll_seconds,
            "acknowledge": sorted(self.acknowledge),
            "imap": _server_json(self.imap),
            "smtp": _server_json(self.smtp),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], version: int = 0) -> MailboxSettings:
        return cls(
            address=str(data["address"]),
            display_name=str(data.get("display_name", "Support")),
            folder=str(data.get("folder", "INBOX")),
            poll_seconds=int(data.get("poll_seconds", 60)),
            acknowledge=frozenset(data.get("acknowledge", ())),
            imap=_server(data["imap"]),
            smtp=_server(data["smtp"]),
            version=version,
        )


def _server_json(server: ServerSettings) -> dict[str, Any]:
    return {
        "host": server.host,
        "port": server.port,
        "security": server.security.value,
        "user": server.user,
        "ca_file": server.ca_file,
    }


def _server(data: Mapping[str, Any]) -> ServerSettings:
    return ServerSettings(
        host=str(data["host"]),
        port=int(data["port"]),
        security=Security(data["security"]),
        user=str(data["user"]),
        ca_file=str(data.get("ca_file", "")),
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment as intake lists it: its name, type and size in bytes."""

    name: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class InboundMail:
    """A received message as intake reads it (see :mod:`console.services.mail_format`).

    ``message_id`` is the Message-ID without angle brackets (a digest of the message when it
    has none); ``references`` the Message-IDs of In-Reply-To and References, oldest first;
    ``text`` the new words (plain text, or the HTML part as safe text) and ``quoted`` the
    quoted history below them; ``automatic`` the reason the message is automatic mail
    (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, a delivery status report ...), or
    empty for a person's message."""

    message_id: str
    sender: str  # the address, lower case
    sender_name: str
    subject: str
    references: tuple[str, ...]
    text: str
    quoted: str = ""
    sent_at: Any = None  # datetime | None: the Date header, when it parses
    recipients: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    automatic: str = ""


class Outcome(StrEnum):
    """What intake made of a message it read."""

    MESSAGE = "message"  # a customer message on the ticket it answers
    OPENED = "opened"  # opened a new ticket for a known customer
    TRIAGE = "triage"  # from an unknown sender: waits for a lead to name its customer
    ASIDE = "aside"  # could not be read: kept with the reason, for a lead
    AUTOMATIC = "automatic"  # automatic mail: never opens, reopens or is answered
    OWN = "own"  # the team's own copy of a reply it sent
    DISCARDED = "discarded"  # put aside for good by a lead

    @property
    def waits_for_lead(self) -> bool:
        return self in (Outcome.TRIAGE, Outcome.ASIDE)


class OutboxState(StrEnum):
    """Where a reply by e-mail stands."""

    PENDING = "pending"  # to send (again, after ``next_attempt_at``)
    SENDING = "sending"  # an attempt under way, or cut short: confirmed or tried again
    SENT = "sent"
    FAILED = "failed"  # given up: the reason is shown on the ticket

    @property
    def label(self) -> str:
        return {
            "pending": "waiting to be sent",
            "sending": "sending",
            "sent": "delivered to the mail server",
            "failed": "not delivered",
        }[self.value]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A reply by e-mail as the outbox holds it (``event_id``: the reply's event)."""

    id: int
    ticket: str
    event_id: int
    state: OutboxState
    attempts: int
    created_at: Any  # datetime
    next_attempt_at: Any  # datetime
    attempt_at: Any = None  # datetime | None
    sent_at: Any = None  # datetime | None
    recipients: tuple[str, ...] = ()
    last_error: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class StoredMail:
    """A message intake read, as stored (``raw`` only when asked for)."""

    id: int
    message_id: str
    received_at: Any  # datetime
    sender: str
    subject: str
    outcome: Outcome
    reason: str = ""
    ticket: str | None = None
    event_id: int | None = None
    attachments: tuple[str, ...] = ()
    raw: bytes | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class WorkerStatus:
    """The mail worker as the consoles see it."""

    holder: str = ""
    lease_until: Any = None  # datetime | None
    heartbeat_at: Any = None  # datetime | None
    connected: bool = False
    last_message_at: Any = None  # datetime | None
    last_error: str = ""
    last_error_at: Any = None  # datetime | None


_ADDRESS = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


def check_mailbox(settings: MailboxSettings, policy_ids: Iterable[str]) -> None:
    """ValueError naming the first setting that cannot work."""
    if not _ADDRESS.fullmatch(settings.address):
        raise ValueError(f"address: {settings.address!r} is not a mail address")
    if any(ch in settings.display_name for ch in "\r\n") or len(settings.display_name) > 200:
        raise ValueError("display name: one line of at most 200 characters")
    if not settings.folder.strip() or any(ch in settings.folder for ch in "\r\n"):
        raise ValueError("folder: the IMAP folder to read, such as INBOX")
    if not 5 <= settings.poll_seconds <= 3_600:
        raise ValueError(f"poll seconds: {settings.poll_seconds} is not between 5 and 3600")
    known = set(policy_ids)
    for policy_id in sorted(settings.acknowledge):
        if policy_id not in known:
            raise ValueError(
                f"acknowledge: no policy {policy_id!r} (policies: {', '.join(sorted(known))})"
            )
    for which, server in (("IMAP", settings.imap), ("SMTP", settings.smtp)):
        if not server.host.strip() or any(ch in server.host for ch in " \r\n/@"):
            raise ValueError(f"{which} host: {server.host!r} is not a host name")
        if not 1 <= server.port <= 65_535:
            raise ValueError(f"{which} port: {server.port} is not between 1 and 65535")
        if any(ch in server.user for ch in "\r\n"):
            raise ValueError(f"{which} user: one line")
