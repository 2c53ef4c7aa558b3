"""The mail transport (console.adapters.mail) against real servers: Dovecot for IMAP, and an
SMTP server that hands the team's own mail to Dovecot (see tests/mailservers.py).

Why: the worker decides between "try again later" and "ask a person" on ``transient`` alone,
and must never hang on a dead server; only real servers say what really happens.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import imapclient  # type: ignore[import-untyped]
import pytest

from console.adapters.mail import (
    PROCESSED_KEYWORD,
    ImapInbox,
    MailServerError,
    SmtpSender,
    tls_context,
)
from console.domain.mail import Security, ServerSettings
from mailservers import (
    CUSTOMER_ADDRESS,
    CUSTOMER_PASSWORD,
    DovecotServer,
    MailAccount,
    SmtpServer,
    SpooledMessage,
)

pytestmark = pytest.mark.mail

ALL_SECURITY = [Security.NONE, Security.STARTTLS, Security.TLS]
ENCRYPTED = [Security.STARTTLS, Security.TLS]
TIMEOUT = 10.0  # seconds; generous, the servers answer in milliseconds


def message(subject: str = "Printer on fire", message_id: str | None = None) -> bytes:
    """A message as it travels: CRLF line ends, 8-bit UTF-8 in the body."""
    message_id = message_id or f"{uuid.uuid4().hex}@customer.test"
    return (
        f"From: Customer <{CUSTOMER_ADDRESS}>\r\n"
        "To: Support <support@example.test>\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\n"
        "Date: Fri, 20 Nov 2026 14:30:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "Grüße aus Köln: the printer is on fire.\r\n"
        ".a line starting with a dot\r\n"
    ).encode()


def raises(call: Callable[[], object], *, transient: bool) -> MailServerError:
    """The MailServerError CALL raises, checked for TRANSIENT."""
    with pytest.raises(MailServerError) as caught:
        call()
    error = caught.value
    assert error.transient is transient, error.reason
    return error


def server_flags(account: MailAccount, uid: int) -> set[bytes]:
    """The flags of message UID as another client sees them (\\Recent left out)."""
    with imapclient.IMAPClient(
        account.server.host, port=account.server.imap_port, ssl=False, timeout=TIMEOUT
    ) as client:
        client.login(account.address, account.password)
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags([uid])[uid]
    return {flag for flag in flags if flag != b"\\Recent"}


def dovecot_login_line(server: DovecotServer, address: str) -> str:
    """The last line of Dovecot's log about a login of ADDRESS."""
    lines = [
        line
        for line in server.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        if "Login: " in line and f"user=<{address}>" in line
    ]
    assert lines, f"no login of {address} in the log\n{server.log_tail()}"
    return lines[-1]


@pytest.fixture
def inbox(mailbox: MailAccount) -> Iterator[ImapInbox]:
    """The test's own team mailbox, connected over TLS."""
    with ImapInbox(mailbox.imap(Security.TLS), mailbox.password, timeout=TIMEOUT) as connected:
        yield connected


@pytest.fixture
def own_dovecot(dovecot_server: DovecotServer) -> Iterator[DovecotServer]:
    """A Dovecot of the test's own, to stop and start (the session's one tells whether
    Dovecot can run here at all)."""
    server = DovecotServer()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel does) but never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


# ----------------------------------------------------------------------------------- TLS


def test_tls_context_checks_certificates_and_host_names(mailbox: MailAccount) -> None:
    context = tls_context(mailbox.imap(Security.TLS))

    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.get_ca_certs(), "the ca_file's authority is trusted"


def test_a_missing_ca_file_is_a_lasting_error_naming_the_file(
    mailbox: MailAccount, tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    settings = ServerSettings("127.0.0.1", 993, Security.TLS, mailbox.address, missing)

    error = raises(lambda: tls_context(settings), transient=False)
    assert missing in error.reason

    error = raises(ImapInbox(settings, mailbox.password).connect, transient=False)
    assert missing in error.reason and "IMAP 127.0.0.1:993" in error.reason


# ---------------------------------------------------------------------------------- IMAP


@pytest.mark.parametrize("security", ALL_SECURITY, ids=lambda s: s.value)
def test_imap_connects_with_each_security(
    dovecot_server: DovecotServer, mailbox: MailAccount, security: Security
) -> None:
    raw = message()

    with ImapInbox(mailbox.imap(security), mailbox.password, timeout=TIMEOUT) as inbox:
        uid = inbox.append(raw)
        assert [(m.uid, m.raw) for m in inbox.unprocessed()] == [(uid, raw)]
        (fetched,) = inbox.unprocessed()  # when the server received it, in UTC
        assert fetched.received_at.tzinfo is UTC
        assert abs(fetched.received_at - datetime.now(UTC)) < timedelta(minutes=2)
        assert isinstance(inbox.uidvalidity, int) and inbox.uidvalidity > 0
        assert inbox.supports_idle is True

    encrypted = ", TLS" in dovecot_login_line(dovecot_server, mailbox.address)
    assert encrypted is (security is not Security.NONE)


@pytest.mark.parametrize("security", ENCRYPTED, ids=lambda s: s.value)
def test_imap_without_the_ca_file_the_certificate_is_not_trusted(
    mailbox: MailAccount, security: Security
) -> None:
    inbox = ImapInbox(mailbox.imap(security, trusted=False), mailbox.password, timeout=TIMEOUT)

    error = raises(inbox.connect, transient=False)

    assert "certificate" in error.reason
    assert error.reason.startswith(f"IMAP 127.0.0.1:{mailbox.imap(security).port}: ")
    assert not inbox.connected


@pytest.mark.parametrize("who", ["wrong password", "unknown user"])
def test_imap_refused_login_is_not_transient(mailbox: MailAccount, who: str) -> None:
    settings = mailbox.imap(Security.TLS)
    if who == "unknown user":
        settings = mailbox.server.settings("nobody-here@example.test", security=Security.TLS)
    inbox = ImapInbox(settings, "not the password", timeout=TIMEOUT)

    error = raises(inbox.connect, transient=False)

    assert f"login refused for {settings.user}" in error.reason


def test_imap_missing_folder_is_not_transient(mailbox: MailAccount) -> None:
    inbox = ImapInbox(mailbox.imap(), mailbox.password, folder="Support/Tickets", timeout=TIMEOUT)

    error = raises(inbox.connect, transient=False)

    assert "'Support/Tickets'" in error.reason
    assert not inbox.connected


def test_unprocessed_gives_the_exact_bytes_oldest_first_up_to_the_limit(
    inbox: ImapInbox,
) -> None:
    raws = [message(f"Message {n}") for n in range(3)]
    uids = [inbox.append(raw) for raw in raws]

    assert [(m.uid, m.raw) for m in inbox.unprocessed()] == list(zip(uids, raws, strict=True))
    assert [(m.uid, m.raw) for m in inbox.unprocessed(limit=2)] == list(
        zip(uids[:2], raws[:2], strict=True)
    )
    assert uids == sorted(uids)


def test_unprocessed_leaves_messages_unread_and_mark_processed_adds_only_the_keyword(
    inbox: ImapInbox, mailbox: MailAccount
) -> None:
    uid = inbox.append(message())
    assert uid is not None

    inbox.unprocessed()
    assert server_flags(mailbox, uid) == set()

    inbox.mark_processed(uid)
    assert server_flags(mailbox, uid) == {PROCESSED_KEYWORD.encode()}


def test_a_processed_message_is_no_longer_new_but_its_message_id_is_still_found(
    inbox: ImapInbox,
) -> None:
    uid = inbox.append(message(message_id="reply-1@example.test"))
    other = inbox.append(message())
    assert uid is not None and other is not None

    inbox.mark_processed(uid)

    assert [m.uid for m in inbox.unprocessed()] == [other]
    assert inbox.find_message_id("reply-1@example.test")
    assert inbox.find_message_id("<reply-1@example.test>")
    assert not inbox.find_message_id("reply-1@example")  # a prefix is another Message-ID
    assert not inbox.find_message_id("reply-2@example.test")


def test_uidvalidity_is_stable_across_reconnects(mailbox: MailAccount) -> None:
    inbox = ImapInbox(mailbox.imap(), mailbox.password, timeout=TIMEOUT)
    with inbox:
        uid = inbox.append(message())
        first = inbox.uidvalidity

    with inbox:
        assert inbox.uidvalidity == first
        assert [m.uid for m in inbox.unprocessed()] == [uid]


def test_wait_returns_soon_after_another_connection_adds_a_message(
    inbox: ImapInbox, mailbox: MailAccount
) -> None:
    def deliver_later() -> None:
        time.sleep(0.3)
        with ImapInbox(mailbox.imap(), mailbox.password, timeout=TIMEOUT) as other:
            other.append(message())

    courier = threading.Thread(target=deliver_later)
    began = time.monotonic()
    courier.start()
    try:
        assert inbox.wait(TIMEOUT) is True
        waited = time.monotonic() - began
    finally:
        courier.join()

    assert 0.25 < waited < 3.0
    assert len(inbox.unprocessed()) == 1


def test_wait_reports_a_message_that_came_before_it_began(
    inbox: ImapInbox, mailbox: MailAccount
) -> None:
    assert inbox.unprocessed() == []
    with ImapInbox(mailbox.imap(), mailbox.password, timeout=TIMEOUT) as other:
        other.append(message())

    began = time.monotonic()
    assert inbox.wait(TIMEOUT) is True
    assert time.monotonic() - began < 2.0


def test_wait_without_news_takes_the_whole_timeout_and_says_so(inbox: ImapInbox) -> None:
    began = time.monotonic()

    assert inbox.wait(0.6) is False

    assert 0.55 < time.monotonic() - began < 3.0
    inbox.noop()  # the connection is usable after IDLE


def test_wait_without_idle_sleeps_and_says_there_may_be_news(inbox: ImapInbox) -> None:
    inbox.supports_idle = False
    began = time.monotonic()

    assert inbox.wait(0.3) is True

    assert time.monotonic() - began >= 0.3


def test_calls_before_connect_fail_transiently(mailbox: MailAccount) -> None:
    inbox = ImapInbox(mailbox.imap(), mailbox.password)

    for call in (inbox.unprocessed, inbox.noop, lambda: inbox.wait(0.1)):
        error = raises(call, transient=True)
        assert "not connected" in error.reason
    inbox.close()  # never raises


def test_imap_server_down_is_transient_and_mail_survives_the_restart(
    own_dovecot: DovecotServer,
) -> None:
    account = own_dovecot.new_account()
    raw = message()
    inbox = ImapInbox(account.imap(), account.password, timeout=TIMEOUT)
    inbox.connect()
    uid = inbox.append(raw)
    uidvalidity = inbox.uidvalidity

    own_dovecot.stop()

    raises(inbox.noop, transient=True)
    assert not inbox.connected
    error = raises(inbox.connect, transient=True)
    assert "connection refused" in error.reason
    inbox.close()

    own_dovecot.start()

    with inbox:
        assert inbox.uidvalidity == uidvalidity
        assert [(m.uid, m.raw) for m in inbox.unprocessed()] == [(uid, raw)]


def test_a_server_going_away_during_wait_ends_it_with_a_transient_error(
    own_dovecot: DovecotServer,
) -> None:
    account = own_dovecot.new_account()
    stopper = threading.Timer(0.3, own_dovecot.stop)
    with ImapInbox(account.imap(), account.password, timeout=TIMEOUT) as inbox:
        began = time.monotonic()
        stopper.start()
        try:
            raises(lambda: inbox.wait(TIMEOUT), transient=True)
        finally:
            stopper.join()
        assert time.monotonic() - began < 3.0
        assert not inbox.connected


def test_a_silent_imap_server_times_out(silent_port: int) -> None:
    settings = ServerSettings("127.0.0.1", silent_port, Security.NONE, "support@example.test")
    inbox = ImapInbox(settings, "secret", timeout=0.5)
    began = time.monotonic()

    error = raises(inbox.connect, transient=True)

    assert time.monotonic() - began < 3.0
    assert "no answer within 0.5 s" in error.reason


def test_nothing_listening_is_transient() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    settings = ServerSettings("127.0.0.1", port, Security.TLS, "support@example.test")

    imap = raises(ImapInbox(settings, "secret", timeout=TIMEOUT).connect, transient=True)
    smtp = raises(SmtpSender(settings, "secret", timeout=TIMEOUT).check, transient=True)

    assert imap.reason == f"IMAP 127.0.0.1:{port}: connection refused"
    assert smtp.reason == f"SMTP 127.0.0.1:{port}: connection refused"


# ---------------------------------------------------------------------------------- SMTP


def sender_for(smtp_server: SmtpServer, account: MailAccount, security: Security) -> SmtpSender:
    return SmtpSender(
        smtp_server.settings(account.address, security=security), account.password, TIMEOUT
    )


@pytest.mark.parametrize("security", ALL_SECURITY, ids=lambda s: s.value)
def test_smtp_sends_with_each_security(
    smtp_server: SmtpServer, mailbox: MailAccount, security: Security
) -> None:
    raw = message()

    sender_for(smtp_server, mailbox, security).send(raw, mailbox.address, [CUSTOMER_ADDRESS])

    assert smtp_server.messages() == [
        SpooledMessage(
            sender=mailbox.address,
            recipients=(CUSTOMER_ADDRESS,),
            raw=raw,
            tls=security is not Security.NONE,
            login=mailbox.address,
        )
    ]


@pytest.mark.parametrize("security", ENCRYPTED, ids=lambda s: s.value)
def test_smtp_without_the_ca_file_the_certificate_is_not_trusted(
    smtp_server: SmtpServer, mailbox: MailAccount, security: Security
) -> None:
    settings = smtp_server.settings(mailbox.address, security=security, trusted=False)
    sender = SmtpSender(settings, mailbox.password, TIMEOUT)

    error = raises(
        lambda: sender.send(message(), mailbox.address, [CUSTOMER_ADDRESS]), transient=False
    )

    assert "certificate" in error.reason
    assert error.reason.startswith(f"SMTP 127.0.0.1:{settings.port}: ")
    assert smtp_server.messages() == []


def test_smtp_refused_login_is_not_transient(smtp_server: SmtpServer, mailbox: MailAccount) -> None:
    sender = SmtpSender(smtp_server.settings(mailbox.address), "not the password", TIMEOUT)

    error = raises(sender.check, transient=False)

    assert f"login refused for {mailbox.address}" in error.reason
    assert "535" in error.reason


def test_smtp_check_logs_in(smtp_server: SmtpServer, mailbox: MailAccount) -> None:
    sender_for(smtp_server, mailbox, Security.TLS).check()

    assert smtp_server.messages() == []


def test_without_a_login_the_server_refuses_the_sender_for_good(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    settings = ServerSettings(
        smtp_server.host, smtp_server.smtps_port, Security.TLS, user="", ca_file=smtp_server.ca_file
    )

    error = raises(
        lambda: SmtpSender(settings, "", TIMEOUT).send(
            message(), mailbox.address, [CUSTOMER_ADDRESS]
        ),
        transient=False,
    )

    assert "530" in error.reason


def test_mail_to_the_team_address_arrives_in_its_imap_inbox(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    raw = message()

    SmtpSender(smtp_server.settings(CUSTOMER_ADDRESS), CUSTOMER_PASSWORD, TIMEOUT).send(
        raw, CUSTOMER_ADDRESS, [mailbox.address, "someone@elsewhere.test"]
    )

    with ImapInbox(mailbox.imap(), mailbox.password, timeout=TIMEOUT) as inbox:
        [(_, _, delivered)] = inbox.unprocessed()
    assert delivered.endswith(raw)  # after Dovecot's Return-Path, Delivered-To, Received
    assert f"Delivered-To: {mailbox.address}".encode() in delivered
    [spooled] = smtp_server.messages()
    assert spooled.recipients == (mailbox.address, "someone@elsewhere.test")
    assert spooled.raw == raw


def test_a_temporary_failure_is_transient_and_only_for_the_next_message(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    sender = sender_for(smtp_server, mailbox, Security.STARTTLS)
    first, second = message("first"), message("second")
    smtp_server.fail_next(1)

    error = raises(lambda: sender.send(first, mailbox.address, [CUSTOMER_ADDRESS]), transient=True)
    sender.send(second, mailbox.address, [CUSTOMER_ADDRESS])

    assert "451" in error.reason and "message refused" in error.reason
    assert [m.raw for m in smtp_server.messages()] == [second]


def test_a_permanent_failure_is_not_transient(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    smtp_server.fail_next(1, code=554)
    sender = sender_for(smtp_server, mailbox, Security.TLS)

    error = raises(
        lambda: sender.send(message(), mailbox.address, [CUSTOMER_ADDRESS]), transient=False
    )

    assert "554" in error.reason


@pytest.mark.parametrize(("code", "transient"), [(550, False), (450, True)])
def test_a_refused_recipient_is_transient_only_for_a_4xx_reply(
    smtp_server: SmtpServer, mailbox: MailAccount, code: int, transient: bool
) -> None:
    smtp_server.refuse("gone@customer.test", code)
    sender = sender_for(smtp_server, mailbox, Security.TLS)

    error = raises(
        lambda: sender.send(message(), mailbox.address, ["gone@customer.test"]), transient=transient
    )

    assert list(error.refused) == ["gone@customer.test"]
    assert error.refused["gone@customer.test"][0] == code
    assert "gone@customer.test" in error.reason
    assert smtp_server.messages() == []


def test_a_partly_refused_message_goes_to_the_others_and_names_the_refused(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    smtp_server.refuse("gone@customer.test", 550)
    sender = sender_for(smtp_server, mailbox, Security.TLS)

    error = raises(
        lambda: sender.send(message(), mailbox.address, ["gone@customer.test", CUSTOMER_ADDRESS]),
        transient=False,
    )

    assert list(error.refused) == ["gone@customer.test"]
    assert f"sent to {CUSTOMER_ADDRESS}" in error.reason
    [spooled] = smtp_server.messages()
    assert spooled.recipients == (CUSTOMER_ADDRESS,)


def test_an_unknown_local_recipient_is_refused_for_good(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    sender = sender_for(smtp_server, mailbox, Security.TLS)

    error = raises(
        lambda: sender.send(message(), mailbox.address, ["nobody-here@example.test"]),
        transient=False,
    )

    assert error.refused["nobody-here@example.test"][0] == 550


def test_no_recipients_is_an_error(smtp_server: SmtpServer, mailbox: MailAccount) -> None:
    sender = sender_for(smtp_server, mailbox, Security.TLS)

    raises(lambda: sender.send(message(), mailbox.address, []), transient=False)


def test_smtp_server_down_is_transient_and_sending_works_after_the_restart(
    smtp_server: SmtpServer, mailbox: MailAccount
) -> None:
    sender = sender_for(smtp_server, mailbox, Security.STARTTLS)
    raw = message()

    smtp_server.stop()
    error = raises(lambda: sender.send(raw, mailbox.address, [CUSTOMER_ADDRESS]), transient=True)
    smtp_server.start()
    sender.send(raw, mailbox.address, [CUSTOMER_ADDRESS])

    assert "connection refused" in error.reason
    assert [m.raw for m in smtp_server.messages()] == [raw]


def test_a_silent_smtp_server_times_out(silent_port: int) -> None:
    settings = ServerSettings("127.0.0.1", silent_port, Security.STARTTLS, "support@example.test")
    began = time.monotonic()

    error = raises(SmtpSender(settings, "secret", timeout=0.5).check, transient=True)

    assert time.monotonic() - began < 3.0
    assert "no answer within 0.5 s" in error.reason
