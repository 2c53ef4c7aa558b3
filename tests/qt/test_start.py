"""The window's start when the database cannot be opened: the user is told why and chooses
how to go on (Settings, the default database, a new file on purpose, or quit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from console import app
from console.adapters import database as database_module
from console.adapters.database import DatabaseError, DatabaseMissingError
from console.qt import start_problem
from console.qt.settings import SettingsStore
from console.qt.start_problem import StartChoice, start_problem_box


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def default_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "console.sqlite3"
    monkeypatch.setattr(database_module, "default_url", lambda: f"sqlite:///{path}")
    return path


def answers(monkeypatch: pytest.MonkeyPatch, *choices: StartChoice) -> list[str]:
    """Answer the start question with ``choices`` in turn; the errors it was asked about."""
    asked: list[str] = []
    pending = list(choices)

    def ask(error: DatabaseError, url: str) -> StartChoice:
        asked.append(f"{type(error).__name__}: {error}")
        return pending.pop(0)

    monkeypatch.setattr(start_problem, "ask_how_to_go_on", ask)
    return asked


def test_the_default_database_is_made_on_first_start(
    qtbot: QtBot, store: SettingsStore, default_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answers(monkeypatch)
    opened = app._open_database(None, store, quiet=False)
    assert opened is not None and asked == [] and default_file.exists()
    opened[0].dispose()


def test_a_bad_saved_url_leads_to_the_default_database_not_to_an_exit(
    qtbot: QtBot, store: SettingsStore, default_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answers(monkeypatch, StartChoice.DEFAULT)
    opened = app._open_database("mysql://nobody@nowhere/db", store, quiet=False)
    assert opened is not None
    database, settings = opened
    assert "mysql is not supported" in asked[0]
    assert settings.database_url is None and store.load().database_url is None
    assert database.url.endswith("console.sqlite3")
    database.dispose()


def test_a_missing_file_is_made_only_when_the_user_says_so(
    qtbot: QtBot,
    store: SettingsStore,
    default_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = tmp_path / "moved" / "team.sqlite3"
    asked = answers(monkeypatch, StartChoice.QUIT)
    assert app._open_database(str(chosen), store, quiet=False) is None
    assert asked[0].startswith("DatabaseMissingError") and not chosen.exists()
    answers(monkeypatch, StartChoice.CREATE)
    opened = app._open_database(str(chosen), store, quiet=False)
    assert opened is not None and chosen.exists()
    opened[0].dispose()


def test_a_damaged_file_is_left_as_it_is(
    qtbot: QtBot, store: SettingsStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "console.sqlite3"
    damaged.write_bytes(b"not a database" * 100)
    asked = answers(monkeypatch, StartChoice.QUIT)
    assert app._open_database(str(damaged), store, quiet=False) is None
    assert "file is not a database" in asked[0]
    assert damaged.read_bytes() == b"not a database" * 100


def test_without_a_screen_the_reason_goes_to_stderr(
    store: SettingsStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert app._open_database(str(tmp_path / "none.sqlite3"), store, quiet=True) is None
    assert "does not exist" in capsys.readouterr().err


def test_the_question_names_the_problem_and_the_ways_on(qtbot: QtBot, tmp_path: Path) -> None:
    missing = DatabaseMissingError(str(tmp_path / "x.sqlite3"))
    box = start_problem_box(missing, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    qtbot.addWidget(box)
    assert "does not exist" in box.informativeText()
    names = {b.objectName() for b in box.findChildren(QPushButton)}
    assert {"start_settings", "start_default", "start_create", "start_quit"} <= names
    other = start_problem_box(DatabaseError("unreachable"), "postgresql://ana@db/support")
    qtbot.addWidget(other)
    assert "start_create" not in {b.objectName() for b in other.findChildren(QPushButton)}
