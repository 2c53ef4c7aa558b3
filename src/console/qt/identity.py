"""Who the console's user is, and the question that asks it.

On PostgreSQL the person is the login the console connected as: the database enforces that
login's rights, so the console acts for nobody else, whatever Settings says. A login
without a row in ``agents`` may look but not change anything. On SQLite (no logins) the
person is the one chosen at first start or in Settings, never one picked silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.adapters.database import Database, DatabaseError
from console.adapters.identity import Login, database_login, not_an_agent
from console.domain.model import Agent
from console.qt.settings import agent_label
from console.services import words
from console.services.labels import role_label

__all__ = [
    "Identity",
    "IdentityText",
    "WhoAreYouDialog",
    "ask_who_you_are",
]

NOBODY = words.QT_TR_NOOP("Nobody chosen")


# --------------------------------------------------------------------------- who it is


@dataclass(frozen=True, slots=True)
class IdentityText:
    """The status bar's words for the person: ``text``, a ``tip``, and ``warning`` when the
    console cannot act for anybody."""

    text: str
    tip: str
    warning: bool = False


class Identity:
    """The person a console acts for on ``database``: its login on PostgreSQL (``chosen``
    is ignored there), else ``chosen`` (the Settings agent; None: nobody yet)."""

    def __init__(self, database: Database, chosen: str | None) -> None:
        self.team = not database.is_sqlite
        self.chosen = chosen
        self.login: Login | None = None
        self.problem: str | None = None  # why the login could not be read
        if self.team:
            try:
                self.login = database_login(database)
            except DatabaseError as error:
                self.problem = words.tr(
                    "{error}: nothing can be changed; restart the console"
                ).format(error=error)
        self._is_agent = self.login is not None and self.login.is_agent

    @property
    def person(self) -> str | None:
        """The name commands are sent for."""
        if self.team:
            return self.login.name if self.login is not None else None
        return self.chosen

    def choose(self, name: str | None) -> None:
        """Settings chose ``name``: the person on SQLite; kept but unused on PostgreSQL."""
        self.chosen = name

    def know_agents(self, agents: Mapping[str, Agent]) -> None:
        """The people as the database has them now (a lead may have added the login)."""
        if self.login is not None:
            self._is_agent = self.login.name in agents

    def refusal(self) -> str | None:
        """Why nothing may be changed from this console (PostgreSQL), or None. On SQLite
        the service refuses on its own when nobody is chosen."""
        if not self.team:
            return None
        if self.login is None:
            return self.problem or words.tr("the database login could not be read")
        if not self._is_agent:
            return not_an_agent(self.login.name)
        return None

    def text(self, agents: Mapping[str, Agent]) -> IdentityText:
        """What the status bar says about the person (``agents`` by name, maybe not loaded
        yet)."""
        if self.team:
            refusal = self.refusal()
            if self.login is None:
                return IdentityText(words.tr("Login unknown"), _sentence(refusal or ""), True)
            name = self.login.name
            if refusal is not None:
                return IdentityText(_sentence(refusal), _sentence(refusal), True)
            me = agents.get(name)
            role = f" ({role_label(me.role)})" if me is not None else ""
            return IdentityText(
                words.tr("{person} · login").format(person=f"{name}{role}"),
                words.tr(
                    "On a team database you are your login ({name}); Settings cannot change it"
                ).format(name=name),
            )
        if self.chosen is None:
            return IdentityText(
                words.tr("{nobody} · choose who you are in Settings").format(
                    nobody=words.tr(NOBODY)
                ),
                words.tr(
                    "Nothing can be changed until you choose who you are (Console ▸ Settings)"
                ),
                True,
            )
        me = agents.get(self.chosen)
        tip = words.tr("Who you are on this database file: change it in Settings (Who I am)")
        if me is not None:
            return IdentityText(f"{me.display_name} ({role_label(me.role)})", tip)
        if agents:
            return IdentityText(
                words.tr("{name} (not in this database)").format(name=self.chosen), tip, True
            )
        return IdentityText(self.chosen, tip)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- the question


class WhoAreYouDialog(QDialog):
    """Asks, on a database without logins, which of its people the user is. OK stays
    disabled until one is chosen: nobody is picked for the user."""

    def __init__(self, agents: Sequence[Agent], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whoAreYou")
        self.setWindowTitle(self.tr("Support Console: who are you?"))
        intro = QLabel(
            self.tr(
                "Choose who you are in this database. What you do is recorded under this name, "
                "and My open shows this person's tickets. You can change it later in Settings "
                "(Who I am)."
            ),
            self,
        )
        intro.setObjectName("whoAreYouIntro")
        intro.setWordWrap(True)
        self.people = QListWidget(self)
        self.people.setObjectName("people")
        for person in sorted(agents, key=lambda a: a.display_name.casefold()):
            item = QListWidgetItem(agent_label(person), self.people)
            item.setData(Qt.ItemDataRole.UserRole, person.name)
        self.people.setCurrentRow(-1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.people.itemSelectionChanged.connect(self._update_ok)
        self.people.itemDoubleClicked.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.buttons)
        self.resize(460, 420)
        self._update_ok()

    def chosen(self) -> str | None:
        """The login name of the person selected, or None."""
        items = self.people.selectedItems()
        if not items:
            return None
        name = items[0].data(Qt.ItemDataRole.UserRole)
        return name if isinstance(name, str) else None

    def choose(self, name: str) -> None:
        """Select ``name`` (KeyError when it is not in the list)."""
        for row in range(self.people.count()):
            if self.people.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.people.setCurrentRow(row)
                return
        raise KeyError(f"no person {name!r} to choose")

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.chosen() is not None)


def ask_who_you_are(agents: Sequence[Agent], parent: QWidget | None = None) -> str | None:
    """Ask which of ``agents`` the user is and wait for the answer; None when cancelled."""
    dialog = WhoAreYouDialog(agents, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
    finally:
        dialog.deleteLater()
