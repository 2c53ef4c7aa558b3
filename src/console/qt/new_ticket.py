"""Ticket ▸ New: a ticket taken by phone, mail, chat or the web.

The dialog asks the dispatcher for the :class:`~console.services.views.NewTicketChoices`
(customers, each policy's severities and channels, the next keys) and offers them: a
customer found by name or mail domain, from which the policy and plan follow; the policy's
own severity definitions; the channel, title and the customer's words; when the ticket was
submitted (now, or earlier within the last :data:`OPEN_TICKET_PAST_HOURS` hours, such as a
call taken during an outage); and whether to take it. "Open ticket" is enabled only when
all of it makes a ticket, and says why not otherwise.

Opening asks for a fresh key (:class:`~console.services.views.NextTicketKey`) and sends
:class:`~console.services.commands.OpenTicket`; when another console took that key
meanwhile, it tries the following key once. :attr:`NewTicketDialog.ticketOpened` carries the
new key; the dialog then closes. A refusal is shown in the dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    QTime,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.errors import DuplicateError
from console.domain.model import Channel
from console.domain.rules import MAX_TEXT, MAX_TITLE, OPEN_TICKET_PAST_HOURS, InvalidEventError
from console.qt.detail_widgets import muted, plain_label
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.theme import set_tone
from console.qt.timers import named_timer
from console.services import words
from console.services.commands import OpenTicket
from console.services.labels import channel_label, first_upper
from console.services.texts import format_span, instant_text, when_text
from console.services.views import (
    ALL_CHANNELS,
    CustomerChoice,
    NewTicketChoices,
    NewTicketChoicesView,
    NextTicketKey,
    PolicyChoice,
    following_key,
)

__all__ = ["CHOICE_ROLE", "OPEN_TEXT", "CustomerFilter", "NewTicketDialog", "customer_model"]

OPEN_TEXT = words.QT_TR_NOOP("Open ticket")
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1  # the CustomerChoice of a completer row
CLOCK_MS = 15_000  # how often the time bounds and the hint follow the clock
PAST = timedelta(hours=OPEN_TICKET_PAST_HOURS)
# The edit has no range of its own: one would clamp a time outside it without saying why,
# and refuse a day typed digit by digit ("1" of "16") when day 1 lies outside. A time outside
# the 72 hours is shown with the reason it is refused. No weekday in the edit either: typing
# a day would contradict the weekday shown, which the edit refuses; the hint names it.
#: A display format of Qt: d day, MMM month, yyyy year, HH hour, mm minute
SUBMITTED_FORMAT = words.QT_TR_NOOP("d MMM yyyy  HH:mm")


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# --------------------------------------------------------------------------- the customers


def customer_model(customers: Sequence[CustomerChoice], parent: Any = None) -> QStandardItemModel:
    """One row per customer: its label (``Cobalt Foods Co. · Layer0 Enterprise``), the
    escalation contact as tooltip, the choice itself under :data:`CHOICE_ROLE`."""
    model = QStandardItemModel(parent)
    for choice in customers:
        item = QStandardItem(choice.label)
        item.setEditable(False)
        item.setToolTip(choice.escalation_contact or words.tr("no escalation contact"))
        item.setData(choice, CHOICE_ROLE)
        model.appendRow(item)
    return model


class CustomerFilter(QSortFilterProxyModel):
    """The customers whose name, label or mail domain holds the text typed, in any case."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""

    def set_text(self, text: str) -> None:
        text = text.strip()
        if text == self._text:
            return
        # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair around the change.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
        self._text = text
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._text:
            return True
        source = self.sourceModel()
        choice = source.index(source_row, 0, source_parent).data(CHOICE_ROLE)
        return isinstance(choice, CustomerChoice) and choice.matches(self._text)


# --------------------------------------------------------------------------- the dialog


class NewTicketDialog(QDialog):
    """A new ticket, entered by ``me`` (``me_name`` in words); times are wall times in
    ``zone``, and ``now`` is the console's clock."""

    ticketOpened = Signal(str)  # the new ticket's key  # noqa: N815

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        zone: tzinfo,
        now: Callable[[], datetime],
        me: str | None,
        me_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newTicketDialog")
        self.setWindowTitle(self.tr("New ticket"))
        self._dispatcher = dispatcher
        self._zone = zone
        self._now = now
        self._me = me
        self._me_name = me_name or me or ""
        self._choices: NewTicketChoicesView | None = None
        self._customer: CustomerChoice | None = None
        self._policy: PolicyChoice | None = None
        self._load_problem: str | None = self.tr("Loading the customers…")
        self._sending = False
        self._refusal: str | None = None  # why the last attempt was not saved
        self._build()
        self.setMinimumWidth(620)
        self.clock_timer = named_timer(self, "newTicketClock", CLOCK_MS, self._validate)
        self.clock_timer.start()
        pending = dispatcher.ask(NewTicketChoices())
        pending.finished.connect(self._choices_arrived)
        pending.failed.connect(self._choices_failed)
        self._validate()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.customer_edit = QLineEdit(self)
        self.customer_edit.setObjectName("customerSearch")
        self.customer_edit.setPlaceholderText(self.tr("Name or mail domain of the customer"))
        self.customer_edit.setClearButtonEnabled(True)
        self.customers = CustomerFilter(self)
        self.customers.setSourceModel(customer_model((), self))
        self.completer = QCompleter(self.customers, self)
        # The proxy filters (name or domain, anywhere); the completer only shows its rows.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        popup = self.completer.popup()
        if popup is not None:
            popup.setObjectName("customerPopup")
        self.customer_edit.setCompleter(self.completer)
        self.customer_edit.textEdited.connect(self.customers.set_text)
        self.customer_edit.textChanged.connect(self._customer_typed)
        self.customer_facts = muted(plain_label("", "customerFacts", wrap=True))
        self.customer_facts.hide()

        self.severity_box = QWidget(self)
        self.severity_box.setObjectName("severityChoices")
        self.severity_layout = QVBoxLayout(self.severity_box)
        self.severity_layout.setContentsMargins(0, 2, 0, 2)
        self.severity_layout.setSpacing(4)
        self.severity_group = QButtonGroup(self)
        self.severity_group.setExclusive(True)
        self.severity_group.buttonToggled.connect(self._severity_toggled)
        self.severity_none = muted(
            plain_label(
                self.tr("Choose the customer first: the severities are its policy's."),
                "severityNone",
            )
        )
        self.severity_layout.addWidget(self.severity_none)
        self.definition = plain_label("", "severityDefinition", wrap=True, select=True)
        # The frame carries the border: a word-wrapped label with padding of its own is
        # laid out too short and clips its last lines.
        self.definition_box = QFrame(self)
        self.definition_box.setObjectName("severityDefinitionBox")  # framed: the style sheet
        inside = QVBoxLayout(self.definition_box)
        inside.setContentsMargins(10, 6, 8, 6)
        inside.addWidget(self.definition)
        self.definition_box.hide()

        self.channel = QComboBox(self)
        self.channel.setObjectName("channel")
        self.channel.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.title = QLineEdit(self)
        self.title.setObjectName("ticketTitle")
        self.title.setMaxLength(MAX_TITLE)
        self.title.setPlaceholderText(self.tr("What is wrong, in a line"))
        self.title.textChanged.connect(self._validate)
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("description")
        self.description.setPlaceholderText(
            self.tr("The customer's words: what they report, as they said or wrote it")
        )
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(110)
        self.description.textChanged.connect(self._validate)

        self.now_choice = QRadioButton(self.tr("Now"), self)
        self.now_choice.setObjectName("submittedNow")
        self.now_choice.setChecked(True)
        self.earlier_choice = QRadioButton(self.tr("Earlier:"), self)
        self.earlier_choice.setObjectName("submittedEarlier")
        when = QButtonGroup(self)
        when.addButton(self.now_choice)
        when.addButton(self.earlier_choice)
        self.submitted_edit = QDateTimeEdit(self)
        self.submitted_edit.setObjectName("submittedAt")
        # The edit shows wall time in the agent's zone; UTC keeps Qt from applying any DST.
        self.submitted_edit.setTimeZone(QTimeZone.utc())
        self.submitted_edit.setDisplayFormat(words.tr(SUBMITTED_FORMAT))
        self.submitted_edit.setCalendarPopup(True)
        self.submitted_edit.setEnabled(False)
        self.zone_label = muted(plain_label("", "submittedZone"))
        self.submitted_hint = plain_label("", "submittedHint", wrap=True)
        set_tone(self.submitted_hint, "quiet")
        self.submitted_edit.setDateTime(self._wall(self._now().astimezone(self._zone)))
        self.earlier_choice.toggled.connect(self._earlier_toggled)
        self.submitted_edit.dateTimeChanged.connect(self._validate)

        self.take = QCheckBox(
            self.tr("Me ({name}): take it").format(name=self._me_name)
            if self._me
            else self.tr("Me"),
            self,
        )
        self.take.setObjectName("assignMe")
        self.take.setEnabled(self._me is not None)

        self.key_label = muted(plain_label("", "ticketKey"))
        self.problem = plain_label("", "newTicketProblem", wrap=True)
        self.buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(words.tr(OPEN_TEXT), self)
        self.open_button.setObjectName("openTicket")
        self.open_button.setDefault(True)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelNewTicket")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        when_row = self._row(
            self.now_choice,
            self.earlier_choice,
            self.submitted_edit,
            self.zone_label,
        )
        # A grid rather than a form layout: the description's row takes the room to spare.
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setColumnStretch(1, 1)
        customer = self._column(self.customer_edit, self.customer_facts)
        rows: tuple[tuple[str, QWidget, QWidget | None], ...] = (
            (self.tr("&Customer"), customer, self.customer_edit),
            (self.tr("Severity"), self._column(self.severity_box, self.definition_box), None),
            (self.tr("C&hannel"), self._row(self.channel), self.channel),
            (self.tr("&Title"), self.title, self.title),
            (self.tr("&Description"), self.description, self.description),
            (self.tr("Submitted"), self._column(when_row, self.submitted_hint), None),
            (self.tr("Assignee"), self._row(self.take), None),
        )
        for row, (text, field, buddy) in enumerate(rows):
            label = QLabel(text, self)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            # Level with the first line of text of the field beside it.
            label.setContentsMargins(0, 4 if buddy is not None else 2, 0, 0)
            if buddy is not None:
                label.setBuddy(buddy)
            form.addWidget(label, row, 0)
            form.addWidget(field, row, 1)
        form.setRowStretch(4, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(self.key_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(form, 1)  # room to spare goes to the description
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        self._offer(None)

    def _fit(self) -> None:
        """Grow to show every line of the wrapped texts (a window's size hint leaves out
        the height its wrapped labels need at its width)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._fit()

    def _column(self, *widgets: QWidget) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for widget in widgets:
            column.addWidget(widget)
        return box

    def _row(self, *widgets: QWidget, stretch: bool = True) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for widget in widgets:
            row.addWidget(widget)
        if stretch:
            row.addStretch(1)
        return box

    # ------------------------------------------------------------------ the choices

    def _choices_arrived(self, choices: NewTicketChoicesView) -> None:
        self._choices = choices
        self._load_problem = None
        old = self.customers.sourceModel()
        self.customers.setSourceModel(customer_model(choices.customers, self))
        old.deleteLater()
        self._customer_typed(self.customer_edit.text())
        self._validate()

    def _choices_failed(self, failure: Failure) -> None:
        self._load_problem = self.tr("The customers could not be loaded: {message}").format(
            message=failure.message
        )
        self._validate()

    def _customer_typed(self, text: str) -> None:
        """The customer the text names, if it names exactly one: its label (as the list
        puts it), its name, or its mail domain."""
        found: CustomerChoice | None = None
        wanted = text.strip().casefold()
        if self._choices is not None and wanted:
            exact = [
                c
                for c in self._choices.customers
                if wanted in (c.label.casefold(), c.name.casefold(), c.domain)
            ]
            if len(exact) == 1:
                found = exact[0]
        self._choose(found)

    def _choose(self, customer: CustomerChoice | None) -> None:
        if customer == self._customer:
            return
        self._customer = customer
        policy = None
        if customer is not None and self._choices is not None:
            policy = self._choices.policies.get(customer.policy_id)
        if policy != self._policy:
            self._policy = policy
            self._offer(policy)
        self._show_customer()
        self._show_definition()
        self._validate()

    def _show_customer(self) -> None:
        customer, policy = self._customer, self._policy
        if customer is None or policy is None:
            self.customer_facts.setText("")
            self.customer_facts.hide()
            return
        facts = self.tr("{vendor} {policy} \u00b7 plan {plan}").format(
            vendor=policy.vendor, policy=policy.name, plan=customer.plan_name
        )
        if customer.escalation_contact:
            facts += "\n" + self.tr("24/7 escalation contact: {contact}").format(
                contact=customer.escalation_contact
            )
        self.customer_facts.setText(facts)
        self.customer_facts.show()
        self._fit()

    def _offer(self, policy: PolicyChoice | None) -> None:
        """The policy's severities and channels (none without a customer)."""
        for button in self.severity_group.buttons():
            self.severity_group.removeButton(button)
            self.severity_layout.removeWidget(button)
            button.deleteLater()
        self.severity_none.setVisible(policy is None)
        with QSignalBlocker(self.channel):
            chosen = self.channel.currentData()
            self.channel.clear()
            for channel in policy.channels if policy is not None else ALL_CHANNELS:
                self.channel.addItem(first_upper(channel_label(channel)), channel)
            self.channel.setCurrentIndex(max(0, self.channel.findData(chosen)))
        if policy is None:
            return
        previous: QWidget = self.customer_edit
        for severity in policy.severities:
            button = QRadioButton(severity.name, self.severity_box)
            button.setObjectName(f"severity_{severity.level}")
            button.setToolTip(_bounded(severity.definition, 600))
            self.severity_group.addButton(button, severity.level)
            self.severity_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            button.show()  # added to a shown dialog: Qt would show it only later
            self.setTabOrder(previous, button)
            previous = button

    def _severity_toggled(self, _: QAbstractButton, checked: bool) -> None:
        if checked:
            self._show_definition()
            self._validate()

    def _show_definition(self) -> None:
        level = self.severity()
        policy, customer = self._policy, self._customer
        severity = None
        if policy is not None and level is not None:
            severity = next((s for s in policy.severities if s.level == level), None)
        if severity is None or customer is None:
            self.definition_box.hide()
            return
        text = severity.definition
        promise = customer.first_response.get(severity.level)
        if promise:
            text += "\n\n" + self.tr("Initial response: {promise} ({plan})").format(
                promise=promise, plan=customer.plan_name
            )
        self.definition.setText(text)
        self.definition_box.show()
        self._fit()

    # ------------------------------------------------------------------ what was entered

    @property
    def choices(self) -> NewTicketChoicesView | None:
        """What the dialog offers (None until the dispatcher has answered)."""
        return self._choices

    def customer(self) -> CustomerChoice | None:
        return self._customer

    def severity(self) -> int | None:
        level = self.severity_group.checkedId()
        return level if level > 0 else None

    def channel_choice(self) -> Channel | None:
        data = self.channel.currentData()  # a Channel comes back as its str value
        return Channel(data) if data in set(Channel) else None

    def submitted(self) -> datetime | None:
        """The submitted instant: None for now, else the edit's wall time in the zone."""
        if not self.earlier_choice.isChecked():
            return None
        value = self.submitted_edit.dateTime()
        day, clock = value.date(), value.time()
        wall = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        # Through UTC: a wall time that does not exist (a DST gap) moves to one that does.
        return wall.replace(tzinfo=self._zone).astimezone(UTC)

    def set_submitted(self, moment: datetime) -> None:
        """Show ``moment`` (to the minute, in the zone) as the earlier submitted time."""
        local = moment.astimezone(self._zone)
        with QSignalBlocker(self.submitted_edit):
            self.submitted_edit.setDateTime(self._wall(local))
        self._validate()

    @staticmethod
    def _wall(local: datetime) -> QDateTime:
        return QDateTime(
            QDate(local.year, local.month, local.day),
            QTime(local.hour, local.minute),
            QTimeZone.utc(),
        )

    def _earlier_toggled(self, earlier: bool) -> None:
        self.submitted_edit.setEnabled(earlier)
        if earlier:
            self.set_submitted(self._now())
            self.submitted_edit.setFocus()
            self.submitted_edit.setSelectedSection(QDateTimeEdit.Section.MinuteSection)
        self._validate()

    # ------------------------------------------------------------------ validation

    def _when_problem(self, now: datetime) -> str | None:
        submitted = self.submitted()
        if submitted is None:
            return None
        if submitted > now:
            return self.tr("The submitted time is in the future")
        if submitted < now - PAST:
            return self.tr(
                "The submitted time is more than {hours} h ago: not before "
                "{earliest} (older tickets come in by import)"
            ).format(hours=OPEN_TICKET_PAST_HOURS, earliest=instant_text(now - PAST, self._zone))
        return None

    def problems(self) -> list[str]:
        """Why the ticket cannot be opened as entered (empty: it can), most pressing first."""
        found: list[str] = []
        if self._load_problem is not None:
            found.append(self._load_problem)
        if self._me is None:
            found.append(
                self.tr("Choose who you are in Settings first: a new ticket records who entered it")
            )
        if self._customer is None and self._choices is not None:
            found.append(self._customer_problem(self._choices))
        if self._customer is not None and self.severity() is None:
            found.append(self.tr("Choose the severity"))
        if not self.title.text().strip():
            found.append(self.tr("Give the ticket a title"))
        if len(self.description.toPlainText()) > MAX_TEXT:
            found.append(self.tr("The description is longer than %Ln characters", "", MAX_TEXT))
        when = self._when_problem(self._now())
        if when is not None:
            found.append(when)
        return found

    def _customer_problem(self, choices: NewTicketChoicesView) -> str:
        text = self.customer_edit.text().strip()
        if not text:
            return self.tr("Choose the customer")
        matching = sum(1 for c in choices.customers if c.matches(text))
        shown = _bounded(text, 40)
        if not matching:
            return self.tr("No customer's name or mail domain holds “{text}”").format(text=shown)
        if matching > 1:
            return self.tr(
                "Choose one of the {count} customers matching “{text}” from the list"
            ).format(count=matching, text=shown)
        return self.tr("Choose the customer from the list")

    def _validate(self) -> None:
        now = self._now()
        self._show_when(now)
        problems = self.problems()
        serious = {self._load_problem, self._when_problem(now)} - {None}
        if self._sending:
            shown, error = self.tr("Opening the ticket…"), False
        elif problems:
            shown, error = problems[0], problems[0] in serious
        elif self._refusal is not None:
            shown, error = self._refusal, True
        else:
            shown, error = "", False
        self._say(shown, error=error)
        self.open_button.setEnabled(not problems and not self._sending)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not self._sending)
        self.open_button.setToolTip("\n".join(problems))
        if self._policy is not None:
            self.key_label.setText(
                self.tr("Opens as {key} or the next free key").format(key=self._policy.next_key)
            )
        else:
            self.key_label.setText("")

    def _show_when(self, now: datetime) -> None:
        submitted = self.submitted()
        self.zone_label.setText((submitted or now).astimezone(self._zone).tzname() or "")
        who = self._me_name or self.tr("nobody chosen")
        earliest = instant_text(now - PAST, self._zone)
        at = when_text(now, self._zone, now, zone_name=True)
        if submitted is None:
            hint = self.tr(
                "Recorded as entered by {who} at {time}. A call "
                "taken earlier (during an outage) may be dated back to {earliest}."
            ).format(who=who, time=at, earliest=earliest)
        else:
            ago = (
                self.tr("{span} ago").format(span=format_span(now - submitted, seconds=False))
                if submitted <= now
                else ""
            )
            hint = self.tr(
                "The clocks start {start}; recorded as entered by {who} at "
                "{time}. Not before {earliest}."
            ).format(
                start=when_text(submitted, self._zone, now, zone_name=True)
                + (f" ({ago})" if ago else ""),
                who=who,
                time=at,
                earliest=earliest,
            )
        self.submitted_hint.setText(hint)
        problem = self._when_problem(now)
        set_tone(self.submitted_hint, "alarm" if problem else "quiet")

    def _say(self, text: str, *, error: bool) -> None:
        set_tone(self.problem, "alarm" if error else "quiet")
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    # ------------------------------------------------------------------ opening

    def command(self, key: str) -> OpenTicket:
        """The ticket as entered, under ``key`` (submitted now, unless earlier)."""
        customer = self._customer
        level = self.severity()
        assert customer is not None and level is not None
        return OpenTicket(
            key,
            self.title.text().strip(),
            customer.name,
            level,
            self.submitted() or self._now(),
            assignee=self._me if self.take.isChecked() else None,
            channel=self.channel_choice(),
            description=self.description.toPlainText().strip(),
        )

    def submit(self) -> None:
        """Open the ticket under a fresh key (OK)."""
        if self.problems() or self._sending or self._policy is None:
            return
        self._sending = True
        self._refusal = None
        self._validate()
        pending = self._dispatcher.ask(NextTicketKey(self._policy.id))
        pending.finished.connect(partial(self._send, retry=True))
        pending.failed.connect(self._refused)

    def _send(self, key: str, *, retry: bool) -> None:
        if self.problems():  # the clock moved past a bound while the key was read
            self._sending = False
            self._validate()
            return
        command = self.command(key)
        pending = self._dispatcher.send(command)
        pending.finished.connect(lambda _: self._opened(command.key))
        pending.failed.connect(partial(self._send_failed, command, retry))

    def _send_failed(self, command: OpenTicket, retry: bool, failure: Failure) -> None:
        following = following_key(command.key)
        if retry and following is not None and _key_taken(failure):
            self._send(following, retry=False)
            return
        self._refused(failure)

    def _refused(self, failure: Failure) -> None:
        self._sending = False
        self._refusal = self.tr("Not opened: {message}").format(message=failure.message)
        self._validate()

    def reject(self) -> None:
        """Cancel (Esc): nothing is written. Not while a ticket is being opened, which ends
        either way within the dispatcher's wait."""
        if not self._sending:
            super().reject()

    def _opened(self, key: str) -> None:
        self._sending = False
        self.ticketOpened.emit(key)
        self.accept()


def _key_taken(failure: Failure) -> bool:
    """Whether ``failure`` says the key is in use (another console opened a ticket with it
    since it was read): SQLite says so with a DuplicateError, PostgreSQL's function as an
    invalid event."""
    error = failure.error
    return isinstance(error, DuplicateError) or (
        isinstance(error, InvalidEventError) and "exists already" in str(error)
    )
