"""The Ticket menu and toolbar: each action asks what it needs, builds its command and sends
it through the dispatcher; the result goes to the status bar, a refusal to a dialog, and a
conflict to a dialog that shows what changed and offers to send the command again on the
new version.

Messages are written in the detail pane's composer (:class:`~console.qt.conversation.Composer`):
Record response (R) and Send update (U) take the agent there, and what it hands over is
sent here. A message that meets a conflict is sent once more on the new version by itself (a
text does not depend on what changed); a message that is not recorded goes back into the
composer, so no words are lost."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QToolButton,
)

from console.domain.errors import ConcurrentEditError
from console.domain.model import Agent, Channel, EventKind, Role, Status, Ticket
from console.qt import icons
from console.qt.actions import make_action
from console.qt.conversation import Composer, ComposerMode
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.settings import SEND_DELAY_SECONDS, ConsoleSettings
from console.qt.severity_dialog import SeverityDialog
from console.services import commands as c
from console.services import words
from console.services.effects import clock_effects, effects_text
from console.services.labels import first_upper, status_label
from console.services.queue import QueueRow

# The second key of each status's shortcut (S, then this letter).
STATUS_KEYS = {
    Status.OPEN: "O",
    Status.AWAITING_CUSTOMER: "A",
    Status.ON_HOLD: "H",
    Status.RESOLVED: "R",
    Status.CLOSED: "C",
}


class TicketActions(QObject):
    """The actions on the selected tickets of ``window``."""

    def __init__(
        self,
        window: QMainWindow,
        dispatcher: Dispatcher,
        selected: Callable[[], list[QueueRow]],
        agents: Callable[[], dict[str, Agent]],
        zone: Callable[[], Any],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.dispatcher = dispatcher
        self._selected = selected
        self._agents = agents
        self._zone = zone
        self.actions: dict[str, QAction] = {}
        self.composer: Composer | None = None

    # ------------------------------------------------------------------ menus

    def build(self, menu: QMenu, toolbar: QToolBar) -> None:
        def add(name: str, text: str, shortcut: str, handler: Callable[[], None]) -> None:
            action = make_action(self.window, name, text, shortcut, handler)
            menu.addAction(action)
            toolbar.addAction(action)
            self.actions[name] = action

        add("take", self.tr("Take"), "T", self.take)
        add("assign", self.tr("Assign…"), "A", self.assign)
        add("respond", self.tr("Record response"), "R", self.respond)
        add("update", self.tr("Send update"), "U", self.send_update)
        self._build_status(menu, toolbar)
        add("escalate", self.tr("Escalate…"), "E", self.escalate)
        add("severity", self.tr("Change severity…"), "Ctrl+Shift+S", self.change_severity)
        add("rca", self.tr("RCA delivered"), "D", self.deliver_rca)
        add("waive", self.tr("Waive…"), "W", self.waive)
        add("note", self.tr("Add note"), "N", self.add_note)
        # The window's detail pane is made before its menus: its composer sends through here.
        composer = self.window.findChild(Composer, "composer")
        if composer is not None:
            self.attach(composer)

    def _build_status(self, menu: QMenu, toolbar: QToolBar) -> None:
        """Set status: a submenu of the Ticket menu and a toolbar button that opens it on a
        click anywhere on its face. Each status has a two-key shortcut, S then its letter
        (S, R: resolved), so S alone is no shortcut."""
        status_menu = QMenu(self.tr("Set status"), self.window)
        status_menu.setObjectName("statusMenu")
        for status in Status:
            action = make_action(
                self.window,
                f"status_{status.value}",
                first_upper(status_label(status)),
                f"S, {STATUS_KEYS[status]}",
                partial(self.set_status, status),
            )
            status_menu.addAction(action)
        status_button = QAction(self.tr("Set status"), self.window)
        status_button.setObjectName("action_status")
        status_button.setIconText(self.tr("Status"))
        icons.set_icon(status_button, "status")
        letters = ", ".join(STATUS_KEYS[s] for s in Status)
        status_button.setToolTip(self.tr("Set status (S, then {letters})").format(letters=letters))
        status_button.setMenu(status_menu)
        menu.addAction(status_button)
        toolbar.addAction(status_button)
        button = toolbar.widgetForAction(status_button)
        if isinstance(button, QToolButton):
            button.setObjectName("statusButton")
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def attach(self, composer: Composer) -> None:
        """Send what ``composer`` hands over, held for the undo window of the settings."""
        self.composer = composer
        composer.send_delay = self._send_delay
        composer.messageReady.connect(self.send_message)

    def _send_delay(self) -> int:
        # The window's settings as they are now (Settings may have changed them).
        settings = getattr(self.window, "settings", None)
        if isinstance(settings, ConsoleSettings):
            return settings.send_delay_seconds
        return SEND_DELAY_SECONDS

    def set_enabled(self, enabled: bool) -> None:
        for action in self.actions.values():
            action.setEnabled(enabled)
        if self.composer is not None:
            self.composer.set_allowed(enabled)

    def offer(self, names: frozenset[str]) -> None:
        """Enable the actions named (see :func:`console.services.offers.offered_actions`),
        and only those."""
        for name, action in self.actions.items():
            action.setEnabled(name in names)

    # ------------------------------------------------------------------ sending

    def send(self, command: c.Command) -> None:
        """Send ``command``; its outcome is shown when it comes back."""
        pending = self.dispatcher.send(command)
        pending.finished.connect(partial(self._done, command))
        pending.failed.connect(partial(self.show_failure, command=command))

    def send_message(self, command: c.TextCommand, *, retried: bool = False) -> None:
        """Record a message from the composer; on a conflict, once more on the new version;
        if it is not recorded, its text goes back into the composer and the reason is shown."""
        pending = self.dispatcher.send(command)
        pending.finished.connect(partial(self._done, command))
        pending.failed.connect(partial(self._message_failed, command, retried))

    def _message_failed(self, command: c.TextCommand, retried: bool, failure: Failure) -> None:
        conflict = failure.conflict
        if conflict is not None and isinstance(conflict.current, Ticket) and not retried:
            self.send_message(command.on(conflict.current), retried=True)
            return
        if self.composer is not None:
            self.composer.give_back(command)
        if conflict is not None:
            # Changed again meanwhile: the text is back in the composer to send again, so
            # no dialog offers a retry that would record it twice.
            failure = Failure(
                self.tr("{message}. Your text is back in the composer.").format(
                    message=failure.message.rstrip(".")
                )
            )
        self.show_failure(failure, command=command)

    def _done(self, command: c.Command, result: object) -> None:
        keys = [result.key] if isinstance(result, Ticket) else []
        if isinstance(result, list):
            keys = [t.key for t in result if isinstance(t, Ticket)]
        what = self.tr("{keys} saved").format(keys=", ".join(keys)) if keys else self.tr("saved")
        self.window.statusBar().showMessage(f"{words.tr(command.action)}: {what}", 4000)

    def show_failure(self, failure: Failure, command: c.Command | None = None) -> None:
        """Why something was not done: a conflict on a ticket offers to send ``command``
        again on the new version; offline refusals go to the status bar (the banner says
        why); anything else to a dialog."""
        conflict = failure.conflict
        if conflict is not None and isinstance(conflict.current, Ticket):
            self._conflict(command, conflict)
            return
        if failure.offline:
            # The banner explains; the refusal itself goes to the status bar.
            self.window.statusBar().showMessage(failure.message, 8000)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Not saved"),
            failure.message,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("failureDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _conflict(self, command: c.Command | None, error: ConcurrentEditError) -> None:
        """Show what changed meanwhile and offer to retry on the new version (window-modal,
        without blocking the countdown)."""
        current = error.current
        assert isinstance(current, Ticket)
        seen = next((r.ticket for r in self._selected() if r.key == current.key), None)
        changes = []
        if seen is not None:
            nobody = self.tr("nobody")
            for label, before, after in (
                (self.tr("status"), status_label(seen.status), status_label(current.status)),
                (self.tr("assignee"), seen.assignee or nobody, current.assignee or nobody),
                (self.tr("severity"), str(seen.severity), str(current.severity)),
                (self.tr("title"), seen.title, current.title),
            ):
                if before != after:
                    changes.append(f"• {label}: {before} → {after}")
        details = "\n".join(changes) or "• " + self.tr("its history (an event was added)")
        box = QMessageBox(self.window)
        box.setObjectName("conflictDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Changed by someone else"))
        box.setText(
            self.tr(
                "{key} was changed by someone else while you were looking at it (you saw "
                "version {seen}, it is now version {now}). Your change was not saved."
            ).format(key=current.key, seen=error.expected_version, now=current.version)
        )
        box.setInformativeText(
            self.tr("What changed:\n{details}\n\nRetry your change on the new version?").format(
                details=details
            )
        )
        retry = box.addButton(
            self.tr("Retry on the new version"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        retried = (
            command.on(current) if isinstance(command, c.TicketCommand | c.ChangeSeverity) else None
        )

        def finished(button: Any) -> None:
            if button is retry and retried is not None:
                self.send(retried)

        box.buttonClicked.connect(finished)
        box.open()

    # ------------------------------------------------------------------ the actions

    def me(self) -> str | None:
        """Who the console acts for; None (after saying so) when nobody is chosen."""
        me = self.dispatcher.actor
        if me is None:
            QMessageBox.information(
                self.window,
                self.tr("Who are you?"),
                self.tr("Choose who you are in Settings before changing tickets."),
            )
        return me

    def _row(self) -> QueueRow | None:
        rows = self._selected()
        return rows[0] if rows and self.me() is not None else None

    def _on_row(self, command: Callable[[QueueRow], c.Command]) -> None:
        """Send the command made for the selected row (when there is one, and a person)."""
        row = self._row()
        if row is not None:
            self.send(command(row))

    def take(self) -> None:
        me = self.dispatcher.actor
        self._on_row(lambda row: c.AssignTicket(row.key, row.ticket.version, me))

    def assign(self) -> None:
        row = self._row()
        if row is None:
            return
        agents = self._agents()
        names = [self.tr("(unassigned)"), *sorted(agents)]
        labels = [names[0], *(f"{agents[n].display_name} ({n})" for n in names[1:])]
        choice, ok = QInputDialog.getItem(
            self.window, self.tr("Assign"), self.tr("Assign the ticket to:"), labels, 0, False
        )
        if ok:
            target = None if choice == labels[0] else names[labels.index(choice)]
            self.send(c.AssignTicket(row.key, row.ticket.version, target))

    def respond(self) -> None:
        """Record a response given elsewhere: the composer in Reply mode, by phone unless
        another channel is chosen, for a line of what was said."""
        self._compose(ComposerMode.REPLY, Channel.PHONE)

    def send_update(self) -> None:
        self._compose(ComposerMode.UPDATE)

    def _compose(self, mode: ComposerMode, channel: Channel | None = None) -> None:
        if self._row() is not None and self.composer is not None:
            self.composer.start(mode, channel)

    def set_status(self, status: Status) -> None:
        row = self._row()
        if row is None:
            return
        if status in (Status.RESOLVED, Status.CLOSED) and not self._confirm(
            row,
            EventKind.STATUS_CHANGED,
            {"status": status.value},
            self.tr("Set {status}").format(status=status_label(status)),
        ):
            return
        self.send(c.SetStatus(row.key, row.ticket.version, status))

    def _confirm(self, row: QueueRow, kind: EventKind, data: dict[str, object], title: str) -> bool:
        """Ask once before an action that stops or lifts a clock, saying which (from the
        clock code: the ticket's clocks now and with the event added); True to go on. An
        action that moves no clock is not asked about."""
        detail = getattr(self.window, "detail", None)
        if detail is None or detail.row.key != row.key:
            return True  # the detail is still on its way: the event rules still apply
        effects = clock_effects(detail, kind, data, self.dispatcher.now(), self._zone())
        if not effects:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            self.tr("{action} on {key}:\n\n{effects}\n\nThe history keeps this for good.").format(
                action=title, key=row.key, effects=effects_text(effects)
            ),
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("confirmEffects")
        go = box.addButton(title, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go)
        box.exec()
        return box.clickedButton() is go

    def escalate(self) -> None:
        row = self._row()
        if row is None:
            return
        urgent = self.tr("Urgent")
        choice, ok = QInputDialog.getItem(
            self.window,
            self.tr("Escalate"),
            self.tr("How urgent is it?"),
            [self.tr("Non-urgent (manager answer within the policy's time)"), urgent],
            0,
            False,
        )
        if ok:
            self.send(c.Escalate(row.key, row.ticket.version, urgent=choice == urgent))

    def deliver_rca(self) -> None:
        row = self._row()
        title = self.tr("RCA delivered")
        if row is not None and self._confirm(row, EventKind.RCA_DELIVERED, {}, title):
            self.send(c.DeliverRca(row.key, row.ticket.version))

    def waive(self) -> None:
        row = self._row()
        if row is None:
            return
        waivers = row.policy.waivers
        if not waivers:
            QMessageBox.information(
                self.window,
                self.tr("Waive"),
                self.tr("{vendor}'s policy has no waivers.").format(vendor=row.policy.vendor),
            )
            return
        names = [w.name for w in waivers]
        title = self.tr("Waive the target")
        choice, ok = QInputDialog.getItem(
            self.window, title, self.tr("Why does the target not apply?"), names, 0, False
        )
        if not ok:
            return
        reason, ok = QInputDialog.getText(self.window, title, self.tr("Reason (required):"))
        if ok and reason.strip():
            waiver = waivers[names.index(choice)].id
            data: dict[str, object] = {"waiver": waiver, "reason": reason.strip()}
            if self._confirm(row, EventKind.WAIVED, data, self.tr("Waive")):
                self.send(c.Waive(row.key, row.ticket.version, waiver, reason))

    def add_note(self) -> None:
        row = self._row()
        if row is None:
            return
        text, ok = QInputDialog.getMultiLineText(self.window, self.tr("Add note"), self.tr("Note:"))
        if ok and text.strip():
            self.send(c.AddNote(row.key, row.ticket.version, text))

    def is_lead(self) -> bool:
        agent = self._agents().get(self.dispatcher.actor or "")
        return agent is not None and agent.role is Role.LEAD

    def change_severity(self) -> None:
        """A lead's severity change of the selected tickets (one policy), with every clock's
        new deadline shown before confirming; several tickets change all or none."""
        rows = self._selected()
        if self.me() is None or not rows:
            return
        if not self.is_lead():
            QMessageBox.information(
                self.window,
                self.tr("Change severity"),
                self.tr("Changing the severity is for team leads."),
            )
            return
        if len({r.customer.policy_id for r in rows}) > 1:
            QMessageBox.information(
                self.window,
                self.tr("Change severity"),
                self.tr("Choose tickets of one policy: severities differ between policies."),
            )
            return
        dialog = SeverityDialog(rows, self._zone(), self.dispatcher, self.window)
        if dialog.exec() != SeverityDialog.DialogCode.Accepted:
            return
        self.send(
            c.ChangeSeverity(
                tuple((r.key, r.ticket.version) for r in dialog.changing()),
                dialog.chosen(),
                dialog.reason_text(),
                customer_notified=dialog.notified.isChecked(),
            )
        )
