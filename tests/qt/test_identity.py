"""Who the console's user is: on SQLite the person chosen at first start (never one picked
silently) or in Settings; on PostgreSQL the login, whatever Settings says, and a login that
is not an agent may look but not change anything. The status bar always says who."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from conftest import FakeTime
from console import app
from console.adapters.database import Database
from console.adapters.grants import grant
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Agent, EventKind, Role
from console.domain.policy import load_policies
from console.qt import identity as identity_module
from console.qt import settings as settings_module
from console.qt.dispatcher import Failure
from console.qt.identity import WhoAreYouDialog, ask_who_you_are
from console.qt.main_window import MainWindow
from console.qt.settings import ConsoleSettings, SettingsDialog, SettingsStore
from console.services import commands as c
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from console.services.views import Agents
from consoles import Console, demo_database

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
NOT_AN_AGENT = "The login {} is not an agent of this database: ask a team lead to add you"
NOBODY = "choose who you are (Settings) before changing anything"
# Not the first agent of the table (ana.ortiz): a silent pick cannot pass for a choice.
CHOSEN = "lukas.brenner"
LEAD = "claire.dubois"


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return demo_database(tmp_path, tickets=60, seed=5)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def consoles() -> Iterator[list[Console]]:
    made: list[Console] = []
    yield made
    for console in made:
        console.close()


def answer_modal(handle: Callable[[QWidget], None]) -> list[QWidget]:
    """Hand the next modal dialog to ``handle`` once it is shown (``exec`` waits for it);
    the dialogs handled. The dialog is closed even when ``handle`` fails (pytest-qt then
    fails the test), so a failed check never leaves the test waiting."""
    seen: list[QWidget] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(10, poll)
            return
        seen.append(widget)
        try:
            handle(widget)
        finally:
            if widget.isVisible():
                widget.close()

    QTimer.singleShot(0, poll)
    return seen


def answer_who(monkeypatch: pytest.MonkeyPatch, answer: str | None) -> list[list[str]]:
    """Answer the first-start question with ``answer``; the names each question offered."""
    asked: list[list[str]] = []

    def ask(agents: Sequence[Agent], parent: QWidget | None = None) -> str | None:
        asked.append([a.name for a in agents])
        return answer

    monkeypatch.setattr(identity_module, "ask_who_you_are", ask)
    return asked


def agents_of(url: str) -> list[Agent]:
    database = Database.open(url)
    try:
        return Agents().run(SqlUnitOfWork(database, write=False), PolicyBook(load_policies()))
    finally:
        database.dispose()


def choose(url: str, settings: ConsoleSettings, store: SettingsStore, **kw: Any) -> ConsoleSettings:
    database = Database.open(url)
    try:
        return app._choose_person(database, agents_of(url), settings, store, **kw)
    finally:
        database.dispose()


def failure_of(qtbot: QtBot, console: Console, command: c.Command) -> Failure:
    pending = console.dispatcher.send(command)
    with qtbot.waitSignal(pending.failed, timeout=10_000) as blocker:
        pass
    failure = blocker.args[0]
    assert isinstance(failure, Failure)
    return failure


def unassigned(window: MainWindow) -> str:
    key = next(r.key for r in window.model.rows if r.ticket.assignee is None)
    assert window.select_key(key)
    return key


# --------------------------------------------------------------------------- SQLite: first start


@pytest.mark.parametrize("saved", [None, "gone.away"])
def test_at_first_start_the_user_is_asked_and_the_choice_is_saved(
    demo_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch, saved: str | None
) -> None:
    """No saved person, or one this database does not have: asked, never picked."""
    store.save(ConsoleSettings(agent=saved, display_zone="UTC"))
    asked = answer_who(monkeypatch, CHOSEN)
    settings = choose(demo_url, store.load(), store, rendering=False)
    assert asked == [[a.name for a in agents_of(demo_url)]]
    assert settings.agent == CHOSEN and store.load().agent == CHOSEN


def test_a_saved_agent_of_the_database_is_used_without_asking(
    demo_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(ConsoleSettings(agent=LEAD, display_zone="UTC"))
    asked = answer_who(monkeypatch, CHOSEN)
    assert choose(demo_url, store.load(), store, rendering=False).agent == LEAD
    assert asked == [] and store.load().agent == LEAD


def test_cancel_leaves_nobody_and_keeps_what_was_saved(
    demo_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(ConsoleSettings(agent="gone.away", display_zone="UTC"))
    asked = answer_who(monkeypatch, None)
    assert choose(demo_url, store.load(), store, rendering=False).agent is None
    assert len(asked) == 1 and store.load().agent == "gone.away"


def test_without_people_nobody_is_asked_or_chosen(
    sqlite_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database.open(sqlite_url)
    database.upgrade()
    database.dispose()
    asked = answer_who(monkeypatch, CHOSEN)
    assert choose(sqlite_url, ConsoleSettings(), store, rendering=False).agent is None
    assert asked == [] and store.load().agent is None


def test_a_screenshot_never_asks_and_saves_nothing(
    demo_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer_who(monkeypatch, CHOSEN)
    settings = choose(demo_url, ConsoleSettings(), store, rendering=True)
    first = next(a for a in agents_of(demo_url) if a.role is Role.AGENT)
    assert settings.agent == first.name and asked == [] and store.load().agent is None


def test_the_console_asks_at_its_first_start_and_acts_for_the_one_chosen(
    qtbot: QtBot, demo_url: str, store: SettingsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole start: asked once, the choice saved and shown; the next start does not ask."""
    asked = answer_who(monkeypatch, CHOSEN)
    monkeypatch.setattr(settings_module, "SettingsStore", lambda: store)
    seen: list[tuple[str, str | None]] = []

    def run(_: QApplication) -> int:  # instead of the event loop: look, then close
        shown = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        assert len(shown) == 1  # the start's window (others' may wait to be deleted)
        window = shown[0]
        seen.append((window.identity_label.text(), window.dispatcher.actor))
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", run)
    assert app.run_gui(db_url=demo_url) == 0
    assert app.run_gui(db_url=demo_url) == 0
    assert len(asked) == 1 and store.load().agent == CHOSEN
    assert seen == [("Lukas Brenner (agent)", CHOSEN)] * 2


def test_the_question_lists_everybody_and_chooses_nobody_by_itself(qtbot: QtBot) -> None:
    people = [
        Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"),
        Agent("claire.dubois", "Claire Dubois", Role.LEAD, "EMEA", "Europe/Zurich"),
    ]
    dialog = WhoAreYouDialog(people)
    qtbot.addWidget(dialog)
    texts = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert texts == ["Ana Ortiz (ana.ortiz, agent)", "Claire Dubois (claire.dubois, lead)"]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.chosen() is None and not ok.isEnabled()
    dialog.choose("claire.dubois")
    assert dialog.chosen() == "claire.dubois" and ok.isEnabled()


@pytest.mark.parametrize("accept", [True, False])
def test_asking_waits_for_the_answer(qtbot: QtBot, accept: bool) -> None:
    people = [Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich")]

    def answer(widget: QWidget) -> None:
        assert isinstance(widget, WhoAreYouDialog)
        widget.choose("ana.ortiz")
        button = (
            QDialogButtonBox.StandardButton.Ok if accept else QDialogButtonBox.StandardButton.Cancel
        )
        widget.buttons.button(button).click()

    shown = answer_modal(answer)
    assert ask_who_you_are(people) == ("ana.ortiz" if accept else None)
    assert len(shown) == 1


# --------------------------------------------------------------------------- SQLite: the window


def test_the_status_bar_says_who_and_follows_settings(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW), me="ana.ortiz")
    consoles.append(console)
    window = console.window
    label = window.statusBar().findChild(QLabel, "identityLabel")
    assert label is window.identity_label
    assert label.text() == "Ana Ortiz (agent)"
    window.show()
    qtbot.waitExposed(window)
    window.statusBar().showMessage("Something saved", 4000)
    assert label.isVisible()  # a permanent widget: messages never hide it
    window.apply_settings(ConsoleSettings(agent=LEAD, display_zone="Europe/Zurich"))
    assert label.text() == "Claire Dubois (lead)" and console.dispatcher.actor == LEAD
    window.apply_settings(ConsoleSettings(agent=None, display_zone="Europe/Zurich"))
    assert label.text() == "Nobody chosen · choose who you are in Settings"
    assert console.dispatcher.actor is None


def test_with_nobody_chosen_an_action_is_refused(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW), me="ana.ortiz")
    consoles.append(console)
    window = console.window
    window.apply_settings(ConsoleSettings(agent=None, display_zone="Europe/Zurich"))
    key = unassigned(window)
    said: list[str] = []

    def close(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        said.append(widget.text())
        widget.accept()

    answer_modal(close)
    window.ticket_actions["take"].trigger()
    assert said == ["Choose who you are in Settings before changing tickets."]
    version = next(r.ticket.version for r in window.model.rows if r.key == key)
    refused = failure_of(qtbot, console, c.AssignTicket(key, version, "ana.ortiz"))
    assert refused.message == NOBODY
    with SqlUnitOfWork(console.database, write=False) as uow:
        assert uow.tickets.get(key).assignee is None


def test_settings_offers_the_people_on_sqlite(qtbot: QtBot) -> None:
    people = [Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich")]
    dialog = SettingsDialog(ConsoleSettings(agent=None, display_zone="UTC"), people)
    qtbot.addWidget(dialog)
    assert dialog.agent.isEnabled() and dialog.agent.count() == 2
    assert dialog.agent_hint.isHidden()


def test_settings_shows_the_login_and_keeps_the_saved_agent(qtbot: QtBot) -> None:
    people = [
        Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"),
        Agent(LEAD, "Claire Dubois", Role.LEAD, "EMEA", "Europe/Zurich"),
    ]
    saved = ConsoleSettings(agent=LEAD, display_zone="UTC")
    dialog = SettingsDialog(saved, people, login="ana.ortiz")
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "agent")
    assert combo is not None and not combo.isEnabled() and combo.count() == 1
    assert combo.currentText() == "Ana Ortiz (ana.ortiz, agent)"
    assert dialog.agent_hint.text() == "On a team database you are your login (ana.ortiz)."
    assert not dialog.agent_hint.isHidden()
    assert dialog.result_settings().agent == LEAD  # neither the login nor changed
    stranger = SettingsDialog(saved, people, login="ghost")
    qtbot.addWidget(stranger)
    assert stranger.agent.currentText() == "ghost (not an agent of this database)"


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def admin(postgres_url: str) -> Iterator[Database]:
    """The superuser's view of an upgraded database with a small demo queue."""
    database = Database.open(postgres_url)
    database.upgrade()
    load_demo(
        SqlUnitOfWork(database, now=FakeTime(NOW)),
        PolicyBook(load_policies()),
        tickets=20,
        seed=5,
        now=NOW,
    )
    yield database
    database.dispose()


def login_url(admin: Database, name: str, role: Role = Role.AGENT) -> str:
    """``name`` granted ``role`` on the admin's database; the URL it logs in with."""
    grant(admin, name, role, "pw")
    url = make_url(admin.url).set(username=name, password="pw")
    return url.render_as_string(hide_password=False)


def add_agent(admin: Database, name: str, role: Role = Role.AGENT) -> None:
    with SqlUnitOfWork(admin, now=FakeTime(NOW)) as uow:
        uow.agents.add(Agent(name, "Tess New", role, "EMEA", "Europe/Zurich"))
        uow.commit()


def edit_settings(window: MainWindow, look: Callable[[SettingsDialog], None]) -> None:
    """Open Settings from the window, ``look`` at it, press OK."""

    def answer(widget: QWidget) -> None:
        assert isinstance(widget, SettingsDialog)
        try:
            look(widget)
        finally:
            widget.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    shown = answer_modal(answer)
    window.edit_settings()
    assert len(shown) == 1


@pytest.mark.postgres
def test_on_postgres_the_console_is_its_login_whatever_settings_say(
    qtbot: QtBot,
    admin: Database,
    consoles: list[Console],
    store: SettingsStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = login_url(admin, "tess.new")
    add_agent(admin, "tess.new")
    asked = answer_who(monkeypatch, CHOSEN)
    # The start asks nothing and leaves the saved agent alone (it is simply not used).
    for saved in (None, "gone.away", LEAD):
        store.save(ConsoleSettings(agent=saved, display_zone="UTC"))
        assert choose(url, store.load(), store, rendering=False).agent == saved
        assert store.load().agent == saved
    assert asked == []

    console = Console(qtbot, url, FakeTime(NOW), me=LEAD)  # Settings say: the lead
    consoles.append(console)
    window = console.window
    assert console.dispatcher.actor == "tess.new"
    assert window.identity_label.text() == "tess.new (agent) · login"

    def look(dialog: SettingsDialog) -> None:
        assert not dialog.agent.isEnabled() and dialog.agent.count() == 1
        assert dialog.agent.currentData() == "tess.new"
        assert "you are your login (tess.new)" in dialog.agent_hint.text()

    edit_settings(window, look)
    assert window.settings.agent == LEAD and console.dispatcher.actor == "tess.new"
    assert window.identity_label.text() == "tess.new (agent) · login"

    key = unassigned(window)
    window.ticket_actions["take"].trigger()
    console.settle()
    with SqlUnitOfWork(admin, write=False) as uow:
        ticket = uow.tickets.get(key)
    assert ticket.assignee == "tess.new"
    assert ticket.events[-1].kind is EventKind.ASSIGNED and ticket.events[-1].actor == "tess.new"
    refused = failure_of(qtbot, console, c.ChangeSeverity(((key, ticket.version),), 1, "test"))
    assert "is for team leads" in refused.message and "(tess.new) is an agent" in refused.message


@pytest.mark.postgres
def test_a_login_that_is_not_an_agent_may_look_but_not_change(
    qtbot: QtBot, admin: Database, consoles: list[Console]
) -> None:
    url = login_url(admin, "ghost")
    console = Console(qtbot, url, FakeTime(NOW), me=LEAD)
    consoles.append(console)
    window = console.window
    said = NOT_AN_AGENT.format("ghost")
    assert window.identity_label.text() == said
    assert window.proxy.rowCount() > 0  # it reads
    key = unassigned(window)
    assert not any(action.isEnabled() for action in window.ticket_actions.values())
    version = next(r.ticket.version for r in window.model.rows if r.key == key)
    for command in (
        c.AssignTicket(key, version, "ghost"),
        c.AddNote(key, version, "hello"),
        c.HandOver(NOW, NOW, "", {}),
    ):
        message = failure_of(qtbot, console, command).message
        assert "ghost is not an agent of this database: ask a team lead to add you" in message
        assert "nothing was saved" in message.casefold()

    def look(dialog: SettingsDialog) -> None:
        assert not dialog.agent.isEnabled()
        assert dialog.agent.currentText() == "ghost (not an agent of this database)"

    edit_settings(window, look)
    with SqlUnitOfWork(admin, write=False) as uow:
        assert uow.tickets.get(key).assignee is None

    add_agent(admin, "ghost")  # a lead adds the login: the console may act from now on
    window.load()
    console.settle()
    assert window.identity_label.text() == "ghost (agent) · login"
    assert window.ticket_actions["take"].isEnabled()
    window.ticket_actions["take"].trigger()
    console.settle()
    with SqlUnitOfWork(admin, write=False) as uow:
        assert uow.tickets.get(key).assignee == "ghost"
