"""The shift handover board: what breaches, resumes or waits during a window, the outgoing
engineer's notes per ticket and overall, and the record of the last handover.

The view never reads the database. When the window changes (or on refresh) it asks
``request_board(start, end)`` and the main window answers later with
:meth:`HandoverView.show_board`; a board for a window that is no longer the current choice is
ignored. ``hand_over`` and ``acknowledge`` are asked for the same way. :meth:`HandoverView.tick`
moves the countdowns once a second: the model recomputes them lazily and tells the tree that
the countdown column changed, nothing is rebuilt.

The board is one tree: a header row per section (spanning every column, with its count) and a
row per ticket under it. A ticket can be in several sections (due during the window *and*
unassigned); its note is one per ticket, so editing it in one place shows it in all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Handover
from console.domain.queue import Countdown, LiveState
from console.services.handover import (
    DEFAULT_HOURS,
    BoardRow,
    HandoverBoard,
    Section,
    Shift,
    window_for,
)
from console.services.texts import countdown_reason, countdown_text

__all__ = [
    "COL_COUNTDOWN",
    "COL_CUSTOMER",
    "COL_KEY",
    "COL_NOTE",
    "COL_OWNER",
    "COL_TITLE",
    "COL_WHEN",
    "COUNT_ROLE",
    "HEADERS",
    "ROW_ROLE",
    "SECTION_ROLE",
    "STATE_ROLE",
    "UNASSIGNED",
    "BoardModel",
    "HandoverView",
    "handover_text",
    "section_colour",
    "section_of",
    "window_text",
]

Index = QModelIndex | QPersistentModelIndex

COL_KEY, COL_TITLE, COL_CUSTOMER, COL_OWNER, COL_COUNTDOWN, COL_WHEN, COL_NOTE = range(7)
HEADERS = ("Key", "Title", "Customer", "Owner", "Countdown", "When", "Handover note")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the BoardRow (ticket rows; None on section rows)
# StrEnums come out of Qt as their str value: section_of() turns this one back into a Section.
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # the Section (section and ticket rows)
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3  # tickets in the section (section rows)
STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # the live countdown's LiveState value (ticket rows)

UNASSIGNED = "Unassigned"
NOTE_PLACEHOLDER = "Add a note for the next shift…"
MAX_HOURS = 72
DEBOUNCE_MS = 300  # the hours spin box asks once the number settles

_SECTION = 0  # internal id of section rows; ticket rows carry their section's row + 1

SECTION_HINTS = {
    Section.BREACHED: "past due at the start of the window",
    Section.WILL_BREACH: "due before the window ends, soonest first",
    Section.RESUMING: "closed now, their calendar opens during the window",
    Section.PAUSED: "clocks stopped until the customer answers",
    Section.UNASSIGNED: "nobody owns these yet",
}
WHEN_LABELS = {
    Section.BREACHED: "Was due",
    Section.WILL_BREACH: "Breaches",
    Section.RESUMING: "Resumes",
    Section.UNASSIGNED: "Due",
}
# Accents of the section rows: (light theme, dark theme).
_SECTION_COLOURS = {
    Section.BREACHED: ("#c62828", "#ef6b6b"),
    Section.WILL_BREACH: ("#d9730d", "#f0a04c"),
    Section.RESUMING: ("#1565c0", "#64a8f0"),
    Section.PAUSED: ("#6d7882", "#9aa6b0"),
    Section.UNASSIGNED: ("#7b3fa8", "#b68ae0"),
}
_BREACHED_TEXT = QColor(211, 47, 47)
_QUIET_TEXT = QColor(128, 128, 128)


# --------------------------------------------------------------------------- text helpers


def _day(moment: datetime) -> str:
    """``Fri 20 Nov 15:00`` of an instant already in its zone."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def window_text(start: datetime, end: datetime, zone: tzinfo) -> str:
    """``Fri 20 Nov 15:00 \u2013 23:00 CET`` (an en dash); the end's day when it is another day,
    both zone names when they differ (across a DST change)."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    begin = _day(first)
    if first.tzname() != last.tzname():
        begin += f" {first.tzname()}"
    finish = f"{last:%H:%M}" if first.date() == last.date() else _day(last)
    return f"{begin} \u2013 {finish} {last.tzname()}"


def _moment(moment: datetime, zone: tzinfo, near: datetime) -> str:
    """``Fri 16:30 CET`` within a week of ``near``, else ``Mon 30 Nov 09:00 CET``."""
    local = moment.astimezone(zone)
    if abs((local.date() - near.astimezone(zone).date()).days) > 6:
        return f"{_day(local)} {local.tzname()}"
    return f"{local:%a %H:%M} {local.tzname()}"


def _full(moment: datetime, zone: tzinfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b %Y %H:%M %Z}"


def handover_text(handover: Handover | None, names: Mapping[str, str], zone: tzinfo) -> str:
    """``Last handover by Ana Ortiz at Fri 15:02 — acknowledged by Ben Adler at 15:10`` (the
    day again when the acknowledgement came on another day), or ``— not acknowledged yet``."""
    if handover is None:
        return "No handover recorded yet"
    made = handover.created_at.astimezone(zone)
    author = names.get(handover.author, handover.author)
    text = f"Last handover by {author} at {made:%a %H:%M}"
    if handover.acknowledged_by is None:
        return f"{text} \u2014 not acknowledged yet"
    who = names.get(handover.acknowledged_by, handover.acknowledged_by)
    if handover.acknowledged_at is None:
        return f"{text} \u2014 acknowledged by {who}"
    seen = handover.acknowledged_at.astimezone(zone)
    at = f"{seen:%H:%M}" if seen.date() == made.date() else f"{seen:%a %H:%M}"
    return f"{text} \u2014 acknowledged by {who} at {at}"


def _shift_label(shift: Shift) -> str:
    city = shift.zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{shift.name} shift \u00b7 {shift.start:%H:%M}\u2013{shift.end:%H:%M} {city}"


def _hours_label(hours: int) -> str:
    return f"Next {hours} hour{'s' if hours != 1 else ''}"


def section_of(index: Index) -> Section | None:
    """The section of a row of the board (its own, for a section row)."""
    value = index.data(SECTION_ROLE)
    try:
        return Section(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _is_section_row(index: Index) -> bool:
    return index.isValid() and index.data(ROW_ROLE) is None and section_of(index) is not None


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def section_colour(section: Section, palette: QPalette) -> QColor:
    light, dark = _SECTION_COLOURS[section]
    return QColor(dark if _is_dark(palette) else light)


# --------------------------------------------------------------------------- the model


class BoardModel(QAbstractItemModel):
    """A board as a two-level tree: a row per section, its tickets below (COL_* columns).

    Countdowns are live at ``now`` (:meth:`set_now`), computed when a view asks for them.
    Notes typed into COL_NOTE are kept by ticket key across boards until
    :meth:`clear_edits`; a ticket without one shows the note of the last handover.
    """

    notesEdited = Signal()  # noqa: N815

    def __init__(
        self,
        zone: tzinfo,
        now: datetime,
        people: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._now = now
        self._people: dict[str, str] = dict(people or {})
        self._board: HandoverBoard | None = None
        self._sections: list[tuple[Section, tuple[BoardRow, ...]]] = [(s, ()) for s in Section]
        self._edits: dict[str, str] = {}  # notes typed here, by key
        self._countdowns: dict[str, Countdown] = {}

    # ------------------------------------------------------------------ tree structure

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(HEADERS):
            return QModelIndex()
        if not parent.isValid():
            if 0 <= row < len(self._sections):
                return self.createIndex(row, column, id=_SECTION)
            return QModelIndex()
        if parent.internalId() != _SECTION or parent.column() != 0:
            return QModelIndex()
        if 0 <= parent.row() < len(self._sections) and 0 <= row < len(
            self._sections[parent.row()][1]
        ):
            return self.createIndex(row, column, id=parent.row() + 1)
        return QModelIndex()

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: Index) -> QModelIndex: ...

    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == _SECTION:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, id=_SECTION)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == _SECTION and parent.column() == 0:
            return len(self._sections[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return self.rowCount(parent) > 0

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _SECTION:
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_NOTE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # ------------------------------------------------------------------ data

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _SECTION:
            return self._section_data(index, role)
        section, rows = self._sections[index.internalId() - 1]
        if not 0 <= index.row() < len(rows):
            return None
        row = rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(row, column)
        if role == ROW_ROLE:
            return row
        if role == SECTION_ROLE:
            return section
        if role == STATE_ROLE:
            return self.countdown_of(row).state
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(section, row, column)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.internalId() == _SECTION
            or index.column() != COL_NOTE
        ):
            return False
        row = self._sections[index.internalId() - 1][1][index.row()]
        text = str(value or "").strip()
        if text == self.note_of(row.key):
            return True
        self._edits[row.key] = text
        self._emit_column(COL_NOTE, keys={row.key})
        self.notesEdited.emit()
        return True

    def _section_data(self, index: Index, role: int) -> Any:
        section, rows = self._sections[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{section.heading} ({len(rows)})" if index.column() == 0 else ""
        if role == SECTION_ROLE:
            return section
        if role == COUNT_ROLE:
            return len(rows)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section.heading}: {SECTION_HINTS[section]}"
        return None

    def _display(self, row: BoardRow, column: int) -> str:
        ticket = row.row.ticket
        if column == COL_KEY:
            return ticket.key
        if column == COL_TITLE:
            return ticket.title
        if column == COL_CUSTOMER:
            return row.row.customer.name
        if column == COL_OWNER:
            return self.owner(ticket.assignee)
        if column == COL_COUNTDOWN:
            cd = self.countdown_of(row)
            text = countdown_text(cd)
            reason = countdown_reason(cd, self._calendar_zone(row), self._now)
            return f"{text} \u00b7 {reason}" if reason and text else (text or reason)
        if column == COL_WHEN:
            if row.when is None:
                return ""
            near = self._board.start if self._board is not None else self._now
            return _moment(row.when, self._zone, near)
        if column == COL_NOTE:
            return self.note_of(row.key)
        return ""

    def _foreground(self, row: BoardRow, column: int) -> QColor | None:
        if column == COL_COUNTDOWN:
            state = self.countdown_of(row).state
            if state is LiveState.BREACHED:
                return _BREACHED_TEXT
            if state in (LiveState.WAITING, LiveState.PAUSED):
                return _QUIET_TEXT
        if column == COL_OWNER and row.row.ticket.assignee is None:
            return _QUIET_TEXT
        if column == COL_NOTE and row.key not in self._edits:
            return _QUIET_TEXT  # carried over from the last handover
        return None

    def _font(self, row: BoardRow, column: int) -> QFont | None:
        if column == COL_KEY or (
            column == COL_COUNTDOWN and self.countdown_of(row).state is LiveState.BREACHED
        ):
            font = QFont()
            font.setBold(True)
            return font
        if column == COL_NOTE and row.key not in self._edits and self.note_of(row.key):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _tooltip(self, section: Section, row: BoardRow, column: int) -> str | None:
        if column in (COL_KEY, COL_TITLE, COL_CUSTOMER):
            return f"{row.key}: {row.row.ticket.title}\n{row.row.customer.name}"
        if column == COL_COUNTDOWN:
            lines = []
            cd = self.countdown_of(row)
            at_start = countdown_text(row.countdown)
            if at_start:
                lines.append(f"At the start of the window: {at_start}")
            if cd.due is not None:
                lines.append(f"Due {_full(cd.due, self._zone)}")
            if cd.fraction is not None:
                lines.append(f"{cd.fraction:.0%} of the target used")
            clock = row.row.ticket.summary
            if clock.metric is not None:
                lines.append(f"Leading clock: {clock.metric.label}")
            return "\n".join(lines) or None
        if column == COL_WHEN and row.when is not None:
            return f"{WHEN_LABELS.get(section, 'At')} {_full(row.when, self._zone)}"
        if column == COL_NOTE:
            board = self._board
            last = board.last if board is not None else None
            if row.key not in self._edits and self.note_of(row.key) and last is not None:
                author = self._people.get(last.author, last.author)
                return f"From {author}'s handover (double-click to edit)"
            return "Double-click or type to write a note for the next shift"
        return None

    def _calendar_zone(self, row: BoardRow) -> tzinfo | None:
        calendar = row.row.calendar
        return calendar.timezone if calendar is not None else None

    # ------------------------------------------------------------------ content

    @property
    def board(self) -> HandoverBoard | None:
        return self._board

    def set_board(self, board: HandoverBoard | None) -> None:
        """Show ``board`` (None: empty sections); notes typed so far stay."""
        self.beginResetModel()
        self._board = board
        sections = board.sections if board is not None else {}
        self._sections = [(s, tuple(sections.get(s, ()))) for s in Section]
        self._countdowns.clear()
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """Move the countdowns to ``now``: only the countdown column is said to change."""
        self._now = now
        self._countdowns.clear()
        self._emit_column(
            COL_COUNTDOWN,
            roles=[
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ForegroundRole,
                Qt.ItemDataRole.FontRole,
                Qt.ItemDataRole.ToolTipRole,
                STATE_ROLE,
            ],
        )

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self._emit_column(COL_COUNTDOWN, COL_WHEN)

    def set_people(self, people: Mapping[str, str]) -> None:
        self._people = dict(people)
        self._emit_column(COL_OWNER, COL_NOTE)

    def owner(self, login: str | None) -> str:
        return self._people.get(login, login) if login else UNASSIGNED

    def countdown_of(self, row: BoardRow) -> Countdown:
        cached = self._countdowns.get(row.key)
        if cached is None:
            cached = row.row.countdown(self._now)
            self._countdowns[row.key] = cached
        return cached

    def rows(self, section: Section) -> tuple[BoardRow, ...]:
        return dict(self._sections)[section]

    def keys(self, section: Section) -> list[str]:
        return [r.key for r in self.rows(section)]

    def section_index(self, section: Section, column: int = 0) -> QModelIndex:
        return self.index(list(Section).index(section), column)

    def note_of(self, key: str) -> str:
        """The note shown for ``key``: typed here, else the last handover's."""
        if key in self._edits:
            return self._edits[key]
        board = self._board
        return board.notes.get(key, "") if board is not None else ""

    def notes(self) -> dict[str, str]:
        """The non-empty notes of the tickets on the board, by key (what is handed over)."""
        found: dict[str, str] = {}
        for _, rows in self._sections:
            for row in rows:
                note = self.note_of(row.key)
                if note:
                    found[row.key] = note
        return found

    def edits(self) -> dict[str, str]:
        return dict(self._edits)

    def clear_edits(self) -> None:
        keys = set(self._edits)
        self._edits.clear()
        self._emit_column(COL_NOTE, keys=keys)
        self.notesEdited.emit()

    def _emit_column(
        self,
        first: int,
        last: int | None = None,
        *,
        keys: set[str] | None = None,
        roles: list[int] | None = None,
    ) -> None:
        """dataChanged for columns ``first..last`` of each section's tickets (those of
        ``keys`` only, when given)."""
        last = first if last is None else last
        for number, (_, rows) in enumerate(self._sections):
            if not rows:
                continue
            parent = self.index(number, 0)
            if keys is None:
                spans = [(0, len(rows) - 1)]
            else:
                spans = [(i, i) for i, r in enumerate(rows) if r.key in keys]
            for top, bottom in spans:
                self.dataChanged.emit(
                    self.index(top, first, parent), self.index(bottom, last, parent), roles or []
                )


# --------------------------------------------------------------------------- the delegate


class _BoardDelegate(QStyledItemDelegate):
    """Section rows as a tinted band with a count badge; empty notes with a placeholder on the
    selected or hovered row; a line edit for notes."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        section = section_of(index)
        if section is not None and index.data(ROW_ROLE) is None:
            self._paint_section(painter, option, index, section)
            return
        if index.column() == COL_NOTE and not index.data():
            state = option.state
            if state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
                opt = QStyleOptionViewItem(option)
                self.initStyleOption(opt, index)
                opt.text = NOTE_PLACEHOLDER
                font = QFont(opt.font)
                font.setItalic(True)
                opt.font = font
                palette = QPalette(opt.palette)
                for role in (QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText):
                    palette.setColor(role, _QUIET_TEXT)
                opt.palette = palette
                widget = opt.widget
                style = widget.style() if widget is not None else QApplication.style()
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
                return
        super().paint(painter, option, index)

    def _paint_section(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, section: Section
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        base_font: QFont = option.font
        count = int(index.data(COUNT_ROLE) or 0)
        accent = section_colour(section, palette)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        band = QColor(accent)
        band.setAlpha(34 if count else 14)
        painter.fillRect(rect.adjusted(0, 3, 0, -1), band)
        painter.fillRect(
            QRect(rect.left(), rect.top() + 3, 4, rect.height() - 4), accent if count else muted
        )

        font = QFont(base_font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        x = rect.left() + 14
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text) if count else muted)
        heading = section.heading
        text_rect = QRect(x, rect.top() + 2, rect.right() - x, rect.height() - 2)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, heading
        )
        x += metrics.horizontalAdvance(heading) + 10

        small = QFont(font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.85)
        small_metrics = QFontMetrics(small)
        label = str(count)
        height = small_metrics.height() + 4
        width = max(small_metrics.horizontalAdvance(label) + 14, height)
        badge = QRectF(x, rect.center().y() + 1 - height / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent if count else muted)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(small)
        fill = accent if count else muted
        painter.setPen(QColor("#1a1a1a") if fill.lightness() > 150 else QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        x += int(width) + 12

        painter.setFont(base_font)
        painter.setPen(muted)
        hint = SECTION_HINTS[section] if count else "none"
        hint_rect = QRect(x, rect.top() + 2, max(0, rect.right() - x), rect.height() - 2)
        painter.drawText(
            hint_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, hint
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        height = QFontMetrics(option.font).height()
        section_row = index.data(ROW_ROLE) is None
        return QSize(size.width(), height + (18 if section_row else 10))

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("noteEditor")
        editor.setPlaceholderText(NOTE_PLACEHOLDER)
        editor.setMaxLength(500)
        editor.setFrame(False)
        return editor


# --------------------------------------------------------------------------- the view


class HandoverView(QWidget):
    """The handover board of a chosen window, the last handover and the hand-over form."""

    ticketActivated = Signal(str)  # a ticket row double-clicked outside the note  # noqa: N815

    _ready = False  # set once the widgets exist (Qt may send events before)

    def __init__(
        self,
        zone: tzinfo,
        shifts: Sequence[Shift],
        me: str | None,
        agents: Mapping[str, str],
        request_board: Callable[[datetime, datetime], None],
        hand_over: Callable[[datetime, datetime, str, dict[str, str]], None],
        acknowledge: Callable[[Handover], None],
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoverView")
        self._zone = zone
        self._shifts = tuple(shifts)
        self._me = me
        self._names = dict(agents)
        self._request_board = request_board
        self._hand_over = hand_over
        self._acknowledge = acknowledge
        self._clock = now
        self._window: tuple[datetime, datetime] | None = None  # the window last asked for
        self._loading = False
        self._handing_over = False  # hand_over asked, the board that shows it not back yet
        self._acknowledging = False
        self._collapsed: set[Section] = set()

        self.model = BoardModel(zone, now(), self._names, self)
        self.hours_timer = QTimer(self)
        self.hours_timer.setObjectName("handoverHoursDebounce")
        self.hours_timer.setSingleShot(True)
        self.hours_timer.setInterval(DEBOUNCE_MS)
        self.hours_timer.timeout.connect(self.refresh)
        self._build()
        self._connect()
        self._update_banner()
        self._update_buttons()
        self._ready = True

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        title = QLabel("Shift handover", self)
        title.setObjectName("handoverTitle")
        self.window_choice = QComboBox(self)
        self.window_choice.setObjectName("windowChoice")
        self.window_choice.addItem(_hours_label(DEFAULT_HOURS), None)
        for number, shift in enumerate(self._shifts):
            self.window_choice.addItem(_shift_label(shift), number)
            self.window_choice.setItemData(
                number + 1, f"{shift.name}: {shift.zone}", Qt.ItemDataRole.ToolTipRole
            )
        self.window_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.hours_spin = QSpinBox(self)
        self.hours_spin.setObjectName("windowHours")
        self.hours_spin.setRange(1, MAX_HOURS)
        self.hours_spin.setValue(DEFAULT_HOURS)
        self.hours_spin.setSuffix(" h")
        self.hours_spin.setToolTip("How many hours ahead the board looks")
        self.window_label = QLabel(self)
        self.window_label.setObjectName("windowLabel")
        self.window_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("boardStatus")
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refreshBoard")
        self.refresh_button.setToolTip("Load the board again, from now (F5)")
        self.refresh_button.setShortcut("F5")

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.window_choice)
        top.addWidget(self.hours_spin)
        top.addSpacing(8)
        top.addWidget(self.window_label)
        top.addStretch(1)
        top.addWidget(self.status_label)
        top.addWidget(self.refresh_button)

        self.banner = QFrame(self)
        self.banner.setObjectName("lastHandover")
        self.banner.setProperty("state", "none")
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("lastHandoverText")
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_note = QLabel(self.banner)
        self.banner_note.setObjectName("lastHandoverNote")
        self.banner_note.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_note.setWordWrap(True)
        self.banner_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.acknowledge_button = QPushButton("Acknowledge", self.banner)
        self.acknowledge_button.setObjectName("acknowledgeButton")
        self.acknowledge_button.setToolTip("Confirm that you have read this handover")
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.banner_text)
        words.addWidget(self.banner_note)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(14, 8, 10, 8)
        banner_layout.addLayout(words, 1)
        banner_layout.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.tree = QTreeView(self)
        self.tree.setObjectName("boardTree")
        self.tree.setModel(self.model)
        self.delegate = _BoardDelegate(self.tree)
        self.tree.setItemDelegate(self.delegate)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setMouseTracking(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.tree.fontMetrics()
        widths = {
            COL_KEY: metrics.horizontalAdvance("WWW-00000") + 40,
            COL_TITLE: 320,
            COL_CUSTOMER: 180,
            COL_OWNER: 130,
            COL_COUNTDOWN: metrics.horizontalAdvance("23h 59m · paused: awaiting customer") + 16,
            COL_WHEN: metrics.horizontalAdvance("Mon 30 Nov 09:00 CEST") + 12,
        }
        for column, width in widths.items():
            self.tree.setColumnWidth(column, width)

        self.form = QFrame(self)
        self.form.setObjectName("handoverForm")
        note_caption = QLabel("Note for the next shift", self.form)
        note_caption.setObjectName("handoverNoteCaption")
        self.note_edit = QPlainTextEdit(self.form)
        self.note_edit.setObjectName("handoverNote")
        self.note_edit.setPlaceholderText(
            "What the next shift should know: incidents in progress, calls booked, updates "
            "promised…"
        )
        self.note_edit.setTabChangesFocus(True)
        line = self.note_edit.fontMetrics().lineSpacing()
        self.note_edit.setFixedHeight(line * 3 + 16)
        self.summary_label = QLabel(self.form)
        self.summary_label.setObjectName("handoverSummary")
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hand_over_button = QPushButton("Hand over", self.form)
        self.hand_over_button.setObjectName("handOverButton")
        self.hand_over_button.setToolTip(
            "Record this handover: the note and the ticket notes, for the window shown"
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.hand_over_button)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(12, 10, 12, 10)
        form_layout.setSpacing(6)
        form_layout.addWidget(note_caption)
        form_layout.addWidget(self.note_edit)
        form_layout.addLayout(bottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.form)
        self._apply_style()
        self._sync_hours()

    def _apply_style(self) -> None:
        palette = self.palette()
        dark = _is_dark(palette)
        accents = {
            "none": "#8a949c",
            "pending": "#f0a04c" if dark else "#d9730d",
            "done": "#5fc77a" if dark else "#2e7d32",
        }
        rules = [
            "#handoverTitle { font-size: 16px; font-weight: 600; }",
            "#windowLabel { font-weight: 600; }",
            "#boardStatus { color: palette(placeholder-text); }",
            "#lastHandover, #handoverForm {"
            " background: palette(alternate-base); border: 1px solid palette(midlight);"
            " border-radius: 6px; }",
            "#lastHandoverText { font-weight: 600; }",
            "#handoverNoteCaption { font-weight: 600; }",
            "#handoverSummary { color: palette(placeholder-text); }",
            "#boardTree { border: 1px solid palette(midlight); border-radius: 4px; }",
            "#handOverButton, #acknowledgeButton { padding: 5px 16px; font-weight: 600; }",
            "#handOverButton:enabled, #acknowledgeButton:enabled {"
            " background: palette(highlight); color: palette(highlighted-text);"
            " border: 1px solid palette(highlight); border-radius: 4px; }",
            "#handOverButton:enabled:hover, #acknowledgeButton:enabled:hover {"
            " border-color: palette(text); }",
            "#handOverButton:disabled, #acknowledgeButton:disabled {"
            " border: 1px solid palette(midlight); border-radius: 4px; }",
        ]
        for state, colour in accents.items():
            rules.append(f'#lastHandover[state="{state}"] {{ border-left: 4px solid {colour}; }}')
        sheet = "\n".join(rules)
        if self.styleSheet() != sheet:  # setting it again would loop through a palette change
            self.setStyleSheet(sheet)

    def _connect(self) -> None:
        self.window_choice.currentIndexChanged.connect(self._choice_changed)
        self.hours_spin.valueChanged.connect(self._hours_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.acknowledge_button.clicked.connect(self._acknowledge_clicked)
        self.hand_over_button.clicked.connect(self._hand_over_clicked)
        self.model.modelReset.connect(self._after_reset)
        self.model.notesEdited.connect(self._update_summary)
        self.tree.collapsed.connect(self._remember_collapsed)
        self.tree.expanded.connect(self._remember_expanded)
        self.tree.doubleClicked.connect(self._double_clicked)
        self._after_reset()

    # ------------------------------------------------------------------ public API

    @property
    def chosen_window(self) -> tuple[datetime, datetime] | None:
        """The window last asked for: the one whose board is shown (or awaited)."""
        return self._window

    @property
    def board(self) -> HandoverBoard | None:
        return self.model.board

    @property
    def pending(self) -> bool:
        """A hand-over or acknowledgement was asked for and no board has come back since."""
        return self._handing_over or self._acknowledging

    def choice(self) -> Shift | int:
        """The chosen shift, or the number of hours ahead."""
        number = self.window_choice.currentData()
        if isinstance(number, int) and 0 <= number < len(self._shifts):
            return self._shifts[number]
        return self.hours_spin.value()

    def choose_hours(self, hours: int) -> None:
        """Choose the next ``hours`` (asks for the board at once)."""
        self.hours_spin.blockSignals(True)
        self.hours_spin.setValue(hours)
        self.hours_spin.blockSignals(False)
        self._sync_hours()
        if self.window_choice.currentIndex() != 0:
            self.window_choice.setCurrentIndex(0)  # asks
        else:
            self.refresh()

    def choose_shift(self, name: str) -> None:
        """Choose a named shift (asks for the board at once)."""
        for number, shift in enumerate(self._shifts):
            if shift.name.lower() == name.lower():
                if self.window_choice.currentIndex() == number + 1:
                    self.refresh()
                else:
                    self.window_choice.setCurrentIndex(number + 1)
                return
        raise KeyError(f"no shift {name!r}")

    def refresh(self) -> None:
        """Ask for the board of the chosen window, computed from now."""
        self.hours_timer.stop()
        now = self._clock()
        choice = self.choice()
        if isinstance(choice, Shift):
            start, end = window_for(now, shift=choice)
        else:
            start, end = window_for(now, hours=choice)
        self._window = (start, end)
        self._loading = True
        self._update_window_label()
        self._update_buttons()
        self._request_board(start, end)

    def show_board(self, board: HandoverBoard) -> bool:
        """Show ``board`` if it is of the window asked for last; False (ignored) if not."""
        if self._window is None or (board.start, board.end) != self._window:
            return False
        previous = self.model.board
        before = previous.last if previous is not None else None
        self._commit_open_editor()
        selected = self._selected()
        scroll = self.tree.verticalScrollBar().value()
        last = board.last
        recorded = last is not None and (before is None or before.id != last.id)
        if self._handing_over and recorded and last is not None and last.author == self._me:
            # The hand-over went through: its notes are on record now.
            self.model.clear_edits()
            self.note_edit.clear()
        self._handing_over = False
        self._acknowledging = False
        self._loading = False
        self.model.set_board(board)
        self._restore(selected)
        self.tree.verticalScrollBar().setValue(scroll)
        self._update_window_label()
        self._update_banner()
        self._update_buttons()
        self._update_summary()
        local = self._clock().astimezone(self._zone)
        self.status_label.setText(f"Updated {local:%H:%M}")
        return True

    def tick(self, now: datetime) -> None:
        """Move the countdowns to ``now`` (once a second): no row is rebuilt."""
        self.model.set_now(now)

    def set_me(self, me: str | None) -> None:
        self._me = me
        self._update_buttons()

    def set_agents(self, agents: Mapping[str, str]) -> None:
        """Display names by login."""
        self._names = dict(agents)
        self.model.set_people(self._names)
        self._update_banner()

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self.model.set_zone(zone)
        self._update_window_label()
        self._update_banner()

    def notes(self) -> dict[str, str]:
        """The ticket notes a hand-over sends now, by key."""
        return self.model.notes()

    def note_index(self, key: str, section: Section | None = None) -> QModelIndex:
        """The note cell of ``key`` (in ``section``, else its first one); invalid if absent."""
        for number, current in enumerate(Section):
            if section is not None and current is not section:
                continue
            keys = self.model.keys(current)
            if key in keys:
                parent = self.model.index(number, 0)
                return self.model.index(keys.index(key), COL_NOTE, parent)
        return QModelIndex()

    # ------------------------------------------------------------------ Qt overrides

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._window is None:
            self.refresh()  # the first board is asked for when the view is first shown

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if self._ready and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._apply_style()

    # ------------------------------------------------------------------ internals

    def _choice_changed(self, _: int) -> None:
        self._sync_hours()
        self.refresh()

    def _hours_changed(self, _: int) -> None:
        self._sync_hours()
        self.hours_timer.start()

    def _sync_hours(self) -> None:
        hours = self.hours_spin.value()
        self.window_choice.setItemText(0, _hours_label(hours))
        self.hours_spin.setVisible(self.window_choice.currentIndex() == 0)

    def _update_window_label(self) -> None:
        if self._window is None:
            self.window_label.setText("")
            self.status_label.setText("")
            return
        start, end = self._window
        self.window_label.setText(window_text(start, end, self._zone))
        self.window_label.setToolTip(f"{_full(start, self._zone)} \u2013 {_full(end, self._zone)}")
        if self._loading:
            self.status_label.setText("Loading…")

    def _update_banner(self) -> None:
        board = self.model.board
        last = board.last if board is not None else None
        self.banner_text.setText(handover_text(last, self._names, self._zone))
        note = last.note if last is not None else ""
        self.banner_note.setText(f"\u201c{note}\u201d" if note else "")
        self.banner_note.setVisible(bool(note))
        if last is None:
            state = "none"
            self.banner.setToolTip("")
        else:
            state = "done" if last.acknowledged_by is not None else "pending"
            notes = len(last.ticket_notes)
            self.banner.setToolTip(
                f"For {window_text(last.window_start, last.window_end, self._zone)}; "
                f"{notes} ticket note{'s' if notes != 1 else ''}"
            )
        self.acknowledge_button.setVisible(last is not None and last.acknowledged_by is None)
        if self.banner.property("state") != state:
            self.banner.setProperty("state", state)
            style = self.banner.style()
            style.unpolish(self.banner)
            style.polish(self.banner)

    def _update_buttons(self) -> None:
        board = self.model.board
        last = board.last if board is not None else None
        me = self._me
        self.acknowledge_button.setEnabled(
            me is not None
            and last is not None
            and me != last.author
            and last.acknowledged_by is None
            and not self._acknowledging
        )
        if me is None:
            tip = "Choose who you are in Settings to acknowledge"
        elif last is not None and me == last.author:
            tip = "Someone else than the author acknowledges a handover"
        else:
            tip = "Confirm that you have read this handover"
        self.acknowledge_button.setToolTip(tip)
        self.acknowledge_button.setText("Acknowledging…" if self._acknowledging else "Acknowledge")
        self.hand_over_button.setEnabled(
            me is not None and self._window is not None and not self._handing_over
        )
        self.hand_over_button.setText("Handing over…" if self._handing_over else "Hand over")
        self._update_summary()

    def _update_summary(self) -> None:
        if self._me is None:
            self.summary_label.setText("Choose who you are in Settings to hand over.")
            return
        count = len(self.model.notes())
        notes = f"{count} ticket note{'s' if count != 1 else ''}" if count else "no ticket notes"
        window = window_text(*self._window, self._zone) if self._window else "no window yet"
        author = self._names.get(self._me, self._me)
        self.summary_label.setText(f"{author} hands over {window} with {notes}.")

    def _acknowledge_clicked(self) -> None:
        board = self.model.board
        last = board.last if board is not None else None
        if last is None or not self.acknowledge_button.isEnabled():
            return
        self._acknowledging = True
        self._update_buttons()
        self._acknowledge(last)

    def _hand_over_clicked(self) -> None:
        if self._window is None or self._me is None or self._handing_over:
            return
        self._commit_open_editor()
        start, end = self._window
        note = self.note_edit.toPlainText().strip()
        notes = self.model.notes()
        self._handing_over = True
        self._update_buttons()
        self._hand_over(start, end, note, notes)

    def _commit_open_editor(self) -> None:
        """A note being typed is kept (a reset or a hand-over would drop it)."""
        if self.tree.state() is not QAbstractItemView.State.EditingState:
            return
        for editor in self.tree.findChildren(QLineEdit, "noteEditor"):
            if editor.isVisible():  # closed editors are hidden until deleted
                self.delegate.commitData.emit(editor)

    def _after_reset(self) -> None:
        root = QModelIndex()
        for number, section in enumerate(Section):
            self.tree.setFirstColumnSpanned(number, root, True)
            self.tree.setExpanded(self.model.index(number, 0), section not in self._collapsed)

    def _remember_collapsed(self, index: QModelIndex) -> None:
        section = section_of(index)
        if section is not None and _is_section_row(index):
            self._collapsed.add(section)

    def _remember_expanded(self, index: QModelIndex) -> None:
        section = section_of(index)
        if section is not None and _is_section_row(index):
            self._collapsed.discard(section)

    def _double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, BoardRow) and index.column() != COL_NOTE:
            self.ticketActivated.emit(row.key)

    def _selected(self) -> tuple[Section, str, int] | None:
        current = self.tree.currentIndex()
        row = current.data(ROW_ROLE)
        section = section_of(current)
        if isinstance(row, BoardRow) and section is not None:
            return section, row.key, current.column()
        return None

    def _restore(self, selected: tuple[Section, str, int] | None) -> None:
        if selected is None:
            return
        section, key, column = selected
        index = self.note_index(key, section)
        if index.isValid():
            self.tree.setCurrentIndex(index.siblingAtColumn(column))
