"""The mail channel in the window: the status bar's mail line, the Console menu's Team
mailbox and Triage entries, and, on SQLite, the mail worker this console runs itself.

The mail line (``mailStatusLabel``) says what :class:`~console.services.mail_views.MailState`
says: the worker's state, the outbox, the failed replies and what waits in Triage, in the
alarm colour when it needs a look. It is read when the window loads, every
:data:`MAIL_STATE_MS` (``mailStateRefresh``), and soon after the change feed reports mail or
ticket changes (``mailStateSoon``, a throttle: a busy feed does not postpone it). A database
that keeps no mail shows no line and no entries. Clicking the line opens Triage when messages
wait there, else the team mailbox's settings.

One person on SQLite has no server to run ``support-console mail run`` beside: the console
runs the mail worker on a thread of its own while it is open (:class:`ConsoleMailWorker`),
once a mailbox is set up and both passwords are found. On PostgreSQL it never does: the
team's worker runs beside the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from console.adapters.database import Database
from console.adapters.mail_secrets import MailSecretError, password
from console.domain.mail import MailboxSettings, ServerSettings
from console.qt.actions import make_action
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.mail_settings import MailSettingsDialog, Secrets
from console.qt.theme import set_tone
from console.qt.timers import named_timer
from console.qt.triage_view import TriageDialog
from console.services import words
from console.services.mail_views import MailState, MailStateView
from console.services.mail_worker import MailWorker, Passwords
from console.services.tickets import PolicyBook

__all__ = ["MAIL_STATE_MS", "ConsoleMailWorker", "MailChannel", "MailStatusLabel"]

log = logging.getLogger(__name__)

MAIL_STATE_MS = 15_000
SOON_MS = 1_000  # after a mail or ticket change, the mail line is read again within this
# The longest the window waits for its mail worker when it closes: a round ends within
# the worker's tick (2 s of IDLE) unless a server is slow to answer.
STOP_SECONDS = 5.0


class MailStatusLabel(QLabel):
    """The mail line of the status bar; :attr:`clicked` when clicked."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailStatusLabel")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class ConsoleMailWorker:
    """The mail worker of one person's SQLite database, on a daemon thread while the window
    is open: :meth:`start` once a mailbox is set up, :meth:`stop` when the window closes.
    ``problem`` says why it does not run (a password not found). Passwords are looked up
    with ``lookup`` (default: :func:`~console.adapters.mail_secrets.password`)."""

    def __init__(
        self,
        database: Database,
        book: PolicyBook,
        now: Callable[[], datetime],
        lookup: Callable[[str, ServerSettings], str] | None = None,
    ) -> None:
        self.database = database
        self.book = book
        self.now = now
        self.lookup = lookup
        self.problem = ""
        self.thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._tried: MailboxSettings | None = None  # the settings it last could not start on

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, settings: MailboxSettings, *, again: bool = False) -> bool:
        """Run the worker for the mailbox ``settings`` unless it runs already; whether it
        runs. Settings it could not start on are not tried again (the keyring may ask the
        user each time) unless ``again`` (after a save)."""
        if self.running:
            return True
        if not self.database.is_sqlite:
            self.problem = ""
            return False
        if settings == self._tried and not again:
            return False
        self._tried = settings
        lookup = self.lookup or password
        try:
            for which, server in (("imap", settings.imap), ("smtp", settings.smtp)):
                lookup(which, server)
        except MailSecretError as error:
            self.problem = words.tr("This console does not run the mail worker: {error}").format(
                error=error
            )
            return False
        worker = MailWorker(self.database, self.book, Passwords(lookup), now=self.now)
        self.problem = ""
        self._tried = None
        self._stop = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(worker, self._stop), name="console-mail", daemon=True
        )
        self.thread.start()
        return True

    @staticmethod
    def _run(worker: MailWorker, stop: threading.Event) -> None:
        try:
            worker.run(stop)
        except Exception:  # the worker reports its own errors; this is one it could not
            log.exception("the console's mail worker stopped")

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Ask the worker to stop and wait for it a little (it hands the mailbox back)."""
        self._stop.set()
        if self.thread is not None:
            self.thread.join(timeout)
            self.thread = None


class MailChannel(QObject):
    """The mail line, the Team mailbox and Triage entries and the console's mail worker of
    ``window``; everything it reads goes through ``dispatcher``. ``is_lead`` says whether
    the console's person may change what it shows; ``zone`` gives the agent's zone."""

    stateChanged = Signal(object)  # MailStateView  # noqa: N815

    def __init__(
        self,
        window: QMainWindow,
        dispatcher: Dispatcher,
        *,
        is_lead: Callable[[], bool],
        zone: Callable[[], Any],
        secrets: Secrets | None = None,
        worker: ConsoleMailWorker | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.dispatcher = dispatcher
        self.is_lead = is_lead
        self.zone = zone
        self.secrets = secrets
        self.view: MailStateView | None = None
        self.worker = worker or ConsoleMailWorker(
            dispatcher.database, dispatcher.book, dispatcher.now
        )
        self.settings_dialog: MailSettingsDialog | None = None
        self.triage_dialog: TriageDialog | None = None
        self._read_problem = ""

        self.label = MailStatusLabel(window)
        self.label.clicked.connect(self.open_from_label)
        self.settings_action = make_action(
            window, "mail_settings", self.tr("Team mailbox…"), "Ctrl+Shift+M", self.open_settings
        )
        self.triage_action = make_action(
            window, "triage", self.tr("Triage…"), "Ctrl+Shift+T", self.open_triage
        )
        for action in (self.settings_action, self.triage_action):
            action.setVisible(False)  # until the database says it keeps mail

        self.timer = named_timer(self, "mailStateRefresh", MAIL_STATE_MS, self.refresh)
        self.soon_timer = named_timer(
            self, "mailStateSoon", SOON_MS, self.refresh, single_shot=True
        )
        self.timer.start()

    # ------------------------------------------------------------------ the state

    def refresh(self) -> None:
        """Read the mail state again."""
        pending = self.dispatcher.ask(MailState())
        pending.finished.connect(self.show_state)
        pending.failed.connect(self._read_failed)

    def follow(self, entities: frozenset[str]) -> None:
        """The change feed reported changes of ``entities``: mail or tickets (an outbox
        row changes its ticket) mean the line may say something else."""
        if entities & {"mail", "ticket"}:
            if not self.soon_timer.isActive():
                self.soon_timer.start()
            if "mail" in entities and self.triage_dialog is not None:
                self.triage_dialog.refresh()

    def show_state(self, view: MailStateView) -> None:
        self.view = view
        self._read_problem = ""
        if view.configured and view.settings is not None:
            self.worker.start(view.settings)
        self._show()
        self.stateChanged.emit(view)

    def _read_failed(self, failure: Failure) -> None:
        # Said on the line itself: the status bar's messages are the user's actions'.
        self._read_problem = self.tr("The mail state could not be read: {message}").format(
            message=failure.message
        )
        self._show()

    @property
    def keeps_mail(self) -> bool:
        """Whether the database keeps mail (the fake store of tests and demos does not)."""
        view = self.view
        return view is not None and (view.configured or bool(view.text))

    def _show(self) -> None:
        view = self.view
        shown = self.keeps_mail
        self.label.setVisible(shown)
        for action in (self.settings_action, self.triage_action):
            action.setVisible(shown)
        if view is None or not shown:
            return
        tip = [view.tip]
        if self.worker.running:
            tip.append(self.tr("This console runs the mail worker while it is open."))
        elif self.worker.problem:
            tip.append(self.worker.problem)
        if self._read_problem:
            tip.append(self._read_problem)
        # This console not running a worker is no problem while another one serves the
        # mailbox (the view says when none does); the tip says why it does not.
        problem = view.problem or bool(self._read_problem)
        self.label.setText(view.text)
        self.label.setToolTip("\n\n".join(tip))
        set_tone(self.label, "problem" if problem else None)  # as the identity's warning
        self.triage_action.setText(self.tr("Triage ({count})…").format(count=view.waiting))

    # ------------------------------------------------------------------ dialogs

    def open_from_label(self) -> QWidget | None:
        """Triage when messages wait there, else the team mailbox's settings."""
        if self.view is not None and self.view.waiting:
            return self.open_triage()
        return self.open_settings()

    def open_settings(self) -> MailSettingsDialog:
        """The team mailbox's settings, as last read (a lead edits them; others look)."""
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return self.settings_dialog
        settings = self.view.settings if self.view is not None else None
        dialog = MailSettingsDialog(
            self.dispatcher,
            self.dispatcher.book.policies,
            settings,
            can_edit=self.is_lead(),
            secrets=self.secrets,
            parent=self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(self._settings_closed)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def _settings_saved(self) -> None:
        pending = self.dispatcher.ask(MailState())
        pending.finished.connect(self._state_after_save)
        pending.failed.connect(self._read_failed)

    def _state_after_save(self, view: MailStateView) -> None:
        if view.configured and view.settings is not None:
            self.worker.start(view.settings, again=True)
        self.show_state(view)

    def _settings_closed(self, _: int) -> None:
        self.settings_dialog = None

    def open_triage(self) -> TriageDialog:
        """The mail waiting for a lead (read-only for others)."""
        if self.triage_dialog is not None:
            self.triage_dialog.raise_()
            self.triage_dialog.activateWindow()
            return self.triage_dialog
        dialog = TriageDialog(
            self.dispatcher, self.zone(), can_edit=self.is_lead(), parent=self.window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.countChanged.connect(lambda _: self.refresh())
        dialog.finished.connect(self._triage_closed)
        self.triage_dialog = dialog
        dialog.open()
        return dialog

    def _triage_closed(self, _: int) -> None:
        self.triage_dialog = None

    # ------------------------------------------------------------------ the end

    def stop(self) -> None:
        """The window closes: no more reading, and the console's mail worker stops."""
        self.timer.stop()
        self.soon_timer.stop()
        self.worker.stop()
