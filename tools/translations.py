"""Brings the translation sources up to date with the code, then compiles them.

    .venv/bin/python tools/translations.py            # or: make translations

1. ``pyside6-lupdate`` reads every ``self.tr``/``words.tr`` text in ``src/console/qt`` and
   ``src/console/services`` into ``src/console/resources/translations/support_console_<lang>.ts``:
   new texts arrive unfinished, changed ones unfinished with the old translation offered,
   removed ones are dropped. Translate them in Qt Linguist (``pyside6-linguist``) or any
   editor.
2. ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` the console loads (committed,
   shipped as package data).

``tests/qt/test_i18n.py`` runs step 1 into a temporary file and fails while the committed
``.ts`` misses a text or a translation.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "console"
TRANSLATIONS = PACKAGE / "resources" / "translations"
CATALOGUE = "support_console"
LANGUAGES = ("de",)  # English is the source language
SOURCE_DIRS = (PACKAGE / "qt", PACKAGE / "services")


def tool(name: str) -> str:
    """A Qt tool of this Python's environment (``pyside6-lupdate``), else one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e '.[test]')")
    return found


def sources() -> list[Path]:
    """The Python files lupdate reads."""
    return sorted(path for folder in SOURCE_DIRS for path in folder.glob("*.py"))


def ts_file(language: str) -> Path:
    return TRANSLATIONS / f"{CATALOGUE}_{language}.ts"


def lupdate_command(ts: Path, language: str, files: Sequence[Path] | None = None) -> list[str]:
    """Update ``ts`` from ``files`` (by default :func:`sources`). Without locations: a line
    number in the .ts would change with every edit above it, and conflict in merges."""
    return [
        tool("pyside6-lupdate"),
        "-silent",
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
        "-target-language",
        language,
        *(str(path) for path in (files if files is not None else sources())),
        "-ts",
        str(ts),
    ]


def lrelease_command(ts: Path) -> list[str]:
    return [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))]


def main() -> int:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = ts_file(language)
        subprocess.run(lupdate_command(ts, language), check=True)
        subprocess.run(lrelease_command(ts), check=True)
        print(f"{ts.relative_to(ROOT)} and its .qm updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
