"""Wiring: the check for Qt's system libraries, settings, database, policies, the dispatcher
and the main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from console.adapters.repository import system_now
from console.domain.model import Agent, Role
from console.gui_libraries import check as check_libraries

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from console.adapters.database import Database
    from console.qt.new_ticket import NewTicketDialog
    from console.qt.settings import ConsoleSettings, SettingsStore, Theme

    Opened = tuple[Database, ConsoleSettings]

DEMO_TICKETS = 2_000


def run_gui(
    *,
    db_url: str | None = None,
    screenshot: Path | None = None,
    view: str = "queue",
    demo_if_empty: bool = False,
    theme: str | None = None,
    language: str | None = None,
    now: Callable[[], datetime] = system_now,
) -> int:
    """Open the console (or render it to ``screenshot`` and exit); the exit status.

    ``theme`` (light, dark, system) overrides the one in Settings for this run; ``language``
    (en, de) becomes Qt's default locale, which dates in Qt's widgets follow (and which the
    translations will read)."""
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Before Qt is loaded: a missing X11 library would make it abort without saying which.
    problem = check_libraries()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication, QWidget

    from console import __version__
    from console.adapters.sql import SqlUnitOfWork
    from console.domain.policy import load_policies
    from console.qt.dispatcher import Dispatcher
    from console.qt.i18n import LANGUAGES, install_language, load_language
    from console.qt.icons import application_icon
    from console.qt.main_window import MainWindow
    from console.qt.settings import SettingsStore, apply_theme
    from console.resources import APP_ID
    from console.services.demo import load_demo
    from console.services.tickets import PolicyBook
    from console.services.views import Agents, Detail, QueueRows

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Support Console")
    app.setOrganizationName("support-console")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # the .desktop file: the desktop shows its name and icon
    app.setWindowIcon(application_icon())
    store = SettingsStore()
    settings = store.load()
    apply_theme(app, theme or settings.theme)
    # The language (with its locale for dates and numbers): --language for this run, else
    # the one chosen in Settings, else the system's.
    chosen = language if language in LANGUAGES else load_language(store.qsettings)
    install_language(app, chosen)

    opened = _open_database(db_url or settings.database_url, store, screenshot is not None)
    if opened is None:
        return 1
    database, settings = opened
    book = PolicyBook(load_policies())
    with SqlUnitOfWork(database, write=False) as uow:
        empty = uow.tickets.count() == 0
    if empty and (demo_if_empty or screenshot is not None or _offer_demo()):
        load_demo(SqlUnitOfWork(database, now=now), book, tickets=DEMO_TICKETS, now=now())

    agents = Agents().run(SqlUnitOfWork(database, write=False), book)
    settings = _choose_person(database, agents, settings, store, rendering=screenshot is not None)

    if theme is not None:
        settings = replace(settings, theme=cast("Theme", theme))  # not saved
    dispatcher = Dispatcher(database, book, now)
    window = MainWindow(dispatcher, settings, now, settings_store=store)
    window.set_agents(agents)
    if screenshot is not None:
        window.resize(1600, 940)
        window.show_rows(QueueRows().run(SqlUnitOfWork(database, write=False), book))
        window.sidebar.setCurrentRow(2)  # All open: the whole queue, breaches first
        if view in ("detail", "queue") and window.proxy.rowCount():
            window.table.selectRow(0)
            key = window.selected_key()
            if key is not None:
                window.show_detail(Detail(key).run(SqlUnitOfWork(database, write=False), book))
        import time

        window.tick()
        window.show()
        # A few turns of the event loop: layouts settle and zero-time timers run (the detail
        # pane fits its split to what the clocks need).
        for _ in range(5):
            app.processEvents()
            time.sleep(0.01)
        if view == "handover":
            window.tabs.setCurrentWidget(window.handover)
            deadline = time.monotonic() + 30
            while window.handover.board is None and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.02)
            app.processEvents()
        target: QWidget = window.detail_pane if view == "detail" else window
        if view == "report":
            from console.qt.report_view import ReportDialog

            report = ReportDialog(window.zone, dispatcher, window, now=now)
            report.resize(1280, 820)
            report.show()
            _wait_for(app, lambda: report.report is not None and report.progress_bar.isHidden())
            target = report
        if view == "new-ticket":
            dialog = window.open_new_ticket()
            _wait_for(app, lambda: dialog.choices is not None)
            _new_ticket_example(dialog, now())
            app.processEvents()  # the layout follows what was filled in
            target = dialog
        saved = target.grab().save(str(screenshot))
        window.close()
        dispatcher.stop()
        database.dispose()
        if not saved:
            print(f"support-console: could not write {screenshot}", file=sys.stderr)
            return 1
        print(f"{screenshot}: {view} view of {len(window.model.rows):,} open tickets")
        return 0

    window.show()
    window.load()
    dispatcher.start_following()
    try:
        return app.exec()
    finally:
        dispatcher.stop()
        database.dispose()


def _wait_for(app: QApplication, done: Callable[[], bool], seconds: float = 30) -> None:
    """Let the event loop run (answers arriving from the dispatcher) until ``done``."""
    import time

    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def _new_ticket_example(dialog: NewTicketDialog, now: datetime) -> None:
    """The New ticket dialog filled as for the README: a Sev 1 that a Layer0 Enterprise
    customer phoned in 20 minutes ago, taken by the console's person."""
    from datetime import timedelta

    from console.domain.model import Channel

    customers = dialog.choices.customers if dialog.choices is not None else ()
    wanted = ("layer0", "enterprise")
    customer = next((c for c in customers if (c.policy_id, c.plan) == wanted), None)
    if customer is None:
        return
    dialog.customer_edit.setText(customer.label)
    button = dialog.severity_group.button(1)
    if button is not None:
        button.setChecked(True)
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.PHONE))
    dialog.title.setText("Production site returns 503 from the edge")
    dialog.description.setPlainText(
        "Called from the NOC: since about 20 minutes every page of the shop answers 503 from "
        "the edge. The last deploy went through without errors; rolling it back changed "
        "nothing."
    )
    dialog.earlier_choice.setChecked(True)
    dialog.set_submitted(now - timedelta(minutes=20))
    dialog.take.setChecked(dialog.take.isEnabled())


def _open_database(url: str | None, store: SettingsStore, quiet: bool) -> Opened | None:
    """The database to work on, with the settings as they are once it opened; None when
    the user chose to quit (or, ``quiet``, at the first failure, said on stderr).

    The default SQLite file is made on first start; any other missing file only when the
    user says so. Whatever fails, the user can choose another database in Settings, use
    the default one, or quit: never a bare exit."""
    from console.adapters.database import Database, DatabaseError, default_url, resolve_url
    from console.qt.settings import SettingsDialog
    from console.qt.start_problem import StartChoice, ask_how_to_go_on

    settings = store.load()
    create = False
    while True:
        database: Database | None = None
        try:
            resolved = resolve_url(url)
            first_start = resolved == resolve_url(default_url())
            database = Database.open(resolved, create=create or first_start)
            database.ensure_schema()
            return database, settings
        except DatabaseError as error:
            if database is not None:
                database.dispose()
            if quiet:
                print(f"support-console: {error}", file=sys.stderr)
                return None
            shown = url or default_url()
            choice = ask_how_to_go_on(error, shown if "://" in shown else resolve_url(shown))
        create = False
        if choice is StartChoice.QUIT:
            return None
        if choice is StartChoice.DEFAULT:
            url = None
            settings = replace(settings, database_url=None)
            store.save(settings)
        elif choice is StartChoice.CREATE:
            create = True
        else:
            dialog = SettingsDialog(settings, [], None)
            if dialog.exec() == SettingsDialog.DialogCode.Accepted:
                settings = dialog.result_settings()
                store.save(settings)
                url = settings.database_url


def _choose_person(
    database: Database,
    agents: Sequence[Agent],
    settings: ConsoleSettings,
    store: SettingsStore,
    *,
    rendering: bool,
) -> ConsoleSettings:
    """The settings with the person this console acts for.

    On PostgreSQL the person is the login (the window reads it): the settings as they are,
    their agent unused. On SQLite the saved agent when this database has it; else the user
    is asked (the choice is saved; Cancel, or nobody to choose, leaves nobody chosen, and
    nothing is changed until someone is). Never a person picked for the user, except when
    ``rendering`` a screenshot: the first agent then, not saved."""
    if not database.is_sqlite:
        return settings
    if settings.agent in {a.name for a in agents}:
        return settings
    if rendering:
        engineers = [a for a in agents if a.role is Role.AGENT] or list(agents)
        return replace(settings, agent=engineers[0].name if engineers else None)
    if not agents:
        return replace(settings, agent=None)
    from console.qt.identity import ask_who_you_are

    chosen = ask_who_you_are(agents)
    if chosen is None:
        return replace(settings, agent=None)  # the saved one stays, for its own database
    settings = replace(settings, agent=chosen)
    store.save(settings)
    return settings


def _offer_demo() -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        None,
        "Support Console",
        "The database has no tickets yet. Fill it with demo data (about 2,000 tickets across "
        "the five support policies) to look around?",
    )
    return answer == QMessageBox.StandardButton.Yes
