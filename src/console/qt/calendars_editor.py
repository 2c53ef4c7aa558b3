"""What the calendars dialog's two editors (company holiday periods, presences) share: a
lead stages edits per policy, sees how many due instants they would move (counted through
the dispatcher, the latest count winning), and saves them as one command."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from console.qt.calendars_widgets import Section
from console.qt.dispatcher import Dispatcher, Failure
from console.services import words
from console.services.calendar_texts import moves_text
from console.services.views import Query

EDIT_DENIED = words.QT_TR_NOOP("Only team leads edit calendars")


class PolicyEdits(Protocol):
    """The staged edits of one policy: whether any, and how many due instants they move."""

    dirty: bool
    moves: int | None


class StagedEdits(Protocol):
    def edits(self, policy_id: str) -> Any: ...

    def revert(self, policy_id: str) -> None: ...


class StagedEditor(Section):
    """A section of staged edits; subclasses build the widgets (``moves_label``,
    ``status_label``), list the edits (:meth:`_fill`), enable buttons
    (:meth:`_update_buttons`) and say what a count asks (:meth:`_moves_query`)."""

    stagedChanged = Signal()  # the staged edits of the policy shown changed  # noqa: N815

    # Words of the sentences below, translated where they are used.
    noun = words.QT_TR_NOOP("edits")  # what the unsaved edits are, in "the unsaved ... would move"
    noun_one = words.QT_TR_NOOP("edit")  # one of them, in "Stage this ..."
    save_what = words.QT_TR_NOOP("changes")  # in "Save the ... and recompute the due instants"
    read_what = words.QT_TR_NOOP("the saved values")  # what reload() reads, in its failure

    moves_label: QLabel
    status_label: QLabel
    add_button: QPushButton
    remove_button: QPushButton
    revert_button: QPushButton
    save_button: QPushButton

    def __init__(
        self,
        title: str,
        name: str,
        edits: StagedEdits,
        dispatcher: Dispatcher,
        policy_id: str,
        *,
        can_edit: bool,
    ) -> None:
        super().__init__(title, None, name)
        self._edits = edits
        self._dispatcher = dispatcher
        self._policy_id = policy_id
        self._can_edit = can_edit
        self._counting = policy_id  # the policy of the latest count asked for
        self._saving: str | None = None  # the policy whose edit is being saved

    # ------------------------------------------------------------------ to fill in

    def _fill(self) -> None:
        raise NotImplementedError

    def _new_item(self) -> tuple[Any, str]:
        """The edit the form describes, or None and why not."""
        raise NotImplementedError

    def _selected_item(self) -> Any:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        if not self._can_edit:
            return
        edits = self._edits.edits(self._policy_id)
        item, problem = self._new_item()
        self.add_button.setEnabled(item is not None)
        self.add_button.setToolTip(
            problem
            or self.tr("Stage this {item} (saved with Save)").format(item=words.tr(self.noun_one))
        )
        selected = self._selected_item()
        restoring = selected is not None and selected in edits.removed
        self.remove_button.setText(self.tr("Restore") if restoring else self.tr("Remove"))
        self.remove_button.setEnabled(selected is not None)
        self.remove_button.setToolTip(
            self.tr("Keep this {item}").format(item=words.tr(self.noun_one))
            if restoring
            else self.tr("Stage removing the selected {item}").format(item=words.tr(self.noun_one))
        )
        idle = self._saving is None
        self.revert_button.setEnabled(edits.dirty and idle)
        self.save_button.setEnabled(edits.dirty and idle)
        self.save_button.setToolTip(
            self.tr("Save the {what} and recompute the due instants").format(
                what=words.tr(self.save_what)
            )
            if edits.dirty
            else self.tr("No unsaved changes")
        )

    def _moves_query(self, policy_id: str) -> Query[int]:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ shared

    def show_policy(self, policy_id: str) -> None:
        """List ``policy_id``'s saved values and edits (its count asked again when not
        known)."""
        self._policy_id = policy_id
        self._refresh()

    def _took_saved(self) -> None:
        """The saved values were just read (after a save or another lead's edit)."""
        self._saving = None
        self._refresh()

    def _refresh(self) -> None:
        edits = self._edits.edits(self._policy_id)
        if edits.dirty and edits.moves is None:
            self._ask_moves()
        self._fill()

    @staticmethod
    def _button(text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    @staticmethod
    def _deny(widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            widget.setEnabled(False)
            widget.setToolTip(words.tr(EDIT_DENIED))

    def _revert(self) -> None:
        self._edits.revert(self._policy_id)
        self._staged()

    def _staged(self) -> None:
        """After a staged change: count its moves, list it, tell the dialog."""
        self._set_status("")
        if self._edits.edits(self._policy_id).dirty:
            self._ask_moves()
        self._fill()
        self.stagedChanged.emit()

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _ask_moves(self) -> None:
        policy_id = self._policy_id
        self._edits.edits(policy_id).moves = None
        self._counting = policy_id
        pending = self._dispatcher.ask(self._moves_query(policy_id))
        pending.finished.connect(self._moves_counted)
        pending.failed.connect(self._moves_failed)

    def _moves_counted(self, count: int) -> None:
        # Only the latest count asked for answers (the dispatcher supersedes older ones).
        self._edits.edits(self._counting).moves = count
        if self._counting == self._policy_id:
            self._show_moves()

    def _moves_failed(self, failure: Failure) -> None:
        if self._counting == self._policy_id:
            self.moves_label.setText(
                self.tr("Could not count the moved due instants: {message}").format(
                    message=failure.message
                )
            )

    def _show_moves(self) -> None:
        edits = self._edits.edits(self._policy_id)
        text = moves_text(edits.moves) if edits.dirty else ""
        self.moves_label.setText(text)
        tip = self.tr("How many open tickets' due instants the unsaved {edits} would move").format(
            edits=words.tr(self.noun)
        )
        self.moves_label.setToolTip(tip if text else "")

    def _start_saving(self, command: Any) -> None:
        self._saving = self._policy_id
        self._set_status(self.tr("Saving…"))
        self._update_buttons()
        pending = self._dispatcher.send(command)
        pending.finished.connect(self._saved)
        pending.failed.connect(self._save_failed)

    def _saved(self, moved: int) -> None:
        self._set_status(self.tr("Saved; %Ln due instant(s) moved", "", moved))
        self.reload()

    def _save_failed(self, failure: Failure) -> None:
        self._saving = None
        self._update_buttons()
        self._set_status(self.tr("Not saved: {message}").format(message=failure.message))

    def _load_failed(self, failure: Failure) -> None:
        self._saving = None
        self._update_buttons()
        self._set_status(
            self.tr("Could not read {what}: {message}").format(
                what=words.tr(self.read_what), message=failure.message
            )
        )
