"""Saved searches: a small list model with its own storage (the user's settings file).

Each search has a name (shown in the sidebar) and the text it searches for. They can be
added, renamed and deleted; every change is stored at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QSettings, Signal

STORAGE_KEY = "queues/saved_searches"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    text: str


class SavedSearches(QObject):
    """The saved searches, in the order they were added; ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, storage: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._storage = storage
        self._items: list[SavedSearch] = self._read()

    @property
    def items(self) -> tuple[SavedSearch, ...]:
        return tuple(self._items)

    def find(self, text: str) -> SavedSearch | None:
        wanted = text.strip().casefold()
        return next((s for s in self._items if s.text.casefold() == wanted), None)

    def add(self, text: str, name: str | None = None) -> SavedSearch | None:
        """Save a search for ``text`` (named after it unless ``name``); None when the text is
        empty or already saved."""
        text = text.strip()
        if not text or self.find(text) is not None:
            return None
        search = SavedSearch((name or "").strip() or text, text)
        self._items.append(search)
        self._store()
        return search

    def rename(self, text: str, name: str) -> None:
        """Give the search for ``text`` another name. An empty name is refused."""
        name = name.strip()
        if not name:
            raise ValueError("a saved search needs a name")
        self._items = [replace(s, name=name) if s.text == text else s for s in self._items]
        self._store()

    def remove(self, text: str) -> None:
        self._items = [s for s in self._items if s.text != text]
        self._store()

    def _read(self) -> list[SavedSearch]:
        if self._storage is None:
            return []
        stored = self._storage.value(STORAGE_KEY, [])
        values = [stored] if isinstance(stored, str) else stored
        found: list[SavedSearch] = []
        seen: set[str] = set()
        for value in values if isinstance(values, list | tuple) else []:
            # Stored as "text" (older consoles) or "name\ttext".
            if not isinstance(value, str) or not value.strip():
                continue
            name, _, text = value.partition("\t")
            search = SavedSearch(name.strip(), (text or name).strip())
            if search.text.casefold() not in seen:
                seen.add(search.text.casefold())
                found.append(search)
        return found

    def _store(self) -> None:
        if self._storage is not None:
            self._storage.setValue(STORAGE_KEY, [f"{s.name}\t{s.text}" for s in self._items])
        self.changed.emit()
