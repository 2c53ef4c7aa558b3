"""When the database cannot be opened at start: say why, and offer a way on (choose another
in Settings, use the default database, create the missing file on purpose), never just an
exit."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QMessageBox, QWidget

from console.adapters.database import DatabaseError, DatabaseMissingError, describe
from console.services import words


class StartChoice(StrEnum):
    SETTINGS = "settings"
    DEFAULT = "default"
    CREATE = "create"
    QUIT = "quit"


def start_problem_box(error: DatabaseError, url: str, parent: QWidget | None = None) -> QMessageBox:
    """The question: what went wrong opening ``url``, and the ways on as buttons (each
    button's ``choice`` property is a :class:`StartChoice`)."""
    box = QMessageBox(parent)
    box.setObjectName("startProblem")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(words.tr("Support Console: the database cannot be opened"))
    box.setText(words.tr("The console cannot open {database}.").format(database=describe(url)))
    reason = str(error)
    reason = reason[:1].upper() + reason[1:]
    if "nothing was" not in reason.lower():
        reason += ". " + words.tr("Nothing was changed")
    box.setInformativeText(words.tr("{reason}.\n\nHow do you want to go on?").format(reason=reason))
    buttons = [
        (
            StartChoice.SETTINGS,
            words.tr("Choose another in Settings…"),
            QMessageBox.ButtonRole.ActionRole,
        ),
        (
            StartChoice.DEFAULT,
            words.tr("Use the default database"),
            QMessageBox.ButtonRole.ActionRole,
        ),
    ]
    if isinstance(error, DatabaseMissingError):
        buttons.append(
            (
                StartChoice.CREATE,
                words.tr("Start a new database there"),
                QMessageBox.ButtonRole.ActionRole,
            )
        )
    buttons.append((StartChoice.QUIT, words.tr("Quit"), QMessageBox.ButtonRole.RejectRole))
    for choice, text, role in buttons:
        button = box.addButton(text, role)
        button.setObjectName(f"start_{choice.value}")
        button.setProperty("choice", choice.value)
    return box


def ask_how_to_go_on(error: DatabaseError, url: str) -> StartChoice:
    """Show the question and wait for the answer."""
    box = start_problem_box(error, url)
    box.exec()
    clicked = box.clickedButton()
    value = clicked.property("choice") if clicked is not None else None
    return StartChoice(value) if isinstance(value, str) else StartChoice.QUIT
