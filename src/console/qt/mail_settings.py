"""The team mailbox's settings (Console ▸ Team mailbox…): where the console receives mail
(IMAP) and sends replies (SMTP), as whom, and which policies' new tickets by mail get an
automated acknowledgement. A team lead changes them; anyone else sees them read-only.

Save sends :class:`~console.services.commands.ConfigureMailbox` with the version the dialog
was opened on, so a lead who saved meanwhile is never overwritten (the dialog says so and
offers to load theirs). Passwords never go to the database and are never shown back: typed
ones are kept in this machine's keyring once the settings are saved; an empty field keeps
the stored one. Test connection logs in to both servers on threads of their own, with the
settings as typed, and says per server what happened; the dialog never waits for a server.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.adapters.mail import ImapInbox, MailServerError, SmtpSender
from console.adapters.mail_secrets import MailSecretError, password, store_password
from console.domain.mail import (
    DEFAULT_PORTS,
    MailboxSettings,
    Security,
    ServerSettings,
    check_mailbox,
)
from console.domain.policy_model import Policy
from console.qt.detail_widgets import muted, plain_label
from console.qt.dispatcher import Dispatcher, Failure
from console.qt.theme import set_tone
from console.qt.timers import named_timer
from console.services import words
from console.services.commands import ConfigureMailbox
from console.services.mail_views import MailState, MailStateView

__all__ = ["SERVERS", "MailSettingsDialog", "Secrets", "check_server", "keyring_secrets"]

SERVERS = ("imap", "smtp")
LEADS_ONLY = words.QT_TR_NOOP(
    "Only a team lead changes the team mailbox: you see its settings as they are."
)
TEST_DRAIN_MS = 50  # how often the results of a connection test reach the dialog
TEST_TIMEOUT = 15.0  # seconds a test waits for each answer of a server
NOT_TRIED = words.QT_TR_NOOP("not tried yet")
_SECURITY_LABELS = {
    Security.TLS: "TLS",
    Security.STARTTLS: "STARTTLS",
    Security.NONE: words.QT_TR_NOOP("None (a server on this machine only)"),
}


@dataclass(frozen=True, slots=True)
class Secrets:
    """Where the dialog keeps typed passwords and finds stored ones: this machine's keyring
    (:func:`keyring_secrets`), or what a test gives."""

    store: Callable[[str, ServerSettings, str], None]
    lookup: Callable[[str, ServerSettings], str]


def keyring_secrets() -> Secrets:
    return Secrets(store_password, password)


def check_server(which: str, settings: MailboxSettings, secret: str) -> str:
    """Log in to the ``which`` ("imap" or "smtp") server of ``settings`` and leave; what
    went well, in words. :class:`MailServerError` says what did not."""
    if which == "imap":
        inbox = ImapInbox(settings.imap, secret, settings.folder, timeout=TEST_TIMEOUT)
        inbox.connect()
        inbox.close()
        return words.tr("Logged in to {server}, {folder} opened").format(
            server=f"{settings.imap.host}:{settings.imap.port}", folder=settings.folder
        )
    SmtpSender(settings.smtp, secret, timeout=TEST_TIMEOUT).check()
    return words.tr("Logged in to {server}").format(
        server=f"{settings.smtp.host}:{settings.smtp.port}"
    )


def _try_server(which: str, settings: MailboxSettings, typed: str, secrets: Secrets) -> str:
    """:func:`check_server` with the typed password, else the stored one; a ✓ or ✗ line."""
    server = settings.imap if which == "imap" else settings.smtp
    try:
        secret = typed or secrets.lookup(which, server)
        return f"✓ {check_server(which, settings, secret)}"
    except MailSecretError as error:
        return "✗ " + words.tr("No password: type it above ({error})").format(error=error)
    except MailServerError as error:
        return f"✗ {error.reason}"
    except Exception as error:  # the transport promises MailServerError; say anything else
        return f"✗ {type(error).__name__}: {error}"


class _ServerFields:
    """The fields of one server: host, port (following the security's usual port until
    someone types one), security, user and password."""

    def __init__(self, which: str, server: ServerSettings | None, keeps_password: bool) -> None:
        self.which = which
        self.host = QLineEdit(server.host if server else "")
        self.host.setObjectName(f"{which}Host")
        self.host.setPlaceholderText(f"{which}.example.com")
        self.port = QSpinBox()
        self.port.setObjectName(f"{which}Port")
        self.port.setRange(1, 65_535)
        self.security = QComboBox()
        self.security.setObjectName(f"{which}Security")
        for security in Security:
            self.security.addItem(words.tr(_SECURITY_LABELS[security]), security.value)
        chosen = server.security if server else Security.TLS
        self.security.setCurrentIndex(self.security.findData(chosen.value))
        self._following = True  # setting the usual port is not someone typing one
        self.port.setValue(server.port if server else DEFAULT_PORTS[(which, chosen)])
        self._following = False
        self.typed_port = server is not None and server.port != DEFAULT_PORTS[(which, chosen)]
        self.port.valueChanged.connect(self._port_changed)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.user = QLineEdit(server.user if server else "")
        self.user.setObjectName(f"{which}User")
        self.user.setPlaceholderText(words.tr("the team address"))
        self.password = QLineEdit()
        self.password.setObjectName(f"{which}Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            words.tr("empty: keep the stored one")
            if keeps_password
            else words.tr("kept in this machine's keyring")
        )
        self.port_row = QWidget()
        row = QHBoxLayout(self.port_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.port)
        row.addWidget(self.security, 1)

    @property
    def chosen_security(self) -> Security:
        return Security(self.security.currentData())

    def server(self, address: str, ca_file: str) -> ServerSettings:
        return ServerSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=self.chosen_security,
            user=self.user.text().strip() or address.strip(),
            ca_file=ca_file,
        )

    def fill(self, server: ServerSettings) -> None:
        self.host.setText(server.host)
        self.security.setCurrentIndex(self.security.findData(server.security.value))
        self._following = True
        self.port.setValue(server.port)
        self._following = False
        self.typed_port = server.port != DEFAULT_PORTS[(self.which, server.security)]
        self.user.setText(server.user)

    def inputs(self) -> tuple[QWidget, ...]:
        return (self.host, self.port, self.security, self.user, self.password)

    def _port_changed(self, _: int) -> None:
        if not self._following:
            self.typed_port = True

    def _security_changed(self, _: int) -> None:
        if self.typed_port:
            return
        self._following = True
        self.port.setValue(DEFAULT_PORTS[(self.which, self.chosen_security)])
        self._following = False


class MailSettingsDialog(QDialog):
    """Edits the team mailbox's ``settings`` (None: none yet) for a lead (``can_edit``),
    shows them read-only to anyone else. Save stays disabled while a field is invalid, and
    the first problem is shown with its field marked. :attr:`saved` is emitted once the
    settings are stored (the passwords may not be: the dialog then stays open to say why).
    """

    saved = Signal()

    def __init__(
        self,
        dispatcher: Dispatcher,
        policies: Mapping[str, Policy],
        settings: MailboxSettings | None,
        *,
        can_edit: bool,
        secrets: Secrets | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mailSettingsDialog")
        self.setWindowTitle(self.tr("Team mailbox"))
        self._dispatcher = dispatcher
        self._policies = dict(policies)
        self._secrets = secrets or keyring_secrets()
        self.can_edit = can_edit
        self.version = settings.version if settings is not None else 0
        self._saving = False
        self._results: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._testing: set[str] = set()
        self.drain_timer = named_timer(self, "mailTestDrain", TEST_DRAIN_MS, self._drain)
        self._build(settings)
        self._validate()

    # ------------------------------------------------------------------ layout

    def _build(self, settings: MailboxSettings | None) -> None:
        keeps = settings is not None
        self.address = QLineEdit(settings.address if settings else "")
        self.address.setObjectName("mailAddress")
        self.address.setPlaceholderText("support@example.com")
        self.display_name = QLineEdit(settings.display_name if settings else "Support")
        self.display_name.setObjectName("mailDisplayName")
        self.servers = {
            "imap": _ServerFields("imap", settings.imap if settings else None, keeps),
            "smtp": _ServerFields("smtp", settings.smtp if settings else None, keeps),
        }
        self.folder = QLineEdit(settings.folder if settings else "INBOX")
        self.folder.setObjectName("mailFolder")
        self.poll_seconds = QSpinBox()
        self.poll_seconds.setObjectName("mailPollSeconds")
        self.poll_seconds.setRange(5, 3_600)
        self.poll_seconds.setSuffix(" s")
        self.poll_seconds.setValue(settings.poll_seconds if settings else 60)
        self.poll_seconds.setToolTip(
            self.tr(
                "How often the mail worker looks for new mail when the server cannot tell it (IDLE)"
            )
        )
        self.ca_file = QLineEdit(settings.imap.ca_file if settings else "")
        self.ca_file.setObjectName("mailCaFile")
        self.ca_file.setPlaceholderText(self.tr("none: the system's certificates only"))
        self.ca_file.setToolTip(
            self.tr(
                "A file of certificates to trust besides the system's (a company's own "
                "authority), as the mail worker's machine sees it"
            )
        )
        self.browse = QPushButton(self.tr("Browse…"))
        self.browse.setObjectName("mailCaBrowse")
        self.browse.clicked.connect(self._browse)

        self.acknowledge: dict[str, QCheckBox] = {}
        chosen = settings.acknowledge if settings else frozenset()
        for policy_id, policy in sorted(self._policies.items(), key=lambda p: p[1].vendor):
            check = QCheckBox(policy.vendor)
            check.setObjectName(f"acknowledge_{policy_id}")
            check.setToolTip(f"{policy.name} ({policy_id})")
            check.setChecked(policy_id in chosen)
            self.acknowledge[policy_id] = check

        self.readonly_note = muted(plain_label(words.tr(LEADS_ONLY), "mailReadOnly", wrap=True))
        self.readonly_note.setVisible(not self.can_edit)

        self.labels: dict[QWidget, QLabel] = {}  # the label of each field, marked when wrong
        team = QGroupBox(self.tr("Team"))
        team_form = self._form(team)
        self._row(team_form, self.tr("Team address"), self.address)
        self._row(team_form, self.tr("Display name"), self.display_name)

        boxes = QHBoxLayout()
        for which, title in (
            ("imap", self.tr("Receiving (IMAP)")),
            ("smtp", self.tr("Sending (SMTP)")),
        ):
            fields = self.servers[which]
            box = QGroupBox(title)
            form = self._form(box)
            self._row(form, self.tr("Server"), fields.host)
            self._row(form, self.tr("Port"), fields.port_row, fields.port)
            self._row(form, self.tr("User"), fields.user)
            self._row(form, self.tr("Password"), fields.password)
            if which == "imap":
                self._row(form, self.tr("Folder"), self.folder)
                self._row(form, self.tr("Check every"), _left(self.poll_seconds), self.poll_seconds)
            boxes.addWidget(box, 1)

        certificates = QGroupBox(self.tr("Certificates"))
        ca_row = QHBoxLayout(certificates)
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)

        acknowledgements = QGroupBox(self.tr("Automated acknowledgement"))
        ack_layout = QVBoxLayout(acknowledgements)
        ack_layout.addWidget(
            muted(
                plain_label(
                    self.tr(
                        "New tickets opened by mail get an automated acknowledgement for these "
                        "policies:"
                    ),
                    wrap=True,
                )
            )
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for index, check in enumerate(self.acknowledge.values()):
            grid.addWidget(check, index // 3, index % 3)
        ack_layout.addLayout(grid)
        self.ack_group = acknowledgements

        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("mailTest")
        self.test_button.setToolTip(self.tr("Log in to both servers with the settings as typed"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_results = {
            which: plain_label("", f"{which}TestResult", wrap=True, select=True)
            for which in SERVERS
        }
        for label in self.test_results.values():
            label.setText(words.tr(NOT_TRIED))
            muted(label)
        test_box = QGroupBox(self.tr("Connection"))
        test_row = QHBoxLayout(test_box)
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        results = QFormLayout()
        results.addRow("IMAP", self.test_results["imap"])
        results.addRow("SMTP", self.test_results["smtp"])
        test_row.addSpacing(8)
        test_row.addLayout(results, 1)

        self.problem = plain_label("", "mailProblem", wrap=True)
        self.status = plain_label("", "mailStatus", wrap=True, select=True)
        self.status.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("mailButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("mailSave")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.reload_button = QPushButton(self.tr("Load theirs"))
        self.reload_button.setObjectName("mailReload")
        self.reload_button.setToolTip(self.tr("Show the settings as the other lead saved them"))
        self.reload_button.clicked.connect(self.reload)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.hide()  # after adding it: the box shows what it is given
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if not self.can_edit:
            self.save_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            for fields in self.servers.values():
                fields.password.setPlaceholderText(self.tr("never shown"))

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.readonly_note)
        layout.addWidget(team)
        layout.addLayout(boxes)
        layout.addWidget(certificates)
        layout.addWidget(acknowledgements)
        layout.addWidget(test_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        for widget in self._inputs():
            _editable(widget, self.can_edit)
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._validate)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._validate)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._validate)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._validate)
        self.resize(max(760, self.sizeHint().width()), self.sizeHint().height())

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _row(
        self, form: QFormLayout, text: str, row: QWidget, field: QWidget | None = None
    ) -> None:
        label = QLabel(text)
        form.addRow(label, row)
        self.labels[field or row] = label

    def _inputs(self) -> list[QWidget]:
        found: list[QWidget] = [self.address, self.display_name]
        for fields in self.servers.values():
            found.extend(fields.inputs())
        found.extend((self.folder, self.poll_seconds, self.ca_file, self.browse))
        found.extend(self.acknowledge.values())
        return found

    # ------------------------------------------------------------------ the settings

    def result_settings(self) -> MailboxSettings:
        """The settings as typed (the version is the one the dialog saw); ValueError naming
        the first field that cannot work."""
        address = self.address.text().strip()
        ca_file = self.ca_file.text().strip()
        settings = MailboxSettings(
            address=address,
            imap=self.servers["imap"].server(address, ca_file),
            smtp=self.servers["smtp"].server(address, ca_file),
            display_name=self.display_name.text().strip(),
            folder=self.folder.text().strip(),
            poll_seconds=self.poll_seconds.value(),
            acknowledge=frozenset(p for p, box in self.acknowledge.items() if box.isChecked()),
            version=self.version,
        )
        check_mailbox(settings, self._policies)
        return settings

    def problems(self) -> list[str]:
        """What keeps the settings from being saved (empty when they can be)."""
        try:
            self.result_settings()
        except ValueError as error:
            return [_sentence(str(error))]
        return []

    def _field_of(self, problem: str) -> QWidget | None:
        """The field a problem of :func:`check_mailbox` names (``"IMAP host: …"``)."""
        name = problem.partition(":")[0].strip().lower()
        fields: dict[str, QWidget] = {
            "address": self.address,
            "display name": self.display_name,
            "folder": self.folder,
            "poll seconds": self.poll_seconds,
        }
        for which, server in self.servers.items():
            fields[f"{which} host"] = server.host
            fields[f"{which} port"] = server.port
            fields[f"{which} user"] = server.user
        return fields.get(name)

    def _validate(self) -> None:
        found = self.problems()
        wrong = self._field_of(found[0]) if found else None
        for widget, label in self.labels.items():
            font = label.font()
            font.setBold(widget is wrong)
            label.setFont(font)
            set_tone(label, "alarm" if widget is wrong else None)
        set_tone(self.problem, "alarm")
        self.problem.setText(found[0] if found and self.can_edit else "")
        self.problem.setVisible(bool(found) and self.can_edit)
        self.save_button.setEnabled(self.can_edit and not found and not self._saving)
        self.test_button.setEnabled(not found and not self._testing)

    def fill(self, settings: MailboxSettings) -> None:
        """Show ``settings`` (as saved by someone else): the fields and the version."""
        self.version = settings.version
        self.address.setText(settings.address)
        self.display_name.setText(settings.display_name)
        self.servers["imap"].fill(settings.imap)
        self.servers["smtp"].fill(settings.smtp)
        self.folder.setText(settings.folder)
        self.poll_seconds.setValue(settings.poll_seconds)
        self.ca_file.setText(settings.imap.ca_file)
        for policy_id, box in self.acknowledge.items():
            box.setChecked(policy_id in settings.acknowledge)
        self._validate()

    def _browse(self) -> None:
        start = self.ca_file.text().strip() or str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificates to trust"),
            start,
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if chosen:
            self.ca_file.setText(chosen)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        """Store the settings (ConfigureMailbox), then the typed passwords."""
        if not self.can_edit or self._saving or self.problems():
            return
        settings = self.result_settings()
        self._saving = True
        self._say(self.tr("Saving…"))
        self._validate()
        pending = self._dispatcher.send(ConfigureMailbox(settings, self.version))
        pending.finished.connect(lambda version: self._saved(settings, version))
        pending.failed.connect(self._save_failed)

    def _saved(self, settings: MailboxSettings, version: object) -> None:
        self._saving = False
        self.version = int(version) if isinstance(version, int) else self.version + 1
        self.reload_button.hide()
        kept: list[str] = []
        missed: list[str] = []
        for which in SERVERS:
            field = self.servers[which].password
            secret = field.text()
            if not secret:
                continue
            server = settings.imap if which == "imap" else settings.smtp
            try:
                self._secrets.store(which, server, secret)
            except MailSecretError as error:
                missed.append(str(error))
            else:
                kept.append(which.upper())
                field.clear()
        self.saved.emit()
        if missed:
            done = (
                " "
                + self.tr("({servers} password kept)").format(
                    servers=(" " + self.tr("and") + " ").join(kept)
                )
                if kept
                else ""
            )
            self._say(
                self.tr("Settings saved{kept}, but a password was not kept: {problems}").format(
                    kept=done, problems="; ".join(missed)
                ),
                alarm=True,
            )
            self.save_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self._validate()
            return
        self.accept()

    def _save_failed(self, failure: Failure) -> None:
        self._saving = False
        if failure.conflict is not None:
            self._say(
                self.tr(
                    "Not saved: another lead changed the team mailbox meanwhile (you saw version "
                    "{version}). Load theirs, then make your change again."
                ).format(version=self.version),
                alarm=True,
            )
            self.reload_button.show()
        else:
            self._say(self.tr("Not saved: {message}").format(message=failure.message), alarm=True)
        self._validate()

    def reload(self) -> None:
        """Read the settings as they are now and show them."""
        pending = self._dispatcher.ask(MailState())
        pending.finished.connect(self._reloaded)
        pending.failed.connect(lambda failure: self._say(failure.message, alarm=True))

    def _reloaded(self, view: MailStateView) -> None:
        if view.settings is not None:
            self.fill(view.settings)
        self.reload_button.hide()
        self._say(
            self.tr("These are the settings as saved now (version {version}).").format(
                version=self.version
            )
        )

    def _say(self, text: str, *, alarm: bool = False) -> None:
        set_tone(self.status, "alarm" if alarm else None)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ------------------------------------------------------------------ testing

    def test_connection(self) -> None:
        """Log in to both servers, each on a thread of its own; the results come to
        :attr:`test_results` as they arrive."""
        if self._testing or self.problems():
            return
        settings = self.result_settings()
        for which in SERVERS:
            typed = self.servers[which].password.text()
            self._testing.add(which)
            self.test_results[which].setText(self.tr("Trying…"))
            set_tone(self.test_results[which], None)
            threading.Thread(
                target=self._test_one,
                args=(which, settings, typed, self._secrets, self._results),
                name=f"console-mail-test-{which}",
                daemon=True,
            ).start()
        self.drain_timer.start()
        self._validate()

    @staticmethod
    def _test_one(
        which: str,
        settings: MailboxSettings,
        typed: str,
        secrets: Secrets,
        results: queue.SimpleQueue[tuple[str, str]],
    ) -> None:
        # Off the UI thread: it touches no widget, only the queue the dialog drains.
        results.put((which, _try_server(which, settings, typed, secrets)))

    def _drain(self) -> None:
        while True:
            try:
                which, said = self._results.get_nowait()
            except queue.Empty:
                break
            self._testing.discard(which)
            label = self.test_results[which]
            label.setText(said)
            set_tone(label, "ok" if said.startswith("✓") else "alarm")
        if not self._testing:
            self.drain_timer.stop()
            self._validate()

    def testing(self) -> bool:
        """Whether a connection test is still waiting for a server."""
        return bool(self._testing)


def _editable(widget: QWidget, editable: bool) -> None:
    """Let ``widget`` be changed, or only read: texts and numbers stay readable (and
    selectable) as read-only fields; choices are disabled."""
    if isinstance(widget, QLineEdit):
        widget.setReadOnly(not editable)
    elif isinstance(widget, QSpinBox):
        widget.setReadOnly(not editable)
        if not editable:
            widget.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
    else:
        widget.setEnabled(editable)


def _left(field: QWidget) -> QWidget:
    """``field`` at its own width, on the left of its row."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field)
    layout.addStretch(1)
    return row


def _sentence(problem: str) -> str:
    """A problem of :func:`check_mailbox` with a capital first letter."""
    text = problem.strip()
    return f"{text[:1].upper()}{text[1:]}"
