"""The team mailbox's transport: messages read by IMAP and replies sent by SMTP, as bytes.

Nothing here parses a message or touches the database.  Every failure of a server, the
network or TLS comes out as :class:`MailServerError`, which says in plain words which server
and what failed, and whether trying again later may help (``transient``).  Every socket has
a timeout, so a server that stops answering fails a call instead of hanging the worker.

Intake marks a message it has taken in with the IMAP keyword :data:`PROCESSED_KEYWORD`
rather than ``\\Seen``, so people reading the same mailbox keep their read/unread marks.
"""

from __future__ import annotations

import imaplib
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NamedTuple

import imapclient  # type: ignore[import-untyped]
from imapclient.exceptions import (  # type: ignore[import-untyped]
    CapabilityError,
    LoginError,
)

from console.domain.mail import Security, ServerSettings

__all__ = [
    "PROCESSED_KEYWORD",
    "ImapInbox",
    "MailServerError",
    "SmtpSender",
    "tls_context",
]

PROCESSED_KEYWORD = "$SupportConsole"
"""The IMAP keyword (flag) on messages intake has taken in."""

# IMAP response codes (RFC 5530) saying the failure is temporary.
_TEMPORARY_IMAP_CODES = ("[UNAVAILABLE]", "[INUSE]", "[LIMIT]", "[SERVERBUG]")
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.I)


class Fetched(NamedTuple):
    """A message of the folder: its UID, when the server received it (its INTERNALDATE, in
    UTC; now when the server gives none) and its bytes."""

    uid: int
    received_at: datetime
    raw: bytes


def _instant(value: object) -> datetime:
    if not isinstance(value, datetime):
        return datetime.now(UTC)
    # imapclient gives naive local times (normalise_times): astimezone reads them as local.
    return value.astimezone(UTC)


class MailServerError(Exception):
    """A mail server could not do what was asked.

    ``reason`` names the server and what failed; ``transient`` is True when the same call
    may succeed later (connection refused, reset or timed out, a 4xx SMTP reply, an IMAP
    BYE) and False when it needs a person (login refused, certificate not trusted, a
    recipient or message refused for good, a missing folder).  ``refused`` maps each
    recipient the SMTP server refused to its reply (code, text)."""

    def __init__(
        self,
        reason: str,
        transient: bool,
        *,
        refused: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.refused: dict[str, tuple[int, str]] = dict(refused or {})


def tls_context(server: ServerSettings) -> ssl.SSLContext:
    """The system's TLS defaults (certificates checked, host name included), trusting also
    the certificates in ``server.ca_file`` when it is set."""
    context = ssl.create_default_context()
    if server.ca_file:
        try:
            context.load_verify_locations(cafile=server.ca_file)
        except (OSError, ValueError) as exc:
            raise MailServerError(
                f"cannot read the trusted certificates in {server.ca_file}: "
                f"{getattr(exc, 'strerror', None) or exc}",
                transient=False,
            ) from exc
    return context


# ------------------------------------------------------------------------------------ IMAP


class ImapInbox:
    """One IMAP folder of the team mailbox, over one connection.

    Call :meth:`connect` first (or use ``with``); after a transient failure the connection
    is dropped, and the next call raises a transient error until :meth:`connect` succeeds.
    Every method raises :class:`MailServerError` only.
    """

    def __init__(
        self, server: ServerSettings, password: str, folder: str = "INBOX", timeout: float = 30
    ) -> None:
        """TIMEOUT is in seconds, for connecting and for each answer of the server."""
        self.server = server
        self.folder = folder
        self.timeout = timeout
        self._password = password
        self._client: Any = None
        self.uidvalidity: int = 0
        """The folder's UIDVALIDITY at the latest connect: if it changed, UIDs seen before
        mean other messages now."""
        self.supports_idle: bool = False

    @property
    def where(self) -> str:
        return f"IMAP {self.server.host}:{self.server.port}"

    @property
    def connected(self) -> bool:
        return self._client is not None

    def connect(self) -> None:
        """Connect, log in and open the folder (closing an earlier connection first)."""
        self.close()
        server = self.server
        context = _context(server, self.where)
        step = "connecting"
        client: Any = None
        try:
            client = imapclient.IMAPClient(
                server.host,
                port=server.port,
                ssl=server.security is Security.TLS,
                ssl_context=context,
                timeout=self.timeout,
            )
            if server.security is Security.STARTTLS:
                step = "starting TLS"
                client.starttls(context)
            step = "logging in"
            client.login(server.user, self._password)
            step = f"opening folder {self.folder!r}"
            selected = client.select_folder(self.folder)
            uidvalidity = int(selected[b"UIDVALIDITY"])
            supports_idle = bool(client.has_capability("IDLE"))
        except MailServerError:
            _shutdown_quietly(client)
            raise
        except Exception as exc:
            _shutdown_quietly(client)
            raise self._error(step, exc) from exc
        self._client = client
        self.uidvalidity = uidvalidity
        self.supports_idle = supports_idle

    def unprocessed(self, limit: int = 100) -> list[Fetched]:
        """Up to LIMIT messages of the folder without :data:`PROCESSED_KEYWORD` (their UID,
        when the server received them and their bytes), oldest UID first; they are not
        marked ``\\Seen``."""
        if limit < 1:
            return []
        with self._calling("looking for new messages") as client:
            found = client.search(["UNKEYWORD", PROCESSED_KEYWORD])
            uids = sorted(int(uid) for uid in found)[:limit]
            if not uids:
                return []
            fetched = client.fetch(uids, [b"BODY.PEEK[]", b"INTERNALDATE"])
        messages = []
        for uid in uids:  # a message expunged meanwhile is simply missing
            parts = fetched.get(uid, {})
            body = parts.get(b"BODY[]")
            if isinstance(body, bytes):
                messages.append(Fetched(uid, _instant(parts.get(b"INTERNALDATE")), body))
        return messages

    def mark_processed(self, uid: int) -> None:
        """Add :data:`PROCESSED_KEYWORD` to the message UID (and no other flag)."""
        with self._calling(f"marking message {uid} as taken in") as client:
            client.add_flags([uid], [PROCESSED_KEYWORD], silent=True)

    def find_message_id(self, message_id: str) -> bool:
        """True if a message with this Message-ID (angle brackets optional) is in the
        folder, taken in or not."""
        bare = message_id.strip().removeprefix("<").removesuffix(">")
        if not bare:
            return False
        charset = None if bare.isascii() else "UTF-8"
        with self._calling("looking for a Message-ID") as client:
            found = client.search(["HEADER", "Message-ID", f"<{bare}>"], charset=charset)
        return bool(found)

    def append(self, raw: bytes, flags: Iterable[str] = ()) -> int | None:
        """Put a message into the folder; returns its UID when the server tells it."""
        with self._calling("adding a message") as client:
            answer = client.append(self.folder, raw, flags=tuple(flags))
        match = _APPENDUID.search(answer if isinstance(answer, bytes) else b"")
        return int(match.group(1)) if match else None

    def wait(self, timeout: float) -> bool:
        """Wait up to TIMEOUT seconds for new mail; True if the server reported some.

        With IDLE, returns as soon as the server reports a new message (or one that came in
        since the latest call); without it, sleeps TIMEOUT seconds and returns True.
        """
        if not self.supports_idle:
            self._require()
            time.sleep(max(timeout, 0.0))
            return True
        with self._calling("waiting for new mail") as client:
            # IDLE reports only what arrives after it starts: ask about the time before.
            _, responses = client.noop()
            if _reports_new_mail(responses):
                return True
            deadline = time.monotonic() + max(timeout, 0.0)
            arrived = False
            client.idle()
            while not arrived and (remaining := deadline - time.monotonic()) > 0:
                responses = client.idle_check(timeout=remaining)
                if not responses:
                    break  # the time is up, or the connection closed: idle_done() tells
                arrived = _reports_new_mail(responses)
            _, responses = client.idle_done()
            return arrived or _reports_new_mail(responses)

    def noop(self) -> None:
        """Keep the connection alive and check that it still works."""
        with self._calling("checking the connection") as client:
            client.noop()

    def close(self) -> None:
        """Log out and close the connection; never raises."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:
            _shutdown_quietly(client)

    def __enter__(self) -> ImapInbox:
        if not self.connected:
            self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _require(self) -> Any:
        if self._client is None:
            raise MailServerError(f"{self.where}: not connected", transient=True)
        return self._client

    @contextmanager
    def _calling(self, step: str) -> Iterator[Any]:
        """The connected client; its failures become MailServerError, and a connection that
        broke is dropped."""
        client = self._require()
        try:
            yield client
        except MailServerError:
            raise
        except Exception as exc:
            refused = isinstance(exc, imaplib.IMAP4.error) and not isinstance(
                exc, imaplib.IMAP4.abort
            )
            if not refused:  # not a plain NO or BAD: the connection can't be trusted
                self._client = None
                _shutdown_quietly(client)
            raise self._error(step, exc) from exc

    def _error(self, step: str, exc: Exception) -> MailServerError:
        where = self.where
        text = _text(exc)
        if isinstance(exc, LoginError):
            return MailServerError(
                f"{where}: login refused for {self.server.user} ({text})",
                transient=_temporary_imap(text),
            )
        if isinstance(exc, CapabilityError):
            return MailServerError(
                f"{where}: {step} failed: the server does not offer it ({text})",
                transient=False,
            )
        if isinstance(exc, imaplib.IMAP4.abort):
            return MailServerError(
                f"{where}: the server closed the connection while {step} ({text})",
                transient=True,
            )
        if isinstance(exc, imaplib.IMAP4.error):
            if step.startswith("opening folder"):
                return MailServerError(
                    f"{where}: cannot open folder {self.folder!r} of {self.server.user} ({text})",
                    transient=_temporary_imap(text),
                )
            return MailServerError(
                f"{where}: {step} failed: {text}", transient=_temporary_imap(text)
            )
        if isinstance(exc, OSError):
            return _network_error(where, step, exc, self.timeout)
        return MailServerError(
            f"{where}: {step} failed: unexpected {type(exc).__name__}: {text}",
            transient=False,
        )


def _reports_new_mail(responses: Iterable[Any]) -> bool:
    """True if untagged IMAP responses hold EXISTS (or a RECENT count above zero)."""
    for response in responses:
        if not isinstance(response, tuple) or len(response) < 2:
            continue
        count, kind = response[0], response[1]
        if kind == b"EXISTS" or (kind == b"RECENT" and isinstance(count, int) and count > 0):
            return True
    return False


def _temporary_imap(text: str) -> bool:
    return any(code in text.upper() for code in _TEMPORARY_IMAP_CODES)


def _shutdown_quietly(client: Any) -> None:
    if client is None:
        return
    with suppress(Exception):
        client.shutdown()


# ------------------------------------------------------------------------------------ SMTP


class SmtpSender:
    """Sends messages through one SMTP server, a connection per call.

    Every method raises :class:`MailServerError` only.
    """

    def __init__(
        self,
        server: ServerSettings,
        password: str,
        timeout: float = 30,
        *,
        local_hostname: str | None = None,
    ) -> None:
        """TIMEOUT is in seconds, for connecting and for each answer of the server;
        LOCAL_HOSTNAME is the name given in EHLO (default: this machine's name)."""
        self.server = server
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._password = password

    @property
    def where(self) -> str:
        return f"SMTP {self.server.host}:{self.server.port}"

    def send(self, raw: bytes, sender: str, recipients: Sequence[str]) -> None:
        """Send RAW (the message's bytes, unchanged) from SENDER to RECIPIENTS.

        When the server refuses some recipients but takes the others, the message has gone
        to those others; the error's ``refused`` names the rest, and ``transient`` is True
        only if every refusal was temporary (4xx).
        """
        if not recipients:
            raise MailServerError(f"{self.where}: no recipients to send to", transient=False)
        with self._session("sending") as smtp:
            options = []
            if not raw.isascii() and smtp.has_extn("8bitmime"):
                options.append("BODY=8BITMIME")
            if not all(address.isascii() for address in (sender, *recipients)):
                if not smtp.has_extn("smtputf8"):
                    raise MailServerError(
                        f"{self.where}: the server does not take addresses beyond ASCII "
                        "(no SMTPUTF8)",
                        transient=False,
                    )
                options.append("SMTPUTF8")
            refused = smtp.sendmail(sender, list(recipients), raw, mail_options=options)
        if refused:
            replies = {address: (code, _text(text)) for address, (code, text) in refused.items()}
            accepted = [r for r in recipients if r not in replies]
            raise MailServerError(
                f"{self.where}: sent to {', '.join(accepted)} but refused "
                + "; ".join(f"{a} ({code} {text})" for a, (code, text) in replies.items()),
                transient=all(_temporary(code) for code, _ in replies.values()),
                refused=replies,
            )

    def check(self) -> None:
        """Connect and log in, then leave: for a settings dialog's test button."""
        with self._session("checking"):
            pass

    @contextmanager
    def _session(self, purpose: str) -> Iterator[smtplib.SMTP]:
        """A connection, protected and logged in as the settings say; closed afterwards."""
        server = self.server
        context = _context(server, self.where)
        step = "connecting"
        smtp: smtplib.SMTP | None = None
        try:
            if server.security is Security.TLS:
                smtp = smtplib.SMTP_SSL(
                    server.host,
                    server.port,
                    local_hostname=self.local_hostname,
                    timeout=self.timeout,
                    context=context,
                )
            else:
                smtp = smtplib.SMTP(
                    server.host,
                    server.port,
                    local_hostname=self.local_hostname,
                    timeout=self.timeout,
                )
            step = "greeting the server"
            smtp.ehlo_or_helo_if_needed()
            if server.security is Security.STARTTLS:
                step = "starting TLS"
                if not smtp.has_extn("starttls"):
                    raise MailServerError(
                        f"{self.where}: the server does not offer STARTTLS", transient=False
                    )
                smtp.starttls(context=context)
                smtp.ehlo_or_helo_if_needed()
            if server.user and smtp.has_extn("auth"):
                step = "logging in"
                smtp.login(server.user, self._password)
            step = purpose
            yield smtp
            step = "saying goodbye"
            with suppress(smtplib.SMTPException, OSError):  # the work is done: don't undo it
                smtp.quit()
        except MailServerError:
            raise
        except Exception as exc:
            raise self._error(step, exc) from exc
        finally:
            if smtp is not None:
                smtp.close()

    def _error(self, step: str, exc: Exception) -> MailServerError:
        where = self.where
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            replies = {a: (code, _text(text)) for a, (code, text) in exc.recipients.items()}
            return MailServerError(
                f"{where}: every recipient refused: "
                + "; ".join(f"{a} ({code} {text})" for a, (code, text) in replies.items()),
                transient=bool(replies) and all(_temporary(c) for c, _ in replies.values()),
                refused=replies,
            )
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return MailServerError(
                f"{where}: sender {exc.sender} refused ({exc.smtp_code} {_text(exc.smtp_error)})",
                transient=_temporary(exc.smtp_code),
            )
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return MailServerError(
                f"{where}: login refused for {self.server.user} ({exc.smtp_code} "
                f"{_text(exc.smtp_error)})",
                transient=_temporary(exc.smtp_code),
            )
        if isinstance(exc, smtplib.SMTPDataError):
            return MailServerError(
                f"{where}: message refused ({exc.smtp_code} {_text(exc.smtp_error)})",
                transient=_temporary(exc.smtp_code),
            )
        if isinstance(exc, smtplib.SMTPResponseException):  # greeting, EHLO, STARTTLS ...
            return MailServerError(
                f"{where}: {step} failed ({exc.smtp_code} {_text(exc.smtp_error)})",
                transient=_temporary(exc.smtp_code),
            )
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            if isinstance(exc.__context__, OSError):  # smtplib's words for a socket error
                return _network_error(where, step, exc.__context__, self.timeout)
            return MailServerError(
                f"{where}: the server closed the connection while {step} ({_text(exc)})",
                transient=True,
            )
        if isinstance(exc, smtplib.SMTPException):  # e.g. no authentication method in common
            return MailServerError(f"{where}: {step} failed: {_text(exc)}", transient=False)
        if isinstance(exc, OSError):
            return _network_error(where, step, exc, self.timeout)
        return MailServerError(
            f"{where}: {step} failed: unexpected {type(exc).__name__}: {_text(exc)}",
            transient=False,
        )


def _temporary(code: int) -> bool:
    return 400 <= code < 500


# ------------------------------------------------------------------------------- both sides


def _context(server: ServerSettings, where: str) -> ssl.SSLContext | None:
    """The TLS context the settings ask for (None for ``Security.NONE``)."""
    if server.security is Security.NONE:
        return None
    try:
        return tls_context(server)
    except MailServerError as exc:
        raise MailServerError(f"{where}: {exc.reason}", transient=False) from exc


def _network_error(where: str, step: str, exc: OSError, timeout: float) -> MailServerError:
    """A socket or TLS failure in words, and whether trying again later may help."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailServerError(
            f"{where}: the server's TLS certificate is not trusted "
            f"({exc.verify_message or exc.reason or exc})",
            transient=False,
        )
    if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError | ssl.SSLSyscallError):
        return MailServerError(
            f"{where}: the connection closed during the TLS handshake ({_text(exc)})",
            transient=True,
        )
    if isinstance(exc, ssl.SSLError):  # e.g. TLS spoken to a port that expects plain text
        return MailServerError(
            f"{where}: TLS failed while {step} ({exc.reason or _text(exc)})", transient=False
        )
    if isinstance(exc, TimeoutError):
        return MailServerError(
            f"{where}: no answer within {timeout:g} s while {step}", transient=True
        )
    if isinstance(exc, ConnectionRefusedError):
        return MailServerError(f"{where}: connection refused", transient=True)
    if isinstance(exc, socket.gaierror):
        return MailServerError(
            f"{where}: host name not found ({exc.strerror or exc})",
            transient=exc.errno == socket.EAI_AGAIN,
        )
    if isinstance(exc, ConnectionError):
        return MailServerError(
            f"{where}: connection lost while {step} ({exc.strerror or _text(exc)})",
            transient=True,
        )
    return MailServerError(
        f"{where}: network error while {step} ({exc.strerror or _text(exc)})", transient=True
    )


def _text(value: object) -> str:
    """Readable text of an exception or a server's reply (which may be bytes, or a string
    holding the repr of bytes, as imaplib makes them)."""
    if isinstance(value, BaseException):
        value = value.args[0] if len(value.args) == 1 else str(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).strip()
    match = re.fullmatch(r"""b(['"])(.*)\1""", text, re.S)
    return match.group(2) if match else text
