"""Settings: stored in QSettings (robust to garbage), edited in a dialog that refuses
invalid values, and the theme switch."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.domain.model import Agent, Role
from console.qt.settings import (
    ConsoleSettings,
    SettingsDialog,
    SettingsStore,
    apply_theme,
    is_valid_zone,
    system_zone,
    threshold_problem,
)

AGENTS = [
    Agent("ana.ortiz", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"),
    Agent("claire.dubois", "Claire Dubois", Role.LEAD, "EMEA", "Europe/Zurich"),
    Agent("marcus.reed", "Marcus Reed", Role.AGENT, "AMER", "America/Los_Angeles"),
]


def ini(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


# --------------------------------------------------------------------------- the values


def test_defaults() -> None:
    settings = ConsoleSettings()
    assert settings.database_url is None and settings.agent is None
    assert settings.thresholds == (0.5, 0.75, 0.9)
    assert settings.theme == "system" and settings.notifications is True
    assert is_valid_zone(settings.display_zone)
    assert settings.display_zone == system_zone()


@pytest.mark.parametrize(
    "values",
    [(0.5, 0.5, 0.9), (0.9, 0.75, 0.5), (0.0, 0.5, 0.9), (0.5, 0.75, 1.0), (0.5, 0.75)],
)
def test_unusable_thresholds_are_refused(values: tuple[float, ...]) -> None:
    assert threshold_problem(values) is not None
    with pytest.raises(ValueError, match="thresholds"):
        ConsoleSettings(thresholds=values)  # type: ignore[arg-type]


def test_zones_and_themes_are_checked() -> None:
    assert is_valid_zone("Europe/Zurich") and is_valid_zone("UTC")
    for name in ("Mars/Olympus_Mons", "", " Europe/Zurich", "../etc/passwd", "europe/zurich"):
        assert not is_valid_zone(name)
    with pytest.raises(ValueError, match="time zone"):
        ConsoleSettings(display_zone="Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="theme"):
        ConsoleSettings(theme="purple")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the store


def test_round_trip_through_an_ini_file(tmp_path: Path) -> None:
    path = tmp_path / "console.ini"
    chosen = ConsoleSettings(
        database_url="postgresql://ana@db.example/support",
        agent="ana.ortiz",
        display_zone="America/Los_Angeles",
        thresholds=(0.4, 0.7, 0.95),
        theme="dark",
        notifications=False,
    )
    SettingsStore(ini(path)).save(chosen)
    assert path.exists()
    assert SettingsStore(ini(path)).load() == chosen

    back_to_defaults = ConsoleSettings(display_zone="UTC")
    SettingsStore(ini(path)).save(back_to_defaults)
    assert SettingsStore(ini(path)).load() == back_to_defaults


def test_an_empty_store_gives_the_defaults(tmp_path: Path) -> None:
    assert SettingsStore(ini(tmp_path / "none.ini")).load() == ConsoleSettings()


def test_garbage_falls_back_to_defaults_key_by_key(tmp_path: Path) -> None:
    path = tmp_path / "garbage.ini"
    path.write_text(
        "[database]\nurl=\n"
        "[agent]\nname=ana.ortiz\n"
        "[display]\nzone=Mars/Olympus_Mons\ntheme=purple\n"
        "[warnings]\nthresholds=0.9,abc\nnotifications=maybe\n",
        encoding="utf-8",
    )
    loaded = SettingsStore(ini(path)).load()
    assert loaded == ConsoleSettings(agent="ana.ortiz")


@pytest.mark.parametrize(
    "thresholds",
    ["", "0.9, 0.75, 0.5", "0.5,0.75", "0.5,0.75,0.9,0.95", "50,75,90", "nan,0.75,0.9", "x"],
)
def test_bad_thresholds_fall_back(tmp_path: Path, thresholds: str) -> None:
    path = tmp_path / "bad.ini"
    path.write_text(f"[warnings]\nthresholds={thresholds}\n", encoding="utf-8")
    assert SettingsStore(ini(path)).load().thresholds == (0.5, 0.75, 0.9)


def test_hand_written_values_are_read(tmp_path: Path) -> None:
    path = tmp_path / "hand.ini"
    path.write_text(
        "[display]\nzone=Asia/Tokyo\ntheme=Light\n"
        "[warnings]\nthresholds=0.6, 0.8, 0.95\nnotifications=0\n",
        encoding="utf-8",
    )
    loaded = SettingsStore(ini(path)).load()
    assert loaded.display_zone == "Asia/Tokyo"
    assert loaded.theme == "light"
    assert loaded.thresholds == (0.6, 0.8, 0.95)
    assert loaded.notifications is False


def test_values_of_the_wrong_type_fall_back(tmp_path: Path) -> None:
    raw = ini(tmp_path / "types.ini")
    raw.setValue("database/url", 42)
    raw.setValue("agent/name", ["a", "b"])
    raw.setValue("display/zone", 3.5)
    raw.setValue("warnings/thresholds", {"a": 1})
    raw.setValue("warnings/notifications", [1, 2])
    raw.sync()
    loaded = SettingsStore(ini(tmp_path / "types.ini")).load()
    assert loaded == ConsoleSettings()


# --------------------------------------------------------------------------- the dialog


def make_dialog(qtbot: QtBot, settings: ConsoleSettings | None = None) -> SettingsDialog:
    dialog = SettingsDialog(settings or ConsoleSettings(display_zone="Europe/Zurich"), AGENTS)
    qtbot.addWidget(dialog)
    return dialog


W = TypeVar("W", bound=QWidget)


def field(dialog: SettingsDialog, kind: type[W], name: str) -> W:
    widget = dialog.findChild(kind, name)
    assert isinstance(widget, kind), name
    return widget


def ok_button(dialog: SettingsDialog) -> bool:
    buttons = field(dialog, QDialogButtonBox, "buttons")
    return buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def problem_text(dialog: SettingsDialog) -> str:
    return field(dialog, QLabel, "problem").text()


def test_dialog_shows_the_settings(qtbot: QtBot) -> None:
    shown = ConsoleSettings(
        database_url="/tmp/x.sqlite3",
        agent="claire.dubois",
        display_zone="Asia/Tokyo",
        thresholds=(0.4, 0.6, 0.8),
        theme="dark",
        notifications=False,
    )
    dialog = make_dialog(qtbot, shown)
    url = field(dialog, QLineEdit, "database_url")
    assert url.text() == "/tmp/x.sqlite3"
    assert url.placeholderText() == "default: a SQLite file in your data folder"
    assert "restart" in field(dialog, QLabel, "database_hint").text()
    agent = field(dialog, QComboBox, "agent")
    assert agent.currentText() == "Claire Dubois (claire.dubois, lead)"
    assert agent.currentData() == "claire.dubois"
    assert field(dialog, QComboBox, "display_zone").currentText() == "Asia/Tokyo"
    spins = [field(dialog, QSpinBox, f"threshold_{n}") for n in ("warn", "urgent", "critical")]
    assert [s.value() for s in spins] == [40, 60, 80]
    assert field(dialog, QComboBox, "theme").currentText() == "Dark"
    assert not field(dialog, QCheckBox, "notifications").isChecked()
    assert ok_button(dialog) and problem_text(dialog) == ""
    assert dialog.result_settings() == shown


def test_an_agent_not_in_the_list_is_kept(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, ConsoleSettings(agent="gone.away", display_zone="UTC"))
    assert field(dialog, QComboBox, "agent").currentData() == "gone.away"
    assert dialog.result_settings().agent == "gone.away"


def test_thresholds_not_increasing_disable_ok(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    urgent = field(dialog, QSpinBox, "threshold_urgent")
    urgent.setValue(40)  # below "Warn at" 50 %
    assert not ok_button(dialog)
    assert "higher than the one before" in problem_text(dialog)
    with pytest.raises(ValueError, match="Warnings"):
        dialog.result_settings()
    urgent.setValue(50)  # equal is not increasing either
    assert not ok_button(dialog)
    urgent.setValue(60)
    assert ok_button(dialog) and problem_text(dialog) == ""
    assert dialog.result_settings().thresholds == (0.5, 0.6, 0.9)


def test_a_bad_zone_disables_ok(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    zone = field(dialog, QComboBox, "display_zone")
    line = zone.lineEdit()
    assert line is not None
    line.setText("Mars/Olympus")  # typed (keyClicks would pop the completer up)
    assert zone.currentText() == "Mars/Olympus"
    assert not ok_button(dialog)
    assert "not a known IANA time zone" in problem_text(dialog)
    zone.setCurrentText("America/New_York")
    assert ok_button(dialog)
    assert dialog.result_settings().display_zone == "America/New_York"


def test_a_bad_database_url_disables_ok(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    url = field(dialog, QLineEdit, "database_url")
    qtbot.keyClicks(url, "mysql://x@y/z")
    assert not ok_button(dialog)
    assert "Database" in problem_text(dialog)
    url.clear()
    assert ok_button(dialog)
    assert dialog.result_settings().database_url is None


def test_result_settings_reflects_edits(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(field(dialog, QLineEdit, "database_url"), "postgresql://me@db/support")
    agent = field(dialog, QComboBox, "agent")
    agent.setCurrentIndex(agent.findData("marcus.reed"))
    field(dialog, QComboBox, "display_zone").setCurrentText("America/Los_Angeles")
    field(dialog, QSpinBox, "threshold_critical").setValue(95)
    field(dialog, QSpinBox, "threshold_warn").setValue(30)
    theme = field(dialog, QComboBox, "theme")
    theme.setCurrentIndex(theme.findText("Light"))
    box = field(dialog, QCheckBox, "notifications")
    box.click()
    assert ok_button(dialog)
    assert dialog.result_settings() == ConsoleSettings(
        database_url="postgresql://me@db/support",
        agent="marcus.reed",
        display_zone="America/Los_Angeles",
        thresholds=(0.3, 0.75, 0.95),
        theme="light",
        notifications=False,
    )
    buttons = field(dialog, QDialogButtonBox, "buttons")
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_choosing_nobody(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, ConsoleSettings(agent="ana.ortiz", display_zone="UTC"))
    field(dialog, QComboBox, "agent").setCurrentIndex(0)
    assert dialog.result_settings().agent is None


# --------------------------------------------------------------------------- the theme


def test_apply_theme_dark_then_back(qapp: QApplication) -> None:
    try:
        apply_theme(qapp, "dark")
        assert qapp.palette().window().color().lightness() < 100
        assert qapp.palette().windowText().color().lightness() > 180
        apply_theme(qapp, "light")
        assert qapp.palette().window().color().lightness() > 150
        assert qapp.palette().windowText().color().lightness() < 100
    finally:
        apply_theme(qapp, "system")
    apply_theme(qapp, "no such theme")  # read as "system"


# --------------------------------------------------------------------------- the language


def test_the_language_round_trips_and_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "language.ini"
    SettingsStore(ini(path)).save(ConsoleSettings(display_zone="UTC", language="de"))
    assert SettingsStore(ini(path)).load().language == "de"
    assert ini(path).value("display/language") == "de"  # the key the start reads
    raw = ini(path)
    raw.setValue("display/language", "tlh")
    raw.sync()
    assert SettingsStore(ini(path)).load().language == "system"
    with pytest.raises(ValueError, match="language"):
        ConsoleSettings(language="fr")  # type: ignore[arg-type]


def test_the_dialog_offers_the_languages_for_the_next_start(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    language = field(dialog, QComboBox, "language")
    assert [language.itemText(i) for i in range(language.count())] == [
        "System",
        "English",
        "Deutsch",
    ]
    assert language.currentData() == "system"
    assert "next start" in field(dialog, QLabel, "language_hint").text()
    language.setCurrentIndex(language.findData("de"))
    assert dialog.result_settings().language == "de"
