"""The agent console: queues, the ticket table, the detail pane, actions and live updates."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console.adapters.database import describe
from console.adapters.repository import UnitOfWork
from console.domain.errors import ConcurrentEditError
from console.domain.model import Agent, Handover, HolidayPeriod, Role, Status, Ticket
from console.domain.policy import CompanyPeriod
from console.domain.queue import LiveState
from console.qt.audit_view import AuditDialog
from console.qt.backend import Backend
from console.qt.calendars_view import CalendarsDialog
from console.qt.detail import DetailPane
from console.qt.handover_view import HandoverView
from console.qt.notifications import ThresholdNotifier
from console.qt.queue_model import (
    COL_ASSIGNEE,
    COL_COUNTDOWN,
    COL_CUSTOMER,
    COL_DUE,
    COL_KEY,
    COL_POLICY,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    ROW_ROLE,
    Queue,
    QueueFilterProxy,
    QueueKindFilter,
    TicketTableModel,
    is_paused,
)
from console.qt.report_view import ReportDialog
from console.qt.settings import ConsoleSettings, SettingsDialog, SettingsStore, apply_theme
from console.qt.severity_dialog import SeverityDialog
from console.services import actions, leads
from console.services.audit import AuditFilter
from console.services.handover import DEFAULT_SHIFTS
from console.services.queue import QueueRow, TicketDetail

QUEUE_MINE = Queue(QueueKindFilter.MINE, "My open")
QUEUE_UNASSIGNED = Queue(QueueKindFilter.UNASSIGNED, "Unassigned")
QUEUE_ALL = Queue(QueueKindFilter.ALL, "All open")
QUEUE_PAUSED = Queue(QueueKindFilter.PAUSED, "Paused / awaiting customer")
STANDARD_QUEUES = (
    QUEUE_MINE,
    QUEUE_UNASSIGNED,
    QUEUE_ALL,
    Queue(QueueKindFilter.BREACHING_SOON, "Breaching within 1 h"),
    Queue(QueueKindFilter.BREACHED, "Breached"),
    QUEUE_PAUSED,
)
QUEUE_ROLE = Qt.ItemDataRole.UserRole + 10
SAVED_SEARCHES_KEY = "queues/saved_searches"
COUNT_SECONDS = 5  # queue counts are refreshed this often (a pass over every row)


class MainWindow(QMainWindow):
    """The console window. Every database call goes through ``backend``."""

    def __init__(
        self,
        backend: Backend,
        settings: ConsoleSettings,
        clock: Callable[[], datetime],
        *,
        notifier: ThresholdNotifier | None = None,
        settings_store: SettingsStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings_store = settings_store
        self.backend = backend
        self.settings = settings
        self.clock = clock
        self.zone: tzinfo = ZoneInfo(settings.display_zone)
        self.agents: dict[str, Agent] = {}
        self.detail: TicketDetail | None = None
        self._tick_count = 0
        self._last_tick = clock()
        self._counts: dict[Queue, int] = {}
        self.holiday_periods: list[HolidayPeriod] = []
        # My rows, and when each next needs a look for notifications (a heap).
        self._mine: dict[str, QueueRow] = {}
        self._checks: list[tuple[datetime, str, int]] = []
        self.notifier = notifier or ThresholdNotifier(settings.agent, settings.thresholds)
        self.notifier.set_enabled(settings.notifications)

        self.setWindowTitle("Support Console")
        self.resize(1440, 860)
        self.model = TicketTableModel(clock(), self.zone, settings.thresholds, parent=self)
        self.proxy = QueueFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._connect_backend()

        self.timer = QTimer(self)
        self.timer.setObjectName("countdownTimer")
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.search_timer = QTimer(self)
        self.search_timer.setObjectName("searchDebounce")
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(200)
        self.search_timer.timeout.connect(self._apply_search)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #b71c1c; color: white; padding: 6px 12px; font-weight: 600; }"
        )
        self.banner.hide()

        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("queueList")
        # Wide enough for the longest standard queue with a six-digit count.
        widest = max(
            self.sidebar.fontMetrics().horizontalAdvance(f"{q.label}  (100,000)")
            for q in STANDARD_QUEUES
        )
        self._sidebar_width = max(210, widest + 32)  # item padding, frame and scroll bar
        self.sidebar.setMinimumWidth(self._sidebar_width)
        self.sidebar.setMaximumWidth(self._sidebar_width + 120)
        for queue in STANDARD_QUEUES:
            self._add_queue(queue)
        self._add_heading("Saved searches")
        self._restore_searches()
        self._add_heading("Policies")
        self.sidebar.currentItemChanged.connect(self._queue_chosen)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search key, customer or title  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        save_search = QPushButton("Save search", self)
        save_search.setObjectName("saveSearch")
        save_search.clicked.connect(self._save_search)

        self.table = QTableView(self)
        self.table.setObjectName("ticketTable")
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
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        widths = {
            COL_KEY: 90,
            COL_COUNTDOWN: 250,
            COL_DUE: 130,
            COL_SEVERITY: 110,
            COL_TITLE: 300,
            COL_CUSTOMER: 190,
            COL_STATUS: 120,
            COL_ASSIGNEE: 120,
            COL_POLICY: 170,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(COL_CUSTOMER, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        center = QWidget(self)
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(save_search)
        self.queue_title = QLabel(self)
        self.queue_title.setObjectName("queueTitle")
        self.queue_title.setStyleSheet("font-size: 15px; font-weight: 600;")
        center_layout.addWidget(self.queue_title)
        center_layout.addLayout(search_row)
        center_layout.addWidget(self.table, 1)

        self.detail_pane = DetailPane(self)
        self.detail_pane.setMinimumWidth(380)
        self.table.doubleClicked.connect(lambda _: self.detail_pane.setFocus())

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(center)
        splitter.addWidget(self.detail_pane)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([self._sidebar_width, 820, 440])

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
            self.settings.agent,
            {},
            request_board=self._request_board,
            hand_over=self._hand_over,
            acknowledge=self._acknowledge_handover,
            now=self.clock,
            parent=self,
        )
        self.handover.ticketActivated.connect(self._open_from_handover)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "Queue")
        self.tabs.addTab(self.handover, "Handover")
        inner_layout.addWidget(self.tabs)
        root_layout.addWidget(inner, 1)
        self.setCentralWidget(root)

        self._build_actions()
        self.db_label = QLabel(self)
        self.db_label.setObjectName("databaseLabel")
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("connectionLabel")
        self.me_label = QLabel(self)
        self.me_label.setObjectName("meLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        for label in (self.db_label, self.connection_label, self.me_label, self.count_label):
            self.statusBar().addPermanentWidget(label)
        self.db_label.setText(f"Database: {describe(self.backend.database.url)}")
        self._show_connection(True, "connected")
        self._show_me()
        self.sidebar.setCurrentRow(0)

    def _add_queue(self, queue: Queue) -> None:
        item = QListWidgetItem(queue.label)
        item.setData(QUEUE_ROLE, queue)
        self.sidebar.addItem(item)

    def _add_heading(self, text: str) -> None:
        item = QListWidgetItem(text.upper())
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setBold(True)
        item.setFont(font)
        self.sidebar.addItem(item)

    def _build_actions(self) -> None:
        toolbar = QToolBar("Actions", self)
        toolbar.setObjectName("actionsToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        menu = self.menuBar().addMenu("&Ticket")
        self.ticket_actions: dict[str, QAction] = {}

        def add(
            name: str,
            text: str,
            shortcut: str,
            handler: Callable[[], None],
            on_toolbar: bool = True,
        ) -> QAction:
            action = QAction(text, self)
            action.setObjectName(f"action_{name}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setToolTip(f"{text} ({shortcut})")
            action.triggered.connect(handler)
            menu.addAction(action)
            if on_toolbar:
                toolbar.addAction(action)
            self.ticket_actions[name] = action
            return action

        add("take", "Take", "T", self.take)
        add("assign", "Assign…", "A", self.assign)
        add("respond", "Record response", "R", self.respond)
        add("update", "Send update", "U", self.send_update)
        status_menu = QMenu("Set status", self)
        for status in Status:
            action = status_menu.addAction(status.label.capitalize())
            action.setObjectName(f"action_status_{status.value}")
            action.triggered.connect(partial(self.set_status, status))
        status_button = QAction("Status", self)
        status_button.setObjectName("action_status")
        status_button.setMenu(status_menu)
        toolbar.addAction(status_button)
        menu.addMenu(status_menu)
        add("escalate", "Escalate…", "E", self.escalate)
        add("severity", "Change severity…", "Ctrl+Shift+S", self.change_severity)
        add("rca", "RCA delivered", "", self.deliver_rca)
        add("waive", "Waive…", "", self.waive)
        add("note", "Add note", "N", self.add_note)
        menu.addSeparator()
        find = QAction("Find", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        refresh = QAction("Reload", self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.backend.load_queue)
        menu.addAction(refresh)
        settings_action = QAction("Settings…", self)
        settings_action.setObjectName("action_settings")
        settings_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        settings_action.triggered.connect(self.edit_settings)
        console_menu = self.menuBar().addMenu("&Console")
        calendars_action = QAction("Calendars…", self)
        calendars_action.setObjectName("action_calendars")
        calendars_action.triggered.connect(self.open_calendars)
        history_action = QAction("History…", self)
        history_action.setObjectName("action_history")
        history_action.setShortcut(QKeySequence("Ctrl+H"))
        history_action.triggered.connect(self.open_history)
        report_action = QAction("SLA report…", self)
        report_action.setObjectName("action_report")
        report_action.triggered.connect(self.open_report)
        console_menu.addAction(calendars_action)
        console_menu.addAction(history_action)
        console_menu.addAction(report_action)
        handover_action = QAction("Shift handover", self)
        handover_action.setObjectName("action_handover")
        handover_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        handover_action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.handover))
        console_menu.addAction(handover_action)
        console_menu.addSeparator()
        console_menu.addAction(settings_action)
        self._update_actions()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------------ backend

    def _connect_backend(self) -> None:
        backend = self.backend
        backend.queueLoaded.connect(self.show_rows)
        backend.rowsChanged.connect(self.apply_changes)
        backend.detailLoaded.connect(self.show_detail)
        backend.agentsLoaded.connect(self.set_agents)
        backend.actionDone.connect(self._action_done)
        backend.actionFailed.connect(self._action_failed)
        backend.connectionChanged.connect(self._show_connection)
        backend.holidaysLoaded.connect(self._set_holidays)
        backend.boardLoaded.connect(self.handover.show_board)
        backend.actionDone.connect(self._handover_action_finished)
        backend.actionFailed.connect(self._handover_action_finished)

    def show_rows(self, rows: list[QueueRow]) -> None:
        selected = self.selected_key()
        self.model.set_rows(rows)
        self._add_policy_queues(rows)
        self._counts = {}
        self._count(rows, +1)
        me = self.settings.agent
        self._mine = {r.key: r for r in rows if me is not None and r.ticket.assignee == me}
        self._checks = []
        self._check_notifications(list(self._mine.values()))
        self._refresh_counts()
        if selected is not None:
            self.select_key(selected)

    def apply_changes(self, rows: list[QueueRow], gone: list[str]) -> None:
        selected = self.selected_key()
        positions = (self.model.row_of(key) for key in [*gone, *(r.key for r in rows)])
        self._count([self.model.rows[p] for p in positions if p is not None], -1)
        self._count(rows, +1)
        self._add_policy_queues(rows)
        self.model.apply_changes(rows, gone)
        me = self.settings.agent
        for key in gone:
            self._mine.pop(key, None)
        mine = []
        for row in rows:
            if me is not None and row.ticket.assignee == me:
                self._mine[row.key] = row
                mine.append(row)
            else:
                self._mine.pop(row.key, None)
        self._check_notifications(mine)
        changed = {r.key for r in rows} | set(gone)
        if selected is not None and selected in changed:
            self.backend.load_detail(selected)
        if selected is not None:
            self.select_key(selected, scroll=False)
        self._refresh_counts()

    def set_agents(self, agents: list[Agent]) -> None:
        self.agents = {a.name: a for a in agents}
        self.model.set_people({a.name: a.display_name for a in agents})
        self.handover.set_agents({a.name: a.display_name for a in agents})
        self._show_me()

    def show_detail(self, detail: TicketDetail) -> None:
        if detail.row.key != self.selected_key():
            return
        self.detail = detail
        self.detail_pane.show_detail(detail, self.clock(), self.zone)
        self._update_actions()

    def _show_connection(self, online: bool, message: str) -> None:
        if online:
            self.connection_label.setText("● connected")
            self.connection_label.setStyleSheet("color: #2e7d32;")
            if not self.banner.isHidden():
                self.banner.hide()
                self.backend.load_queue()  # catch up on anything the feed could not say
        else:
            self.connection_label.setText("● offline")
            self.connection_label.setStyleSheet("color: #c62828; font-weight: 600;")
            self.banner.setText(
                f"Database unreachable ({message}). Countdowns go on; changes are refused until "
                "the connection is back. Reconnecting…"
            )
            self.banner.show()
        self._update_actions()

    def _show_me(self) -> None:
        me = self.agents.get(self.settings.agent or "")
        if me is None:
            self.me_label.setText("Signed in as: nobody (choose in Settings)")
        else:
            self.me_label.setText(f"Signed in as {me.display_name} ({me.role.value})")

    # ------------------------------------------------------------------ time

    def tick(self) -> None:
        """Once a second: countdowns of the rows on screen, the detail pane, notifications."""
        now = self.clock()
        self._tick_count += 1
        self.model.set_now(now)
        self.model.refresh_time(self.visible_source_rows())
        if self.detail is not None:
            self.detail_pane.tick(now)
        self.handover.tick(now)
        due_checks = []
        while self._checks and self._checks[0][0] <= now:
            _, key, version = heapq.heappop(self._checks)
            row = self._mine.get(key)
            if row is not None and row.ticket.version == version:
                due_checks.append(row)
        if due_checks:
            self._check_notifications(due_checks)
        # Rows that just became breached (or due within the hour) join those queues.
        crossed = self.model.crossing(self._last_tick, now)
        if crossed:
            self.model.refresh_time(crossed, force=True)
        self._last_tick = now
        if self._tick_count % COUNT_SECONDS == 0 or crossed:
            self._refresh_counts()

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

    def _check_notifications(self, rows: list[QueueRow]) -> None:
        """Let the notifier look at these rows of mine, and plan when each needs another look:
        business time never passes faster than wall time, so now plus the business time to
        the next threshold is never too late."""
        if not rows:
            return
        now = self.clock()
        self.notifier.check(rows, now)
        thresholds = self.settings.thresholds
        for row in rows:
            cd = (
                self.model.countdown_of(row)
                if self.model.row_of(row.key) is not None
                else (row.countdown(now))
            )
            target = row.ticket.clock.target
            if cd.state not in (LiveState.RUNNING, LiveState.WAITING) or cd.left is None:
                continue
            waits = [cd.left]
            if target and cd.fraction is not None:
                waits += [
                    (limit - cd.fraction) * target for limit in thresholds if limit > cd.fraction
                ]
            wait = max(min(waits), timedelta(seconds=1))
            heapq.heappush(self._checks, (now + wait, row.key, row.ticket.version))

    def _count(self, rows: Iterable[QueueRow], delta: int) -> None:
        """Add (or take away) rows' contributions to the counts of the queues that do not
        depend on time: a few comparisons a row, no walk over the sidebar (100,000 rows at
        start, in plain integers first)."""
        me = self.settings.agent
        total = unassigned = mine = paused = 0
        policies: dict[tuple[str, str], int] = {}
        for row in rows:
            total += 1
            assignee = row.ticket.assignee
            if assignee is None:
                unassigned += 1
            elif assignee == me:
                mine += 1
            if is_paused(row):
                paused += 1
            policy = (row.policy.vendor, row.customer.policy_id)
            policies[policy] = policies.get(policy, 0) + 1
        counts = self._counts
        found = [(QUEUE_ALL, total), (QUEUE_UNASSIGNED, unassigned), (QUEUE_MINE, mine)]
        found.append((QUEUE_PAUSED, paused))
        found += [
            (Queue(QueueKindFilter.POLICY, vendor, policy_id), number)
            for (vendor, policy_id), number in policies.items()
        ]
        for key, number in found:
            if number:
                counts[key] = counts.get(key, 0) + delta * number

    def _refresh_counts(self) -> None:
        """Queue counts: kept up to date row by row, and by binary search for the queues that
        depend on time, so a refresh never walks every row."""
        now = self.clock()
        for i in range(self.sidebar.count()):
            item = self.sidebar.item(i)
            queue = item.data(QUEUE_ROLE)
            if not isinstance(queue, Queue):
                continue
            if queue.kind is QueueKindFilter.BREACHED:
                count: int | None = self.model.count_due_between(None, now)
            elif queue.kind is QueueKindFilter.BREACHING_SOON:
                count = self.model.count_due_between(now, now + timedelta(hours=1))
            elif queue.kind is QueueKindFilter.SEARCH:
                count = self.proxy.rowCount() if queue == self.proxy.queue else None
            else:
                count = self._counts.get(queue, 0)
            item.setText(queue.label if count is None else f"{queue.label}  ({count:,})")
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown:,} shown · {len(self.model.rows):,} open")
        self.queue_title.setText(self.proxy.queue.label)

    def _add_policy_queues(self, rows: list[QueueRow]) -> None:
        present = {self.sidebar.item(i).data(QUEUE_ROLE) for i in range(self.sidebar.count())}
        vendors = sorted({(r.policy.vendor, r.customer.policy_id) for r in rows})
        for vendor, policy_id in vendors:
            queue = Queue(QueueKindFilter.POLICY, vendor, policy_id)
            if queue not in present:
                self._add_queue(queue)
                present.add(queue)

    # ------------------------------------------------------------------ selection, queues

    def _queue_chosen(self, current: QListWidgetItem | None, _: Any = None) -> None:
        queue = current.data(QUEUE_ROLE) if current is not None else None
        if isinstance(queue, Queue):
            self.proxy.set_queue(queue, self.settings.agent)
            self._refresh_counts()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._refresh_counts()

    def _save_search(self) -> None:
        text = self.search.text().strip()
        if not text or text in self.saved_searches():
            return
        self._add_queue(Queue(QueueKindFilter.SEARCH, f"“{text}”", text))
        self._store_searches()
        self._refresh_counts()

    def saved_searches(self) -> list[str]:
        searches = []
        for i in range(self.sidebar.count()):
            queue = self.sidebar.item(i).data(QUEUE_ROLE)
            if isinstance(queue, Queue) and queue.kind is QueueKindFilter.SEARCH:
                searches.append(queue.argument)
        return searches

    def _store_searches(self) -> None:
        if self.settings_store is not None:
            self.settings_store.qsettings.setValue(SAVED_SEARCHES_KEY, self.saved_searches())

    def _restore_searches(self) -> None:
        if self.settings_store is None:
            return
        stored = self.settings_store.qsettings.value(SAVED_SEARCHES_KEY, [])
        texts = (
            [stored]
            if isinstance(stored, str)
            else list(stored)
            if isinstance(stored, list | tuple)
            else []
        )
        for text in texts:
            if isinstance(text, str) and text.strip():
                self._add_queue(Queue(QueueKindFilter.SEARCH, f"“{text}”", text))

    def selected_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row.key if isinstance(row, QueueRow) else None

    def selected_ticket(self) -> Ticket | None:
        key = self.selected_key()
        if key is None:
            return None
        position = self.model.row_of(key)
        return self.model.rows[position].ticket if position is not None else None

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
        key = self.selected_key()
        self.detail = None
        if key is None:
            self.detail_pane.show_detail(None, self.clock(), self.zone)
        else:
            self.backend.load_detail(key)
        self._update_actions()

    def _update_actions(self) -> None:
        enabled = self.selected_key() is not None
        for action in self.ticket_actions.values():
            action.setEnabled(enabled)

    # ------------------------------------------------------------------ actions

    def _run(self, description: str, action: Callable[[UnitOfWork, Ticket], Any]) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            return
        self._last_action = (description, action)
        self.backend.perform(description, lambda uow: action(uow, ticket))

    def _me(self) -> str | None:
        if self.settings.agent is None:
            QMessageBox.information(
                self, "Who are you?", "Choose who you are in Settings before changing tickets."
            )
        return self.settings.agent

    def take(self) -> None:
        me = self._me()
        if me is not None:
            self._run("Take", lambda uow, t: actions.assign(uow, self.backend.book, t, me, me))

    def assign(self) -> None:
        me = self._me()
        if me is None:
            return
        names = ["(unassigned)", *sorted(self.agents)]
        labels = [names[0], *(f"{self.agents[n].display_name} ({n})" for n in names[1:])]
        choice, ok = QInputDialog.getItem(self, "Assign", "Assign the ticket to:", labels, 0, False)
        if ok:
            target = None if choice == labels[0] else names[labels.index(choice)]
            self._run(
                "Assign", lambda uow, t: actions.assign(uow, self.backend.book, t, me, target)
            )

    def respond(self) -> None:
        me = self._me()
        if me is not None:
            self._run(
                "Record response", lambda uow, t: actions.respond(uow, self.backend.book, t, me)
            )

    def send_update(self) -> None:
        me = self._me()
        if me is not None:
            self._run(
                "Send update", lambda uow, t: actions.send_update(uow, self.backend.book, t, me)
            )

    def set_status(self, status: Status) -> None:
        me = self._me()
        if me is not None:
            self._run(
                f"Set status to {status.label}",
                lambda uow, t: actions.set_status(uow, self.backend.book, t, me, status),
            )

    def escalate(self) -> None:
        me = self._me()
        if me is None:
            return
        choice, ok = QInputDialog.getItem(
            self,
            "Escalate",
            "How urgent is it?",
            ["Non-urgent (manager answer within the policy's time)", "Urgent"],
            0,
            False,
        )
        if ok:
            urgent = choice == "Urgent"
            self._run(
                "Escalate",
                lambda uow, t: actions.escalate(uow, self.backend.book, t, me, urgent=urgent),
            )

    def selected_rows(self) -> list[QueueRow]:
        rows = []
        for index in self.table.selectionModel().selectedRows():
            row = index.data(ROW_ROLE)
            if isinstance(row, QueueRow):
                rows.append(row)
        return rows

    def change_severity(self) -> None:
        """A lead's severity change of the selected tickets (one policy), with every clock's
        new deadline shown before confirming; several tickets change all or none."""
        me = self._me()
        rows = self.selected_rows()
        if me is None or not rows:
            return
        if not self._is_lead():
            QMessageBox.information(
                self, "Change severity", "Changing the severity is for team leads."
            )
            return
        if len({r.customer.policy_id for r in rows}) > 1:
            QMessageBox.information(
                self,
                "Change severity",
                "Choose tickets of one policy: severities differ between policies.",
            )
            return
        keys = [r.key for r in rows]

        def ask(to: int) -> None:
            for key in keys:
                self.backend.preview_severity(key, to)

        dialog = SeverityDialog(rows, self.zone, ask, self)

        def preview(key: str, to: int, changes: object, now: object) -> None:
            if key in keys:
                dialog.show_preview(to, changes, now, key)  # type: ignore[arg-type]

        self.backend.previewLoaded.connect(preview)
        try:
            accepted = dialog.exec() == SeverityDialog.DialogCode.Accepted
        finally:
            self.backend.previewLoaded.disconnect(preview)
        if not accepted:
            return
        to, reason, notified = dialog.chosen(), dialog.reason_text(), dialog.notified.isChecked()
        tickets = [r.ticket for r in rows]
        book = self.backend.book
        self._last_action = (
            "Change severity",
            lambda uow, t: leads.change_severity(
                uow, book, t, me, to, reason, customer_notified=notified
            ),
        )
        self.backend.perform(
            "Change severity",
            lambda uow: leads.change_severity_many(
                uow, book, tickets, me, to, reason, customer_notified=notified
            ),
        )

    def deliver_rca(self) -> None:
        me = self._me()
        if me is not None:
            self._run(
                "RCA delivered", lambda uow, t: actions.deliver_rca(uow, self.backend.book, t, me)
            )

    def waive(self) -> None:
        me = self._me()
        row = self._selected_row()
        if me is None or row is None:
            return
        waivers = row.policy.waivers
        if not waivers:
            QMessageBox.information(self, "Waive", f"{row.policy.vendor}'s policy has no waivers.")
            return
        names = [w.name for w in waivers]
        choice, ok = QInputDialog.getItem(
            self, "Waive the target", "Why does the target not apply?", names, 0, False
        )
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "Waive the target", "Reason (required):")
        if ok and reason.strip():
            waiver = waivers[names.index(choice)].id
            self._run(
                "Waive", lambda uow, t: actions.waive(uow, self.backend.book, t, me, waiver, reason)
            )

    def add_note(self) -> None:
        me = self._me()
        if me is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, "Add note", "Note:")
        if ok and text.strip():
            self._run(
                "Add note", lambda uow, t: actions.add_note(uow, self.backend.book, t, me, text)
            )

    def _selected_row(self) -> QueueRow | None:
        key = self.selected_key()
        position = self.model.row_of(key) if key else None
        return self.model.rows[position] if position is not None else None

    def _action_done(self, description: str, ticket: object) -> None:
        if isinstance(ticket, Ticket):
            self.statusBar().showMessage(f"{description}: {ticket.key} saved", 4000)
        else:
            self.statusBar().showMessage(f"{description}: saved", 4000)

    def _action_failed(self, message: str, error: object) -> None:
        if isinstance(error, ConcurrentEditError) and isinstance(error.current, Ticket):
            self._conflict(error)
            return
        if not self.backend.online:
            # The banner explains; the refusal itself goes to the status bar.
            self.statusBar().showMessage(message, 8000)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Not saved", message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("failureDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _conflict(self, error: ConcurrentEditError) -> None:
        """Show what changed meanwhile and offer to retry on the new version (window-modal,
        without blocking the countdown)."""
        current = error.current
        assert isinstance(current, Ticket)
        row = self._selected_row()
        mine = row.ticket if row is not None and row.key == current.key else None
        changes = []
        if mine is not None:
            for label, before, after in (
                ("status", mine.status.label, current.status.label),
                ("assignee", mine.assignee or "nobody", current.assignee or "nobody"),
                ("severity", str(mine.severity), str(current.severity)),
                ("title", mine.title, current.title),
            ):
                if before != after:
                    changes.append(f"• {label}: {before} → {after}")
        details = "\n".join(changes) or "• its history (an event was added)"
        box = QMessageBox(self)
        box.setObjectName("conflictDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changed by someone else")
        box.setText(
            f"{current.key} was changed by someone else while you were looking at it (you saw "
            f"version {error.expected_version}, it is now version {current.version}). Your "
            "change was not saved."
        )
        box.setInformativeText(f"What changed:\n{details}\n\nRetry your change on the new version?")
        retry = box.addButton("Retry on the new version", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        last = getattr(self, "_last_action", None)

        def finished(button: Any) -> None:
            if button is retry and last is not None:
                description, action = last
                self.backend.perform(description, lambda uow: action(uow, current))

        box.buttonClicked.connect(finished)
        box.open()
        self.backend.load_detail(current.key)

    # ------------------------------------------------------------------ settings

    # ------------------------------------------------------------------ handover

    def _request_board(self, start: datetime, end: datetime) -> None:
        self.backend.load_board(start, end)

    def _hand_over(self, start: datetime, end: datetime, note: str, notes: dict[str, str]) -> None:
        me = self._me()
        if me is not None:
            self.backend.hand_over(me, start, end, note, notes)

    def _acknowledge_handover(self, handover: Handover) -> None:
        me = self._me()
        if me is not None:
            self.backend.acknowledge(handover, me)

    def _handover_action_finished(self, *_: object) -> None:
        """A hand-over or acknowledgement is done (or refused): show the board as it is now."""
        if self.handover.pending:
            self.handover.refresh()

    def _open_from_handover(self, key: str) -> None:
        self.tabs.setCurrentIndex(0)
        if not self.select_key(key):  # not in the chosen queue: look in all open tickets
            self.sidebar.setCurrentRow(STANDARD_QUEUES.index(QUEUE_ALL))
            self.search.clear()
            self._apply_search()
            self.select_key(key)

    def _set_holidays(self, periods: list[HolidayPeriod]) -> None:
        self.holiday_periods = periods

    def _is_lead(self) -> bool:
        agent = self.agents.get(self.settings.agent or "")
        return agent is not None and agent.role is Role.LEAD

    def open_calendars(self) -> None:
        """Each policy's calendars, a due date calculator and (for leads) the company holiday
        periods, with the number of due instants an edit moves before it is saved."""
        me = self.settings.agent
        backend = self.backend
        holder: list[CalendarsDialog] = []

        def count(policy_id: str, periods: list[CompanyPeriod]) -> None:
            request = holder[0].last_request if holder else 0
            backend.count_moves(policy_id, periods, request)

        def save(policy_id: str, added: list[HolidayPeriod], removed: list[HolidayPeriod]) -> None:
            if me is not None:
                backend.save_holidays(me, policy_id, added, removed)

        dialog = CalendarsDialog(
            backend.book.policies,
            self.holiday_periods,
            now=self.clock(),
            zone=self.zone,
            can_edit=self._is_lead(),
            count_moves=count,
            save=save,
            parent=self,
        )
        holder.append(dialog)

        def moves(policy_id: str, moved: int, request: int) -> None:
            dialog.show_moves(policy_id, moved, request=request)

        def failed(message: str, _: object) -> None:
            dialog.save_failed(dialog.policy_id, message)

        connections = (
            (backend.movesCounted, moves),
            (backend.holidaysLoaded, dialog.set_periods),
            (backend.actionFailed, failed),
        )
        for signal, slot in connections:
            signal.connect(slot)
        backend.load_holidays()
        try:
            dialog.exec()
        finally:
            for signal, slot in connections:
                signal.disconnect(slot)

    def open_report(self) -> None:
        """SLA compliance per policy, plan, severity and metric over a date range."""

        def query(since: datetime, until: datetime) -> None:
            self.backend.load_report(since, until)

        dialog = ReportDialog(self.zone, query, self, now=self.clock)
        self.backend.reportLoaded.connect(dialog.show_report)
        try:
            dialog.exec()
        finally:
            self.backend.reportLoaded.disconnect(dialog.show_report)

    def open_history(self) -> None:
        """Every event, filterable by ticket, person, kind and dates; exportable to CSV."""

        def query(audit_filter: AuditFilter) -> None:
            self.backend.query_audit(audit_filter)

        dialog = AuditDialog(list(self.agents.values()), self.zone, query, self, now=self.clock)
        self.backend.auditLoaded.connect(dialog.show_rows)
        try:
            dialog.exec()
        finally:
            self.backend.auditLoaded.disconnect(dialog.show_rows)

    def edit_settings(self) -> None:
        """Let the user change the settings; they are saved and applied at once (the database
        URL at the next start)."""
        dialog = SettingsDialog(self.settings, list(self.agents.values()), self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        settings = dialog.result_settings()
        if self.settings_store is not None:
            self.settings_store.save(settings)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, settings.theme)
        self.apply_settings(settings)

    def apply_settings(self, settings: ConsoleSettings) -> None:
        self.settings = settings
        self.zone = ZoneInfo(settings.display_zone)
        self.model.set_zone(self.zone)
        self.model.set_thresholds(settings.thresholds)
        self.detail_pane.set_zone(self.zone)
        self.handover.set_zone(self.zone)
        self.handover.set_me(settings.agent)
        self.notifier.set_me(settings.agent)
        self.notifier.set_thresholds(settings.thresholds)
        self.notifier.set_enabled(settings.notifications)
        self.proxy.set_queue(self.proxy.queue, settings.agent)
        self._show_me()
        self.show_rows(list(self.model.rows))

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)
