"""The handover board as a two-level item model: a row per section, its tickets below.

Countdowns are live: the model recomputes them lazily at the ``now`` it was last given and
tells views that the countdown column changed, nothing is rebuilt. A ticket can be in
several sections (due during the window *and* unassigned); its note is one per ticket, so a
note typed in one place shows in all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from console.domain.queue import ClockState, Countdown
from console.qt import theme
from console.qt.sorting import horizontal_header
from console.services import words
from console.services.handover import BoardRow, HandoverBoard, Section
from console.services.handover_texts import UNASSIGNED, board_countdown_tip, countdown_line
from console.services.texts import instant_text, when_text

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
    "SECTION_HINTS",
    "SECTION_ROLE",
    "STATE_ROLE",
    "BoardModel",
    "is_section_row",
    "section_of",
]

Index = QModelIndex | QPersistentModelIndex

COL_KEY, COL_TITLE, COL_CUSTOMER, COL_OWNER, COL_COUNTDOWN, COL_WHEN, COL_NOTE = range(7)
HEADERS = (
    words.QT_TR_NOOP("Key"),
    words.QT_TR_NOOP("Title"),
    words.QT_TR_NOOP("Customer"),
    words.QT_TR_NOOP("Owner"),
    words.QT_TR_NOOP("Countdown"),
    words.QT_TR_NOOP("When"),
    words.QT_TR_NOOP("Handover note"),
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the BoardRow (ticket rows; None on section rows)
# StrEnums come out of Qt as their str value: section_of() turns this one back into a Section.
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # the Section (section and ticket rows)
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3  # tickets in the section (section rows)
STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # the live countdown's ClockState value (ticket rows)

_SECTION = 0  # internal id of section rows; ticket rows carry their section's row + 1

SECTION_HINTS = {
    Section.BREACHED: words.QT_TR_NOOP("past due at the start of the window"),
    Section.WILL_BREACH: words.QT_TR_NOOP("due before the window ends, soonest first"),
    Section.RESUMING: words.QT_TR_NOOP("closed now, their calendar opens during the window"),
    Section.PAUSED: words.QT_TR_NOOP("clocks stopped until the customer answers"),
    Section.UNASSIGNED: words.QT_TR_NOOP("nobody owns these yet"),
}
WHEN_LABELS = {
    Section.BREACHED: words.QT_TR_NOOP("Was due"),
    Section.WILL_BREACH: words.QT_TR_NOOP("Breaches"),
    Section.RESUMING: words.QT_TR_NOOP("Resumes"),
    Section.UNASSIGNED: words.QT_TR_NOOP("Due"),
}
# What a tick changes in the countdown column.
_LIVE_ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ToolTipRole,
    STATE_ROLE,
]


def section_of(index: Index) -> Section | None:
    """The section of a row of the board (its own, for a section row)."""
    value = index.data(SECTION_ROLE)
    try:
        return Section(value) if isinstance(value, str) else None
    except ValueError:
        return None


def is_section_row(index: Index) -> bool:
    return index.isValid() and index.data(ROW_ROLE) is None and section_of(index) is not None


def _font(*, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setItalic(italic)
    return font


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
        self._colours = theme.colours()  # of the theme in effect: see restyle

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
        return horizontal_header([words.tr(h) for h in HEADERS], section, orientation, role)

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
            return _font(bold=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section.heading}: {words.tr(SECTION_HINTS[section])}"
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
            return countdown_line(row, self.countdown_of(row), self._now)
        if column == COL_WHEN:
            return when_text(row.when, self._zone, self._now) if row.when is not None else ""
        if column == COL_NOTE:
            return self.note_of(row.key)
        return ""

    def _foreground(self, row: BoardRow, column: int) -> QColor | None:
        quiet = self._colours.quiet
        if column == COL_COUNTDOWN:
            state = self.countdown_of(row).state
            if state is ClockState.BREACHED:
                return self._colours.alarm
            if state in (ClockState.WAITING, ClockState.PAUSED):
                return quiet
        if column == COL_OWNER and row.row.ticket.assignee is None:
            return quiet
        if column == COL_NOTE and row.key not in self._edits:
            return quiet  # carried over from the last handover
        return None

    def _font(self, row: BoardRow, column: int) -> QFont | None:
        if column == COL_KEY or (
            column == COL_COUNTDOWN and self.countdown_of(row).state is ClockState.BREACHED
        ):
            return _font(bold=True)
        if column == COL_NOTE and row.key not in self._edits and self.note_of(row.key):
            return _font(italic=True)  # carried over from the last handover
        return None

    def _tooltip(self, section: Section, row: BoardRow, column: int) -> str | None:
        if column in (COL_KEY, COL_TITLE, COL_CUSTOMER):
            return f"{row.key}: {row.row.ticket.title}\n{row.row.customer.name}"
        if column == COL_COUNTDOWN:
            return board_countdown_tip(row, self.countdown_of(row), self._zone, self._now) or None
        if column == COL_WHEN and row.when is not None:
            return self.tr("{label} {instant}").format(
                label=words.tr(WHEN_LABELS.get(section, words.QT_TR_NOOP("At"))),
                instant=instant_text(row.when, self._zone),
            )
        if column == COL_NOTE:
            board = self._board
            last = board.last if board is not None else None
            if row.key not in self._edits and self.note_of(row.key) and last is not None:
                author = self._people.get(last.author, last.author)
                return self.tr("From {author}'s handover (double-click to edit)").format(
                    author=author
                )
            return self.tr("Double-click or type to write a note for the next shift")
        return None

    # ------------------------------------------------------------------ content

    @property
    def board(self) -> HandoverBoard | None:
        return self._board

    @property
    def now(self) -> datetime:
        """The instant the countdowns are computed at."""
        return self._now

    def set_board(self, board: HandoverBoard | None) -> None:
        """Show ``board`` (None: empty sections); notes typed so far stay."""
        self.beginResetModel()
        self._board = board
        sections = board.sections if board is not None else {}
        self._sections = [(s, tuple(sections.get(s, ()))) for s in Section]
        self._countdowns.clear()
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """Move the countdowns to ``now``: only the countdown column is said to change (and
        the instants' column when the day changed: today's instants go without the day)."""
        new_day = self._day(now) != self._day(self._now)
        self._now = now
        self._countdowns.clear()
        self._emit_column(COL_COUNTDOWN, roles=_LIVE_ROLES)
        if new_day:
            self._emit_column(COL_WHEN, roles=[Qt.ItemDataRole.DisplayRole])

    def _day(self, moment: datetime) -> date:
        return moment.astimezone(self._zone).date()

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self._emit_column(COL_COUNTDOWN, COL_WHEN)

    def set_people(self, people: Mapping[str, str]) -> None:
        self._people = dict(people)
        self._emit_column(COL_OWNER, COL_NOTE)

    def restyle(self) -> None:
        """Take the colours of the theme in effect (after a switch): views repaint the
        tickets' text colours and the section rows."""
        scheme = theme.colours()
        if scheme is self._colours:
            return
        self._colours = scheme
        roles: list[int] = [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole]
        self.dataChanged.emit(
            self.index(0, 0), self.index(len(self._sections) - 1, len(HEADERS) - 1), roles
        )
        self._emit_column(0, len(HEADERS) - 1, roles=roles)

    def owner(self, login: str | None) -> str:
        return self._people.get(login, login) if login else words.tr(UNASSIGNED)

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

    def forget_edits(self, recorded: Mapping[str, str]) -> None:
        """Drop the notes typed here that ``recorded`` (the ticket notes of a stored
        handover, by key) holds as they are; a note typed since it was sent stays."""
        keys = {key for key, text in self._edits.items() if recorded.get(key, "") == text}
        if not keys:
            return
        for key in keys:
            del self._edits[key]
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
