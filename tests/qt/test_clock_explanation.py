"""The "Why here?" timeline of one clock (console.qt.clock_explanation): collapsed by default,
a row per span and event of each cycle when expanded, the words of the service, and colours
that follow the palette."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from console.domain.explain import ClockExplanation, explain_clocks
from console.domain.model import EventKind, Metric, TicketEvent
from console.domain.policy import load_policies
from console.qt.clock_explanation import (
    COL_LENGTH,
    COL_TEXT,
    COL_TRACK,
    COL_WHEN,
    KIND_ROLE,
    TOGGLE_TEXT,
    ClockExplanationView,
)
from console.qt.detail_widgets import StateColours

POLICIES = load_policies()
ZURICH = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")


def t(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)  # type: ignore[arg-type,misc]


def weekend() -> ClockExplanation:
    """ZITADEL extended S3 (12 business hours), submitted Fri 20 Nov 2026 14:00 Zurich,
    unanswered on Tuesday 10:30: due at Tuesday's opening, 2 h 30 m over."""
    created = TicketEvent(EventKind.CREATED, t(ZURICH, 2026, 11, 20, 14, 0), {"severity": 3})
    found = explain_clocks(
        POLICIES["zitadel"], "extended", [created], t(ZURICH, 2026, 11, 24, 10, 30)
    )
    return found[0]


def updates() -> ClockExplanation:
    """LivePerson S1 periodic updates (2 h, 24x7): three cycles, a pause in the first."""
    events = [
        TicketEvent(EventKind.CREATED, t(NEW_YORK, 2026, 11, 16, 9, 0), {"severity": 1}),
        TicketEvent(EventKind.RESPONDED, t(NEW_YORK, 2026, 11, 16, 9, 30)),
        TicketEvent(
            EventKind.STATUS_CHANGED,
            t(NEW_YORK, 2026, 11, 16, 10, 0),
            {"status": "awaiting_customer"},
        ),
        TicketEvent(
            EventKind.STATUS_CHANGED, t(NEW_YORK, 2026, 11, 16, 10, 40), {"status": "open"}
        ),
        TicketEvent(EventKind.UPDATE_SENT, t(NEW_YORK, 2026, 11, 16, 11, 0)),
        TicketEvent(EventKind.UPDATE_SENT, t(NEW_YORK, 2026, 11, 16, 13, 30)),
    ]
    now = t(NEW_YORK, 2026, 11, 16, 14, 0)
    found = explain_clocks(POLICIES["liveperson"], "standard", events, now)
    return next(e for e in found if e.metric is Metric.PERIODIC_UPDATE)


@pytest.fixture
def view(qtbot: QtBot) -> ClockExplanationView:
    widget = ClockExplanationView()
    qtbot.addWidget(widget)
    widget.resize(480, 420)
    return widget


def texts(item: QTreeWidgetItem) -> tuple[str, str, str]:
    return item.text(COL_WHEN), item.text(COL_LENGTH), item.text(COL_TEXT)


def top_items(view: ClockExplanationView) -> list[QTreeWidgetItem]:
    return [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]


def test_it_is_collapsed_until_asked_why(qtbot: QtBot, view: ClockExplanationView) -> None:
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.show()
    qtbot.waitExposed(view)
    assert view.objectName() == "clockExplanation"
    assert view.toggle.text() == TOGGLE_TEXT and not view.is_expanded()
    assert not view.tree.isVisible()
    assert view.summary.text() == (
        "14h 30m counted against 12 business hours on ZITADEL business hours \u00b7 3d 6h closed"
    )
    with qtbot.waitSignal(view.expandedChanged) as opened:
        qtbot.mouseClick(view.toggle, Qt.MouseButton.LeftButton)
    assert opened.args == [True]
    assert view.is_expanded() and view.tree.isVisible()
    with qtbot.waitSignal(view.expandedChanged) as closed:
        qtbot.mouseClick(view.toggle, Qt.MouseButton.LeftButton)
    assert closed.args == [False]
    assert not view.tree.isVisible()


def test_the_rows_are_the_timeline_in_words(view: ClockExplanationView) -> None:
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.set_expanded(True)
    items = top_items(view)
    assert not view.tree.rootIsDecorated()  # one cycle: its rows at the top
    # Each row starts at its time, with the day when it changes.
    assert [texts(item) for item in items] == [
        (
            "Fri 20 Nov 14:00",
            "",
            "started: ticket submitted (S3, target 12 business hours on ZITADEL business hours)",
        ),
        ("14:00", "3h 00m", "counted"),
        ("17:00", "2d 15h", "closed until Mon 23 Nov 08:00: weekend"),
        ("Mon 23 Nov 08:00", "9h 00m", "counted"),
        ("17:00", "15h 00m", "closed until Tue 24 Nov 08:00: outside support hours"),
        (
            "Tue 24 Nov 08:00",
            "",
            "target ran out: due after 12 business hours; overdue 2h 30m (business time)",
        ),
        ("08:00", "2h 30m", "counted, over the target"),
        (
            "10:30",
            "",
            "now: breached, overdue 2h 30m (business time) \u00b7 10 service-credit days",
        ),
    ]
    assert [item.data(COL_WHEN, KIND_ROLE) for item in items] == [
        "started",
        "counted",
        "closed",
        "counted",
        "closed",
        "target_ran_out",
        "over_target",
        "now",
    ]
    # The span in full is a hover away.
    assert "Fri 20 Nov 2026 17:00 CET \u2013 Mon 23 Nov 2026 08:00 CET" in items[2].toolTip(
        COL_TEXT
    )


def test_a_recurring_clock_shows_each_cycle_the_current_one_open(
    view: ClockExplanationView,
) -> None:
    view.show_explanation(updates(), NEW_YORK, POLICIES["liveperson"])
    view.set_expanded(True)
    cycles = top_items(view)
    assert view.tree.rootIsDecorated()
    assert [item.text(COL_WHEN) for item in cycles] == [
        "update #1 \u00b7 met \u00b7 50m 00s counted against 2 business hours on LivePerson 24x7"
        " \u00b7 40m 00s paused",
        "update #2 \u00b7 breached, overdue 30m 00s (business time) \u00b7 2h 30m counted against"
        " 2 business hours on LivePerson 24x7",
        "update #3 (current) \u00b7 running \u00b7 30m 00s counted against 2 business hours on"
        " LivePerson 24x7",
    ]
    assert [item.isExpanded() for item in cycles] == [False, False, True]
    first = [texts(cycles[0].child(i)) for i in range(cycles[0].childCount())]
    assert first[2] == ("10:00", "40m 00s", "paused: awaiting customer")
    assert first[-1] == ("11:00", "", "stopped: update sent \u2014 met")


def test_it_keeps_the_users_choice_across_updates(view: ClockExplanationView) -> None:
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.set_expanded(True)
    view.show_explanation(updates(), NEW_YORK, POLICIES["liveperson"])
    assert view.is_expanded() and not view.tree.isHidden()
    view.show_explanation(None, ZURICH, POLICIES["zitadel"])
    assert view.toggle.isHidden() and view.tree.isHidden()
    assert view.summary.text() == "" and top_items(view) == []


def settled(qtbot: QtBot, view: ClockExplanationView) -> None:
    """Wait until the layout has given the timeline the height its wrapped rows need."""
    qtbot.waitUntil(lambda: view.tree.height() == view.tree.sizeHint().height())


def track_colour(view: ClockExplanationView, item: QTreeWidgetItem) -> QColor:
    """The colour drawn in the middle of the track cell of ``item``."""
    rect = view.tree.visualItemRect(item)
    x = view.tree.header().sectionPosition(COL_TRACK) + view.tree.columnWidth(COL_TRACK) // 2
    image = view.tree.viewport().grab().toImage()
    return QColor(image.pixel(x, rect.center().y()))


def dark_palette(base: QPalette) -> QPalette:
    dark = QPalette(base)
    for role, colour in (
        (QPalette.ColorRole.Window, "#252526"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.PlaceholderText, "#969696"),
    ):
        dark.setColor(role, QColor(colour))
    return dark


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_track_and_the_texts_take_the_palettes_colours(
    qtbot: QtBot, view: ClockExplanationView, scheme: str, tmp_path: Path
) -> None:
    if scheme == "dark":
        view.setPalette(dark_palette(view.palette()))
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.set_expanded(True)
    view.show()
    qtbot.waitExposed(view)
    palette = view.tree.palette()
    colours = StateColours.of(palette)
    items = top_items(view)
    settled(qtbot, view)
    assert track_colour(view, items[1]) == colours.ok  # counted: green
    assert track_colour(view, items[6]) == colours.breached  # over the target: red
    # Spans that did not count read muted; where the target ran out, in the breached colour.
    delegate = view.tree.itemDelegate()
    for row, expected in (
        (2, palette.color(QPalette.ColorRole.PlaceholderText)),
        (5, colours.breached),
        (1, palette.color(QPalette.ColorRole.Text)),
    ):
        index = view.tree.indexFromItem(items[row], COL_TEXT)
        option = QStyleOptionViewItem()
        option.palette = QPalette(palette)
        delegate.initStyleOption(option, index)
        assert option.palette.color(QPalette.ColorRole.Text) == expected, row
    picture = view.grab()
    assert not picture.isNull()
    assert picture.save(str(tmp_path / f"explain-{scheme}.png"))


def test_the_rows_fit_without_scrolling(qtbot: QtBot, view: ClockExplanationView) -> None:
    """The timeline is as tall as its rows, wrapped to the width it gets."""
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.set_expanded(True)
    view.show()
    qtbot.waitExposed(view)
    settled(qtbot, view)
    assert not view.tree.verticalScrollBar().isVisible()
    last = top_items(view)[-1]
    assert view.tree.visualItemRect(last).bottom() < view.tree.viewport().height()


def test_selected_rows_copy_as_lines(view: ClockExplanationView) -> None:
    view.show_explanation(weekend(), ZURICH, POLICIES["zitadel"])
    view.set_expanded(True)
    items = top_items(view)
    items[1].setSelected(True)
    items[2].setSelected(True)
    view.tree.copy_selection()
    assert QApplication.clipboard().text() == (
        "14:00  3h 00m  counted\n17:00  2d 15h  closed until Mon 23 Nov 08:00: weekend"
    )
