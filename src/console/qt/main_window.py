"""The agent console window: it lays out the queue list, the ticket table, the detail pane
and the handover board, and wires them to the dispatcher. What each part does lives in its
own module: the queues and their counts (``services.queues``, ``qt.sidebar``), the actions
(``qt.ticket_actions``; every menu entry is made by ``qt.actions``, with its icon from
``qt.icons``), the Help menu's dialogs (``qt.help_dialogs``), notifications
(``qt.notifications``), saved searches (``qt.saved_searches``), the mail channel's status
line, dialogs and worker (``qt.mail_status``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QItemSelection, QLocale, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.adapters.database import describe
from console.domain.model import Agent, HolidayPeriod
from console.qt import icons
from console.qt.actions import make_action
from console.qt.audit_view import AuditDialog
from console.qt.calendars_view import CalendarsDialog
from console.qt.detail import DetailPane
from console.qt.dispatcher import Dispatcher, Failure, FeedUpdate, Pending
from console.qt.handover_view import HandoverView
from console.qt.help_dialogs import AboutDialog, KeyboardShortcutsDialog
from console.qt.identity import Identity
from console.qt.layout_state import DetailDock, QueueLayout
from console.qt.mail_status import MailChannel
from console.qt.new_ticket import NewTicketDialog
from console.qt.notifications import NotificationScheduler, ThresholdNotifier
from console.qt.queue_model import ROW_ROLE, QueueFilterProxy, TicketTableModel
from console.qt.report_view import ReportDialog
from console.qt.saved_searches import SavedSearches
from console.qt.search import SearchScope
from console.qt.settings import ConsoleSettings, SettingsDialog, SettingsStore, apply_theme
from console.qt.sidebar import QueueSidebar
from console.qt.theme import follow_palette, set_tone
from console.qt.ticket_actions import TicketActions
from console.qt.timers import named_timer
from console.services.handover import DEFAULT_SHIFTS
from console.services.mail_views import MailStateView
from console.services.offers import offered_actions
from console.services.queue import QueueRow, TicketDetail
from console.services.queues import QUEUE_ALL, Queue, QueueCounts, QueueFilter
from console.services.views import (
    Agents,
    Detail,
    HolidayPeriods,
    Query,
    QueueRows,
)

T = TypeVar("T")

COUNT_SECONDS = 5  # queue counts are refreshed this often (a few binary searches)
# Rows join and leave the queues that depend on time ("Breached", "Breaching within 1 h") at
# :00 and :30 of each minute, all at once, while countdowns tick every second: a row joining
# or leaving makes the table lay out and repaint every row on screen, which would otherwise
# happen on several ticks a minute on a busy screen. A breach still shows at once in the
# row's countdown (its text, colour and icon).
MEMBERSHIP_SECONDS = 30
FIRST_PAGE = 500  # rows loaded before the rest, so the most urgent ones show at once
# Other consoles' changes reach the handover board and an open SLA report at most this
# often: each is a whole read on the one worker, which the console's own actions share.
BOARD_REFRESH_MS = 3_000
REPORT_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    """The console window. Every read and write goes through ``dispatcher``."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        settings: ConsoleSettings,
        now: Callable[[], datetime],
        *,
        notifier: ThresholdNotifier | None = None,
        settings_store: SettingsStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings_store = settings_store
        self.dispatcher = dispatcher
        # Who acts: the login on PostgreSQL (the Settings agent is ignored there), the
        # Settings agent on SQLite. A login that is not an agent is refused everything.
        self.identity = Identity(dispatcher.database, settings.agent)
        dispatcher.actor = self.identity.person
        self.settings = settings
        self.now = now
        self.zone: tzinfo = ZoneInfo(settings.display_zone)
        self.agents: dict[str, Agent] = {}
        self.detail: TicketDetail | None = None
        self.holiday_periods: list[HolidayPeriod] = []
        self._tick_count = 0
        # The instant the time-window queues' rows were last judged at (see MEMBERSHIP_SECONDS)
        self._judged_at = now()
        self.counts = QueueCounts(self.me)
        self.notifier = notifier or ThresholdNotifier(self.me, settings.thresholds)
        self.notifier.set_me(self.me)
        self.notifier.set_enabled(settings.notifications)
        self.notifications = NotificationScheduler(self.notifier, now, self)
        self.searches = SavedSearches(
            settings_store.qsettings if settings_store is not None else None, self
        )
        self._report: ReportDialog | None = None
        self._board_stale = False  # changes came while the board was hidden

        self.setWindowTitle("Support Console")
        self.resize(1440, 860)
        self.model = TicketTableModel(now(), self.zone, settings.thresholds, parent=self)
        self.proxy = QueueFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.judge_at(self._judged_at)
        self.actions_ = TicketActions(
            self, dispatcher, self.selected_rows, lambda: self.agents, lambda: self.zone
        )
        self.mail = MailChannel(
            self, dispatcher, is_lead=self.actions_.is_lead, zone=lambda: self.zone
        )
        self.timer = named_timer(self, "countdownTimer", 1000, self.tick)
        self.search_timer = named_timer(
            self, "searchDebounce", 200, self._apply_search, single_shot=True
        )
        self.board_timer = named_timer(
            self, "boardRefresh", BOARD_REFRESH_MS, self._refresh_board, single_shot=True
        )
        self.report_timer = named_timer(
            self, "reportRefresh", REPORT_REFRESH_MS, self._refresh_report, single_shot=True
        )
        self._build()
        dispatcher.feedUpdated.connect(self.apply_feed)
        dispatcher.connectionChanged.connect(self._show_connection)
        dispatcher.backgroundFailed.connect(self._background_failed)
        self.mail.stateChanged.connect(self._mail_state)
        self.timer.start()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.sidebar = QueueSidebar(self.searches, self)
        self.sidebar.queueChosen.connect(self._queue_chosen)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setAccessibleName(self.tr("Search tickets"))
        self.search.setPlaceholderText(self.tr("Search key, customer or title  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        save_search = QPushButton(self.tr("Save search"), self)
        save_search.setObjectName("saveSearch")
        icons.set_icon(save_search, "save_search")
        save_search.setToolTip(self.tr("Save this search as a queue (Ctrl+D)"))
        save_search.clicked.connect(self._save_search)
        self.save_search_button = save_search

        self.table = QTableView(self)
        self.table.setObjectName("ticketTable")
        self.table.setAccessibleName(self.tr("Tickets"))
        self.table.setAccessibleDescription(
            self.tr(
                "The chosen queue's tickets, the most urgent first; a row's countdown says "
                "when it is overdue or close to its target"
            )
        )
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Ctrl/Shift-click) for a lead's bulk severity change; the other
        # actions and the detail pane take the first.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        follow_palette(self.table, self.model.restyle)

        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(save_search)
        self.queue_title = QLabel(self)
        self.queue_title.setObjectName("queueTitle")
        center_layout.addWidget(self.queue_title)
        center_layout.addLayout(search_row)
        center_layout.addWidget(self._build_search_scope())
        center_layout.addWidget(self.table, 1)

        self.detail_pane = DetailPane(self)
        self.detail_pane.set_thresholds(self.settings.thresholds)
        self.detail_dock = DetailDock(self.detail_pane, self)
        self.table.doubleClicked.connect(lambda _: self.detail_pane.setFocus())

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(center)
        splitter.addWidget(self.detail_dock)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([self.sidebar.preferred_width, 820, 440])
        splitter.handle(1).setAccessibleName(self.tr("Resize the queue list"))
        splitter.handle(2).setAccessibleName(self.tr("Resize the ticket details"))

        root = QWidget(self)
        root_layout = QVBoxLayout(root)
        root_layout.setContentsMargins(0, 0, 0, 0)
        root_layout.setSpacing(0)
        root_layout.addWidget(self.banner)
        inner = QFrame(root)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(6, 6, 6, 0)
        self.handover = HandoverView(
            self.zone,
            DEFAULT_SHIFTS,
            self.me,
            {},
            self.dispatcher,
            now=self.now,
            parent=self,
        )
        self.handover.ticketActivated.connect(self._open_from_handover)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, self.tr("Queue"))
        self.tabs.addTab(self.handover, self.tr("Handover"))
        self.tabs.currentChanged.connect(self._tab_changed)
        inner_layout.addWidget(self.tabs)
        root_layout.addWidget(inner, 1)
        self.setCentralWidget(root)

        self._build_actions()
        self._build_layout(splitter)
        self.db_label = QLabel(self)
        self.db_label.setObjectName("databaseLabel")
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("connectionLabel")
        self.identity_label = QLabel(self)
        self.identity_label.setObjectName("identityLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        for label in (
            self.db_label,
            self.connection_label,
            self.mail.label,
            self.identity_label,
            self.count_label,
        ):
            self.statusBar().addPermanentWidget(label)
        self.db_label.setText(
            self.tr("Database: {database}").format(database=describe(self.dispatcher.database.url))
        )
        self._show_connection(True, "connected")
        self._show_identity()
        self.sidebar.setCurrentRow(0)

    def _build_actions(self) -> None:
        """The menus and the toolbar. Every action has an icon, a shortcut and a tooltip
        naming it (``console.qt.actions``); Help ▸ Keyboard shortcuts lists them."""
        toolbar = QToolBar(self.tr("Actions"), self)
        toolbar.setObjectName("actionsToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(20, 20))
        self.addToolBar(toolbar)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(make_action(self, "quit", self.tr("&Quit"), "Ctrl+Q", self.close))

        menu = self.menuBar().addMenu(self.tr("&Ticket"))
        menu.addAction(
            make_action(self, "new_ticket", self.tr("New…"), "Ctrl+N", self.open_new_ticket)
        )
        menu.addSeparator()
        self.actions_.build(menu, toolbar)
        self.ticket_actions = self.actions_.actions

        queue_menu = self.menuBar().addMenu(self.tr("&Queue"))
        queue_menu.addAction(
            make_action(
                self, "find", self.tr("Find…"), QKeySequence.StandardKey.Find, self._focus_search
            )
        )
        self.save_search_action = make_action(
            self, "save_search", self.tr("Save search"), "Ctrl+D", self._save_search
        )
        queue_menu.addAction(self.save_search_action)
        queue_menu.addAction(self.sidebar.rename_action)
        queue_menu.addAction(self.sidebar.delete_action)
        queue_menu.addSeparator()
        queue_menu.addAction(make_action(self, "reload", self.tr("Reload"), "F5", self.reload))

        console_menu = self.menuBar().addMenu(self.tr("&Console"))
        console_menu.setObjectName("consoleMenu")
        for name, text, shortcut, slot in (
            ("calendars", self.tr("Calendars…"), "Ctrl+Shift+C", self.open_calendars),
            ("history", self.tr("History…"), "Ctrl+H", self.open_history),
            ("report", self.tr("SLA report…"), "Ctrl+Shift+R", self.open_report),
            ("handover", self.tr("Shift handover"), "Ctrl+Shift+H", self._show_handover),
        ):
            console_menu.addAction(make_action(self, name, text, shortcut, slot))
        console_menu.addSeparator()
        console_menu.addAction(self.mail.triage_action)
        console_menu.addAction(self.mail.settings_action)
        console_menu.addSeparator()
        console_menu.addAction(
            make_action(self, "settings", self.tr("Settings…"), "Ctrl+,", self.edit_settings)
        )

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(
            make_action(self, "shortcuts", self.tr("Keyboard shortcuts"), "F1", self.show_shortcuts)
        )
        about = make_action(self, "about", self.tr("About Support Console"), "", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)
        self.search.textChanged.connect(self._search_edited)
        self._search_edited("")
        self._update_actions()

    def _search_edited(self, text: str) -> None:
        # Save search saves what the box holds: nothing to save while it is empty.
        for target in (self.save_search_action, self.save_search_button):
            target.setEnabled(bool(text.strip()))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _show_handover(self) -> None:
        self.tabs.setCurrentWidget(self.handover)

    # ------------------------------------------------------------------ layout, search scope

    def _build_layout(self, splitter: QSplitter) -> None:
        """The detail pane's toggle, the column chooser (in the View menu and the table
        header's context menu) and the layout kept between sessions (``qt.layout_state``)."""
        storage = self.settings_store.qsettings if self.settings_store is not None else None
        self.layout_state = QueueLayout(
            self, splitter, self.table, self.detail_dock, self.sidebar, storage
        )
        self._add_view_menu(self.layout_state.view_menu(self))
        self.layout_state.restore()

    def _add_view_menu(self, menu: QMenu) -> None:
        # Before the Console menu, where a View menu is looked for; else last.
        bar = self.menuBar()
        console = [a for a in bar.actions() if _menu_name(a) == "consoleMenu"]
        if console:
            bar.insertMenu(console[0], menu)
        else:
            bar.addMenu(menu)

    def _build_search_scope(self) -> SearchScope:
        """The line under the search box: matches in other queues (``qt.search``)."""
        self.search_scope = SearchScope(
            self.search, self.table, self.sidebar, self.proxy, lambda: self.me, self
        )
        self.search.returnPressed.connect(self._search_entered)
        return self.search_scope

    def _search_entered(self) -> None:
        """Enter in the search box: search at once, then the table with a result selected
        (and shown in the detail pane)."""
        self.search_timer.stop()
        self._apply_search()
        self.search_scope.go_to_results()

    # ------------------------------------------------------------------ loading

    def ask(self, query: Query[T], done: Callable[[T], object], what: str) -> Pending[T]:
        """Read ``query`` and hand its answer to ``done``; a failure says in the status bar
        that ``what`` could not be loaded, and why."""
        pending = self.dispatcher.ask(query)
        pending.finished.connect(done)
        pending.failed.connect(partial(self._load_failed, what))
        return pending

    def _load_failed(self, what: str, failure: Failure) -> None:
        self.statusBar().showMessage(
            self.tr("{what} could not be loaded: {reason}").format(
                what=what, reason=failure.message
            ),
            10_000,
        )

    def load(self) -> None:
        """Load the people and the queue: the most urgent rows first (painted at once), then
        all of them, and the company holiday periods."""
        queue = self.tr("The queue")
        self.ask(Agents(), self.set_agents, self.tr("The people"))
        # Asked together: the whole queue is read while the first page is painted (the
        # dispatcher answers in the order asked, so the first page always comes first).
        self.ask(QueueRows(limit=FIRST_PAGE), self.show_rows, queue)
        self.ask(QueueRows(), self.show_rows, queue)
        self.ask(HolidayPeriods(), self._set_holidays, self.tr("The company holiday periods"))
        self.mail.refresh()

    def reload(self) -> None:
        """Queue ▸ Reload (F5): the queue and what goes with it, or the handover board while
        it is shown."""
        if self.tabs.currentWidget() is self.handover:
            self.handover.refresh()
        else:
            self.load()

    def _background_failed(self, failure: Failure) -> None:
        self.statusBar().showMessage(failure.message, 10_000)

    def show_rows(self, rows: list[QueueRow]) -> None:
        selected = self.selected_key()
        self.model.set_rows(rows)
        self.sidebar.add_policies({(r.policy.vendor, r.customer.policy_id) for r in rows})
        self.counts.reset(rows, self.me)
        self.notifications.set_rows(rows)
        self._refresh_counts()
        if selected is not None:
            self.select_key(selected)

    def apply_feed(self, update: FeedUpdate) -> None:
        """What other consoles (and this one) changed: rows, people, the board, the report."""
        if update.agents is not None:
            self.set_agents(list(update.agents))
        if update.reload:
            self.show_rows(list(update.rows))
            self._reload_detail()
        elif update.rows or update.gone:
            self.apply_changes(list(update.rows), list(update.gone))
        self.mail.follow(update.entities)
        if update.entities & {"ticket", "handover", "customer", "holiday", "presence"}:
            # Throttled, not debounced: a steady stream of changes must not keep postponing.
            for timer in (self.board_timer, self.report_timer):
                if not timer.isActive():
                    timer.start()

    def apply_changes(self, rows: list[QueueRow], gone: list[str]) -> None:
        selected = self.selected_key()
        positions = (self.model.row_of(key) for key in [*gone, *(r.key for r in rows)])
        self.counts.add([self.model.rows[p] for p in positions if p is not None], -1)
        self.counts.add(rows, +1)
        self.sidebar.add_policies({(r.policy.vendor, r.customer.policy_id) for r in rows})
        self.model.apply_changes(rows, gone)
        self.notifications.update(rows, gone)
        if selected is not None and selected in {r.key for r in rows} | set(gone):
            self._reload_detail()
        if selected is not None:
            self.select_key(selected, scroll=False)
        self._refresh_counts()

    def _refresh_board(self) -> None:
        """The handover board as it is now, when it is shown (else when it is next shown)."""
        self._board_stale = self.tabs.currentWidget() is not self.handover
        if not self._board_stale:
            self.handover.refresh()

    def _tab_changed(self, _: int) -> None:
        if self._board_stale and self.tabs.currentWidget() is self.handover:
            self._refresh_board()

    def _refresh_report(self) -> None:
        if self._report is not None:
            self._report.refresh()

    def set_agents(self, agents: list[Agent]) -> None:
        self.agents = {a.name: a for a in agents}
        names = {a.name: a.display_name for a in agents}
        self.model.set_people(names)
        self.handover.set_agents(names)
        self.detail_pane.set_agent_names(names)
        self.identity.know_agents(self.agents)
        self._show_identity()
        self._update_actions()

    def _reload_detail(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.ask(Detail(key), self.show_detail, self.tr("Ticket {key}").format(key=key))

    def show_detail(self, detail: TicketDetail) -> None:
        if detail.row.key != self.selected_key():
            return
        self.detail = detail
        self.detail_pane.show_detail(detail, self.now(), self.zone)
        self.layout_state.show_ticket(True)
        self._update_actions()

    def _show_connection(self, online: bool, message: str) -> None:
        if online:
            self.connection_label.setText(self.tr("● connected"))
            set_tone(self.connection_label, "ok")
            if not self.banner.isHidden():
                self.banner.hide()
                self.load()  # catch up on anything the feed could not say
        else:
            self.connection_label.setText(self.tr("● offline"))
            set_tone(self.connection_label, "problem")
            self.banner.setText(
                self.tr(
                    "Database unreachable ({reason}). Countdowns go on; changes are refused "
                    "until the connection is back. Reconnecting…"
                ).format(reason=message)
            )
            self.banner.show()
        self._update_actions()

    @property
    def me(self) -> str | None:
        """The console's person: the login on PostgreSQL, the Settings agent on SQLite."""
        return self.identity.person

    def _show_identity(self) -> None:
        said = self.identity.text(self.agents)
        self.identity_label.setText(said.text)
        self.identity_label.setToolTip(said.tip)
        set_tone(self.identity_label, "problem" if said.warning else None)

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Once a second: countdowns of the rows on screen, the detail pane, the board; on
        :00 and :30 of each minute (MEMBERSHIP_SECONDS), which rows the queues that depend on
        time hold."""
        now = self.now()
        self._tick_count += 1
        self.model.set_now(now)
        self.model.refresh_time(self.visible_source_rows())
        if self.detail is not None:
            self.detail_pane.tick(now)
        self.handover.tick(now)
        crossed = self._judge_membership(now)
        if self._tick_count % COUNT_SECONDS == 0 or crossed:
            self._refresh_counts()

    def _judge_membership(self, now: datetime) -> bool:
        """At the first tick of each MEMBERSHIP_SECONDS period: the rows that became breached
        (or due within the hour) since the last such tick join those queues, and leave the
        one they were in. True when it judged them (counts may have changed)."""
        judged = self._judged_at
        if _period(now) == _period(judged):
            return False
        crossed = self.model.crossing(judged, now)
        self._judged_at = now
        self.proxy.judge_at(now)
        if crossed:
            self.model.refresh_time(crossed, force=True)
        return True

    def visible_source_rows(self) -> list[int]:
        viewport = self.table.viewport()
        first = self.table.rowAt(0)
        if first < 0:
            return []
        last = self.table.rowAt(viewport.height() - 1)
        if last < 0:
            last = self.proxy.rowCount() - 1
        return [
            self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in range(first, last + 1)
        ]

    def _refresh_counts(self) -> None:
        """Queue counts: kept up to date row by row, and by binary search for the queues that
        depend on time, so a refresh never walks every row."""

        def shown(queue: Queue) -> int | None:
            return self.proxy.rowCount() if queue == self.proxy.queue else None

        # Counted at the instant the queues' rows were judged at, as the queue shown is.
        self.sidebar.refresh_counts(self.counts, self.model.dues, self._judged_at, shown)
        locale = QLocale()
        self.count_label.setText(
            self.tr("{shown} shown · {open} open").format(
                shown=locale.toString(self.proxy.rowCount()),
                open=locale.toString(len(self.model.rows)),
            )
        )
        self.queue_title.setText(self.proxy.queue.label)

    # ------------------------------------------------------------------ selection, queues

    def _queue_chosen(self, queue: Queue) -> None:
        self.proxy.set_queue(queue, self.me)
        self._refresh_counts()
        self.search_scope.queue_chosen()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self.search_scope.searched()
        self._refresh_counts()

    def _save_search(self) -> None:
        saved = self.searches.add(self.search.text())
        if saved is not None:
            self._refresh_counts()

    def saved_searches(self) -> list[str]:
        return [s.text for s in self.searches.items]

    def selected_rows(self) -> list[QueueRow]:
        rows = []
        for index in self.table.selectionModel().selectedRows():
            row = index.data(ROW_ROLE)
            if isinstance(row, QueueRow):
                rows.append(row)
        return rows

    def selected_key(self) -> str | None:
        rows = self.selected_rows()
        return rows[0].key if rows else None

    def select_key(self, key: str, *, scroll: bool = True) -> bool:
        position = self.model.row_of(key)
        if position is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        if scroll:
            self.table.scrollTo(index)
        return True

    def _selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        # The ticket selected stays in view (dimmed if it leaves the queue) until the
        # selection moves on: a ticket one just acted on does not vanish.
        self.proxy.hold(self.selected_key())
        self.detail = None
        if self.selected_key() is None:
            self.detail_pane.show_detail(None, self.now(), self.zone)
            self.layout_state.show_ticket(False)
        else:
            self._reload_detail()
        self._update_actions()

    def _update_actions(self) -> None:
        # A login that is not an agent may look, not change (and is told why if it tries);
        # a ticket offers the actions its policy has and the person may take.
        rows = self.selected_rows()
        if self.identity.refusal() is not None or not rows:
            self.actions_.offer(frozenset())
            return
        me = self.identity.person
        person = self.agents.get(me) if me is not None else None
        role = person.role if person is not None else None
        offered = frozenset.intersection(*(offered_actions(r, me, role) for r in rows))
        self.actions_.offer(offered)

    # ------------------------------------------------------------------ handover

    def _open_from_handover(self, key: str) -> None:
        self.tabs.setCurrentIndex(0)
        if not self.select_key(key):  # not in the chosen queue: look in all open tickets
            self.sidebar.select(QUEUE_ALL)
            self.search.clear()
            self._apply_search()
            self.select_key(key)

    def _set_holidays(self, periods: list[HolidayPeriod]) -> None:
        self.holiday_periods = periods

    # ------------------------------------------------------------------ dialogs

    def open_new_ticket(self) -> NewTicketDialog:
        """Ticket ▸ New (Ctrl+N): a ticket taken by phone, mail, chat or the web. Once it is
        opened it is selected in the queue (in All open, when the queue shown lacks it) and
        shown in the detail pane."""
        agent = self.agents.get(self.me or "")
        dialog = NewTicketDialog(
            self.dispatcher,
            zone=self.zone,
            now=self.now,
            me=self.me,
            me_name=agent.display_name if agent is not None else None,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.ticketOpened.connect(self._new_ticket_opened)
        dialog.open()
        return dialog

    def _new_ticket_opened(self, key: str) -> None:
        self.statusBar().showMessage(self.tr("New ticket: {key} opened").format(key=key), 4000)
        # The change feed brings the row as well; applying it twice changes nothing.
        what = self.tr("Ticket {key}").format(key=key)
        self.ask(QueueRows((key,)), partial(self._show_new_ticket, key), what)

    def _show_new_ticket(self, key: str, rows: list[QueueRow]) -> None:
        self.apply_changes(rows, [])
        self._open_from_handover(key)

    def open_calendars(self) -> None:
        """Each policy's calendars, a due date calculator and (for leads) the company holiday
        periods, with the number of due instants an edit moves before it is saved."""
        dialog = CalendarsDialog(
            self.dispatcher.book.policies,
            self.holiday_periods,
            now=self.now(),
            zone=self.zone,
            can_edit=self.actions_.is_lead(),
            dispatcher=self.dispatcher,
            parent=self,
        )
        dialog.periodsChanged.connect(self._set_holidays)
        dialog.exec()
        dialog.deleteLater()

    def open_report(self) -> None:
        """SLA compliance per policy, plan, severity and metric over a date range; it follows
        the change feed while open."""
        dialog = ReportDialog(self.zone, self.dispatcher, self, now=self.now)
        self._report = dialog
        try:
            dialog.exec()
        finally:
            self._report = None
            dialog.deleteLater()

    def open_history(self) -> None:
        """Every event, filterable by ticket, person, kind and dates; exportable to CSV."""
        dialog = AuditDialog(
            list(self.agents.values()), self.zone, self.dispatcher, self, now=self.now
        )
        dialog.exec()
        dialog.deleteLater()

    def show_shortcuts(self) -> KeyboardShortcutsDialog:
        """Help ▸ Keyboard shortcuts: every shortcut, read from the actions themselves."""
        dialog = KeyboardShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> AboutDialog:
        """Help ▸ About: the versions, the database and its schema revision."""
        dialog = AboutDialog(self.dispatcher, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_settings(self) -> None:
        """Let the user change the settings; they are saved and applied at once (the database
        URL at the next start)."""
        # On PostgreSQL Who I am shows the login and cannot be changed.
        login = (self.identity.person or self.tr("unknown")) if self.identity.team else None
        dialog = SettingsDialog(self.settings, list(self.agents.values()), self, login=login)
        try:
            if dialog.exec() != SettingsDialog.DialogCode.Accepted:
                return
            settings = dialog.result_settings()
        finally:
            dialog.deleteLater()
        if self.settings_store is not None:
            self.settings_store.save(settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        self.apply_settings(settings)

    def apply_settings(self, settings: ConsoleSettings) -> None:
        self.settings = settings
        self.identity.choose(settings.agent)
        self.dispatcher.actor = self.identity.person
        self.zone = ZoneInfo(settings.display_zone)
        self.model.set_zone(self.zone)
        self.model.set_thresholds(settings.thresholds)
        self.detail_pane.set_zone(self.zone)
        self.detail_pane.set_thresholds(settings.thresholds)
        self.handover.set_zone(self.zone)
        self.handover.set_me(self.me)
        self.notifier.set_me(self.me)
        self.notifier.set_thresholds(settings.thresholds)
        self.notifier.set_enabled(settings.notifications)
        self.proxy.set_queue(self.proxy.queue, self.me)
        self._show_identity()
        self.show_rows(list(self.model.rows))

    def _mail_state(self, view: MailStateView) -> None:
        # A reply by e-mail goes out only where the database keeps mail.
        self.detail_pane.composer.set_mail(view.configured if self.mail.keeps_mail else None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Another theme, or the desktop turned dark: icons in the new palette's colours.
        if event.type() == QEvent.Type.PaletteChange:
            icons.refresh()
        super().changeEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        self.mail.stop()
        self.layout_state.save()
        super().closeEvent(event)


def _period(instant: datetime) -> int:
    """Which MEMBERSHIP_SECONDS period of the clock ``instant`` falls in."""
    return int(instant.timestamp()) // MEMBERSHIP_SECONDS


def _menu_name(action: QAction) -> str:
    """The object name of the menu ``action`` opens ("" for none): a menu is found by its
    name, not by its title, which is said in the console's language."""
    menu = action.menu()
    return menu.objectName() if isinstance(menu, QMenu) else ""


__all__ = ["MainWindow", "QueueFilter"]
