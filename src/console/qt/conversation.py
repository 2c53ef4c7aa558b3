"""The conversation of the detail pane: the thread (:class:`ConversationView`) and the
:class:`Composer` under it.

The thread shows what :mod:`console.services.conversation` made of a ticket's history: the
customer's words on the left, our replies, updates and internal notes on the right (notes
tinted and marked), the other events as small grey lines between them, oldest first, times
in the agent's zone. Under each reply and update, what became of it: recorded only, or by
e-mail waiting to be sent, sending, sent, or not delivered (in the alarm colour, with why
under the text). It computes no words itself.

The composer writes a reply, a status update or an internal note. A note is recorded at
once; a public message (sent by e-mail when its channel is e-mail and the database keeps
mail) is held for the undo window (``ConsoleSettings.send_delay_seconds``) under "Sending in
7 s · Undo" and only then handed over (:attr:`Composer.messageReady`) to be recorded, so the
clock it stops stops at that moment. Undo (the button, or Ctrl+Z while the bar shows) puts
the text back and nothing is written. Drafts are kept per ticket, so moving to another
ticket never sends one ticket's words to another.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import tzinfo
from enum import Enum

from PySide6.QtCore import QDeadlineTimer, QEvent, QLocale, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Channel
from console.domain.rules import MAX_TEXT
from console.qt import theme
from console.qt.detail_widgets import StateColours, bold, muted, paint, plain_label, scaled
from console.qt.settings import SEND_DELAY_SECONDS
from console.qt.timers import named_timer
from console.services import commands as c
from console.services import words
from console.services.conversation import (
    Conversation,
    ConversationEntry,
    Delivery,
    EventLine,
    Message,
    MessageKind,
)
from console.services.event_text import kind_label
from console.services.texts import day_time_text, instant_text

__all__ = ["Composer", "ComposerMode", "ConversationView", "MessageCard"]

# The texts made at import are marked for translation and shown with words.tr.
NO_TEXT = words.QT_TR_NOOP("No text was recorded.")
NO_MESSAGES = words.QT_TR_NOOP(
    "No messages yet: what the customer says and what we write shows here."
)
NOT_SENT_TIP = words.QT_TR_NOOP(
    "Recorded here only: the console did not send it, so the customer did not get it from "
    "the console. Only a reply or an update by e-mail goes out, from the team mailbox."
)
# What became of a public message, as its card says it (a reply by e-mail: from the outbox).
DELIVERY_TEXTS = {
    Delivery.RECORDED: words.QT_TR_NOOP("Recorded, not sent"),
    Delivery.QUEUED: words.QT_TR_NOOP("Waiting to be sent"),
    Delivery.SENDING: words.QT_TR_NOOP("Sending…"),
    Delivery.SENT: words.QT_TR_NOOP("✓ Sent by e-mail"),
    Delivery.FAILED: words.QT_TR_NOOP("Not delivered"),
}
# The mark's tooltip when the outbox has no note on the message.
_DELIVERY_TIPS = {
    Delivery.RECORDED: words.QT_TR_NOOP("Recorded, not sent"),
    Delivery.QUEUED: words.QT_TR_NOOP("Waiting to be sent"),
    Delivery.SENDING: words.QT_TR_NOOP("Sending"),
    Delivery.SENT: words.QT_TR_NOOP("Sent by e-mail"),
    Delivery.FAILED: words.QT_TR_NOOP("Not delivered"),
}
_SIDE = 44  # pixels a message keeps free on the side it does not come from
_RADIUS = 8.0


# --------------------------------------------------------------------------- the thread


def _hide_unless(widget: QWidget, shown: bool) -> None:
    """Hide ``widget``, not yet in a layout, unless ``shown`` (it shows with its card).
    Showing a widget that has no parent yet would open it as a window of its own for a
    moment, and take the focus from the console's window."""
    if not shown:
        widget.hide()


class MessageCard(QWidget):
    """One message: a header (what it is, who, by which channel, when), its text, and for a
    public message what became of it. Its colours are the palette's scheme's
    (:mod:`console.qt.theme`), taken when painted and when the palette changes."""

    def __init__(self, message: Message, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = message
        self.setObjectName("message")
        self.setProperty("kind", message.kind.value)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 7, 10, 7)
        layout.setSpacing(3)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.badge = scaled(plain_label("", "messageBadge"), 0.85, bold=True)
        if message.kind is MessageKind.NOTE:
            self.badge.setText(message.kind.label.upper())
        elif message.kind is not MessageKind.CUSTOMER:
            self.badge.setText(message.kind.label)
        _hide_unless(self.badge, bool(self.badge.text()))
        self.author = bold(plain_label(message.author, "messageAuthor", select=True))
        meta = [self.tr("by {channel}").format(channel=message.channel)] if message.channel else []
        meta.append(day_time_text(message.at, zone))
        if message.recorded_by:
            meta.append(self.tr("recorded by {name}").format(name=message.recorded_by))
        self.meta = muted(plain_label(" · ".join(meta), "messageMeta", wrap=True))
        self.meta.setToolTip(instant_text(message.at, zone))
        header.addWidget(self.badge)
        header.addWidget(self.author)
        header.addWidget(self.meta, 1)
        layout.addLayout(header)

        self.body = plain_label(
            message.text or words.tr(NO_TEXT), "messageText", wrap=True, select=True
        )
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Under the text, or instead of it when none was recorded (a card of two lines): the
        # fields shown nowhere else, and what became of a public message, on the right.
        footer = QHBoxLayout()
        footer.setSpacing(8)
        if message.text:
            layout.addWidget(self.body)
        else:
            font = self.body.font()
            font.setItalic(True)
            self.body.setFont(font)
            scaled(muted(self.body), 0.9)
            footer.addWidget(self.body, 1)
        self._add_quoted(layout)
        self.other = scaled(muted(plain_label(message.other, "messageOther", wrap=True)), 0.9)
        _hide_unless(self.other, bool(message.other))
        footer.addWidget(self.other, 1)

        self.mark = scaled(plain_label("", "messageMark"), 0.9)
        delivery = message.delivery
        if delivery not in (Delivery.SENT, Delivery.FAILED):
            muted(self.mark)  # the others in colour (:meth:`_apply_delivery_colour`)
        if delivery is not None:
            self.mark.setText(words.tr(DELIVERY_TEXTS[delivery]))
            note = message.delivery_note or words.tr(_DELIVERY_TIPS[delivery])
            self.mark.setToolTip(words.tr(NOT_SENT_TIP) if delivery is Delivery.RECORDED else note)
            font = self.mark.font()
            font.setItalic(delivery in (Delivery.RECORDED, Delivery.QUEUED, Delivery.SENDING))
            font.setBold(delivery is Delivery.FAILED)
            self.mark.setFont(font)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        _hide_unless(self.mark, delivery is not None)
        footer.addWidget(self.mark, 1)
        layout.addLayout(footer)
        # Why a reply by e-mail did not reach the customer, where it cannot be missed.
        self.delivery_note = scaled(
            plain_label(_failure_text(message), "messageDeliveryNote", wrap=True, select=True),
            0.9,
        )
        self.delivery_note.setToolTip(message.delivery_note)
        _hide_unless(self.delivery_note, delivery is Delivery.FAILED)
        layout.addWidget(self.delivery_note)
        self.setToolTip(f"{instant_text(message.at, zone)}\n{message.details}")
        self._apply_colours()

    def _add_quoted(self, layout: QVBoxLayout) -> None:
        """The history a mail quoted below its new words, folded away until asked for."""
        self.quote_toggle = QToolButton()
        self.quote_toggle.setObjectName("messageQuoteToggle")
        self.quote_toggle.setCheckable(True)
        self.quote_toggle.setAutoRaise(True)
        self.quote_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.quote_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.quote_toggle.setText(self.tr("Quoted text"))
        self.quote_toggle.setToolTip(self.tr("What the mail quoted below its new words"))
        self.quoted = scaled(
            muted(plain_label(self.message.quoted, "messageQuoted", wrap=True, select=True)), 0.9
        )
        self.quoted.hide()
        self.quote_toggle.toggled.connect(self._show_quoted)
        shown = bool(self.message.quoted)
        _hide_unless(self.quote_toggle, shown)
        layout.addWidget(self.quote_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.quoted)

    def _show_quoted(self, shown: bool) -> None:
        self.quoted.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.quote_toggle.setArrowType(arrow)

    def text(self) -> str:
        """What the card says, a line per part: header, text, other fields and mark (when
        there are)."""
        header = " · ".join(
            part for part in (self.badge.text(), self.author.text(), self.meta.text()) if part
        )
        parts = [header, self.body.text()]
        if self.message.other:
            parts.append(self.other.text())
        if self.message.delivery is not None:
            parts.append(self.mark.text())
        if self.message.delivery is Delivery.FAILED:
            parts.append(self.delivery_note.text())
        return "\n".join(parts)

    def colours(self) -> tuple[QColor, QColor]:
        """The fill and the border, in the current palette's scheme."""
        scheme = theme.colours(self.palette())
        if self.message.kind is MessageKind.NOTE:
            return scheme.note_fill, scheme.note_border
        if self.message.kind is MessageKind.CUSTOMER:
            return scheme.customer_fill, scheme.customer_border
        return scheme.agent_fill, scheme.agent_border

    def _apply_colours(self) -> None:
        self._apply_badge_colour()
        self._apply_delivery_colour()

    def _apply_badge_colour(self) -> None:
        # Explicit: a label's own default role follows its parent's background (Text on
        # the thread's Base), which would leave the colour set here unused.
        self.badge.setForegroundRole(QPalette.ColorRole.WindowText)
        palette = QPalette()
        if self.message.kind is MessageKind.NOTE:
            palette.setColor(
                QPalette.ColorRole.WindowText, theme.colours(self.palette()).note_badge
            )
        else:
            palette.setColor(
                QPalette.ColorRole.WindowText,
                self.palette().color(QPalette.ColorRole.PlaceholderText),
            )
        self.badge.setPalette(palette)

    def _apply_delivery_colour(self) -> None:
        """Sent in the palette's "fine" colour, not delivered in its alarm colour (lighter
        shades on a dark palette); recorded, waiting and sending quiet."""
        colours = StateColours.of(self.palette())
        delivery = self.message.delivery
        coloured = {Delivery.SENT: colours.ok, Delivery.FAILED: colours.breached}
        if delivery in coloured:
            labels = (
                (self.mark, self.delivery_note) if delivery is Delivery.FAILED else (self.mark,)
            )
            for label in labels:
                label.setForegroundRole(QPalette.ColorRole.WindowText)  # as the badge's
                paint(label, {QPalette.ColorRole.WindowText: coloured[delivery]})

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        fill, border = self.colours()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 1))
        painter.setBrush(fill)
        outline = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(outline, _RADIUS, _RADIUS)
        if self.message.kind is MessageKind.NOTE:  # a stripe: internal at a glance
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(border)
            painter.drawRoundedRect(QRectF(0, 0, 4, self.height()), 2, 2)
        painter.end()


def _failure_text(message: Message) -> str:
    """Why a reply by e-mail was not delivered, for the line under it (the mark beside it
    says "Not delivered" already)."""
    note = message.delivery_note.strip()
    head, colon, rest = note.partition(":")
    if colon and head.strip().lower() == Delivery.FAILED.value:
        note = rest.strip()
    if not note:
        return words.tr("The mail server did not take it; the customer did not get it.")
    return words.tr("Why: {reason}").format(reason=note)


def _event_line(entry: EventLine, zone: tzinfo) -> QLabel:
    label = plain_label(
        f"{day_time_text(entry.at, zone)} · {entry.text}", "conversationLine", wrap=True
    )
    scaled(muted(label), 0.88)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setToolTip(f"{instant_text(entry.at, zone)} · {kind_label(entry.kind)}")
    label.setProperty("kind", entry.kind.value)
    return label


class ConversationView(QScrollArea):
    """The thread, oldest at the top; it follows the newest message at the bottom unless the
    agent scrolled up to read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversation")
        self.setAccessibleName(self.tr("Conversation"))
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._content = QWidget()
        self._content.setObjectName("conversationContent")
        self._content.setBackgroundRole(QPalette.ColorRole.Base)
        self._content.setAutoFillBackground(True)
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)  # a short thread sits at the bottom, like a chat's
        self.empty_hint = muted(plain_label(words.tr(NO_MESSAGES), "conversationEmpty", wrap=True))
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.addWidget(self.empty_hint)
        self.setWidget(self._content)
        self._rows: list[QWidget] = []
        self._entries: list[QWidget] = []
        self._shown: tuple[str | None, Conversation, tzinfo | None] = (None, (), None)
        self._follow = True  # at the bottom: stay there as entries come
        self._keep: int | None = None  # reading further up: the position to keep
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.actionTriggered.connect(self._scrolled)  # the agent's scrolling, not the layout's

    def show_conversation(self, key: str | None, entries: Conversation, zone: tzinfo) -> None:
        """Show ticket ``key``'s ``entries`` with times in ``zone``; a ticket shown anew
        scrolls to its newest entry. Nothing is rebuilt when nothing changed."""
        if self._shown == (key, entries, zone):
            return
        if key != self._shown[0]:
            self._follow = True
        self._keep = None if self._follow else self.verticalScrollBar().value()
        self._shown = (key, entries, zone)
        for row in self._rows:
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self._rows, self._entries = [], []
        for entry in entries:
            row, widget = self._row(entry, zone)
            self._layout.addWidget(row)
            self._rows.append(row)
            self._entries.append(widget)
        self.empty_hint.setVisible(not any(isinstance(e, Message) for e in entries))
        if self._follow:
            self.scroll_to_newest()

    def entry_widgets(self) -> list[QWidget]:
        """The shown entries, oldest first: a :class:`MessageCard` per message, a label per
        other event."""
        return list(self._entries)

    def entry_texts(self) -> list[str]:
        """What each entry says (a card's header, text and mark on lines of their own)."""
        return [w.text() if isinstance(w, MessageCard | QLabel) else "" for w in self._entries]

    def scroll_to_newest(self) -> None:
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _row(self, entry: ConversationEntry, zone: tzinfo) -> tuple[QWidget, QWidget]:
        if isinstance(entry, EventLine):
            label = _event_line(entry, zone)
            return label, label
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        card = MessageCard(entry, zone)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if entry.kind is MessageKind.CUSTOMER:
            layout.addWidget(card, 1)
            layout.addSpacing(_SIDE)
        else:
            layout.addSpacing(_SIDE)
            layout.addWidget(card, 1)
        return row, card

    def _range_changed(self, _: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
        elif self._keep is not None and self._keep <= maximum:
            self.verticalScrollBar().setValue(self._keep)
            self._keep = None

    def _scrolled(self, _: int) -> None:
        # Following the newest entry while at the bottom; reading further up stops that.
        bar = self.verticalScrollBar()
        self._follow = bar.sliderPosition() >= bar.maximum() - 2
        self._keep = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._follow:
            self.scroll_to_newest()


# --------------------------------------------------------------------------- the composer


class ComposerMode(Enum):
    """What the composer writes."""

    REPLY = "reply"
    UPDATE = "update"
    NOTE = "note"

    @property
    def public(self) -> bool:
        return self is not ComposerMode.NOTE


_GIVEN_BY_EMAIL = words.QT_TR_NOOP("Given by e-mail")
_CHANNELS: tuple[tuple[str, Channel | None], ...] = (
    (words.QT_TR_NOOP("Written here"), None),
    (words.QT_TR_NOOP("Given by phone"), Channel.PHONE),
    (_GIVEN_BY_EMAIL, Channel.EMAIL),
    (words.QT_TR_NOOP("Given by chat"), Channel.CHAT),
    (words.QT_TR_NOOP("Given on the web"), Channel.WEB),
)


@dataclass(frozen=True, slots=True)
class Draft:
    """What the composer holds for one ticket: its mode, channel and text."""

    mode: ComposerMode = ComposerMode.REPLY
    channel: Channel | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Held:
    """A public message in its undo window: ticket ``key`` as last seen at ``version``."""

    key: str
    version: int
    draft: Draft

    def command(self) -> c.TextCommand:
        draft = self.draft
        if draft.mode is ComposerMode.UPDATE:
            return c.SendUpdate(self.key, self.version, draft.text, draft.channel)
        return c.RecordResponse(self.key, self.version, draft.text, draft.channel)


def _draft_of(command: c.TextCommand) -> Draft:
    if isinstance(command, c.SendUpdate):
        return Draft(ComposerMode.UPDATE, command.channel, command.text)
    if isinstance(command, c.RecordResponse):
        return Draft(ComposerMode.REPLY, command.channel, command.text)
    return Draft(ComposerMode.NOTE, None, command.text)


class _ComposerEdit(QPlainTextEdit):
    """The text: Ctrl+Enter sends; Ctrl+Z undoes the send while a message is held and the
    text itself has nothing to undo."""

    submitted = Signal()
    undoSendRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.holding: Callable[[], bool] = lambda: False

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (event.matches(QKeySequence.StandardKey.Undo) or self._is_submit(event))
        ):
            event.accept()  # ours, not a window shortcut's
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self._is_submit(event):
            self.submitted.emit()
            return
        if (
            event.matches(QKeySequence.StandardKey.Undo)
            and self.holding()
            and not self.document().isUndoAvailable()
        ):
            self.undoSendRequested.emit()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _is_submit(event: QKeyEvent) -> bool:
        return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )

    def sizeHint(self) -> QSize:  # noqa: N802
        lines = self.fontMetrics().lineSpacing()
        return QSize(super().sizeHint().width(), 4 * lines + 14)


class Composer(QFrame):
    """Writes a reply, an update or an internal note on the ticket shown; see the module's
    docstring. ``send_delay`` gives the undo window in seconds (0: none), asked at each
    send; :attr:`messageReady` carries each command to record."""

    messageReady = Signal(object)  # noqa: N815  # c.TextCommand

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.send_delay: Callable[[], int] = lambda: SEND_DELAY_SECONDS
        self._key: str | None = None
        self._version = 0
        self._awaiting_response = False
        self._periodic_update = False
        self._allowed = True
        self._drafts: dict[str, Draft] = {}
        self._held: Held | None = None
        self._watched: QWidget | None = None  # the window whose closing records a held message
        self._mail: bool | None = None  # see set_mail

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(5)

        # the undo bar, above the editor while a public message waits
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.undo_bar.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.undo_bar.setAutoFillBackground(True)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(10, 3, 6, 3)
        self.undo_label = plain_label("", "undoLabel")
        self.undo_label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip(self.tr("Put the text back; nothing is recorded (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        dot = plain_label("·")
        dot.setForegroundRole(QPalette.ColorRole.ToolTipText)
        bar.addWidget(self.undo_label)
        bar.addWidget(dot)
        bar.addWidget(self.undo_button)
        bar.addStretch(1)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)

        # mode and channel
        choices = QHBoxLayout()
        choices.setSpacing(4)
        self.modes = QButtonGroup(self)
        self.mode_buttons: dict[ComposerMode, QToolButton] = {}
        for mode in ComposerMode:
            button = QToolButton()
            button.setObjectName(f"composer{mode.value.capitalize()}")
            button.setText(self._mode_label(mode))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.modes.addButton(button)
            self.mode_buttons[mode] = button
            choices.addWidget(button)
        self.mode_buttons[ComposerMode.REPLY].setChecked(True)
        self.modes.buttonToggled.connect(self._mode_toggled)
        choices.addStretch(1)
        self.channel = QComboBox()
        self.channel.setObjectName("composerChannel")
        self.channel.setAccessibleName(self.tr("Where the customer was told"))
        for text, channel in _CHANNELS:
            self.channel.addItem(words.tr(text), channel.value if channel is not None else "")
        self.channel.setToolTip(
            self.tr("Where the customer was told: here, or elsewhere (recorded here)")
        )
        self.channel.currentIndexChanged.connect(lambda _: self._update_controls())
        self.channel.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        choices.addWidget(self.channel)
        layout.addLayout(choices)

        # the text and the send button
        self.text = _ComposerEdit()
        self.text.setObjectName("composerText")
        self.text.setAccessibleName(self.tr("Message"))
        self.text.setTabChangesFocus(True)
        self.text.holding = lambda: self._held is not None
        self.text.submitted.connect(self.submit)
        self.text.undoSendRequested.connect(self.undo)
        self.text.textChanged.connect(self._update_controls)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.hint = scaled(muted(plain_label("", "composerHint", wrap=True)), 0.9)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("composerSend")
        self.send_button.setDefault(False)
        self.send_button.clicked.connect(self.submit)
        row.addWidget(self.hint, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

        # Ctrl+Z anywhere in the window while the bar shows (the editor handles its own)
        self.undo_action = QAction(self.tr("Undo send"), self)
        self.undo_action.setObjectName("undoSend")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo)
        self.addAction(self.undo_action)

        self.send_timer = named_timer(self, "sendUndo", 1000, self._commit, single_shot=True)
        self.send_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline = QDeadlineTimer()
        self.countdown_timer = named_timer(self, "sendUndoTick", 250, self._show_countdown)
        self._update_controls()

    # ------------------------------------------------------------------ public API

    @property
    def mode(self) -> ComposerMode:
        return next(m for m, b in self.mode_buttons.items() if b.isChecked())

    def _mode_label(self, mode: ComposerMode) -> str:
        """The name of ``mode`` on its button, and in the text's placeholder ("Reply to the
        customer…"). Its own texts, not the message kinds': the buttons and the channel
        share one line of the narrowest pane."""
        if mode is ComposerMode.REPLY:
            return self.tr("Reply")
        if mode is ComposerMode.UPDATE:
            return self.tr("Update")
        return self.tr("Internal note")

    @property
    def chosen_channel(self) -> Channel | None:
        """Where the customer was told, as chosen (None: written here)."""
        value = self.channel.currentData()
        return Channel(value) if isinstance(value, str) and value else None

    @property
    def held(self) -> Held | None:
        """The public message waiting in its undo window, if any."""
        return self._held

    def show_ticket(
        self,
        key: str | None,
        version: int = 0,
        *,
        awaiting_response: bool = False,
        periodic_update: bool = False,
        channel: Channel | None = None,
    ) -> None:
        """Write on ticket ``key`` as it is at ``version`` (None: no ticket, nothing to send);
        the draft of the ticket shown before is kept for when it comes back; a new draft
        answers by ``channel`` (the one the customer wrote by, when it is e-mail). The hints say
        what a message does: ``awaiting_response``, its initial response clock runs (a reply
        stops it); ``periodic_update``, it has a periodic update clock (an update re-arms
        it)."""
        if key != self._key:
            if self._key is not None:
                self._keep_draft()
            self._key = key
            fresh = Draft(channel=channel)
            self._set_draft(self._drafts.pop(key, fresh) if key is not None else Draft())
        self._version = version
        self._awaiting_response = awaiting_response
        self._periodic_update = periodic_update
        held = self._held
        if held is not None and key == held.key and version > held.version:
            self._held = replace(held, version=version)
        self._show_countdown()
        self._update_controls()

    def set_mail(self, mailbox: bool | None) -> None:
        """Whether a reply by e-mail goes out: None when the database keeps no mail (e-mail
        is then a channel the customer was told by elsewhere, as phone is), else whether a
        team mailbox is set up (without one, replies by e-mail wait in the outbox)."""
        if mailbox == self._mail:
            return
        self._mail = mailbox
        index = self.channel.findData(Channel.EMAIL.value)
        self.channel.setItemText(
            index, words.tr(_GIVEN_BY_EMAIL) if mailbox is None else self.tr("Send by e-mail")
        )
        self.channel.setToolTip(
            self.tr("Where the customer was told: here, or elsewhere (recorded here)")
            if mailbox is None
            else self.tr(
                "Send by e-mail from the team mailbox, or record where the customer was told"
            )
        )
        self._update_controls()

    def _mails(self, channel: Channel | None) -> bool:
        """Whether a public message by ``channel`` is sent by e-mail (not only recorded)."""
        return channel is Channel.EMAIL and self._mail is not None

    def set_allowed(self, allowed: bool) -> None:
        """Whether this console may record anything (someone is chosen who may act)."""
        self._allowed = allowed
        self._update_controls()

    def start(self, mode: ComposerMode, channel: Channel | None = None) -> None:
        """Get ready to write in ``mode``, by ``channel`` when one is given and nothing is
        typed yet (else the channel chosen stays); the text gets the focus, whatever was
        typed stays."""
        self.mode_buttons[mode].setChecked(True)
        if channel is not None and not self.text.toPlainText().strip():
            self._choose_channel(channel)
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def submit(self) -> None:
        """Send what is written: a note at once, a public message after the undo window."""
        text = self.text.toPlainText().strip()
        if self._key is None or not text or not self._allowed or len(text) > MAX_TEXT:
            return
        draft = self._draft()
        self.text.clear()
        if not draft.mode.public:
            self.messageReady.emit(c.AddNote(self._key, self._version, draft.text.strip()))
            return
        if self._held is not None:  # a new message ends the last one's undo window
            self._commit()
        self._held = Held(self._key, self._version, replace(draft, text=draft.text.strip()))
        delay = max(0, int(self.send_delay()))
        if delay == 0:
            self._commit()
            return
        self._watch_window()
        self.send_timer.start(delay * 1000)
        self._deadline = QDeadlineTimer(delay * 1000)
        self.countdown_timer.start()
        self.undo_action.setEnabled(True)
        self._show_countdown()

    def undo(self) -> None:
        """Take the held message back: its text returns to its ticket's draft (the
        composer's, when that ticket is shown); nothing is recorded."""
        held = self._held
        if held is None:
            return
        self._release()
        self.give_back(held.command())
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def give_back(self, command: c.TextCommand) -> None:
        """Put ``command``'s text back into its ticket's draft (a message that was not
        recorded), before anything written since."""
        back = _draft_of(command)
        if command.key == self._key:
            typed = self.text.toPlainText().strip()
            self._set_draft(replace(back, text=f"{back.text}\n\n{typed}" if typed else back.text))
            return
        kept = self._drafts.get(command.key)
        if kept is not None and kept.text.strip():
            back = replace(back, text=f"{back.text}\n\n{kept.text}")
        self._drafts[command.key] = back

    def seconds_left(self) -> int:
        """Whole seconds until the held message is recorded (0 when none is held)."""
        if self._held is None or not self.send_timer.isActive():
            return 0
        return max(1, math.ceil(self._deadline.remainingTime() / 1000))

    # ------------------------------------------------------------------ held messages

    def _commit(self) -> None:
        held = self._held
        if held is None:
            return
        self._release()
        self.messageReady.emit(held.command())

    def _release(self) -> None:
        self._held = None
        self.send_timer.stop()
        self.countdown_timer.stop()
        self.undo_action.setEnabled(False)
        self.undo_bar.hide()

    def _show_countdown(self) -> None:
        held = self._held
        if held is None:
            self.undo_bar.hide()
            return
        channel = held.draft.channel
        recording = channel is not None and not self._mails(channel)
        seconds = self.seconds_left()
        if held.key == self._key:
            text = (
                self.tr("Recording in {seconds} s")
                if recording
                else self.tr("Sending in {seconds} s")
            )
        else:  # another ticket's message: named
            text = (
                self.tr("{key}: recording in {seconds} s")
                if recording
                else self.tr("{key}: sending in {seconds} s")
            )
        self.undo_label.setText(text.format(key=held.key, seconds=seconds))
        self.undo_bar.show()

    def _watch_window(self) -> None:
        window = self.window()
        if window is not self._watched and window is not self:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The agent sent it: closing the window records it rather than dropping it.
        if watched is self._watched and event.type() == QEvent.Type.Close:
            self._commit()
        return False

    # ------------------------------------------------------------------ drafts and looks

    def _draft(self) -> Draft:
        channel = self.chosen_channel if self.mode.public else None
        return Draft(self.mode, channel, self.text.toPlainText())

    def _keep_draft(self) -> None:
        assert self._key is not None
        draft = self._draft()
        if draft.text.strip():
            self._drafts[self._key] = draft
        else:
            self._drafts.pop(self._key, None)

    def _set_draft(self, draft: Draft) -> None:
        self.mode_buttons[draft.mode].setChecked(True)
        self._choose_channel(draft.channel)
        self.text.setPlainText(draft.text)
        cursor = self.text.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.text.setTextCursor(cursor)

    def _choose_channel(self, channel: Channel | None) -> None:
        value = channel.value if channel is not None else ""
        self.channel.setCurrentIndex(max(0, self.channel.findData(value)))

    def _mode_toggled(self, _: object, checked: bool) -> None:
        if checked:
            self._update_controls()

    def _update_controls(self) -> None:
        mode = self.mode
        mailed = mode.public and self._mails(self.chosen_channel)
        elsewhere = mode.public and self.chosen_channel is not None and not mailed
        self.channel.setVisible(mode.public)
        text = self.text.toPlainText().strip()
        too_long = len(text) > MAX_TEXT
        label = self._mode_label(mode)
        if mode is ComposerMode.NOTE:
            placeholder = self.tr("An internal note for colleagues… (Ctrl+Enter adds it)")
            hint = self.tr("Internal: the customer never sees it; no clock moves.")
            send = self.tr("Add note")
        elif elsewhere:
            placeholder = self.tr("In a line, what you told the customer… (Ctrl+Enter records it)")
            hint = self.tr("Recorded as said elsewhere.")
            send = self.tr("Record")
        elif mailed:
            placeholder = self.tr("{mode} to the customer by e-mail… (Ctrl+Enter sends)")
            hint = (
                self.tr("Sent by e-mail from the team mailbox; the message shows when it left.")
                if self._mail
                else self.tr("Waits in the outbox until a lead sets up the team mailbox.")
            )
            send = self.tr("Send")
        else:
            placeholder = self.tr("{mode} to the customer… (Ctrl+Enter sends)")
            hint = (
                self.tr("Recorded, not sent: the console has no mail channel yet.")
                if self._mail is None
                else self.tr("Recorded here, not sent: choose Send by e-mail to mail it.")
            )
            send = self.tr("Send")
        placeholder = placeholder.format(mode=label)
        clock = None
        if mode is ComposerMode.REPLY and self._awaiting_response:
            clock = self.tr("Stops the initial response clock.")
        elif mode is ComposerMode.UPDATE:
            clock = (
                self.tr("Re-arms the periodic update clock.")
                if self._periodic_update
                else self.tr("This ticket has no periodic update clock.")
            )
        if clock is not None:
            hint = f"{hint} {clock}"
        if too_long:
            locale = QLocale()
            hint = self.tr("Too long: {count} characters, at most {most}.").format(
                count=locale.toString(len(text)), most=locale.toString(MAX_TEXT)
            )
        elif self._key is not None and not self._allowed:
            hint = self.tr(
                "This console cannot change tickets now: see who you are in the status bar."
            )
        self.text.setPlaceholderText(placeholder)
        self.hint.setText(hint)
        self.send_button.setText(send)
        self.send_button.setToolTip(self.tr("{action} (Ctrl+Enter)").format(action=send))
        ready = self._key is not None and self._allowed
        self.text.setEnabled(self._key is not None)
        self.send_button.setEnabled(ready and bool(text) and not too_long)
        for button in self.mode_buttons.values():
            button.setEnabled(self._key is not None)
