"""The presences of the calendars dialog: whose public holidays close the calendars of the
policy shown that take company holidays (Laioutr's 24 / 5), the policy file's by default, and
for a team lead the presences staged over the saved ones with the number of open tickets'
due instants they would move, saved in one ``SetPresences`` command.

Everything goes through the dispatcher: the presences are read with :class:`Presences`
(again after each save), the moves counted with :class:`PresenceMoves` after each staged
change (a newer count supersedes an older one still on its way), and the edit sent as a
command with the presences it was staged over, so that another lead's save meanwhile is
refused rather than overwritten. The staging itself is
:class:`console.services.presence_edits.PresenceEdits`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QSizePolicy,
    QTreeWidgetItem,
    QWidget,
)

from console.domain.calendar_spec import presence_countries, presence_subdivisions
from console.domain.model import PolicyPresence, Presence
from console.domain.policy import Policy
from console.qt.calendars_editor import StagedEditor
from console.qt.calendars_widgets import hbox, muted, plain_label, scaled, tree, vbox
from console.qt.dispatcher import Dispatcher, Failure
from console.services import words
from console.services.calendar_texts import (
    default_presences,
    presence_name,
    presences_text,
)
from console.services.commands import SetPresences
from console.services.presence_edits import PresenceEdits, PresenceState
from console.services.views import PresenceMoves, Presences

PRESENCE_COLUMNS = (words.QT_TR_NOOP("Presence"), words.QT_TR_NOOP("Place"), "")
TITLE = words.QT_TR_NOOP("Presences")
PRESENCE_ROLE = Qt.ItemDataRole.UserRole  # the Presence of a row
WHOLE_COUNTRY = words.QT_TR_NOOP("whole country")


class PresenceEditor(StagedEditor):
    """The presences of the policy shown; a lead stages, reverts and saves edits."""

    noun = words.QT_TR_NOOP("presences")
    noun_one = words.QT_TR_NOOP("presence")
    save_what = words.QT_TR_NOOP("presences")
    read_what = words.QT_TR_NOOP("the presences")
    presencesChanged = Signal(object)  # the saved presences, all policies, as read  # noqa: N815

    def __init__(
        self,
        edits: PresenceEdits,
        dispatcher: Dispatcher,
        policies: Mapping[str, Policy],
        policy_id: str,
        *,
        can_edit: bool,
    ) -> None:
        super().__init__(
            words.tr(TITLE), "presenceSection", edits, dispatcher, policy_id, can_edit=can_edit
        )
        self._edits: PresenceEdits = edits
        self._policies = policies
        self.set_body(self._build())
        if not can_edit:
            self._deny_edits()
        self._fill()

    # ------------------------------------------------------------------ building

    def _build(self) -> QWidget:
        box = QWidget()
        box.setObjectName("presenceBox")
        self.in_force_label = plain_label("", "presencesInForce", wrap=True, select=True)
        self.presence_list = tree([words.tr(c) for c in PRESENCE_COLUMNS], "presenceList")
        self.presence_list.setRootIsDecorated(False)
        head = self.presence_list.header()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.presence_list.setFixedHeight((self.presence_list.fontMetrics().height() + 4) * 4)

        self.country_choice = QComboBox()
        self.country_choice.setObjectName("presenceCountry")
        for code, name in presence_countries():
            self.country_choice.addItem(f"{code} — {name}", code)
        self.country_choice.setCurrentIndex(max(self.country_choice.findData("DE"), 0))
        self.subdivision_choice = QComboBox()
        self.subdivision_choice.setObjectName("presenceSubdivision")
        for combo in (self.country_choice, self.subdivision_choice):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.add_button = self._button(self.tr("Add"), "presenceAdd")
        self.remove_button = self._button(self.tr("Remove"), "presenceRemove")
        self.revert_button = self._button(self.tr("Revert"), "presenceRevert")
        self.revert_button.setToolTip(self.tr("Discard the unsaved changes"))
        self.save_button = self._button(self.tr("Save"), "presenceSave")
        self.moves_label = plain_label("", "presenceMovesLabel", wrap=True)
        self.status_label = muted(plain_label("", "presenceStatus", wrap=True))
        scaled(self.status_label, 0.9)
        self.status_label.hide()

        add_row = hbox(
            muted(plain_label(self.tr("Country"))),
            (self.country_choice, 3),
            muted(plain_label(self.tr("Region"))),
            (self.subdivision_choice, 2),
            self.add_button,
        )
        actions = hbox(self.remove_button, self.revert_button, None, self.save_button)
        vbox(
            box,
            self.in_force_label,
            (self.presence_list, 1),
            add_row,
            actions,
            self.moves_label,
            self.status_label,
            spacing=6,
        )

        self.add_button.clicked.connect(self._add_presence)
        self.remove_button.clicked.connect(self._remove_presence)
        self.revert_button.clicked.connect(self._revert)
        self.save_button.clicked.connect(self._save_clicked)
        self.presence_list.itemSelectionChanged.connect(self._update_buttons)
        self.country_choice.currentIndexChanged.connect(self._country_changed)
        self.subdivision_choice.currentIndexChanged.connect(self._update_buttons)
        self._country_changed()
        return box

    def _deny_edits(self) -> None:
        choices = (self.country_choice, self.subdivision_choice)
        self._deny((*choices, self.add_button, self.remove_button))
        self._deny((self.revert_button, self.save_button))

    # ------------------------------------------------------------------ public API

    def reload(self) -> None:
        """Read the saved presences again."""
        pending = self._dispatcher.ask(Presences())
        pending.finished.connect(self.set_presences)
        pending.failed.connect(self._load_failed)

    def set_presences(self, stored: Sequence[PolicyPresence]) -> None:
        """The saved presences as they are now (read after a save or another lead's):
        staged edits they already hold are dropped, the others stay staged."""
        self._edits.set_saved(stored, saving=self._saving)
        self._took_saved()
        self.presencesChanged.emit(list(stored))

    def choose(self, country: str, subdivision: str | None = None) -> None:
        """Choose the country and region (None: the whole country) to add."""
        index = self.country_choice.findData(country)
        if index < 0:
            raise KeyError(f"no country {country!r}")
        self.country_choice.setCurrentIndex(index)
        index = self.subdivision_choice.findData(subdivision or "")
        if index < 0:
            raise KeyError(f"no region {subdivision!r} of {country}")
        self.subdivision_choice.setCurrentIndex(index)

    # ------------------------------------------------------------------ the list

    def _fill(self) -> None:
        policy = self._policies[self._policy_id]
        edits = self._edits.edits(self._policy_id)
        saved = self._edits.saved(self._policy_id)
        self.in_force_label.setText(
            self.tr("In force: {presences}").format(presences=presences_text(policy, saved))
        )
        self.in_force_label.setToolTip(
            self.tr(
                "The public holidays of these places (observed days included) close the "
                "calendars that take company holidays"
            )
        )
        selected = self._selected_item()
        self.presence_list.clear()
        rows = self._edits.rows(self._policy_id)
        for presence, state in rows:
            item = QTreeWidgetItem([presence.code, presence_name(presence), state.value])
            item.setData(0, PRESENCE_ROLE, presence)
            if state is not PresenceState.SAVED:
                font = QFont(item.font(0))
                font.setItalic(state is PresenceState.NEW)
                font.setStrikeOut(state is PresenceState.REMOVED)
                for column in range(len(PRESENCE_COLUMNS)):
                    item.setFont(column, font)
            self.presence_list.addTopLevelItem(item)
            if presence == selected:
                item.setSelected(True)
        if not rows:
            codes = ", ".join(p.code for p in default_presences(policy)) or self.tr("none")
            empty = QTreeWidgetItem(
                [self.tr("None named: the policy file's ({codes}) apply").format(codes=codes)]
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.presence_list.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.set_title(
            self.tr("{title} — unsaved changes").format(title=words.tr(TITLE))
            if edits.dirty
            else words.tr(TITLE)
        )
        self._show_moves()
        self._update_buttons()

    def _selected_item(self) -> Presence | None:
        items = self.presence_list.selectedItems()
        if not items:
            return None
        value = items[0].data(0, PRESENCE_ROLE)
        return value if isinstance(value, Presence) else None

    def _country_changed(self) -> None:
        country = self.country_choice.currentData()
        self.subdivision_choice.clear()
        self.subdivision_choice.addItem(words.tr(WHOLE_COUNTRY), "")
        for code, name in presence_subdivisions(country if isinstance(country, str) else ""):
            self.subdivision_choice.addItem(code if name == code else f"{code} — {name}", code)
        self.subdivision_choice.setEnabled(self._can_edit and self.subdivision_choice.count() > 1)
        self._update_buttons()

    def _new_item(self) -> tuple[Presence | None, str]:
        country = self.country_choice.currentData()
        subdivision = self.subdivision_choice.currentData()
        if not isinstance(country, str):
            return None, self.tr("Choose a country")
        return self._edits.new_presence(
            self._policy_id,
            country,
            subdivision if isinstance(subdivision, str) and subdivision else None,
        )

    # ------------------------------------------------------------------ staging

    def _add_presence(self) -> None:
        presence, _ = self._new_item()
        if presence is None or not self._can_edit:
            return
        self._edits.add(self._policy_id, presence)
        self._staged()

    def _remove_presence(self) -> None:
        presence = self._selected_item()
        if presence is None or not self._can_edit:
            return
        self._edits.toggle(self._policy_id, presence)
        self._staged()

    def _moves_query(self, policy_id: str) -> PresenceMoves:
        return PresenceMoves(policy_id, self._edits.staged(policy_id))

    def _save_clicked(self) -> None:
        policy_id = self._policy_id
        if not self._can_edit or not self._edits.edits(policy_id).dirty or self._saving:
            return
        staged, seen = self._edits.staged(policy_id), self._edits.saved(policy_id)
        self._start_saving(SetPresences(policy_id, staged, seen=seen))

    def _save_failed(self, failure: Failure) -> None:
        super()._save_failed(failure)
        if failure.conflict is not None:
            self.reload()  # another lead's presences, with these edits staged over them
