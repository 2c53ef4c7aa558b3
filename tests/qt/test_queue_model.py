"""The queue table model and its proxy: qtmodeltester, queue order, live updates, filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import QueueGroup, Status
from console.domain.policy import load_policies
from console.domain.queue import ClockState
from console.qt import theme
from console.qt.queue_model import (
    COL_COUNTDOWN,
    COL_DUE,
    COL_KEY,
    COL_SEVERITY,
    LEVEL_ROLE,
    ROW_ROLE,
    QueueFilterProxy,
    TicketTableModel,
)
from console.services.demo import load_demo
from console.services.queue import QueueRow, load_rows
from console.services.queues import Queue
from console.services.queues import QueueFilter as QueueKindFilter
from console.services.tickets import PolicyBook
from history import actions, within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture(scope="module")
def demo_store() -> FakeStore:
    store = FakeStore()
    load_demo(
        FakeUnitOfWork(store, now=FakeTime(NOW)),
        PolicyBook(load_policies()),
        tickets=400,
        seed=1,
        now=NOW,
    )
    return store


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def rows(demo_store: FakeStore, book: PolicyBook) -> list[QueueRow]:
    return within(FakeUnitOfWork(demo_store, now=FakeTime(NOW)), load_rows, book)


def model_with(rows: list[QueueRow]) -> TicketTableModel:
    model = TicketTableModel(NOW, ZURICH)
    model.set_rows(rows)
    return model


def keys(model: TicketTableModel) -> list[str]:
    return [r.key for r in model.rows]


def test_models_pass_qtmodeltester(qtmodeltester: ModelTester, rows: list[QueueRow]) -> None:
    model = model_with(rows)
    qtmodeltester.check(model)
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_queue(Queue(QueueKindFilter.BREACHED, "Breached"), None)
    qtmodeltester.check(proxy)


def test_a_delegate_reads_each_cell_as_its_roles_read_one_by_one(
    qapp: object, rows: list[QueueRow]
) -> None:
    """Given the "Paused / awaiting customer" queue (its rows are not the model's first),
    When a delegate reads every cell of its first rows at once, as a view paints them,
    Then it gets the text, font, colours, alignment and icon the roles give one by one, of
    the row shown there."""
    model = model_with(rows)
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_queue(Queue(QueueKindFilter.PAUSED, "Paused"), None)
    assert proxy.mapToSource(proxy.index(0, 0)).row() > 0
    delegate = QStyledItemDelegate()
    role = Qt.ItemDataRole
    for row in range(min(proxy.rowCount(), 40)):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == (index.data(role.DisplayRole) or "")
            font = index.data(role.FontRole)
            assert option.font.bold() == (font is not None and font.bold())
            background = index.data(role.BackgroundRole)
            assert option.backgroundBrush.color() == (background or QBrush().color())
            foreground = index.data(role.ForegroundRole)
            text = option.palette.color(QPalette.ColorRole.Text)
            assert foreground is None or text == foreground
            alignment = index.data(role.TextAlignmentRole)
            if alignment is not None:
                assert option.displayAlignment == Qt.AlignmentFlag(alignment)
            has_icon = bool(option.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration)
            assert has_icon == (index.data(role.DecorationRole) is not None)


def test_default_order_is_time_remaining(rows: list[QueueRow]) -> None:
    """Breached first (most overdue first), then by due instant, then paused by time left,
    then no timed target."""
    model = model_with(rows)
    kinds = [r.ticket.summary.kind for r in model.rows]
    assert kinds == sorted(
        kinds,
        key=[
            QueueGroup.DUE,
            QueueGroup.PAUSED,
            QueueGroup.BEST_EFFORT,
            QueueGroup.NO_TARGET,
            QueueGroup.DONE,
        ].index,
    )
    dues = [r.ticket.next_due_at for r in model.rows if r.ticket.summary.kind is QueueGroup.DUE]
    assert dues == sorted(dues)  # type: ignore[type-var]
    states = [model.countdown_of(r).state for r in model.rows]
    first_not_breached = next(i for i, s in enumerate(states) if s is not ClockState.BREACHED)
    assert ClockState.BREACHED not in states[first_not_breached:]


def test_countdown_text_ticks_without_reordering(rows: list[QueueRow]) -> None:
    model = model_with(rows)
    running = next(
        i for i, r in enumerate(model.rows) if model.countdown_of(r).state is ClockState.RUNNING
    )
    index = model.index(running, COL_COUNTDOWN)
    before = model.data(index)
    order = keys(model)
    model.set_now(NOW + timedelta(seconds=5))
    assert model.data(index) != before
    assert keys(model) == order


def test_an_event_moves_only_its_row(
    demo_store: FakeStore, book: PolicyBook, rows: list[QueueRow], qtmodeltester: ModelTester
) -> None:
    """Given the queue, when an agent answers the most urgent ticket, its row moves to where
    its next clock puts it (or leaves, when nothing counts any more) and the others keep
    their order."""
    store = demo_store.copy()
    model = model_with(rows)
    qtmodeltester.check(model)  # watches the move as it happens
    first = model.rows[0]
    clock = FakeTime(NOW)
    updated = actions.respond(FakeUnitOfWork(store, now=clock), book, first.ticket, "ana.ortiz")
    fresh = within(FakeUnitOfWork(store, now=clock), load_rows, book, [first.key])
    others = [k for k in keys(model) if k != first.key]
    model.apply_changes(fresh, [] if fresh else [first.key])
    assert [k for k in keys(model) if k != first.key] == others
    if fresh:
        position = model.row_of(first.key)
        assert position is not None and model.rows[position].ticket.version == updated.version
        assert keys(model) == [r.key for r in sorted(model.rows, key=QueueRow.order)]


def test_resolving_removes_the_row(
    demo_store: FakeStore, book: PolicyBook, rows: list[QueueRow]
) -> None:
    store = demo_store.copy()
    model = model_with(rows)
    target = model.rows[5].ticket
    actions.set_status(
        FakeUnitOfWork(store, now=FakeTime(NOW)),
        book,
        target,
        next(iter(store.agents)),
        Status.RESOLVED,
    )
    model.apply_changes([], [target.key])
    assert model.row_of(target.key) is None and len(model.rows) == len(rows) - 1


def test_sorting_by_a_column_and_back(rows: list[QueueRow], qtmodeltester: ModelTester) -> None:
    model = model_with(rows)
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL_KEY)
    assert keys(model) == sorted(keys(model))
    from PySide6.QtCore import Qt

    proxy.sort(COL_SEVERITY, Qt.SortOrder.DescendingOrder)
    severities = [r.ticket.severity for r in model.rows]
    assert severities == sorted(severities, reverse=True)
    model.apply_changes([rows[3]], [])  # an update lands in its sorted place
    assert [r.ticket.severity for r in model.rows] == severities
    proxy.sort(-1)
    assert keys(model) == [r.key for r in sorted(rows, key=QueueRow.order)]
    qtmodeltester.check(proxy)


def test_queues_and_search(rows: list[QueueRow]) -> None:
    model = model_with(rows)
    proxy = QueueFilterProxy()
    proxy.setSourceModel(model)

    def shown() -> list[QueueRow]:
        return [proxy.index(i, 0).data(ROW_ROLE) for i in range(proxy.rowCount())]

    me = next(r.ticket.assignee for r in rows if r.ticket.assignee)
    proxy.set_queue(Queue(QueueKindFilter.MINE, "My open"), me)
    assert shown() and all(r.ticket.assignee == me for r in shown())
    proxy.set_queue(Queue(QueueKindFilter.UNASSIGNED, "Unassigned"), me)
    assert all(r.ticket.assignee is None for r in shown())
    proxy.set_queue(Queue(QueueKindFilter.BREACHED, "Breached"), me)
    assert shown() and all(model.countdown_of(r).state is ClockState.BREACHED for r in shown())
    proxy.set_queue(Queue(QueueKindFilter.POLICY, "ZITADEL", "zitadel"), me)
    assert shown() and all(r.key.startswith("ZIT-") for r in shown())
    proxy.set_queue(Queue(QueueKindFilter.ALL, "All"), me)
    customer = rows[0].customer.name
    proxy.set_search(customer.split()[0].upper())
    assert shown() and all(customer.split()[0].lower() in r.search_text for r in shown())
    proxy.set_search(rows[1].key.lower())
    assert [r.key for r in shown()] == [rows[1].key]


def test_countdown_colour_over_opening_time_and_breach(book: PolicyBook) -> None:
    """Given a ZITADEL Extended S2 ticket (2 business hours, 08:00-17:00 Zurich) submitted
    Friday 16:30, at Friday 18:00 its countdown waits in grey with the reason, on Monday
    08:30 it runs (level by the fraction used), and after the due instant it counts up in
    bold red on the strongest tint."""
    from PySide6.QtCore import Qt

    from console.domain.model import Customer, EventKind, Ticket, TicketEvent
    from console.services.queue import make_row

    customer = Customer("Acme AG", "zitadel", "extended")
    submitted = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # Fri 16:30 CET
    events = (TicketEvent(EventKind.CREATED, submitted, {"severity": 2, "status": "open"}),)
    due, clock = book.queue_state(customer, events, submitted)
    ticket = Ticket(
        "ZIT-9",
        "Login loops",
        customer.name,
        2,
        Status.OPEN,
        submitted,
        next_due_at=due,
        summary=clock,
    )
    row = make_row(book, ticket, customer)
    model = TicketTableModel(datetime(2026, 11, 20, 17, 0, tzinfo=UTC), ZURICH)
    model.set_rows([row])
    index = model.index(0, COL_COUNTDOWN)

    scheme = theme.colours()
    assert index.data() == "1h 30m · closed until Mon 23 Nov 08:00 CET"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == scheme.quiet
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None  # 25 % used: no threshold

    model.set_now(datetime(2026, 11, 23, 7, 30, tzinfo=UTC))  # Mon 08:30 CET
    assert index.data() == "1h 00m"
    assert index.data(Qt.ItemDataRole.ForegroundRole) is None
    assert index.data(Qt.ItemDataRole.BackgroundRole) == scheme.tints[0]  # 50 %: the first

    model.set_now(datetime(2026, 11, 23, 8, 35, tzinfo=UTC))  # 5 minutes after due
    assert index.data() == "overdue 5m 00s"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == scheme.alarm
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert index.data(Qt.ItemDataRole.BackgroundRole) == scheme.tints[3]


_PAINTED_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
)


def _cell(model: TicketTableModel, row: int, column: int) -> tuple[object, ...]:
    index = model.index(row, column)
    values = []
    for role in _PAINTED_ROLES:
        value = model.data(index, role)
        values.append(value.toString() if isinstance(value, QFont) else value)
    return tuple(values)


def test_a_tick_tells_views_of_every_cell_that_changed_and_of_few_others(
    rows: list[QueueRow],
) -> None:
    """A view repaints only the cells the model says changed. Over ticks a second apart and
    some jumps of minutes (so warning levels and breaches are crossed), a screen updated
    only from those notices always shows what the model has; and cells whose text did not
    change (most countdowns show minutes) are not repainted every second."""
    model = model_with(rows)
    everything = range(len(rows))
    columns = range(model.columnCount())
    screen = {(r, c): _cell(model, r, c) for r in everything for c in columns}
    notified: list[int] = []

    def repaint(top_left: QModelIndex, bottom_right: QModelIndex, roles: object = None) -> None:
        for r in range(top_left.row(), bottom_right.row() + 1):
            for c in range(top_left.column(), bottom_right.column() + 1):
                screen[(r, c)] = _cell(model, r, c)
                notified.append(r)

    model.dataChanged.connect(repaint)
    model.refresh_time(everything)  # the first tick tells of every row
    # Jumps of hours cross local midnight: due instants of tomorrow lose their weekday.
    steps = [timedelta(seconds=1)] * 120 + [timedelta(minutes=7)] * 40 + [timedelta(hours=2)] * 6
    now = NOW
    quiet = 0
    for step in steps:
        now += step
        notified.clear()
        model.set_now(now)
        model.refresh_time(everything)
        assert screen == {(r, c): _cell(model, r, c) for r in everything for c in columns}
        if step == timedelta(seconds=1):
            quiet += len(rows) - len(set(notified))
    assert quiet > 0.5 * 120 * len(rows)  # most rows are not repainted each second

    notified.clear()
    model.refresh_time([0, 1], force=True)  # rows joining a queue: told whatever they show
    assert set(notified) == {0, 1}


def test_another_zone_or_thresholds_repaint_every_row(rows: list[QueueRow]) -> None:
    model = model_with(rows)
    model.refresh_time(range(len(rows)))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=None: changed.append(
            (b.row() - a.row() + 1, b.column() - a.column() + 1)
        )
    )
    due = next(i for i, r in enumerate(model.rows) if r.ticket.next_due_at is not None)
    before = model.data(model.index(due, COL_DUE))
    model.set_zone(ZoneInfo("America/Los_Angeles"))
    assert changed == [(len(rows), model.columnCount())]
    assert model.data(model.index(due, COL_DUE)) != before
    model.set_thresholds((0.25, 0.5, 0.75))
    assert changed[-1] == (len(rows), model.columnCount())


def test_a_row_back_on_screen_is_told_of_whole(rows: list[QueueRow]) -> None:
    """What a row showed is kept only while it stays on screen: one that scrolled away and
    back was painted afresh meanwhile, so its next tick tells of the whole row (a kept
    value could match what it shows now while the screen shows something newer)."""
    model = model_with(rows)
    told: list[tuple[int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=None: told.append((a.row(), a.column(), b.column()))
    )
    model.refresh_time(range(10))
    model.refresh_time(range(10))
    assert told[:1] == [(0, 0, model.columnCount() - 1)] and len(told) == 1  # the same texts
    model.refresh_time(range(10, 20))  # rows 0-9 left the screen
    told.clear()
    model.refresh_time([3])
    assert told == [(3, 0, model.columnCount() - 1)]


def test_a_tick_tells_of_a_changed_countdown_cell_by_itself(rows: list[QueueRow]) -> None:
    """A countdown that reads otherwise is told of as its one cell (a range of cells makes Qt
    repaint the column to its right too); only a row whose warning level changed is told of
    whole."""
    model = model_with(rows)
    everything = range(len(rows))
    model.refresh_time(everything)
    last = model.columnCount() - 1
    told: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=None: told.append((a.row(), a.column(), b.row(), b.column()))
    )
    before = [model.data(model.index(r, COL_COUNTDOWN)) for r in everything]
    model.set_now(NOW + timedelta(minutes=1))
    model.refresh_time(everything)
    after = [model.data(model.index(r, COL_COUNTDOWN)) for r in everything]
    changed = {r for r in everything if before[r] != after[r]}
    assert changed
    cells = {
        (top, column) for top, column, bottom, right in told if (top, column) == (bottom, right)
    }
    ranges = [t for t in told if (t[0], t[1]) != (t[2], t[3])]
    assert all(column == 0 and right == last for _, column, _, right in ranges)
    whole = {r for top, _, bottom, _ in ranges for r in range(top, bottom + 1)}
    assert {column for _, column in cells} <= {COL_COUNTDOWN, COL_DUE}
    assert changed <= whole | {r for r, _ in cells}
    assert len(whole) < len(changed)


def test_a_row_a_view_painted_is_told_only_of_what_changed_since(rows: list[QueueRow]) -> None:
    """A view that painted a row's countdown (it read it) painted what the row shows then:
    the next tick tells of the cells that read otherwise since, not of the whole row (as it
    must for a row no view has read)."""
    model = model_with(rows)
    for r in range(10):  # a view paints rows 0-9; rows 10-19 it has not painted
        model.data(model.index(r, COL_COUNTDOWN))
    levels = [model.data(model.index(r, COL_KEY), LEVEL_ROLE) for r in range(20)]
    told: list[tuple[int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=None: told.extend(
            (r, a.column(), b.column()) for r in range(a.row(), b.row() + 1)
        )
    )
    model.set_now(NOW + timedelta(seconds=1))
    model.refresh_time(range(20))
    whole = {r for r, left, right in told if (left, right) == (0, model.columnCount() - 1)}
    level_changed = {
        r for r in range(20) if model.data(model.index(r, COL_KEY), LEVEL_ROLE) != levels[r]
    }
    assert whole == set(range(10, 20)) | level_changed
