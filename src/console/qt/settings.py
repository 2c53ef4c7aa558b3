"""The user's settings: which database, who I am, the display time zone, the language,
warning thresholds, theme, notifications and the undo window of public messages. Kept in
``QSettings``; edited in :class:`SettingsDialog`. The language applies at the next start
(:mod:`console.qt.i18n` keeps and installs it).

Loading never raises: a missing or unreadable value falls back to its default, key by key.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import QSettings, Qt, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.adapters.database import DB_VARIABLE, DatabaseError, resolve_url
from console.domain.model import Agent
from console.domain.queue import DEFAULT_THRESHOLDS
from console.qt.i18n import LANGUAGES, Language, language_label, load_language, save_language
from console.qt.theme import THEMES, Theme, apply_theme, set_tone
from console.services import words
from console.services.labels import role_label
from console.services.warnings import threshold_problem

__all__ = [
    "COMMON_ZONES",
    "MAX_SEND_DELAY",
    "SEND_DELAY_SECONDS",
    "THEMES",
    "THEME_LABELS",
    "ConsoleSettings",
    "SettingsDialog",
    "SettingsStore",
    "Theme",
    "agent_label",
    "apply_theme",
    "is_valid_zone",
    "system_zone",
    "threshold_problem",
]

SEND_DELAY_SECONDS = 10  # the undo window of a reply or update, by default
MAX_SEND_DELAY = 60  # seconds: longer, and the clock would stop well after the agent answered
ORGANIZATION = "support-console"
APPLICATION = "Support Console"

COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Zurich",
    "Europe/Paris",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
)


# --------------------------------------------------------------------------- validation


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_zone(name: str) -> bool:
    """An IANA zone name this machine knows (``Europe/Zurich``, ``UTC``)."""
    if not name or name != name.strip():
        return False
    known = _known_zones()
    if known:
        return name in known
    try:  # no zone list (no tzdata found): ask zoneinfo directly
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def system_zone() -> str:
    """The IANA name of this machine's time zone, or ``UTC`` when it cannot be told."""
    candidates: list[str] = []
    qt_id = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    candidates.append(qt_id)
    candidates.append(os.environ.get("TZ", "").lstrip(":"))
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    local = datetime.now().astimezone().tzinfo
    if local is not None:
        candidates.append(str(getattr(local, "key", "") or local.tzname(None) or ""))
    for name in candidates:
        if is_valid_zone(name):
            return name
    return "UTC"


# --------------------------------------------------------------------------- the settings


@dataclass(frozen=True)
class ConsoleSettings:
    """What the user chose. ``database_url`` None means the default database; ``agent`` is
    the name of the person using this console on SQLite (None: not chosen yet); on
    PostgreSQL the person is the database login and ``agent`` is not used.
    ``send_delay_seconds`` is how long a reply or an update is held, with Undo, before it is
    recorded (0: at once; at most :data:`MAX_SEND_DELAY`). ``language`` is the one chosen for
    the next start ("system": the desktop's)."""

    database_url: str | None = None
    agent: str | None = None
    display_zone: str = field(default_factory=system_zone)
    thresholds: tuple[float, float, float] = DEFAULT_THRESHOLDS
    theme: Theme = "system"
    notifications: bool = True
    send_delay_seconds: int = SEND_DELAY_SECONDS
    language: Language = "system"

    def __post_init__(self) -> None:
        problem = threshold_problem(self.thresholds)
        if problem is not None:
            raise ValueError(f"thresholds {self.thresholds!r}: {problem}")
        if not is_valid_zone(self.display_zone):
            raise ValueError(f"{self.display_zone!r} is not a known IANA time zone")
        if self.theme not in THEMES:
            raise ValueError(f"theme {self.theme!r} is not one of {', '.join(THEMES)}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language {self.language!r} is not one of {', '.join(LANGUAGES)}")
        if _send_delay(self.send_delay_seconds) is None:
            raise ValueError(
                f"send delay {self.send_delay_seconds!r}: whole seconds from 0 to {MAX_SEND_DELAY}"
            )


_KEY_DATABASE = "database/url"
_KEY_AGENT = "agent/name"
_KEY_ZONE = "display/zone"
_KEY_THEME = "display/theme"
_KEY_THRESHOLDS = "warnings/thresholds"
_KEY_NOTIFICATIONS = "warnings/notifications"
_KEY_SEND_DELAY = "messages/send_delay_seconds"


def _text(value: object) -> str | None:
    """A non-empty string setting, or None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _flag(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
    return default


def _send_delay(value: object) -> int | None:
    """Whole seconds within ``[0, MAX_SEND_DELAY]`` (a number or its text), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if isinstance(value, int) and 0 <= value <= MAX_SEND_DELAY:
        return value
    return None


def _thresholds(value: object) -> tuple[float, float, float] | None:
    items: Iterable[object]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple):
        items = value
    else:
        return None
    numbers: list[float] = []
    for item in items:
        try:
            numbers.append(float(str(item).strip()))
        except ValueError:
            return None
    if threshold_problem(numbers) is not None:
        return None
    return (numbers[0], numbers[1], numbers[2])


class SettingsStore:
    """Reads and writes :class:`ConsoleSettings` in ``QSettings`` (the platform's usual place,
    or the ``QSettings`` given, e.g. an INI file in tests)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)

    @property
    def qsettings(self) -> QSettings:
        return self._settings

    def _value(self, key: str) -> object:
        try:
            return cast(object, self._settings.value(key))
        except Exception:  # a value Qt cannot turn into Python: treat as missing
            return None

    def load(self) -> ConsoleSettings:
        """The stored settings; each missing or unusable value is its default."""
        zone = _text(self._value(_KEY_ZONE))
        theme = _text(self._value(_KEY_THEME))
        theme = theme.lower() if theme else None
        delay = _send_delay(self._value(_KEY_SEND_DELAY))
        return ConsoleSettings(
            database_url=_text(self._value(_KEY_DATABASE)),
            agent=_text(self._value(_KEY_AGENT)),
            display_zone=zone if zone is not None and is_valid_zone(zone) else system_zone(),
            thresholds=_thresholds(self._value(_KEY_THRESHOLDS)) or DEFAULT_THRESHOLDS,
            theme=theme if theme in THEMES else "system",
            notifications=_flag(self._value(_KEY_NOTIFICATIONS), True),
            send_delay_seconds=SEND_DELAY_SECONDS if delay is None else delay,
            language=load_language(self._settings),
        )

    def save(self, settings: ConsoleSettings) -> None:
        """Store ``settings`` and write them through."""
        for key, value in ((_KEY_DATABASE, settings.database_url), (_KEY_AGENT, settings.agent)):
            if value is None:
                self._settings.remove(key)
            else:
                self._settings.setValue(key, value)
        self._settings.setValue(_KEY_ZONE, settings.display_zone)
        self._settings.setValue(_KEY_THEME, settings.theme)
        self._settings.setValue(_KEY_THRESHOLDS, ",".join(repr(t) for t in settings.thresholds))
        self._settings.setValue(_KEY_NOTIFICATIONS, settings.notifications)
        self._settings.setValue(_KEY_SEND_DELAY, settings.send_delay_seconds)
        save_language(settings.language, self._settings)  # and writes it all through


# --------------------------------------------------------------------------- the dialog


def _form_box(title: str, rows: Iterable[tuple[str, QWidget]]) -> QGroupBox:
    """A titled box of labelled fields."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, field_widget in rows:
        form.addRow(label, field_widget)
    return box


def agent_label(agent: Agent) -> str:
    """``Claire Dubois (claire.dubois, lead)``."""
    return f"{agent.display_name} ({agent.name}, {role_label(agent.role)})"


# How each theme is offered, shown with words.tr(...).
THEME_LABELS: dict[Theme, str] = {
    "system": words.QT_TR_NOOP("System"),
    "light": words.QT_TR_NOOP("Light"),
    "dark": words.QT_TR_NOOP("Dark"),
}


class SettingsDialog(QDialog):
    """Edits a :class:`ConsoleSettings`; OK stays disabled while a field is invalid, and the
    reason is shown above the buttons. With ``login`` (a PostgreSQL console) Who I am shows
    the login and cannot be changed: the saved agent is neither shown nor changed."""

    def __init__(
        self,
        settings: ConsoleSettings,
        agents: Sequence[Agent] = (),
        parent: QWidget | None = None,
        *,
        login: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._saved_agent = settings.agent
        self.login = login
        self.setObjectName("settings_dialog")

        # Database
        self.database_url = QLineEdit(settings.database_url or "")
        self.database_url.setObjectName("database_url")
        self.database_url.setPlaceholderText(self.tr("default: a SQLite file in your data folder"))
        self.database_url.setClearButtonEnabled(True)
        self.database_url.setToolTip(
            self.tr("A SQLite file path or URL, or postgresql://user@host/database for a team")
        )
        hint = self.tr(
            "A SQLite file path or URL, or postgresql://user@host/database for a team. "
            "A change applies after a restart."
        )
        if os.environ.get(DB_VARIABLE):
            hint += " " + self.tr("{variable} is set in this session.").format(variable=DB_VARIABLE)
        self.database_hint = QLabel(hint)
        self.database_hint.setObjectName("database_hint")
        self.database_hint.setWordWrap(True)
        self.database_hint.setEnabled(False)  # greyed: a hint, not a field

        # Who I am: on a team database the login, which no setting changes
        self.agent = QComboBox()
        self.agent.setObjectName("agent")
        self.agent_hint = QLabel()
        self.agent_hint.setObjectName("agent_hint")
        self.agent_hint.setWordWrap(True)
        self.agent_hint.setEnabled(False)  # greyed: a hint, not a field
        if login is not None:
            me = next((a for a in agents if a.name == login), None)
            self.agent.addItem(
                agent_label(me)
                if me is not None
                else self.tr("{login} (not an agent of this database)").format(login=login),
                login,
            )
            self.agent.setEnabled(False)
            self.agent_hint.setText(
                self.tr("On a team database you are your login ({login}).").format(login=login)
            )
        else:
            self.agent.addItem(self.tr("Not chosen (no notifications)"), None)
            for person in sorted(agents, key=lambda a: a.display_name.casefold()):
                self.agent.addItem(agent_label(person), person.name)
            if settings.agent is not None and self.agent.findData(settings.agent) < 0:
                self.agent.addItem(
                    self.tr("{login} (not in this database)").format(login=settings.agent),
                    settings.agent,
                )
            self.agent.setCurrentIndex(max(0, self.agent.findData(settings.agent)))
            self.agent_hint.hide()

        # Display
        self.display_zone = QComboBox()
        self.display_zone.setObjectName("display_zone")
        self.display_zone.setEditable(True)
        self.display_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        common = [z for z in COMMON_ZONES if is_valid_zone(z)]
        self.display_zone.addItems(common)
        self.display_zone.insertSeparator(len(common))
        self.display_zone.addItems(sorted(_known_zones()))
        completer = QCompleter(sorted(_known_zones()), self.display_zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.display_zone.setCompleter(completer)
        self.display_zone.setCurrentText(settings.display_zone)

        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        for theme in THEMES:
            self.theme.addItem(words.tr(THEME_LABELS[theme]), theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))

        self.language = QComboBox()
        self.language.setObjectName("language")
        for language in LANGUAGES:
            self.language.addItem(language_label(language), language)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setToolTip(
            self.tr("System follows the desktop's language. A change applies at the next start.")
        )
        # One line, unwrapped: a wrapped label here is given too little height.
        self.language_hint = QLabel(self.tr("Applies at the next start."))
        self.language_hint.setObjectName("language_hint")
        self.language_hint.setEnabled(False)  # greyed: a hint, not a field

        # Warnings
        self.threshold_spins: list[QSpinBox] = []
        for name, value in zip(("warn", "urgent", "critical"), settings.thresholds, strict=True):
            spin = QSpinBox()
            spin.setObjectName(f"threshold_{name}")
            spin.setRange(1, 99)
            spin.setSuffix(" %")
            spin.setValue(round(value * 100))
            self.threshold_spins.append(spin)
        self.notifications = QCheckBox(self.tr("Desktop notifications for my tickets"))
        self.notifications.setObjectName("notifications")
        self.notifications.setChecked(settings.notifications)

        # Messages
        self.send_delay = QSpinBox()
        self.send_delay.setObjectName("send_delay")
        self.send_delay.setRange(0, MAX_SEND_DELAY)
        self.send_delay.setSuffix(" s")
        self.send_delay.setSpecialValueText(self.tr("Off: record at once"))
        self.send_delay.setValue(settings.send_delay_seconds)
        self.send_delay.setToolTip(
            self.tr(
                "How long a reply or an update waits, with Undo, before it is recorded "
                "(its clock stops then)"
            )
        )

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        set_tone(self.problem, "alarm")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # Layout
        warn_labels = (self.tr("Warn at"), self.tr("Urgent at"), self.tr("Critical at"))
        boxes = [
            _form_box(
                self.tr("Database"),
                [(self.tr("Database URL"), self.database_url), ("", self.database_hint)],
            ),
            _form_box(self.tr("You"), [(self.tr("Who I am"), self.agent), ("", self.agent_hint)]),
            _form_box(
                self.tr("Display"),
                [
                    (self.tr("Time zone"), self.display_zone),
                    (self.tr("Theme"), self.theme),
                    (self.tr("Language"), self.language),
                    ("", self.language_hint),
                ],
            ),
            _form_box(
                self.tr("Warnings (share of the target used)"),
                [
                    *zip(warn_labels, self.threshold_spins, strict=True),
                    ("", self.notifications),
                ],
            ),
            _form_box(self.tr("Messages"), [(self.tr("Undo window for replies"), self.send_delay)]),
        ]
        layout = QVBoxLayout(self)
        for widget in (*boxes, self.problem):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)

        self.database_url.textChanged.connect(self._validate)
        self.display_zone.currentTextChanged.connect(self._validate)
        for spin in self.threshold_spins:
            spin.valueChanged.connect(self._validate)
        self._validate()

    # ------------------------------------------------------------------ state

    def _thresholds(self) -> tuple[float, float, float]:
        a, b, c = (spin.value() / 100 for spin in self.threshold_spins)
        return (a, b, c)

    def problems(self) -> list[str]:
        """What keeps the fields from being saved (empty when they are valid)."""
        found: list[str] = []
        url = self.database_url.text().strip()
        if url:
            try:
                resolve_url(url)
            except DatabaseError as error:
                found.append(self.tr("Database: {error}").format(error=error))
        zone = self.display_zone.currentText().strip()
        if not is_valid_zone(zone):
            found.append(
                self.tr("Time zone: {zone} is not a known IANA time zone").format(
                    zone=zone or self.tr("(empty)")
                )
            )
        problem = threshold_problem(self._thresholds())
        if problem is not None:
            found.append(self.tr("Warnings: {problem}").format(problem=problem))
        return found

    def _validate(self) -> None:
        found = self.problems()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not found)
        self.problem.setText("\n".join(found))
        self.problem.setVisible(bool(found))

    def result_settings(self) -> ConsoleSettings:
        """The settings as edited; ValueError (with the reasons) while a field is invalid."""
        found = self.problems()
        if found:
            raise ValueError("; ".join(found))
        theme = self.theme.currentData()
        language = self.language.currentData()
        # On a team database the login is the person: the saved choice stays as it was.
        agent = self._saved_agent if self.login is not None else self.agent.currentData()
        return ConsoleSettings(
            database_url=self.database_url.text().strip() or None,
            agent=agent if isinstance(agent, str) else None,
            display_zone=self.display_zone.currentText().strip(),
            thresholds=self._thresholds(),
            theme=cast(Theme, theme) if theme in THEMES else "system",
            notifications=self.notifications.isChecked(),
            send_delay_seconds=self.send_delay.value(),
            language=cast(Language, language) if language in LANGUAGES else "system",
        )
