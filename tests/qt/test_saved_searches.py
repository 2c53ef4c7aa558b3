"""Saved searches: stored in the settings file at once, listed under their heading in the
sidebar, renamed and deleted there, and kept by a console started later."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from console.qt.saved_searches import STORAGE_KEY, SavedSearch, SavedSearches
from console.qt.sidebar import QueueSidebar
from console.services.queues import QueueFilter


@pytest.fixture
def storage(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def labels(sidebar: QueueSidebar) -> list[str]:
    return [sidebar.item(i).text() for i in range(sidebar.count())]


def test_searches_are_stored_at_once_and_read_back(storage: QSettings) -> None:
    searches = SavedSearches(storage)
    assert searches.add("  login  ") == SavedSearch("login", "login")
    assert searches.add("LOGIN") is None  # the same search, whatever the case
    assert searches.add("   ") is None
    searches.add("ZIT-35", name="Zitadel escalations")
    again = SavedSearches(storage)
    assert again.items == (
        SavedSearch("login", "login"),
        SavedSearch("Zitadel escalations", "ZIT-35"),
    )


def test_a_search_stored_by_an_older_console_is_read(storage: QSettings) -> None:
    storage.setValue(STORAGE_KEY, ["login", "", 42, "login"])
    assert SavedSearches(storage).items == (SavedSearch("login", "login"),)


def test_rename_and_delete(storage: QSettings) -> None:
    searches = SavedSearches(storage)
    searches.add("login")
    searches.add("sso")
    searches.rename("login", "  Sign-in trouble ")
    with pytest.raises(ValueError, match="needs a name"):
        searches.rename("sso", "  ")
    searches.remove("sso")
    assert SavedSearches(storage).items == (SavedSearch("Sign-in trouble", "login"),)


def test_the_sidebar_lists_renames_and_deletes_them(
    qtbot: QtBot, storage: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = SavedSearches(storage)
    sidebar = QueueSidebar(searches)
    qtbot.addWidget(sidebar)
    searches.add("login")
    searches.add("sso")
    shown = labels(sidebar)
    heading, policies = shown.index("SAVED SEARCHES"), shown.index("POLICIES")
    assert shown[heading + 1 : policies] == ["\u201clogin\u201d", "\u201csso\u201d"]

    # Renaming through the sidebar keeps the search and its place, under a new name.
    sidebar.select(sidebar.queues()[-2])
    chosen = sidebar.current_queue()
    assert chosen is not None and chosen.kind is QueueFilter.SEARCH
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Sign-in", True)))
    sidebar.rename_search(chosen)
    shown = labels(sidebar)
    assert shown[heading + 1 : policies] == ["\u201cSign-in\u201d", "\u201csso\u201d"]
    current = sidebar.current_queue()
    assert current is not None and current.argument == "login"  # still the chosen queue

    searches.remove("sso")
    shown = labels(sidebar)
    assert shown[shown.index("SAVED SEARCHES") + 1 : shown.index("POLICIES")] == [
        "\u201cSign-in\u201d"
    ]
