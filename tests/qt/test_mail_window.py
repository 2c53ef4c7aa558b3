"""The mail channel in the window, on a SQLite demo database: the status bar's mail line
follows the outbox and Triage, a reply's delivery shows in the conversation (sent, or not
delivered and why), a lead sets the team mailbox (an agent only looks), Triage lists what
waits and a lead discards a message or names its sender's customer, and the console runs the
mail worker of one person's database while its window is open."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters import mail_secrets
from console.adapters.mail_secrets import MailSecretError
from console.adapters.sql import SqlUnitOfWork
from console.domain.mail import (
    MailboxSettings,
    OutboxState,
    Outcome,
    Security,
    ServerSettings,
    StoredMail,
)
from console.domain.model import Channel, Role, Status, Ticket
from console.domain.policy import load_policies
from console.qt.conversation import MessageCard
from console.qt.detail_widgets import StateColours
from console.qt.dispatcher import FeedUpdate
from console.qt.mail_settings import MailSettingsDialog, Secrets
from console.qt.triage_view import ContactDialog, TriageDialog, TriageTableModel, message_text
from console.services import commands as c
from console.services.conversation import Delivery
from console.services.handlers import handle
from console.services.mail_views import MailStateView
from console.services.tickets import PolicyBook
from console.services.views import Agents
from consoles import Console, demo_database, fire
from mailservers import MailAccount, SmtpServer

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
BOOK = PolicyBook(load_policies())
TEAM = "support@example.com"
STRANGER = "maria@unknown-shop.example"

HTML_MAIL = (
    f"From: Maria Stone <{STRANGER}>\r\n"
    f"To: {TEAM}\r\n"
    "Subject: Checkout broken\r\n"
    "Date: Fri, 20 Nov 2026 13:55:00 +0000\r\n"
    "Message-ID: <first@unknown-shop.example>\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/html; charset="utf-8"\r\n'
    "\r\n"
    "<html><head><style>p { color: red }</style><script>alert('x')</script></head>"
    "<body><p>Our <b>checkout</b> fails since noon.</p><p>Please help.</p></body></html>\r\n"
).encode()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mail")
    demo_database(folder, tickets=120, seed=21)
    return folder / "console.sqlite3"


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the module's demo database of its own for each test."""
    copy = tmp_path / "console.sqlite3"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(NOW)


@pytest.fixture
def consoles() -> Iterator[list[Console]]:
    made: list[Console] = []
    yield made
    for console in made:
        console.close()


@pytest.fixture(autouse=True)
def no_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """No password is found (and no keyring asked) unless a test gives one."""

    def nowhere(which: str, server: ServerSettings) -> str:
        raise MailSecretError(f"no {which.upper()} password in this test")

    monkeypatch.setattr("console.qt.mail_status.password", nowhere)
    monkeypatch.setattr("console.qt.mail_settings.password", nowhere)
    monkeypatch.setattr("console.qt.mail_settings.store_password", nowhere)


class Keyring:
    """Passwords kept by the dialog, as a keyring would, or refused (``broken``)."""

    def __init__(self, *, broken: bool = False) -> None:
        self.kept: dict[tuple[str, str], str] = {}
        self.broken = broken

    def store(self, which: str, server: ServerSettings, secret: str) -> None:
        if self.broken:
            raise MailSecretError("this machine's keyring cannot keep the password (locked)")
        self.kept[(which, f"{server.user}@{server.host}:{server.port}")] = secret

    def lookup(self, which: str, server: ServerSettings) -> str:
        found = self.kept.get((which, f"{server.user}@{server.host}:{server.port}"))
        if found is None:
            raise MailSecretError(f"no {which.upper()} password kept")
        return found

    @property
    def secrets(self) -> Secrets:
        return Secrets(self.store, self.lookup)


# --------------------------------------------------------------------------- helpers


def team_mailbox(port: int = 993, smtp_port: int = 465, **changes: Any) -> MailboxSettings:
    values: dict[str, Any] = {
        "address": TEAM,
        "imap": ServerSettings("127.0.0.1", port, Security.TLS, TEAM),
        "smtp": ServerSettings("127.0.0.1", smtp_port, Security.TLS, TEAM),
        **changes,
    }
    return MailboxSettings(**values)


def configure(console: Console, settings: MailboxSettings, version: int = 0) -> None:
    with SqlUnitOfWork(console.database) as uow:
        uow.mail.configure(settings, version)
        uow.commit()


def stored_settings(console: Console) -> MailboxSettings | None:
    with SqlUnitOfWork(console.database, write=False) as uow:
        return uow.mail.settings()[0]


def person(console: Console, role: Role) -> str:
    agents = Agents().run(SqlUnitOfWork(console.database, write=False), BOOK)
    return next(a.name for a in agents if a.role is role)


def open_console(
    qtbot: QtBot, url: str, clock: FakeTime, consoles: list[Console], role: Role = Role.AGENT
) -> Console:
    first = Console(qtbot, url, clock)
    if role is not Role.AGENT or first.window.agents[first.me].role is not Role.AGENT:
        me = person(first, role)
        first.close()
        first = Console(qtbot, url, clock, me=me)
    consoles.append(first)
    return first


def mail_label(console: Console) -> QLabel:
    label = console.window.statusBar().findChild(QLabel, "mailStatusLabel")
    assert label is not None
    return label


def read_mail_state(console: Console, timer: str = "mailStateRefresh") -> str:
    fire(console.window, timer)
    console.settle()
    return mail_label(console).text()


def an_open_ticket(console: Console) -> Ticket:
    row = next(r for r in console.window.model.rows if r.ticket.status is Status.OPEN)
    return ticket(console, row.key)


def ticket(console: Console, key: str) -> Ticket:
    with SqlUnitOfWork(console.database, write=False) as uow:
        return uow.tickets.get(key)


def reply_by_email(console: Console, clock: FakeTime, key: str, text: str) -> None:
    clock.now += timedelta(minutes=1)
    handle(
        c.RecordResponse(key, ticket(console, key).version, text, Channel.EMAIL),
        SqlUnitOfWork(console.database, now=clock),
        BOOK,
        console.me,
    )


def step_outbox(console: Console, text: str, **values: Any) -> None:
    """Move the outbox row of the reply saying ``text`` on, as the mail worker would."""
    with SqlUnitOfWork(console.database) as uow:
        found = [
            entry
            for entry in uow.mail.outbox()
            if uow.mail.event_text(entry.event_id)[1].get("text") == text
        ]
        assert len(found) == 1, found
        uow.mail.step_outbox(found[0], **values)
        uow.commit()


def add_waiting(console: Console, raw: bytes = HTML_MAIL, **changes: Any) -> int:
    values: dict[str, Any] = {
        "message_id": "first@unknown-shop.example",
        "folder": "INBOX",
        "uidvalidity": 7,
        "uid": 41,
        "received_at": NOW - timedelta(minutes=35),
        "sender": STRANGER,
        "subject": "Checkout broken",
        "outcome": Outcome.TRIAGE,
        "reason": f"no customer is known for {STRANGER}",
        "attachments": ["screenshot.png (48 KB)"],
        "raw": raw,
        **changes,
    }
    with SqlUnitOfWork(console.database) as uow:
        new_id = uow.mail.add_message(**values)
        uow.commit()
    return new_id


def waiting(console: Console) -> list[StoredMail]:
    with SqlUnitOfWork(console.database, write=False) as uow:
        return uow.mail.waiting()


def open_ticket(console: Console, key: str) -> None:
    console.window.table.clearSelection()
    assert console.window.select_key(key)
    console.settle()
    assert console.window.detail is not None and console.window.detail.row.key == key


def cards(console: Console) -> list[MessageCard]:
    view = console.window.detail_pane.conversation
    return [w for w in view.entry_widgets() if isinstance(w, MessageCard)]


def closed_port() -> int:
    """A port of this machine where nothing listens (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- the mail line


def test_the_mail_line_follows_the_outbox(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    """Given a team mailbox without a worker, when a reply by e-mail is queued the line
    counts it in the outbox; when the worker gives up on it, the line counts it failed and
    stays in the alarm colour."""
    console = open_console(qtbot, demo_url, clock, consoles)
    label = mail_label(console)
    assert label.isVisibleTo(console.window) and label.text() == "Mail: not set up"
    configure(console, team_mailbox())
    assert read_mail_state(console) == "Mail: no worker"
    assert label.property("tone") == "problem"  # nobody serves the mailbox
    assert "no IMAP password in this test" in label.toolTip()

    key = an_open_ticket(console).key
    reply_by_email(console, clock, key, "We are on it.")
    assert read_mail_state(console) == "Mail: no worker · outbox 1"

    step_outbox(console, "We are on it.", state=OutboxState.FAILED, last_error="550 no such user")
    # The change feed says a ticket changed: the line is read again soon.
    console.window.apply_feed(FeedUpdate(entities=frozenset({"ticket"})))
    assert read_mail_state(console, "mailStateSoon") == "Mail: no worker · 1 failed"
    assert "1 not delivered" in label.toolTip()


def test_a_database_without_mail_shows_no_line(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    """What MailState answers for a store that keeps no mail (the fake one)."""
    console = open_console(qtbot, demo_url, clock, consoles)
    assert mail_label(console).isVisibleTo(console.window)
    console.window.mail.show_state(MailStateView(False, "", "", False, 0, 0, 0))
    assert not mail_label(console).isVisibleTo(console.window)
    action = console.window.findChild(QAction, "action_mail_settings")
    assert action is not None and not action.isVisible()


# --------------------------------------------------------------------------- the conversation


def test_the_conversation_shows_what_became_of_replies_by_email(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    console.window.resize(1500, 900)
    key = an_open_ticket(console).key
    reply_by_email(console, clock, key, "The fix is deployed.")
    reply_by_email(console, clock, key, "Can you confirm it works?")
    reply_by_email(console, clock, key, "We will call you.")
    step_outbox(
        console,
        "The fix is deployed.",
        state=OutboxState.SENT,
        sent_at=clock.now,
        recipients=["ops@customer.example"],
    )
    step_outbox(
        console,
        "Can you confirm it works?",
        state=OutboxState.FAILED,
        last_error="550 5.1.1 <ops@customer.example>: mailbox unavailable",
    )
    open_ticket(console, key)

    sent, failed, queued = cards(console)[-3:]
    assert sent.message.delivery is Delivery.SENT
    said = sent.text().split("\n")
    assert said[1] == "The fix is deployed." and said[-1] == "✓ Sent by e-mail"
    assert sent.mark.toolTip().startswith("sent ") and "ops@customer.example" in sent.mark.toolTip()
    assert not sent.delivery_note.isVisibleTo(sent)

    assert failed.message.delivery is Delivery.FAILED
    assert failed.mark.text() == "Not delivered"
    assert failed.delivery_note.isVisibleTo(failed)
    assert failed.delivery_note.text() == (
        "Why: 550 5.1.1 <ops@customer.example>: mailbox unavailable"
    )
    assert "mailbox unavailable" in failed.mark.toolTip()
    alarm = StateColours.of(failed.palette()).breached
    assert failed.mark.palette().color(failed.mark.foregroundRole()) == alarm

    assert queued.mark.text() == "Waiting to be sent"
    assert "mail worker sends it" in queued.mark.toolTip()


def test_the_history_a_mail_quoted_is_folded_away_until_asked_for(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    key = an_open_ticket(console).key
    clock.now += timedelta(minutes=1)
    said = c.RecordCustomerMessage(
        key, ticket(console, key).version, "It still fails.", Channel.EMAIL
    )
    handle(said, SqlUnitOfWork(console.database, now=clock), BOOK, console.me)
    raw = (
        f"From: {STRANGER}\r\nTo: {TEAM}\r\nSubject: Re: [{key}] Checkout\r\n"
        "Message-ID: <again@unknown-shop.example>\r\n\r\n"
        "It still fails.\r\n\r\nOn Fri, Support wrote:\r\n> We deployed a fix.\r\n"
    ).encode()
    with SqlUnitOfWork(console.database, write=False) as uow:
        event_id = uow.mail.last_event_id(key)
    add_waiting(console, raw, outcome=Outcome.MESSAGE, ticket=key, event_id=event_id, reason="")
    open_ticket(console, key)

    card = cards(console)[-1]
    assert card.message.text == "It still fails."
    assert card.quote_toggle.isVisibleTo(card) and not card.quoted.isVisibleTo(card)
    qtbot.mouseClick(card.quote_toggle, Qt.MouseButton.LeftButton)
    assert card.quoted.isVisibleTo(card) and "We deployed a fix." in card.quoted.text()
    assert not cards(console)[0].quote_toggle.isVisibleTo(cards(console)[0])


def test_the_composer_sends_by_email_where_the_database_keeps_mail(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    composer = console.window.detail_pane.composer
    open_ticket(console, an_open_ticket(console).key)
    email = composer.channel.findData(Channel.EMAIL.value)
    assert composer.channel.itemText(email) == "Send by e-mail"
    composer.channel.setCurrentIndex(email)
    assert composer.send_button.text() == "Send"
    assert "until a lead sets up the team mailbox" in composer.hint.text()
    configure(console, team_mailbox())
    read_mail_state(console)
    assert composer.hint.text().startswith("Sent by e-mail from the team mailbox")


def test_a_reply_goes_back_by_the_channel_the_customer_wrote_by(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    composer = console.window.detail_pane.composer
    by_mail, by_phone = [r.key for r in console.window.model.rows if r.ticket.is_open][:2]
    for key, channel in ((by_mail, Channel.EMAIL), (by_phone, Channel.PHONE)):
        clock.now += timedelta(minutes=1)
        handle(
            c.RecordCustomerMessage(key, ticket(console, key).version, "Still broken", channel),
            SqlUnitOfWork(console.database, now=clock),
            BOOK,
            console.me,
        )
    open_ticket(console, by_mail)
    assert composer.chosen_channel is Channel.EMAIL
    open_ticket(console, by_phone)
    assert composer.chosen_channel is None  # written here: the agent calls back or writes
    composer.channel.setCurrentIndex(composer.channel.findData(Channel.PHONE.value))
    composer.text.setPlainText("Called: they restart the service")
    open_ticket(console, by_mail)
    open_ticket(console, by_phone)
    assert composer.chosen_channel is Channel.PHONE  # a draft keeps what was chosen


# --------------------------------------------------------------------------- the settings


def open_settings(console: Console, keyring: Keyring) -> MailSettingsDialog:
    console.window.mail.secrets = keyring.secrets
    action = console.window.findChild(QAction, "action_mail_settings")
    assert action is not None and action.isVisible()
    action.trigger()
    dialog = console.window.mail.settings_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def retype(qtbot: QtBot, field: Any, text: str) -> None:
    field.selectAll()
    field.clear()
    qtbot.keyClicks(field, text)


def test_a_lead_sets_the_team_mailbox_and_its_passwords_are_kept(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    keyring = Keyring()
    dialog = open_settings(console, keyring)
    imap, smtp = dialog.servers["imap"], dialog.servers["smtp"]
    assert not dialog.save_button.isEnabled()
    assert dialog.problem.text().startswith("Address: '' is not a mail address")

    qtbot.keyClicks(dialog.address, "support@")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.address, "example.com")
    assert dialog.problem.text().startswith("IMAP host:")
    assert dialog.labels[imap.host].font().bold()  # the field to look at
    qtbot.keyClicks(imap.host, "imap.example.com")
    qtbot.keyClicks(smtp.host, "smtp.example.com")
    assert dialog.save_button.isEnabled() and dialog.problem.isHidden()

    # The port follows the security until someone types one.
    assert (imap.port.value(), smtp.port.value()) == (993, 465)
    smtp.security.setCurrentIndex(smtp.security.findData(Security.STARTTLS.value))
    assert smtp.port.value() == 587
    retype(qtbot, imap.port.lineEdit(), "1993")
    imap.security.setCurrentIndex(imap.security.findData(Security.STARTTLS.value))
    assert imap.port.value() == 1993

    qtbot.keyClicks(imap.password, "imap-secret")
    qtbot.keyClicks(smtp.password, "smtp-secret")
    dialog.acknowledge["zitadel"].setChecked(True)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    console.settle()

    assert closed == [QDialog.DialogCode.Accepted.value]
    saved = stored_settings(console)
    assert saved is not None and saved.version == 1
    assert saved.address == "support@example.com"
    assert saved.imap == ServerSettings(
        "imap.example.com", 1993, Security.STARTTLS, "support@example.com"
    )
    assert saved.smtp == ServerSettings(
        "smtp.example.com", 587, Security.STARTTLS, "support@example.com"
    )
    assert saved.acknowledge == frozenset({"zitadel"})
    assert keyring.kept == {
        ("imap", "support@example.com@imap.example.com:1993"): "imap-secret",
        ("smtp", "support@example.com@smtp.example.com:587"): "smtp-secret",
    }
    assert mail_label(console).text() == "Mail: no worker"


def test_a_password_the_keyring_refuses_is_said_and_the_settings_are_saved(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    configure(console, team_mailbox())
    read_mail_state(console)
    dialog = open_settings(console, Keyring(broken=True))
    assert dialog.servers["imap"].password.text() == ""  # never shown back
    assert "keep the stored one" in dialog.servers["imap"].password.placeholderText()
    retype(qtbot, dialog.display_name, "Acme Support")
    qtbot.keyClicks(dialog.servers["smtp"].password, "smtp-secret")
    dialog.save()
    console.settle()

    saved = stored_settings(console)
    assert saved is not None and saved.display_name == "Acme Support" and saved.version == 2
    assert dialog.isVisible()
    assert dialog.status.text().startswith("Settings saved, but a password was not kept: ")
    # Only the typed password was to be kept: an empty field keeps the stored one.
    assert dialog.status.text().count("keyring cannot keep") == 1


def test_a_lead_who_saved_meanwhile_is_not_overwritten(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    configure(console, team_mailbox())
    read_mail_state(console)
    dialog = open_settings(console, Keyring())
    configure(console, team_mailbox(display_name="Theirs"), version=1)  # another lead, meanwhile
    retype(qtbot, dialog.display_name, "Mine")
    dialog.save()
    console.settle()

    saved = stored_settings(console)
    assert saved is not None and saved.display_name == "Theirs"
    assert dialog.status.text().startswith("Not saved: another lead changed the team mailbox")
    assert dialog.reload_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    console.settle()
    assert dialog.display_name.text() == "Theirs" and dialog.version == 2


def test_an_agent_sees_the_mailbox_read_only(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    configure(console, team_mailbox())
    read_mail_state(console)
    qtbot.mouseClick(mail_label(console), Qt.MouseButton.LeftButton)  # nothing waits
    dialog = console.window.mail.settings_dialog
    assert dialog is not None and not dialog.can_edit
    assert dialog.address.text() == TEAM and dialog.address.isReadOnly()
    assert dialog.servers["imap"].password.isReadOnly()
    assert not dialog.servers["imap"].security.isEnabled()
    assert not dialog.acknowledge["zitadel"].isEnabled()
    assert dialog.readonly_note.isVisibleTo(dialog) and dialog.save_button.isHidden()
    dialog.save()
    console.settle()
    saved = stored_settings(console)
    assert saved is not None and saved.version == 1
    # The command itself is refused to an agent as well.
    failures: list[Any] = []
    pending = console.dispatcher.send(c.ConfigureMailbox(team_mailbox(display_name="Mine"), 1))
    pending.failed.connect(failures.append)
    console.settle()
    assert failures and "lead" in failures[0].message


def test_test_connection_says_per_server_what_happened(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    port = closed_port()
    configure(console, team_mailbox(port, port))
    read_mail_state(console)
    dialog = open_settings(console, Keyring())
    qtbot.keyClicks(dialog.servers["imap"].password, "typed")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.testing(), timeout=20_000)
    imap, smtp = (dialog.test_results[w].text() for w in ("imap", "smtp"))
    assert imap.startswith("✗ ") and "password" not in imap  # the typed one was tried
    assert smtp.startswith("✗ No password: type it above")


# --------------------------------------------------------------------------- triage


def test_triage_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = TriageTableModel(UTC)
    qtmodeltester.check(model)
    message = StoredMail(1, "m@x", NOW, STRANGER, "Hello", Outcome.TRIAGE, attachments=("a",))
    model.set_rows([message, StoredMail(2, "n@x", NOW, "", "", Outcome.ASIDE, "unreadable")])
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [m.id for m in model.rows] == [1, 2]


def test_a_message_reads_as_plain_text_never_as_html() -> None:
    text = message_text(HTML_MAIL, ZoneInfo("Europe/Zurich"))
    head, body = text.split("\n\n", 1)
    assert head == (
        f"From: Maria Stone <{STRANGER}>\nTo: {TEAM}\n"
        "Date: Fri 20 Nov 2026 14:55 CET\nSubject: Checkout broken"
    )
    assert body.startswith("Our checkout fails since noon.\n\nPlease help.")
    assert "<" not in body and "alert" not in body and "color" not in body
    assert message_text(None, UTC).startswith("The message itself was not kept")
    unreadable = message_text(b"Subject: who?\r\n\r\nno sender", UTC)
    assert unreadable.startswith("The message cannot be read (no From address). Its source:")


def open_triage(console: Console) -> TriageDialog:
    read_mail_state(console)
    label = mail_label(console)
    assert label.text().endswith("triage 1")
    console.qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    console.settle()
    dialog = console.window.mail.triage_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_lead_reads_and_discards_a_waiting_message(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    configure(console, team_mailbox())
    add_waiting(console)
    action = console.window.findChild(QAction, "action_triage")
    dialog = open_triage(console)
    assert action is not None and action.text() == "Triage (1)…"
    assert dialog.model.rowCount() == 1 and dialog.windowTitle() == "Triage (1)"
    row = [dialog.model.index(0, col).data() for col in range(5)]
    assert row[1:] == [
        STRANGER,
        "Checkout broken",
        f"no customer is known for {STRANGER}",
        "screenshot.png (48 KB)",
    ]
    assert "Our checkout fails since noon." in dialog.text.toPlainText()

    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    console.settle()
    assert waiting(console) == [] and dialog.model.rowCount() == 0
    assert dialog.status.text() == "Discarded: Checkout broken"
    assert action.text() == "Triage (0)…"


def test_a_lead_names_the_customer_of_a_senders_domain(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    configure(console, team_mailbox())
    add_waiting(console)
    dialog = open_triage(console)
    assert dialog.view is not None
    customer = dialog.view.customers[3]
    contact = dialog.name_customer()
    assert isinstance(contact, ContactDialog)
    assert not contact.ok_button.isEnabled()
    contact.customer.setCurrentText(customer)
    contact.domain_choice.setChecked(True)
    assert contact.domain_choice.text() == "Everyone at @unknown-shop.example"
    qtbot.mouseClick(contact.ok_button, Qt.MouseButton.LeftButton)
    console.settle()

    with SqlUnitOfWork(console.database, write=False) as uow:
        assert uow.mail.contacts() == {"@unknown-shop.example": customer}
    assert dialog.status.text().startswith(f"@unknown-shop.example now names {customer}")
    assert len(waiting(console)) == 1  # until the mail worker's next round


def test_an_agent_sees_triage_read_only(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    configure(console, team_mailbox())
    add_waiting(console)
    dialog = open_triage(console)
    assert dialog.model.rowCount() == 1 and dialog.readonly_note.isVisibleTo(dialog)
    assert not dialog.discard_button.isEnabled() and not dialog.name_button.isEnabled()
    dialog.discard()
    console.settle()
    assert len(waiting(console)) == 1


# --------------------------------------------------------------------------- the worker


def mail_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "console-mail"]


@pytest.mark.allow_log("mail worker")
def test_the_console_runs_the_mail_worker_while_its_window_is_open(
    qtbot: QtBot,
    demo_url: str,
    clock: FakeTime,
    consoles: list[Console],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given a mailbox at ports where nothing listens and both passwords in the
    environment, the window starts the mail worker, which reports that it cannot connect and
    keeps trying; closing the window stops it."""
    monkeypatch.setattr("console.qt.mail_status.password", mail_secrets.password)
    monkeypatch.setenv("SUPPORT_CONSOLE_IMAP_PASSWORD", "imap-secret")
    monkeypatch.setenv("SUPPORT_CONSOLE_SMTP_PASSWORD", "smtp-secret")
    port = closed_port()
    console = open_console(qtbot, demo_url, clock, consoles)
    configure(console, team_mailbox(port, port, poll_seconds=5))
    read_mail_state(console)
    worker = console.window.mail.worker
    assert worker.running and len(mail_threads()) == 1

    def reported() -> bool:
        with SqlUnitOfWork(console.database, write=False) as uow:
            return bool(uow.mail.worker().last_error)

    qtbot.waitUntil(reported, timeout=20_000)
    assert worker.running  # it keeps trying
    label = mail_label(console)
    assert read_mail_state(console).startswith("Mail: not connected")
    assert "This console runs the mail worker" in label.toolTip()

    console.window.close()
    assert not worker.running and mail_threads() == []


def test_without_a_password_the_console_says_why_it_runs_no_worker(
    qtbot: QtBot, demo_url: str, clock: FakeTime, consoles: list[Console]
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles)
    configure(console, team_mailbox())
    read_mail_state(console)
    assert mail_threads() == []
    tip = mail_label(console).toolTip()
    assert "This console does not run the mail worker: no IMAP password in this test" in tip


# --------------------------------------------------------------------------- real servers


def served_mailbox(mailbox: MailAccount, smtp_server: SmtpServer) -> MailboxSettings:
    return MailboxSettings(
        address=mailbox.address,
        imap=mailbox.imap(Security.TLS),
        smtp=smtp_server.settings(mailbox.address, mailbox.password, Security.STARTTLS),
    )


def test_test_connection_logs_in_to_both_servers(
    qtbot: QtBot,
    demo_url: str,
    clock: FakeTime,
    consoles: list[Console],
    mailbox: MailAccount,
    smtp_server: SmtpServer,
) -> None:
    console = open_console(qtbot, demo_url, clock, consoles, Role.LEAD)
    configure(console, served_mailbox(mailbox, smtp_server))
    read_mail_state(console)
    dialog = open_settings(console, Keyring())
    assert dialog.ca_file.text() == mailbox.server.ca_file
    for which in ("imap", "smtp"):
        qtbot.keyClicks(dialog.servers[which].password, mailbox.password)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.testing() and not dialog.test_button.isEnabled()  # the dialog goes on
    qtbot.waitUntil(lambda: not dialog.testing(), timeout=30_000)
    imap, smtp = (dialog.test_results[w].text() for w in ("imap", "smtp"))
    assert imap == f"✓ Logged in to 127.0.0.1:{mailbox.imap().port}, INBOX opened", imap
    assert smtp.startswith("✓ Logged in to 127.0.0.1:"), smtp

    dialog.servers["smtp"].password.setText("wrong")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.testing(), timeout=30_000)
    assert dialog.test_results["smtp"].text().startswith("✗ SMTP 127.0.0.1:")


def test_the_consoles_mail_worker_connects_and_the_line_says_so(
    qtbot: QtBot,
    demo_url: str,
    clock: FakeTime,
    consoles: list[Console],
    monkeypatch: pytest.MonkeyPatch,
    mailbox: MailAccount,
    smtp_server: SmtpServer,
) -> None:
    monkeypatch.setattr("console.qt.mail_status.password", mail_secrets.password)
    monkeypatch.setenv("SUPPORT_CONSOLE_IMAP_PASSWORD", mailbox.password)
    monkeypatch.setenv("SUPPORT_CONSOLE_SMTP_PASSWORD", mailbox.password)
    console = open_console(qtbot, demo_url, clock, consoles)
    configure(console, served_mailbox(mailbox, smtp_server))
    read_mail_state(console)
    assert console.window.mail.worker.running

    def connected() -> bool:
        with SqlUnitOfWork(console.database, write=False) as uow:
            return uow.mail.worker().connected

    qtbot.waitUntil(connected, timeout=30_000)
    assert read_mail_state(console) == "Mail: connected"
    assert not mail_label(console).property("tone")
    console.window.close()
    assert mail_threads() == []
