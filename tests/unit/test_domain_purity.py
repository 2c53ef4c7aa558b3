"""STYLE.md rule 1: the domain imports only the standard library, dateutil and holidays."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import console.domain

FORBIDDEN = ("PySide6", "sqlalchemy", "alembic", "psycopg", "platformdirs")


def test_domain_loads_no_framework() -> None:
    modules = [f"console.domain.{m.name}" for m in pkgutil.iter_modules(console.domain.__path__)]
    assert "console.domain.calendar" in modules
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout
    )
    leaked = [m for m in loaded if m.split(".")[0] in FORBIDDEN]
    assert leaked == []
