"""The queue tab's layout: the detail pane closes to a rail while no ticket is selected (and
when the agent hides it), the columns are chosen from the header, the default columns fit
at 1,440 px, the window is usable at 1,024 x 600, and the layout outlives the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QLabel, QMenu, QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.domain.queue import ClockState
from console.qt.layout_state import PANE_MINIMUM, RAIL_WIDTH, DetailDock
from console.qt.main_window import MainWindow
from console.qt.queue_columns import (
    ALWAYS_SHOWN,
    HIDDEN_BY_DEFAULT,
    WordElideDelegate,
    elide_words,
    text_margin,
)
from console.qt.queue_model import (
    COL_COUNTDOWN,
    COL_CUSTOMER,
    COL_DUE,
    COL_KEY,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    HEADERS,
)
from console.qt.settings import SettingsStore
from consoles import NOW, Console, demo_database


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    return demo_database(tmp_path, tickets=300, seed=2)


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def consoles() -> Iterator[list[Console]]:
    made: list[Console] = []
    yield made
    for console in made:
        console.close()


def shown_at(qtbot: QtBot, console: Console, width: int, height: int) -> MainWindow:
    window = console.window
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    settle_layout(qtbot)
    return window


def settle_layout(qtbot: QtBot) -> None:
    """Let layouts settle and zero-time timers run (the detail pane fits its split)."""
    qtbot.wait(30)


def select(console: Console, key: str) -> None:
    assert console.window.select_key(key)
    console.settle()
    assert console.window.detail is not None and console.window.detail.row.key == key
    settle_layout(console.qtbot)


def first_breached(window: MainWindow) -> str:
    rows = window.model.rows
    return next(r.key for r in rows if window.model.countdown_of(r).state is ClockState.BREACHED)


def dock(window: MainWindow) -> DetailDock:
    return window.layout_state.dock


def column_action(menu: QMenu, column: int) -> object:
    menu.aboutToShow.emit()  # filled afresh, as when it opens
    return next(a for a in menu.actions() if a.objectName() == f"column_{column}")


def clock_labels(window: MainWindow) -> list[QLabel]:
    """The detail pane's times left on its clocks, as shown."""
    return [
        label
        for label in window.detail_pane.findChildren(QLabel)
        if label.objectName().startswith("clockLeft_") and label.isVisible()
    ]


def overdue_clock(window: MainWindow) -> QLabel:
    """The detail pane's time left on its breached clock."""
    labels = clock_labels(window)
    overdue = [label for label in labels if "overdue" in label.text()]
    assert overdue, [label.text() for label in labels]
    return overdue[0]


def fits_in_its_parents(widget: QWidget) -> bool:
    """``widget`` is drawn whole: no ancestor up to the window cuts any of it off."""
    rect = widget.rect()
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        rect = rect.translated(child.pos())
        if not parent.rect().contains(rect):
            return False
        child, parent = parent, parent.parentWidget()
    return True


# --------------------------------------------------------------------------- the detail pane


def test_the_detail_pane_closes_to_a_rail_while_no_ticket_is_selected(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 1440, 900)
    table_width = window.table.width()
    # Given no ticket selected, the pane is a rail and the table has the room.
    assert not dock(window).is_open
    assert dock(window).width() == RAIL_WIDTH
    assert not dock(window).rail_button.isEnabled()

    # When a ticket is selected, the pane opens beside a narrower table.
    select(console, window.model.rows[3].key)
    assert dock(window).is_open and window.detail_pane.isVisible()
    assert dock(window).width() >= PANE_MINIMUM
    assert window.table.width() < table_width - PANE_MINIMUM + RAIL_WIDTH + 10

    # When the selection goes, so does the pane; the table gets its room back.
    window.table.clearSelection()
    settle_layout(qtbot)
    assert not dock(window).is_open
    assert window.table.width() == table_width


def test_show_details_hides_the_pane_until_asked_again(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 1440, 900)
    action = window.layout_state.details_action
    assert action.isChecked() and action.shortcut().toString() == "Ctrl+I"
    assert action in window.findChild(QMenu, "viewMenu").actions()
    select(console, window.model.rows[0].key)
    width = dock(window).width()

    action.trigger()  # View ▸ Show details, off
    settle_layout(qtbot)
    assert not dock(window).is_open
    select(console, window.model.rows[1].key)  # another ticket: still closed
    assert not dock(window).is_open
    assert dock(window).rail_button.isEnabled()

    dock(window).rail_button.click()  # the rail's button opens it again, as wide as it was
    settle_layout(qtbot)
    assert action.isChecked() and dock(window).is_open
    assert dock(window).width() == width


# --------------------------------------------------------------------------- columns


def test_the_column_chooser_hides_and_shows_but_never_the_key_or_countdown(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 1440, 900)
    columns = window.layout_state.columns
    header = window.table.horizontalHeader()
    assert header.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    menu = columns.chooser(window)
    assert [a.text() for a in menu.actions() if a.isCheckable()] == list(HEADERS)

    customer = column_action(menu, COL_CUSTOMER)
    customer.trigger()  # type: ignore[attr-defined]
    assert header.isSectionHidden(COL_CUSTOMER)
    column_action(menu, COL_CUSTOMER).trigger()  # type: ignore[attr-defined]
    assert not header.isSectionHidden(COL_CUSTOMER)
    status = column_action(menu, COL_STATUS)
    assert not status.isChecked()  # type: ignore[attr-defined]
    status.trigger()  # type: ignore[attr-defined]
    assert not header.isSectionHidden(COL_STATUS)

    for column in ALWAYS_SHOWN:
        action = column_action(menu, column)
        assert not action.isEnabled() and action.isChecked()  # type: ignore[attr-defined]
        assert columns.set_shown(column, False) is False
        assert not header.isSectionHidden(column)
    assert COL_KEY in ALWAYS_SHOWN and COL_COUNTDOWN in ALWAYS_SHOWN

    next(a for a in menu.actions() if a.objectName() == "column_defaults").trigger()
    hidden = {c for c in range(len(HEADERS)) if header.isSectionHidden(c)}
    assert hidden == HIDDEN_BY_DEFAULT


def test_at_1440_the_default_columns_fit_without_scrolling_sideways(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 1440, 900)
    header = window.table.horizontalHeader()
    shown = [c for c in range(len(HEADERS)) if not header.isSectionHidden(c)]
    assert {COL_KEY, COL_COUNTDOWN, COL_DUE, COL_SEVERITY, COL_TITLE, COL_CUSTOMER} <= set(shown)
    least = window.layout_state.columns.default_widths()

    def fits() -> bool:
        bar = window.table.horizontalScrollBar()
        total = sum(header.sectionSize(c) for c in shown)
        return total <= window.table.viewport().width() and not bar.isVisible()

    # Without a ticket, and with one beside the table: no column narrower than its
    # default, the title taking what is left (and eliding).
    assert fits()
    select(console, window.model.rows[0].key)
    assert dock(window).is_open
    assert fits()
    assert all(header.sectionSize(c) >= least[c] for c in shown)
    assert window.table.textElideMode() is Qt.TextElideMode.ElideRight


def test_on_a_wide_screen_customers_and_severities_are_read_whole(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 1920, 1080)
    select(console, window.model.rows[0].key)
    metrics = window.table.fontMetrics()
    margin = text_margin(window.table)
    for column in (COL_CUSTOMER, COL_SEVERITY):
        texts = {window.proxy.index(r, column).data() for r in range(window.proxy.rowCount())}
        widest = max(metrics.horizontalAdvance(t) for t in texts)
        assert window.table.columnWidth(column) >= widest + margin, HEADERS[column]
    assert not window.table.horizontalScrollBar().isVisible()
    assert window.table.columnWidth(COL_TITLE) > window.table.columnWidth(COL_CUSTOMER)


def test_at_1024_by_600_the_countdown_and_the_clock_are_read_whole(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = console.window
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1024 and minimum.height() <= 600
    window = shown_at(qtbot, console, 1024, 600)
    assert (window.width(), window.height()) == (1024, 600)
    key = first_breached(window)
    select(console, key)
    assert dock(window).is_open and fits_in_its_parents(dock(window))

    # The breached row's countdown is as wide as its bold text needs: drawn whole.
    index = window.proxy.index(window.table.currentIndex().row(), COL_COUNTDOWN)
    text = index.data()
    assert "overdue" in text
    font = QFont(index.data(Qt.ItemDataRole.FontRole))
    needed = QFontMetrics(font).horizontalAdvance(text) + text_margin(window.table)
    assert window.table.columnWidth(COL_COUNTDOWN) >= needed
    delegate = window.table.itemDelegateForColumn(COL_COUNTDOWN)
    assert isinstance(delegate, WordElideDelegate)
    option = QStyleOptionViewItem()
    option.rect = window.table.visualRect(index)
    option.widget = window.table
    delegate.initStyleOption(option, index)
    assert option.text == text  # not shortened

    # The detail pane shows the ticket's clock, whole and inside the window; so it does
    # for every breached ticket of the demo, whatever its clocks are called.
    breached = [
        r.key
        for r in window.model.rows
        if window.model.countdown_of(r).state is ClockState.BREACHED
    ]
    assert len(breached) > 3
    for key in breached:
        select(console, key)
        for clock in clock_labels(window):
            assert clock.width() >= QFontMetrics(clock.font()).horizontalAdvance(clock.text())
            assert fits_in_its_parents(clock), (key, clock.text())
        assert any("overdue" in clock.text() for clock in clock_labels(window))


def test_at_the_smallest_size_the_open_pane_is_not_cut_off(
    qtbot: QtBot, demo_url: str, consoles: list[Console]
) -> None:
    console = Console(qtbot, demo_url, FakeTime(NOW))
    consoles.append(console)
    window = shown_at(qtbot, console, 400, 300)  # made as small as it may be
    select(console, first_breached(window))
    settle_layout(qtbot)
    assert fits_in_its_parents(dock(window))
    clock = overdue_clock(window)
    assert clock.width() >= QFontMetrics(clock.font()).horizontalAdvance(clock.text())
    assert fits_in_its_parents(clock)


def test_a_countdown_is_shortened_by_whole_words() -> None:
    metrics = QFontMetrics(QFont())
    text = "23h 56m · paused: awaiting customer"
    room = metrics.horizontalAdvance("23h 56m · paused: awai")
    shortened = elide_words(text, QFontMetricsF(QFont()), room)
    assert shortened == "23h 56m · paused\u2026"
    assert elide_words(text, QFontMetricsF(QFont()), 1000) == text


# --------------------------------------------------------------------------- kept


def test_the_layout_outlives_the_window(
    qtbot: QtBot, demo_url: str, store: SettingsStore, consoles: list[Console]
) -> None:
    clock = FakeTime(NOW)
    first = Console(qtbot, demo_url, clock, store=store)
    window = shown_at(qtbot, first, 1300, 800)
    header = window.table.horizontalHeader()
    columns = window.layout_state.columns
    # Given an agent who hides Customer, shows Status, puts Severity first, widens Due,
    # narrows the queue list and widens the detail pane
    columns.set_shown(COL_CUSTOMER, False)
    columns.set_shown(COL_STATUS, True)
    header.moveSection(header.visualIndex(COL_SEVERITY), 0)
    header.resizeSection(COL_DUE, 190)
    select(first, window.model.rows[0].key)
    splitter = window.layout_state.splitter
    splitter.moveSplitter(170, 1)  # the queue list's edge
    splitter.moveSplitter(splitter.width() - 520, 2)  # the detail pane's edge
    settle_layout(qtbot)
    sizes = splitter.sizes()
    assert sizes[0] == 170 and 500 < sizes[2] < 540
    order = [header.logicalIndex(v) for v in range(header.count())]
    first.close()

    # When the console starts again (on the same screen)
    second = Console(qtbot, demo_url, clock, store=store)
    consoles.append(second)
    window = shown_at(qtbot, second, 1300, 800)
    header = window.table.horizontalHeader()

    # Then the columns, the splitter and the pane are as the agent left them
    assert header.isSectionHidden(COL_CUSTOMER) and not header.isSectionHidden(COL_STATUS)
    assert [header.logicalIndex(v) for v in range(header.count())] == order
    assert header.logicalIndex(0) == COL_SEVERITY
    assert header.sectionSize(COL_DUE) == 190
    assert header.sortIndicatorSection() == -1  # most urgent first, whatever was sorted
    splitter = window.layout_state.splitter
    assert splitter.sizes()[0] == sizes[0]
    assert not dock(window).is_open  # nothing selected yet
    select(second, window.model.rows[0].key)
    assert splitter.sizes()[2] == sizes[2]


def test_the_window_size_and_hidden_details_outlive_the_window(
    qtbot: QtBot, demo_url: str, store: SettingsStore, consoles: list[Console]
) -> None:
    first = Console(qtbot, demo_url, FakeTime(NOW), store=store)
    shown_at(qtbot, first, 760, 560)  # within the test screen (800 x 600)
    first.window.layout_state.details_action.setChecked(False)
    first.close()
    second = Console(qtbot, demo_url, FakeTime(NOW), store=store)
    consoles.append(second)
    window = second.window
    assert (window.width(), window.height()) == (760, 560)
    window.show()
    qtbot.waitExposed(window)
    assert not window.layout_state.details_action.isChecked()
    select(second, window.model.rows[0].key)
    assert not dock(window).is_open


def test_a_layout_it_cannot_read_leaves_the_defaults(
    qtbot: QtBot, demo_url: str, store: SettingsStore, consoles: list[Console]
) -> None:
    settings = store.qsettings
    settings.setValue("layout/version", 1)
    settings.setValue("layout/queue_columns", "not a header state")
    settings.setValue("layout/queue_splitter", 42)
    settings.setValue("layout/detail_width", "wide")
    console = Console(qtbot, demo_url, FakeTime(NOW), store=store)
    consoles.append(console)
    window = shown_at(qtbot, console, 1440, 900)
    header = window.table.horizontalHeader()
    hidden = {c for c in range(len(HEADERS)) if header.isSectionHidden(c)}
    assert hidden == HIDDEN_BY_DEFAULT
    select(console, window.model.rows[0].key)
    assert dock(window).width() >= PANE_MINIMUM
