"""The console's language: English or German, chosen in the settings ("System" follows the
desktop's languages) and installed once at start, before any window is made.

:func:`install_language` installs the translators of the chosen language (the console's
own ``resources/translations/support_console_<lang>.qm`` and Qt's ``qtbase_<lang>.qm`` for
Qt's own buttons and dialogs), makes the language's locale the default (so that date and
number widgets speak it), and points :mod:`console.services.words` at Qt, so that the
services' texts follow too. A change applies at the next start.

How a text is written to be translated (``pyside6-lupdate`` finds it; ``tools/translations.py``
runs it and ``tests/qt/test_i18n.py`` fails on a text without its German):

- In a method of a QObject subclass: ``self.tr("New ticket")``. The context is the class
  that the call is written in (lupdate reads it from the source; PySide6 looks it up along
  the class's bases at run time, so a subclass finds it).
- Values after ``tr``, named: ``self.tr("Opens as {key}").format(key=key)``; never an
  f-string or ``%`` inside ``tr``: lupdate would file the text unformatted and nothing would
  match at run time.
- A count: ``self.tr("%n ticket note(s)", "", count)`` (``%Ln`` for thousands separators).
  German has a form for one and one for more; English drops "(s)" for one and makes it "s"
  otherwise (:class:`EnglishPlurals`).
- Outside a QObject (module-level functions, plain classes, constants) and everywhere in
  ``console.services``, which does not import Qt: ``words.tr(...)`` with the same rules, and
  ``words.QT_TR_NOOP("...")`` for a constant made at import, shown with ``words.tr(CONST)``
  (:mod:`console.services.words`). ``QCoreApplication.translate("Ctx", text, "", n)`` is not
  used: lupdate's Python parser takes a name in the fourth place for an encoding and loses
  the count, while ``words.tr(text, "", n)`` keeps it.
- A label of the domain (``ClockState.label``, ``Channel.label``: the domain imports none
  of this) is translated by the tables of :mod:`console.services.labels`, ``{ClockState.
  BREACHED: words.QT_TR_NOOP("breached"), ...}``, shown with ``clock_state_label(state)``
  (``status_label``, ``metric_label`` ...), never with ``.label`` itself.
- Dates and times shown by Qt widgets follow the locale; a display format is a text to
  translate too (``d MMM yyyy`` is ``d. MMM yyyy`` in German), with a ``#:`` comment above
  it for the translator. The services write dates by :mod:`console.services.texts` only,
  never with ``strftime``'s ``%a`` or ``%b``: its weekdays and months are the English
  abbreviations marked for translation (``texts.WEEKDAYS``, ``texts.MONTHS``), and the
  order of a date's parts a text to translate too (``{day} {month}``, German
  ``{day}. {month}``). A number in a sentence is ``%Ln`` or ``QLocale().toString``.
- Never at import time: a text translated before :func:`install_language` stays English.

``words.tr`` may run on the dispatcher's threads: Qt's translate is thread-safe. The command
line never installs a language, so what it prints stays English.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal, get_args

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from console.services import words
from console.services.words import english_plural

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "LANGUAGE_KEY",
    "TRANSLATIONS",
    "EnglishPlurals",
    "Language",
    "install_language",
    "installed_language",
    "language_label",
    "load_language",
    "locale_for",
    "save_language",
    "spoken",
]

log = logging.getLogger(__name__)

Language = Literal["system", "en", "de"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
LANGUAGE_KEY = "display/language"
CATALOGUE = "support_console"  # support_console_de.qm
TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
_SPOKEN: dict[QLocale.Language, Literal["en", "de"]] = {
    QLocale.Language.English: "en",
    QLocale.Language.German: "de",
}
_QT_LANGUAGES = {"en": QLocale.Language.English, "de": QLocale.Language.German}

# What install_language installed last, taken out again by the next call.
_installed: list[QTranslator] = []
_spoken: list[Literal["en", "de"]] = []  # the language spoken since, once installed


def _settings(settings: QSettings | None) -> QSettings:
    if settings is not None:
        return settings
    # Here, not at the top: console.qt.settings imports this module for its language field.
    from console.qt.settings import APPLICATION, ORGANIZATION

    return QSettings(ORGANIZATION, APPLICATION)


def load_language(settings: QSettings | None = None) -> Language:
    """The stored choice (``display/language``); "system" when missing or unknown."""
    try:
        value = _settings(settings).value(LANGUAGE_KEY)
    except Exception:  # a value Qt cannot turn into Python: treat as missing
        return "system"
    text = value.strip().lower() if isinstance(value, str) else ""
    return text if text in LANGUAGES else "system"


def save_language(language: Language, settings: QSettings | None = None) -> None:
    """Store ``language`` and write it through; it applies at the next start."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    store = _settings(settings)
    store.setValue(LANGUAGE_KEY, language)
    store.sync()


def language_label(language: Language) -> str:
    """How the choice is offered: each language in its own words, "System" translated."""
    if language == "system":
        return words.tr("System", "language")
    return {"en": "English", "de": "Deutsch"}[language]


def spoken(language: Language, system: QLocale | None = None) -> Literal["en", "de"]:
    """The language the console speaks for a choice: "system" takes the first of the
    desktop's languages (``system``'s ``uiLanguages``) it has, else English."""
    if language != "system":
        return language
    system = system if system is not None else QLocale.system()
    for name in system.uiLanguages():
        found = _SPOKEN.get(QLocale(name).language())
        if found is not None:
            return found
    return "en"


def locale_for(language: Language, system: QLocale | None = None) -> QLocale:
    """The locale dates and numbers follow: the desktop's for "system" and for a language
    it speaks already (German in Switzerland stays Swiss), else the language's own; English
    for a desktop without a language (the C locale)."""
    system = system if system is not None else QLocale.system()
    if language == "system":
        if system.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
            return QLocale(QLocale.Language.English)
        return system
    if system.language() == _QT_LANGUAGES[language]:
        return system
    return QLocale(_QT_LANGUAGES[language])


class EnglishPlurals(QTranslator):
    """English forms of the texts with a count: "%n ticket note(s)" is "1 ticket note" and
    "2 ticket notes". Asked last, after the language's own translations."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if n < 0 or "(s)" not in source:
            return None  # not ours: the next translator, or the text as written
        return english_plural(source, n)

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def _qt_translate(context: str, text: str, disambiguation: str | None, n: int) -> str:
    return QCoreApplication.translate(context, text, disambiguation, n)


def _catalogue(name: str, directory: Path | str, app: QCoreApplication) -> QTranslator | None:
    translator = QTranslator(app)
    if translator.load(name, str(directory)):
        return translator
    translator.deleteLater()
    return None


def install_language(app: QCoreApplication, language: Language) -> Literal["en", "de"]:
    """Speak ``language`` from now on (called before the window is made; a second call
    replaces what the first installed). Returns the language spoken."""
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    chosen = spoken(language)
    catalogues: list[QTranslator | None] = [EnglishPlurals(app)]
    if chosen != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        catalogues.append(_catalogue(f"qtbase_{chosen}", qt_dir, app))  # absent: Qt's English
        own = _catalogue(f"{CATALOGUE}_{chosen}", TRANSLATIONS, app)
        if own is None:
            log.warning(
                "no %s_%s.qm in %s: the console stays English", CATALOGUE, chosen, TRANSLATIONS
            )
        catalogues.append(own)
    for translator in catalogues:
        if translator is not None:
            app.installTranslator(translator)  # the last installed is asked first
            _installed.append(translator)
    QLocale.setDefault(locale_for(language))
    words.use(_qt_translate)
    _spoken[:] = [chosen]
    return chosen


def installed_language() -> Literal["en", "de"] | None:
    """The language :func:`install_language` installed last (None: none yet)."""
    return _spoken[0] if _spoken else None
