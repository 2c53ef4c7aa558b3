"""The shift handover board: what breaches, resumes or waits during a window, the outgoing
engineer's notes per ticket and overall, and the record of the last handover.

The view asks the dispatcher itself: :meth:`HandoverView.refresh` asks for the ``Board`` of
the chosen window (a newer ask supersedes an older one still on its way, which then never
answers), and the hand-over and acknowledge buttons send their commands. Whatever fails is
shown: a refused command in a dialog, a board that could not be loaded in the view. Once a
command has finished or failed the board is asked for again, so it shows what was stored.
:meth:`HandoverView.tick` moves the countdowns once a second without rebuilding a row.

The board is one tree (:class:`~console.qt.handover_model.BoardModel`): a header row per
section, spanning every column, and a row per ticket under it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Handover
from console.qt.dispatcher import Dispatcher, Failure, Pending
from console.qt.handover_banner import LastHandoverBanner
from console.qt.handover_delegate import BoardDelegate
from console.qt.handover_model import (
    COL_COUNTDOWN,
    COL_CUSTOMER,
    COL_KEY,
    COL_NOTE,
    COL_OWNER,
    COL_TITLE,
    COL_WHEN,
    ROW_ROLE,
    BoardModel,
    is_section_row,
    section_of,
)
from console.services.commands import AcknowledgeHandover, Command, HandOver
from console.services.handover import (
    DEFAULT_HOURS,
    BoardRow,
    HandoverBoard,
    Section,
    Shift,
    window_for,
)
from console.services.handover_texts import hours_label, shift_label, span_text
from console.services.texts import instant_text, when_text
from console.services.views import Board

__all__ = ["DEBOUNCE_MS", "MAX_HOURS", "HandoverView"]

MAX_HOURS = 72
DEBOUNCE_MS = 300  # the hours spin box asks once the number settles


class HandoverView(QWidget):
    """The handover board of a chosen window, the last handover and the hand-over form.

    ``me`` is the console's person (None: nobody chosen yet, nothing can be sent);
    ``people`` display names by login; ``now`` the application's clock.
    """

    ticketActivated = Signal(str)  # a ticket row double-clicked outside the note  # noqa: N815

    _ready = False  # set once the widgets exist (Qt may send events before)

    def __init__(
        self,
        zone: tzinfo,
        shifts: Sequence[Shift],
        me: str | None,
        people: Mapping[str, str],
        dispatcher: Dispatcher,
        *,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoverView")
        self.dispatcher = dispatcher
        self._zone = zone
        self._shifts = tuple(shifts)
        self._me = me
        self._names = dict(people)
        self._clock = now
        self._window: tuple[datetime, datetime] | None = None  # the window last asked for
        # The hand-over or acknowledgement on its way: its buttons wait for its answer.
        self._command: Pending[Any] | None = None
        self._collapsed: set[Section] = set()

        self.model = BoardModel(zone, now(), self._names, self)
        self.hours_timer = QTimer(self)
        self.hours_timer.setObjectName("handoverHoursDebounce")
        self.hours_timer.setSingleShot(True)
        self.hours_timer.setInterval(DEBOUNCE_MS)
        self.hours_timer.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_top())
        layout.addWidget(self._build_banner())
        layout.addWidget(self._build_error())
        layout.addWidget(self._build_tree(), 1)
        layout.addWidget(self._build_form())  # its looks: the application's style sheet
        self._sync_hours()
        self._connect()
        self._update_banner()
        self._update_buttons()
        self._ready = True

    # ------------------------------------------------------------------ layout

    def _build_top(self) -> QHBoxLayout:
        title = QLabel(self.tr("Shift handover"), self)
        title.setObjectName("handoverTitle")
        self.window_choice = QComboBox(self)
        self.window_choice.setObjectName("windowChoice")
        self.window_choice.setAccessibleName("Handover window")
        self.window_choice.addItem(hours_label(DEFAULT_HOURS), None)
        for number, shift in enumerate(self._shifts):
            self.window_choice.addItem(shift_label(shift), number)
            self.window_choice.setItemData(
                number + 1, f"{shift.name}: {shift.zone}", Qt.ItemDataRole.ToolTipRole
            )
        self.window_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.hours_spin = QSpinBox(self)
        self.hours_spin.setObjectName("windowHours")
        self.hours_spin.setAccessibleName("Hours ahead")
        self.hours_spin.setRange(1, MAX_HOURS)
        self.hours_spin.setValue(DEFAULT_HOURS)
        self.hours_spin.setSuffix(" h")
        self.hours_spin.setToolTip(self.tr("How many hours ahead the board looks"))
        self.window_label = QLabel(self)
        self.window_label.setObjectName("windowLabel")
        self.window_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("boardStatus")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshBoard")
        # F5 is the window's Reload, which reloads the board while it is shown: a second
        # F5 here would make the key ambiguous, and Qt would run neither.
        self.refresh_button.setToolTip(self.tr("Load the board again, from now (F5)"))

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
        return top

    def _build_banner(self) -> LastHandoverBanner:
        self.banner = LastHandoverBanner(self)
        # Its parts by the names the view has always had.
        self.banner_text = self.banner.text
        self.banner_note = self.banner.note
        self.acknowledge_button = self.banner.acknowledge_button
        return self.banner

    def _build_error(self) -> QLabel:
        """Why the board could not be loaded (hidden while it loads fine)."""
        self.error_label = QLabel(self)
        self.error_label.setObjectName("boardError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        return self.error_label

    def _build_tree(self) -> QTreeView:
        self.tree = QTreeView(self)
        self.tree.setObjectName("boardTree")
        self.tree.setAccessibleName("Handover board")
        self.tree.setModel(self.model)
        self.delegate = BoardDelegate(self.tree)
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
        return self.tree

    def _build_form(self) -> QFrame:
        self.form = QFrame(self)
        self.form.setObjectName("handoverForm")
        note_caption = QLabel(self.tr("Note for the next shift"), self.form)
        note_caption.setObjectName("handoverNoteCaption")
        self.note_edit = QPlainTextEdit(self.form)
        self.note_edit.setObjectName("handoverNote")
        self.note_edit.setAccessibleName("Note for the next shift")
        self.note_edit.setPlaceholderText(
            self.tr(
                "What the next shift should know: incidents in progress, calls booked, updates "
                "promised\u2026"
            )
        )
        self.note_edit.setTabChangesFocus(True)
        line = self.note_edit.fontMetrics().lineSpacing()
        self.note_edit.setFixedHeight(line * 3 + 16)
        self.summary_label = QLabel(self.form)
        self.summary_label.setObjectName("handoverSummary")
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hand_over_button = QPushButton(self.tr("Hand over"), self.form)
        self.hand_over_button.setObjectName("handOverButton")
        self.hand_over_button.setToolTip(
            self.tr("Record this handover: the note and the ticket notes, for the window shown")
        )
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary_label, 1)
        bottom.addWidget(self.hand_over_button)
        layout = QVBoxLayout(self.form)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(note_caption)
        layout.addWidget(self.note_edit)
        layout.addLayout(bottom)
        return self.form

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
        """The window last asked for: the one whose board is shown (or on its way)."""
        return self._window

    @property
    def board(self) -> HandoverBoard | None:
        return self.model.board

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
        """Ask for the board of the chosen window, computed from now; an older board still
        on its way is superseded and never shown."""
        self.hours_timer.stop()
        choice = self.choice()
        now = self._clock()
        if isinstance(choice, Shift):
            self._window = window_for(now, shift=choice)
        else:
            self._window = window_for(now, hours=choice)
        self.status_label.setText(self.tr("Loading\u2026"))
        self._update_window_label()
        self._update_buttons()
        pending = self.dispatcher.ask(Board(*self._window))
        pending.finished.connect(self.show_board)
        pending.failed.connect(self._board_failed)

    def show_board(self, board: HandoverBoard) -> None:
        """Show ``board``, keeping the notes typed so far, the selection and the scroll."""
        self._commit_open_editor()
        selected = self._selected()
        scroll = self.tree.verticalScrollBar().value()
        self.model.set_board(board)
        self._restore(selected)
        self.tree.verticalScrollBar().setValue(scroll)
        self.error_label.hide()
        now = self._clock()
        self.status_label.setText(
            self.tr("Updated {time}").format(time=when_text(now, self._zone, now, zone_name=True))
        )
        self._update_banner()
        self._update_buttons()

    def tick(self, now: datetime) -> None:
        """Move the countdowns to ``now`` (once a second): no row is rebuilt."""
        new_day = now.astimezone(self._zone).date() != self.model.now.astimezone(self._zone).date()
        self.model.set_now(now)
        if new_day:  # "at 15:02 CET" was today's; it now needs its day
            self._update_banner()

    def set_me(self, me: str | None) -> None:
        self._me = me
        self._update_buttons()

    def set_agents(self, agents: Mapping[str, str]) -> None:
        """Display names by login."""
        self._names = dict(agents)
        self.model.set_people(self._names)
        self._update_banner()
        self._update_summary()

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self.model.set_zone(zone)
        self._update_window_label()
        self._update_banner()
        self._update_summary()

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
            self.model.restyle()

    # ------------------------------------------------------------------ commands

    def _last(self) -> Handover | None:
        board = self.model.board
        return board.last if board is not None else None

    def _hand_over_clicked(self) -> None:
        if self._window is None or not self.hand_over_button.isEnabled():
            return
        self._commit_open_editor()
        note = self.note_edit.toPlainText().strip()
        self._send(HandOver(*self._window, note, self.model.notes()))

    def _acknowledge_clicked(self) -> None:
        last = self._last()
        if last is None or last.id is None or not self.acknowledge_button.isEnabled():
            return
        self._send(AcknowledgeHandover(last.id, last.version))

    def _send(self, command: Command) -> None:
        self._command = self.dispatcher.send(command)
        self._command.finished.connect(self._command_finished)
        self._command.failed.connect(self._command_failed)
        self._update_buttons()

    def _command_finished(self, result: object) -> None:
        sent = self._command.request if self._command is not None else None
        self._command = None
        if isinstance(sent, HandOver) and isinstance(result, Handover):
            # On record now: what was typed and sent is the last handover's from here on.
            self.model.forget_edits(result.ticket_notes)
            if self.note_edit.toPlainText().strip() == result.note:
                self.note_edit.clear()
        self.refresh()

    def _command_failed(self, failure: Failure) -> None:
        self._command = None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Not saved"),
            failure.message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("failureDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.refresh()  # what is stored now, typed notes kept

    def _board_failed(self, failure: Failure) -> None:
        self.status_label.setText(self.tr("Not loaded"))
        self.error_label.setText(
            self.tr("The board could not be loaded: {message}").format(message=failure.message)
        )
        self.error_label.show()

    # ------------------------------------------------------------------ internals

    def _choice_changed(self, _: int) -> None:
        self._sync_hours()
        self.refresh()

    def _hours_changed(self, _: int) -> None:
        self._sync_hours()
        self.hours_timer.start()

    def _sync_hours(self) -> None:
        self.window_choice.setItemText(0, hours_label(self.hours_spin.value()))
        self.hours_spin.setVisible(self.window_choice.currentIndex() == 0)

    def _update_window_label(self) -> None:
        if self._window is None:
            self.window_label.setText("")
            return
        start, end = self._window
        self.window_label.setText(span_text(start, end, self._zone))
        self.window_label.setToolTip(
            f"{instant_text(start, self._zone)} \u2013 {instant_text(end, self._zone)}"
        )

    def _update_banner(self) -> None:
        self.banner.show_handover(self._last(), self._names, self._zone, self._clock())

    def _update_buttons(self) -> None:
        last, me = self._last(), self._me
        sending = self._command.request if self._command is not None else None
        self.acknowledge_button.setEnabled(
            sending is None
            and me is not None
            and last is not None
            and me != last.author
            and last.acknowledged_by is None
        )
        if me is None:
            tip = self.tr("Choose who you are in Settings to acknowledge")
        elif last is not None and me == last.author:
            tip = self.tr("Someone else than the author acknowledges a handover")
        else:
            tip = self.tr("Confirm that you have read this handover")
        self.acknowledge_button.setToolTip(tip)
        acknowledging = isinstance(sending, AcknowledgeHandover)
        self.acknowledge_button.setText(
            self.tr("Acknowledging\u2026") if acknowledging else self.tr("Acknowledge")
        )
        handing_over = isinstance(sending, HandOver)
        self.hand_over_button.setEnabled(
            sending is None and me is not None and self._window is not None
        )
        self.hand_over_button.setText(
            self.tr("Handing over\u2026") if handing_over else self.tr("Hand over")
        )
        self._update_summary()

    def _update_summary(self) -> None:
        if self._me is None:
            self.summary_label.setText(self.tr("Choose who you are in Settings to hand over."))
            return
        count = len(self.model.notes())
        notes = self.tr("%n ticket note(s)", "", count) if count else self.tr("no ticket notes")
        window = span_text(*self._window, self._zone) if self._window else self.tr("no window yet")
        author = self._names.get(self._me, self._me)
        self.summary_label.setText(
            self.tr("{author} hands over {window} with {notes}.").format(
                author=author, window=window, notes=notes
            )
        )

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
        if section is not None and is_section_row(index):
            self._collapsed.add(section)

    def _remember_expanded(self, index: QModelIndex) -> None:
        section = section_of(index)
        if section is not None and is_section_row(index):
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
