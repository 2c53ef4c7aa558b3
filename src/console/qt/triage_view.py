"""Triage (Console ▸ Triage): the mail waiting for a team lead, from senders no customer is
known for, or kept aside because it could not be read.

The list shows when each message came, from whom, its subject, why it waits and its
attachments; the message selected is shown below as plain text (its text part, or its HTML
part as text: never rendered, so nothing in it runs or loads). A lead names the sender's
customer ("This sender is a customer…": the address alone or its whole domain), after which
the mail worker opens the ticket on its next round, or discards the message for good. Anyone
else sees the list read-only. The dialog reads through the dispatcher only, and reads again
when the change feed says mail changed (:meth:`TriageDialog.refresh`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.mail import Outcome, StoredMail
from console.qt.detail_widgets import muted, plain_label
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.sorting import ListTableModel, horizontal_header
from console.qt.theme import set_tone
from console.services import words
from console.services.commands import DiscardMail, SetMailContact
from console.services.mail_format import MailFormatError, read_mail
from console.services.mail_views import Triage, TriageView
from console.services.texts import day_time_text, instant_text

__all__ = [
    "COL_ATTACHMENTS",
    "COL_FROM",
    "COL_REASON",
    "COL_RECEIVED",
    "COL_SUBJECT",
    "ContactDialog",
    "TriageDialog",
    "TriageTableModel",
    "message_text",
]

Index = QModelIndex | QPersistentModelIndex

COL_RECEIVED, COL_FROM, COL_SUBJECT, COL_REASON, COL_ATTACHMENTS = range(5)
HEADERS = (
    words.QT_TR_NOOP("Received"),
    words.QT_TR_NOOP("From"),
    words.QT_TR_NOOP("Subject"),
    words.QT_TR_NOOP("Why it waits"),
    words.QT_TR_NOOP("Attachments"),
)
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1  # the StoredMail
LEADS_ONLY = words.QT_TR_NOOP("Only a team lead names a sender's customer or discards a message.")
SHOWN_LIMIT = 200_000  # characters of a message shown at most
NO_SUBJECT = words.QT_TR_NOOP("(no subject)")
UNKNOWN_SENDER = words.QT_TR_NOOP("(no sender)")


# --------------------------------------------------------------------------- the text


def message_text(raw: bytes | None, zone: tzinfo) -> str:
    """A stored message as plain text for a lead to read, as intake reads it
    (:func:`~console.services.mail_format.read_mail`: the text part, or the HTML part as
    words): who sent it to whom, when (in ``zone``) and about what, its words and what it
    quotes, its attachments; the source itself when it cannot be read."""
    if raw is None:
        return words.tr("The message itself was not kept: only what the list shows is known of it.")
    try:
        mail = read_mail(raw)
    except MailFormatError as error:
        source = raw.decode("utf-8", errors="replace")[:SHOWN_LIMIT]
        return words.tr("The message cannot be read ({error}). Its source:\n\n{source}").format(
            error=error, source=source
        )
    sender = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
    head = [words.tr("From: {sender}").format(sender=sender)]
    if mail.recipients:
        head.append(words.tr("To: {recipients}").format(recipients=", ".join(mail.recipients)))
    if mail.sent_at is not None:
        head.append(words.tr("Date: {date}").format(date=instant_text(mail.sent_at, zone)))
    head.append(words.tr("Subject: {subject}").format(subject=mail.subject or words.tr(NO_SUBJECT)))
    parts = ["\n".join(head), mail.text, mail.quoted]
    if mail.attachments:
        names = (
            words.tr("{name} ({type}, {size})").format(
                name=a.name, type=a.content_type, size=words.tr("%Ln byte(s)", "", a.size)
            )
            for a in mail.attachments
        )
        parts.append(words.tr("Attachments: {names}").format(names="; ".join(names)))
    return "\n\n".join(p for p in parts if p)[:SHOWN_LIMIT]


def waiting_reason(message: StoredMail) -> str:
    if message.reason:
        return message.reason
    if message.outcome is Outcome.TRIAGE:
        return words.tr("no customer is known for the sender")
    return words.tr("could not be read")


def contact_domain(sender: str) -> str | None:
    """``@example.com`` of ``ana@example.com``; None for what is not an address."""
    _, at, domain = sender.strip().lower().rpartition("@")
    return f"@{domain}" if at and "." in domain else None


# --------------------------------------------------------------------------- the list


class TriageTableModel(ListTableModel[StoredMail]):
    """The waiting messages, oldest first, with COL_* columns; times in ``zone``."""

    columns = len(HEADERS)

    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.zone = zone

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return horizontal_header([words.tr(h) for h in HEADERS], section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        message = self.row_at(index)
        if message is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(message, column)
        if role == MESSAGE_ROLE:
            return message
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_RECEIVED:
                return instant_text(message.received_at, self.zone)
            if column == COL_ATTACHMENTS and message.attachments:
                return "\n".join(message.attachments)
            return self._display(message, column) or None
        return None

    def _display(self, message: StoredMail, column: int) -> str:
        if column == COL_RECEIVED:
            return day_time_text(message.received_at, self.zone)
        if column == COL_FROM:
            return message.sender or words.tr(UNKNOWN_SENDER)
        if column == COL_SUBJECT:
            return message.subject or words.tr(NO_SUBJECT)
        if column == COL_REASON:
            return waiting_reason(message)
        if column == COL_ATTACHMENTS:
            return ", ".join(message.attachments)
        return ""

    def sort_value(self, row: StoredMail, column: int) -> Any:
        if column == COL_RECEIVED:
            return row.received_at.timestamp()
        return self._display(row, column).casefold()

    def row_of(self, message_id: int) -> int | None:
        return next((i for i, m in enumerate(self.rows) if m.id == message_id), None)


# --------------------------------------------------------------------------- naming a customer


class ContactDialog(QDialog):
    """Whose customer a sender is: a customer, and whether the sender's address alone or its
    whole domain names it from now on."""

    def __init__(
        self, sender: str, customers: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.setWindowTitle(self.tr("This sender is a customer"))
        self.sender_address = sender.strip().lower()
        self.domain = contact_domain(sender)
        self.customers = list(customers)

        self.customer = QComboBox()
        self.customer.setObjectName("contactCustomer")
        self.customer.setEditable(True)
        self.customer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.customer.addItems(self.customers)
        self.customer.setCurrentIndex(-1)
        editor = self.customer.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(self.tr("Type to find the customer"))
        completer = QCompleter(self.customers, self.customer)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.customer.setCompleter(completer)
        self.customer.currentTextChanged.connect(self._validate)

        self.address_choice = QRadioButton(
            self.tr("Only {address}").format(address=self.sender_address)
        )
        self.address_choice.setObjectName("contactAddress")
        self.domain_choice = QRadioButton(
            self.tr("Everyone at {domain}").format(domain=self.domain or self.tr("(no domain)"))
        )
        self.domain_choice.setObjectName("contactDomain")
        self.domain_choice.setEnabled(self.domain is not None)
        self.address_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.address_choice)
        group.addButton(self.domain_choice)

        intro = plain_label(
            self.tr(
                "Mail from {address} waits because no customer is known for it. "
                "Name its customer: the mail worker then opens its ticket, and later mail from "
                "it goes to that customer's tickets."
            ).format(address=self.sender_address),
            "contactIntro",
            wrap=True,
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Name the customer"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("Customer")))
        layout.addWidget(self.customer)
        layout.addWidget(QLabel(self.tr("Who speaks for it")))
        layout.addWidget(self.address_choice)
        layout.addWidget(self.domain_choice)
        layout.addWidget(self.buttons)
        self.resize(max(460, self.sizeHint().width()), self.sizeHint().height())
        self._validate()

    def chosen_customer(self) -> str | None:
        text = self.customer.currentText().strip()
        return text if text in self.customers else None

    def contact(self) -> str:
        """The address or the domain (``@example.com``) to name."""
        if self.domain_choice.isChecked() and self.domain is not None:
            return self.domain
        return self.sender_address

    def _validate(self) -> None:
        self.ok_button.setEnabled(self.chosen_customer() is not None)


# --------------------------------------------------------------------------- the dialog


class TriageDialog(QDialog):
    """The messages waiting for a lead (see the module's docstring). :attr:`countChanged`
    says how many wait after each reading."""

    countChanged = Signal(int)  # noqa: N815

    def __init__(
        self,
        dispatcher: Dispatcher,
        zone: tzinfo,
        *,
        can_edit: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("triageDialog")
        self.setWindowTitle(self.tr("Triage"))
        self._dispatcher = dispatcher
        self.can_edit = can_edit
        self.view: TriageView | None = None
        self.model = TriageTableModel(zone, self)
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.intro = muted(
            plain_label(
                self.tr(
                    "Mail from senders no customer is known for, and mail that could not be "
                    "read, waits here for a team lead."
                ),
                "triageIntro",
                wrap=True,
            )
        )
        self.readonly_note = muted(plain_label(words.tr(LEADS_ONLY), "triageReadOnly", wrap=True))
        self.readonly_note.setVisible(not self.can_edit)

        self.table = QTableView(self)
        self.table.setObjectName("triageTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in (
            (COL_RECEIVED, 120),
            (COL_FROM, 220),
            (COL_SUBJECT, 230),
            (COL_REASON, 300),
        ):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.text = QPlainTextEdit(self)
        self.text.setObjectName("triageText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setPlaceholderText(self.tr("Choose a message to read it."))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("triageSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setSizes([220, 300])

        self.name_button = QPushButton(self.tr("This sender is a customer…"))
        self.name_button.setObjectName("triageNameCustomer")
        self.name_button.setToolTip(
            self.tr("Name the sender's customer: the mail worker then opens the ticket")
        )
        self.name_button.clicked.connect(self.name_customer)
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setObjectName("triageDiscard")
        self.discard_button.setToolTip(
            self.tr("Put the message aside for good: no ticket is opened")
        )
        self.discard_button.clicked.connect(self.discard)
        self.status = plain_label("", "triageStatus", wrap=True, select=True)
        close = QPushButton(self.tr("Close"))
        close.setObjectName("triageClose")
        close.clicked.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.name_button)
        actions.addWidget(self.discard_button)
        actions.addWidget(self.status, 1)
        actions.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.readonly_note)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        self.resize(1000, 640)
        self._update_actions()

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Read the waiting messages again (the one selected stays selected)."""
        pending = self._dispatcher.ask(Triage())
        pending.finished.connect(self.show_triage)
        pending.failed.connect(self._read_failed)

    def show_triage(self, view: TriageView) -> None:
        chosen = self.selected()
        self.view = view
        self.model.set_rows(view.messages)
        self.setWindowTitle(self.tr("Triage ({count})").format(count=len(view.messages)))
        if not view.messages:
            self.text.setPlainText("")
            self.text.setPlaceholderText(self.tr("Nothing waits for a lead."))
        row = self.model.row_of(chosen.id) if chosen is not None else None
        if row is None and view.messages:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._update_actions()
        self.countChanged.emit(len(view.messages))

    def _read_failed(self, failure: Failure) -> None:
        self._say(
            self.tr("Triage could not be read: {message}").format(message=failure.message),
            alarm=True,
        )

    def selected(self) -> StoredMail | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def _selection_changed(self, *_: object) -> None:
        message = self.selected()
        shown = message_text(message.raw, self.model.zone) if message is not None else ""
        self.text.setPlainText(shown)
        self._update_actions()

    def _update_actions(self) -> None:
        message = self.selected()
        can = self.can_edit and message is not None
        nameable = (
            can
            and message is not None
            and message.outcome is Outcome.TRIAGE
            and contact_domain(message.sender) is not None
        )
        self.name_button.setEnabled(nameable)
        self.discard_button.setEnabled(can)

    # ------------------------------------------------------------------ acting

    def name_customer(self) -> ContactDialog | None:
        """Ask whose customer the selected message's sender is, then name it."""
        message = self.selected()
        if message is None or not self.can_edit or self.view is None:
            return None
        dialog = ContactDialog(message.sender, self.view.customers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._named(dialog))
        dialog.open()
        return dialog

    def _named(self, dialog: ContactDialog) -> None:
        customer = dialog.chosen_customer()
        if customer is None:
            return
        contact = dialog.contact()
        pending = self._dispatcher.send(SetMailContact(contact, customer))
        pending.finished.connect(
            lambda _: self._done(
                self.tr(
                    "{contact} now names {customer}: the mail worker opens its ticket on its "
                    "next round."
                ).format(contact=contact, customer=customer)
            )
        )
        pending.failed.connect(self._failed)

    def discard(self) -> None:
        """Put the selected message aside for good."""
        message = self.selected()
        if message is None or not self.can_edit:
            return
        pending = self._dispatcher.send(DiscardMail(message.id, message.version))
        what = message.subject or words.tr(NO_SUBJECT)
        pending.finished.connect(
            lambda _: self._done(self.tr("Discarded: {subject}").format(subject=what))
        )
        pending.failed.connect(self._failed)

    def _done(self, said: str) -> None:
        self._say(said)
        self.refresh()

    def _failed(self, failure: Failure) -> None:
        self._say(self.tr("Not done: {message}").format(message=failure.message), alarm=True)
        if failure.conflict is not None:
            self.refresh()

    def _say(self, text: str, *, alarm: bool = False) -> None:
        set_tone(self.status, "alarm" if alarm else None)
        self.status.setText(text)
