"""A lead's unsaved edits of the presences, per policy, over those saved: what the calendars
dialog stages before the ``SetPresences`` command saves them.

Edits are kept as presences added and removed, so that when the saved presences change
meanwhile (another lead's save) the staged set is the new saved one with the same edits:
a removal of a presence no longer saved is dropped, an addition already saved too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from console.domain.calendar_spec import check_presence
from console.domain.errors import PresenceError
from console.domain.model import PolicyPresence, Presence

__all__ = ["PresenceEdits", "PresenceState", "StagedPresences"]


class PresenceState(Enum):
    SAVED = ""
    NEW = "new"  # staged to be added
    REMOVED = "removed"  # staged to be removed


def _ordered(presences: Iterable[Presence]) -> tuple[Presence, ...]:
    return tuple(sorted(set(presences), key=lambda p: p.order))


@dataclass
class StagedPresences:
    """One policy's staged edits and how many due instants they move (None: not known)."""

    added: list[Presence] = field(default_factory=list)
    removed: list[Presence] = field(default_factory=list)
    moves: int | None = None

    @property
    def dirty(self) -> bool:
        return bool(self.added or self.removed)


class PresenceEdits:
    """The saved presences of every policy and the edits staged over them."""

    def __init__(self, stored: Iterable[PolicyPresence] = ()) -> None:
        self._saved: dict[str, tuple[Presence, ...]] = {}
        self._edits: dict[str, StagedPresences] = {}
        self.set_saved(stored)

    # ------------------------------------------------------------------ reading

    def saved(self, policy_id: str) -> tuple[Presence, ...]:
        """The presences saved (none: the policy file's holidays apply)."""
        return self._saved.get(policy_id, ())

    def edits(self, policy_id: str) -> StagedPresences:
        return self._edits.setdefault(policy_id, StagedPresences())

    def staged(self, policy_id: str) -> tuple[Presence, ...]:
        """The presences as they would be saved."""
        edits = self.edits(policy_id)
        kept = [p for p in self.saved(policy_id) if p not in edits.removed]
        return _ordered([*kept, *edits.added])

    def rows(self, policy_id: str) -> list[tuple[Presence, PresenceState]]:
        """Every presence to list, saved and staged, a country before its subdivisions,
        with its state."""
        edits = self.edits(policy_id)
        rows = []
        for presence in _ordered([*self.saved(policy_id), *edits.added]):
            state = PresenceState.SAVED
            if presence in edits.added:
                state = PresenceState.NEW
            elif presence in edits.removed:
                state = PresenceState.REMOVED
            rows.append((presence, state))
        return rows

    def has_unsaved(self) -> bool:
        return any(edits.dirty for edits in self._edits.values())

    # ------------------------------------------------------------------ staging

    def new_presence(
        self, policy_id: str, country: str, subdivision: str | None
    ) -> tuple[Presence | None, str]:
        """The presence to stage, or None and why not."""
        try:
            presence = check_presence(Presence(country, subdivision))
        except PresenceError as error:
            return None, str(error).capitalize()
        if presence in self.staged(policy_id):
            return None, f"{presence.code} is already listed"
        return presence, ""

    def add(self, policy_id: str, presence: Presence) -> None:
        """Stage adding ``presence`` (or keep it again, if its removal was staged)."""
        edits = self.edits(policy_id)
        if presence in edits.removed:
            edits.removed.remove(presence)
        elif presence not in self.saved(policy_id) and presence not in edits.added:
            edits.added.append(presence)
        edits.moves = None

    def toggle(self, policy_id: str, presence: Presence) -> None:
        """Stage removing a saved presence; keep it again, or drop a staged new one."""
        edits = self.edits(policy_id)
        if presence in edits.added:
            edits.added.remove(presence)
        elif presence in edits.removed:
            edits.removed.remove(presence)
        else:
            edits.removed.append(presence)
        edits.moves = None

    def revert(self, policy_id: str) -> None:
        self._edits[policy_id] = StagedPresences()

    def set_saved(self, stored: Iterable[PolicyPresence], *, saving: str | None = None) -> None:
        """The presences saved now (after a save of policy ``saving``, or another lead's).
        Where a policy's presences changed, staged edits they already hold are dropped, the
        others stay, and the count of moves is no longer known."""
        before = self._saved
        grouped: dict[str, list[Presence]] = {}
        for entry in stored:
            grouped.setdefault(entry.policy_id, []).append(entry.presence)
        self._saved = {pid: _ordered(found) for pid, found in grouped.items()}
        for policy_id, edits in self._edits.items():
            saved = self.saved(policy_id)
            if saved == before.get(policy_id, ()) and policy_id != saving:
                continue  # nothing changed for this policy: its count still holds
            edits.removed = [p for p in edits.removed if p in saved]
            edits.added = [p for p in edits.added if p not in saved]
            edits.moves = None
