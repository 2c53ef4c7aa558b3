"""The window's options on the command line: ``--theme`` and ``--language`` reach
:func:`console.app.run_gui` as given (with ``--screenshot`` or without), and nothing else is
accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from console import app
from console.cli import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the window was started with (it is not started)."""
    seen: dict[str, Any] = {}

    def run_gui(**options: Any) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    return seen


def test_theme_and_language_reach_the_window(started: dict[str, Any]) -> None:
    argv = ["--screenshot", "queue.png", "--theme", "dark", "--language", "de"]
    assert main(argv) == 0
    assert started["screenshot"] == Path("queue.png")
    assert (started["theme"], started["language"]) == ("dark", "de")


def test_without_them_the_settings_and_the_system_decide(started: dict[str, Any]) -> None:
    assert main([]) == 0
    assert started["theme"] is None and started["language"] is None


@pytest.mark.parametrize("theme", ["light", "dark", "system"])
def test_each_theme_is_accepted(started: dict[str, Any], theme: str) -> None:
    assert main(["--theme", theme]) == 0
    assert started["theme"] == theme


@pytest.mark.parametrize(
    "argv", [["--theme", "blue"], ["--language", "fr"], ["--theme"], ["--language", "DE"]]
)
def test_anything_else_is_a_usage_error(
    started: dict[str, Any], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert started == {}
    err = capsys.readouterr().err
    assert "invalid choice" in err or "expected one argument" in err
