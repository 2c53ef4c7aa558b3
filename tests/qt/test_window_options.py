"""``--screenshot`` with ``--theme`` and ``--language``: the window is drawn in that theme,
Qt's default locale follows the language, and neither is saved in the settings. The window
carries the application's icon and the name of its .desktop file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console import app
from console.qt import settings as settings_module
from console.qt.settings import THEMES, SettingsStore, apply_theme
from console.resources import APP_ID
from consoles import demo_database


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SettingsStore:
    made = SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    monkeypatch.setattr(settings_module, "SettingsStore", lambda: made)
    return made


@pytest.fixture
def restored(qtbot: QtBot) -> Iterator[QApplication]:
    """The application with the system's theme and locale again afterwards."""
    application = QApplication.instance()
    assert isinstance(application, QApplication)
    locale = QLocale()
    yield application
    QLocale.setDefault(locale)
    apply_theme(application, "system")


def lightness(path: Path) -> float:
    """The mean lightness of an image, 0 (black) to 255 (white)."""
    image = QImage(str(path))
    assert not image.isNull()
    step = 7
    samples = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]
    return sum(samples) / len(samples)


def test_the_command_line_offers_the_settings_themes() -> None:
    from console.cli import build_parser

    theme = next(a for a in build_parser()._actions if a.dest == "theme")
    assert tuple(theme.choices or ()) == ("light", "dark", "system")
    assert set(THEMES) == set(theme.choices or ())


def test_a_screenshot_in_the_dark_theme_and_in_german(
    tmp_path: Path, store: SettingsStore, restored: QApplication
) -> None:
    url = demo_database(tmp_path, tickets=40, seed=2)
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    assert app.run_gui(db_url=url, screenshot=light, theme="light", language="en") == 0
    assert QLocale().name() == "en_US"
    assert app.run_gui(db_url=url, screenshot=dark, theme="dark", language="de") == 0
    assert QLocale().name() == "de_DE"
    assert lightness(light) > 150 > 100 > lightness(dark)
    assert store.load().theme == "system"  # for this run only
    assert restored.desktopFileName() == APP_ID
    assert not restored.windowIcon().isNull()
