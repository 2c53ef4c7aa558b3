"""Ticket ▸ New, driven with keys and clicks on a demo database: a phoned-in ticket reaches a
second console at its place in the queue, the dialog refuses what the rules refuse (and
says why), Ctrl+N opens it, Esc writes nothing, and a key taken meanwhile is retried.
How the next key is chosen is checked on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QDateTimeEdit, QWidget
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Channel, Customer, EventKind, Status, Ticket
from console.qt.dispatcher import Pending
from console.qt.new_ticket import OPEN_TEXT, NewTicketDialog
from console.services.commands import Command, OpenTicket
from console.services.handlers import handle
from console.services.views import (
    CustomerChoice,
    NewTicketChoices,
    NewTicketChoicesView,
    QueueRows,
    mail_domain,
    next_ticket_keys,
)
from consoles import Console, demo_database, settle
from dialog_backend import Backend

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # 15:30 in Zurich
ZURICH = ZoneInfo("Europe/Zurich")
TITLE = "Production site returns 503 from the edge"
SAID = "Every page of the shop answers 503 since 15:05; the deploy at 14:40 looked fine."


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return demo_database(tmp_path, tickets=200, seed=21)


@pytest.fixture
def consoles() -> Iterator[list[Console]]:
    made: list[Console] = []
    yield made
    for console in made:
        console.close()


@pytest.fixture
def backend(qtbot: QtBot, demo_url: str) -> Iterator[Backend]:
    made = Backend(demo_url, FakeTime(NOW), actor="ana.ortiz")
    yield made
    made.close()


# --------------------------------------------------------------------------- helpers


def choices(backend: Backend) -> NewTicketChoicesView:
    return backend.read(NewTicketChoices())


def findable_by_domain(view: NewTicketChoicesView, policy_id: str, plan: str) -> tuple[Any, str]:
    """A customer of ``policy_id``'s ``plan`` and a part of its mail domain that no other
    customer's name or domain holds, and its own name does not either."""
    for customer in view.customers:
        if (customer.policy_id, customer.plan) != (policy_id, plan):
            continue
        part = customer.domain.split(".")[0][:-2]  # "kestrel-moto" of kestrel-motors.example.com
        others = [c for c in view.customers if c.matches(part)]
        if others == [customer] and part not in customer.name.casefold():
            return customer, part
    raise AssertionError(f"no {policy_id} {plan} customer to find by its domain alone")


def new_dialog(qtbot: QtBot, backend: Backend, clock: FakeTime | None = None) -> NewTicketDialog:
    dialog = NewTicketDialog(
        backend.dispatcher,
        zone=ZURICH,
        now=clock or backend.clock,
        me="ana.ortiz",
        me_name="Ana Ortiz",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot, backend.dispatcher)
    return dialog


def child(dialog: QWidget, kind: type[Any], name: str) -> Any:
    found = dialog.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name!r}"
    return found


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose_customer(qtbot: QtBot, dialog: NewTicketDialog, typed: str, label: str) -> None:
    """Type ``typed`` in the customer field and pick ``label`` from the list it offers."""
    field = child(dialog, QWidget, "customerSearch")
    click(qtbot, field)
    qtbot.keyClicks(field, typed)
    popup = dialog.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert label in shown, shown
    for _ in range(shown.index(label) + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.customer_edit.text() == label


def type_submitted(qtbot: QtBot, dialog: NewTicketDialog, section: Any, digits: str) -> None:
    """Type ``digits`` over one section of the submitted time (day, hour, minute)."""
    edit = child(dialog, QDateTimeEdit, "submittedAt")
    edit.setFocus()
    edit.setSelectedSection(section)
    qtbot.keyClicks(edit, digits)


def fill(qtbot: QtBot, dialog: NewTicketDialog, customer: CustomerChoice, typed: str) -> None:
    """A phoned-in Sev 1: the customer found by ``typed``, severity 1, channel phone, the
    title and the customer's words, submitted at 15:10 Zurich (20 minutes before now)."""
    choose_customer(qtbot, dialog, typed, customer.label)
    click(qtbot, child(dialog, QAbstractButton, "severity_1"))
    channel = child(dialog, QWidget, "channel")
    channel.setFocus()
    qtbot.keyClicks(channel, "Phone")
    qtbot.keyClicks(child(dialog, QWidget, "ticketTitle"), TITLE)
    qtbot.keyClicks(child(dialog, QWidget, "description"), SAID)
    click(qtbot, child(dialog, QAbstractButton, "submittedEarlier"))
    type_submitted(qtbot, dialog, QDateTimeEdit.Section.MinuteSection, "10")


def open_button(dialog: NewTicketDialog) -> QAbstractButton:
    button: QAbstractButton = child(dialog, QAbstractButton, "openTicket")
    assert button.text() == OPEN_TEXT
    return button


def count_tickets(backend: Backend) -> int:
    with SqlUnitOfWork(backend.database, write=False) as uow:
        return uow.tickets.count()


# --------------------------------------------------------------------------- in a console


def test_a_phoned_in_sev_1_appears_in_a_second_console_at_its_place(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    """Given two consoles on one database, the second following the feed, when the first
    opens a Layer0 Sev 1 taken by phone 20 minutes ago (the customer found by part of its
    mail domain), then the first selects and shows it, and the second has it in its queue
    where a fresh read puts it, its history starting with created (by phone, at the call's
    time, entered by the first console's person) and the customer's words."""
    clock = FakeTime(NOW)
    first = Console(qtbot, demo_url, clock)
    second = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.extend([first, second])
    second.dispatcher.start_following()
    qtbot.wait(300)
    reader = Backend(demo_url, clock)
    try:
        customer, part = findable_by_domain(choices(reader), "layer0", "enterprise")
        first.window.show()
        qtbot.waitExposed(first.window)
        child(first.window, QAction, "action_new_ticket").trigger()
        dialog = child(first.window, NewTicketDialog, "newTicketDialog")
        first.settle()
        fill(qtbot, dialog, customer, part)
        definition = child(dialog, QWidget, "severityDefinition").text()
        assert "Customer site powered on Moovweb not reachable" in definition
        assert "Initial response: 30 business minutes on Layer0 24x7x365 (Enterprise)" in definition
        assert "15:10 CET (20m ago)" in child(dialog, QWidget, "submittedHint").text()
        assert open_button(dialog).isEnabled(), dialog.problems()

        with qtbot.waitSignal(dialog.ticketOpened, timeout=10_000) as opened:
            click(qtbot, open_button(dialog))
        key = opened.args[0]
        assert key.startswith("L0-")
        first.settle()
        assert first.window.findChild(NewTicketDialog, "newTicketDialog") is None  # closed
        assert first.window.selected_key() == key
        assert first.window.detail is not None and first.window.detail.row.key == key

        qtbot.waitUntil(lambda: second.window.model.row_of(key) is not None, timeout=10_000)
        fresh = [r.key for r in reader.read(QueueRows())]
        assert [r.key for r in second.window.model.rows] == fresh
        assert second.window.select_key(key)
        second.settle()
        detail = second.window.detail
        assert detail is not None and detail.row.key == key
        created, said = detail.events
        assert created.kind is EventKind.CREATED and said.kind is EventKind.CUSTOMER_MESSAGE
        assert created.data["channel"] == Channel.PHONE.value
        assert created.data["severity"] == 1
        assert created.at == said.at == NOW - timedelta(minutes=20)
        assert created.actor == said.actor == first.me
        assert said.data == {"text": SAID, "channel": "phone"}
        assert detail.row.ticket.title == TITLE
        assert detail.row.ticket.assignee is None
        assert detail.row.customer.name == customer.name
    finally:
        reader.close()


def test_ctrl_n_opens_the_dialog_and_esc_writes_nothing(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    reader = Backend(demo_url, FakeTime(NOW))
    try:
        before = count_tickets(reader)
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        dialog = window.findChild(NewTicketDialog, "newTicketDialog")
        assert dialog is not None and dialog.isVisible()
        console.settle()
        customer, part = findable_by_domain(choices(reader), "layer0", "enterprise")
        fill(qtbot, dialog, customer, part)
        assert open_button(dialog).isEnabled()
        sent: list[Command] = []
        send = console.dispatcher.send
        console.dispatcher.send = lambda command: sent.append(command) or send(command)  # type: ignore[method-assign]

        with qtbot.waitSignal(dialog.destroyed):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        console.settle()
        assert sent == []
        assert count_tickets(reader) == before
        assert window.findChild(NewTicketDialog, "newTicketDialog") is None  # deleted on close
    finally:
        reader.close()


# --------------------------------------------------------------------------- validation


def test_open_stays_disabled_with_the_reason_until_the_ticket_makes_sense(
    qtbot: QtBot, backend: Backend
) -> None:
    """No customer, no severity, no title, a time 4 days ago and one in the future each
    keep "Open ticket" disabled, with the reason shown under the form."""
    view = choices(backend)
    customer, part = findable_by_domain(view, "layer0", "enterprise")
    dialog = new_dialog(qtbot, backend)
    problem = child(dialog, QWidget, "newTicketProblem")
    button = open_button(dialog)
    assert not button.isEnabled() and problem.text() == "Choose the customer"

    choose_customer(qtbot, dialog, part, customer.label)
    assert not button.isEnabled() and problem.text() == "Choose the severity"
    assert [b.text() for b in dialog.severity_group.buttons()] == ["Sev 1", "Sev 2", "Sev 3"]
    click(qtbot, child(dialog, QAbstractButton, "severity_2"))
    assert "Control Center down" in child(dialog, QWidget, "severityDefinition").text()
    assert not button.isEnabled() and problem.text() == "Give the ticket a title"
    title = child(dialog, QWidget, "ticketTitle")
    qtbot.keyClicks(title, "   ")
    assert not button.isEnabled() and problem.text() == "Give the ticket a title"
    qtbot.keyClicks(title, TITLE)
    assert button.isEnabled() and problem.isHidden()

    click(qtbot, child(dialog, QAbstractButton, "submittedEarlier"))
    assert button.isEnabled()
    type_submitted(qtbot, dialog, QDateTimeEdit.Section.DaySection, "16")  # 16 Nov, 4 days ago
    assert dialog.submitted() == NOW - timedelta(days=4)
    assert not button.isEnabled()
    assert problem.text().startswith("The submitted time is more than 72 h ago")
    assert "Tue 17 Nov 2026 15:30 CET" in problem.text()
    type_submitted(qtbot, dialog, QDateTimeEdit.Section.DaySection, "20")
    assert button.isEnabled()
    type_submitted(qtbot, dialog, QDateTimeEdit.Section.HourSection, "16")  # 16:30, ahead
    assert dialog.submitted() == NOW + timedelta(hours=1)
    assert not button.isEnabled() and problem.text() == "The submitted time is in the future"
    assert child(dialog, QWidget, "submittedHint").property("tone") == "alarm"
    click(qtbot, child(dialog, QAbstractButton, "submittedNow"))
    assert button.isEnabled()


def test_the_time_bound_follows_the_clock(qtbot: QtBot, backend: Backend) -> None:
    """A time that was within the 72 hours when entered is refused once the clock moves
    past the bound, without touching the dialog."""
    clock = FakeTime(NOW)
    view = choices(backend)
    customer, part = findable_by_domain(view, "layer0", "enterprise")
    dialog = new_dialog(qtbot, backend, clock)
    choose_customer(qtbot, dialog, part, customer.label)
    click(qtbot, child(dialog, QAbstractButton, "severity_3"))
    qtbot.keyClicks(child(dialog, QWidget, "ticketTitle"), TITLE)
    click(qtbot, child(dialog, QAbstractButton, "submittedEarlier"))
    type_submitted(qtbot, dialog, QDateTimeEdit.Section.DaySection, "17")  # 17 Nov 15:30
    assert open_button(dialog).isEnabled()
    clock.now = NOW + timedelta(minutes=2)
    dialog.clock_timer.timeout.emit()
    assert not open_button(dialog).isEnabled()


def test_the_customer_is_found_by_any_part_of_its_name_and_its_policy_follows(
    qtbot: QtBot, backend: Backend, qtmodeltester: Any
) -> None:
    view = choices(backend)
    customer = next(c for c in view.customers if c.policy_id == "zitadel")
    dialog = new_dialog(qtbot, backend)
    qtmodeltester.check(dialog.customers)
    middle = customer.name.split()[1].upper()  # "MOTORS" of "Cinder Motors Inc."
    choose_customer(qtbot, dialog, middle, customer.label)
    qtmodeltester.check(dialog.customers)
    assert all(c.matches(middle) for c in view.customers if c.label in _shown(dialog))
    names = [b.text() for b in dialog.severity_group.buttons()]
    assert names[0] == "Severity 1: Critical / Service down"
    assert "ZITADEL" in child(dialog, QWidget, "customerFacts").text()
    click(qtbot, child(dialog, QAbstractButton, "severity_4"))
    assert "feature request" in child(dialog, QWidget, "severityDefinition").text()
    prefix = view.policies["zitadel"].next_key
    assert child(dialog, QWidget, "ticketKey").text().startswith(f"Opens as {prefix}")


def _shown(dialog: NewTicketDialog) -> list[str]:
    model = dialog.completer.popup().model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_nobody_chosen_cannot_open_a_ticket(qtbot: QtBot, backend: Backend) -> None:
    dialog = NewTicketDialog(backend.dispatcher, zone=ZURICH, now=backend.clock, me=None)
    qtbot.addWidget(dialog)
    settle(qtbot, backend.dispatcher)
    assert not open_button(dialog).isEnabled()
    assert "Choose who you are in Settings" in child(dialog, QWidget, "newTicketProblem").text()
    assert not child(dialog, QAbstractButton, "assignMe").isEnabled()


# --------------------------------------------------------------------------- the key


def test_a_key_taken_meanwhile_is_retried_once_with_the_next(
    qtbot: QtBot, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given another console that opens a ticket under the key this dialog just read, the
    dialog opens its ticket under the following key, assigned to its person."""
    view = choices(backend)
    customer, part = findable_by_domain(view, "layer0", "enterprise")
    dialog = new_dialog(qtbot, backend)
    fill(qtbot, dialog, customer, part)
    take = child(dialog, QAbstractButton, "assignMe")
    take.setFocus()
    qtbot.keyClick(take, Qt.Key.Key_Space)
    assert take.isChecked()
    sent: list[OpenTicket] = []
    send = backend.dispatcher.send

    def racing(command: Command) -> Pending[Any]:
        assert isinstance(command, OpenTicket)
        if not sent:  # someone else opens a ticket under this key first
            theirs = OpenTicket(command.key, "Theirs", customer.name, 3, NOW)
            handle(
                theirs,
                SqlUnitOfWork(backend.database, now=backend.clock),
                backend.book,
                "claire.dubois",
            )
        sent.append(command)
        return send(command)

    monkeypatch.setattr(backend.dispatcher, "send", racing)
    with qtbot.waitSignal(dialog.ticketOpened, timeout=10_000) as opened:
        click(qtbot, open_button(dialog))
    taken = view.policies["layer0"].next_key
    number = int(taken.rsplit("-", 1)[1])
    assert [c.key for c in sent] == [taken, f"L0-{number + 1}"]
    assert opened.args == [f"L0-{number + 1}"]
    with SqlUnitOfWork(backend.database, write=False) as uow:
        ours = uow.tickets.get(f"L0-{number + 1}")
    assert ours.assignee == "ana.ortiz" and ours.title == TITLE
    assert [e.kind for e in ours.events] == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.CUSTOMER_MESSAGE,
    ]


def test_a_refusal_is_shown_in_the_dialog_which_stays_open(qtbot: QtBot, backend: Backend) -> None:
    """Given a database whose clock is three days ahead of the console's, the ticket the
    console thinks valid is refused as too old: the dialog says why and stays open."""
    view = choices(backend)
    customer, part = findable_by_domain(view, "layer0", "enterprise")
    dialog = new_dialog(qtbot, backend, FakeTime(NOW))
    fill(qtbot, dialog, customer, part)
    before = count_tickets(backend)
    backend.clock.now = NOW + timedelta(days=3)
    click(qtbot, open_button(dialog))
    settle(qtbot, backend.dispatcher)
    problem = child(dialog, QWidget, "newTicketProblem").text()
    assert problem.startswith("Not opened: a new ticket's submitted instant is at most 72 hours")
    assert dialog.isVisible() and open_button(dialog).isEnabled()
    assert count_tickets(backend) == before


def test_the_screenshot_shows_the_dialog_filled_with_an_example(
    demo_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "new-ticket.png"
    shot = ["--screenshot", str(target), "--view", "new-ticket"]
    result = subprocess.run(
        [sys.executable, "-m", "console", "--db", demo_url, *shot],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert 550 <= image.width() <= 800 and image.height() > 450  # the dialog, not the window


def _ticket(key: str, customer: str, status: Status = Status.OPEN) -> Ticket:
    return Ticket(key, "t", customer, 3, status, NOW)


def test_the_next_key_takes_the_policy_s_prefix_and_the_highest_number_plus_one() -> None:
    customers = [
        Customer("Cobalt Foods Co.", "layer0", "enterprise"),
        Customer("Ember Labs AG", "zitadel", "default"),
    ]
    tickets = [
        _ticket("L0-98", "Cobalt Foods Co."),
        _ticket("L0-102", "Cobalt Foods Co.", Status.CLOSED),  # closed keys count too
        _ticket("OLD-7", "Cobalt Foods Co."),  # a prefix used less
        _ticket("L0-0300", "Ember Labs AG"),  # another policy's ticket with that prefix
        _ticket("imported", "Cobalt Foods Co."),  # no number: not a numbered key
    ]
    keys = next_ticket_keys(tickets, customers, ["layer0", "zitadel", "moboom"])
    assert keys["layer0"] == ("L0", "L0-301")
    assert keys["zitadel"] == ("L0", "L0-301")  # its only numbered ticket says L0
    assert keys["moboom"] == ("MOBOOM", "MOBOOM-1")


def test_a_mail_domain_comes_from_the_escalation_contact() -> None:
    assert mail_domain("oncall@Cobalt-Foods.example.com") == "cobalt-foods.example.com"
    assert mail_domain("NOC <noc@ember.example>") == "ember.example"
    assert mail_domain("+41 43 215 27 34") == ""
    assert mail_domain("") == ""
