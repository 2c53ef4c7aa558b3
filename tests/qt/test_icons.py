"""Icons (``console.qt.icons``): every name draws, in the palette's text colour, again after a
theme switch; the application icon's PNGs are its SVG rendered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console import resources
from console.qt import icons
from console.qt.settings import apply_theme
from consoles import NOW, Console, demo_database


def ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour an icon is drawn in: the mean of its opaque pixels."""
    image = icon.pixmap(32, 32, mode).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    red = green = blue = count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200:
                red, green, blue, count = (
                    red + pixel.red(),
                    green + pixel.green(),
                    blue + pixel.blue(),
                    count + 1,
                )
    assert count, "the icon draws nothing"
    return QColor(red // count, green // count, blue // count)


def close_to(colour: QColor, expected: QColor) -> bool:
    return all(
        abs(a - b) <= 24 for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


@pytest.fixture
def themed(qtbot: QtBot) -> Iterator[QApplication]:
    """The application, put back into the system's theme afterwards."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    yield app
    apply_theme(app, "system")
    icons.refresh()


@pytest.mark.parametrize("name", sorted(icons.ICONS))
def test_every_name_draws(qtbot: QtBot, name: str) -> None:
    assert not icons.icon(name).isNull()
    ink(icons.icon(name))


def test_an_unknown_name_is_an_error(qtbot: QtBot) -> None:
    with pytest.raises(KeyError):
        icons.icon("no_such_action")


def test_icons_take_the_palettes_colours(themed: QApplication) -> None:
    for theme in ("light", "dark"):
        apply_theme(themed, theme)
        palette = themed.palette()
        made = icons.icon("take")
        assert close_to(ink(made), palette.color(QPalette.ColorRole.ButtonText))
        disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
        assert close_to(ink(made, QIcon.Mode.Disabled), disabled)
        selected = palette.color(QPalette.ColorRole.HighlightedText)
        assert close_to(ink(made, QIcon.Mode.Selected), selected)


def test_a_theme_switch_redraws_the_windows_icons(
    qtbot: QtBot, tmp_path: Path, themed: QApplication
) -> None:
    console = Console(qtbot, demo_database(tmp_path, tickets=20, seed=2), FakeTime(NOW))
    try:
        window = console.window
        apply_theme(themed, "light")
        themed.processEvents()  # Qt posts the palette's change to the widgets
        take = window.findChild(QAction, "action_take")
        assert take is not None
        assert ink(take.icon()).lightness() < 100
        assert ink(window.sidebar.item(0).icon()).lightness() < 100
        # The window sees its palette change and redraws (refresh() is the theme's hook).
        apply_theme(themed, "dark")
        themed.processEvents()
        assert ink(take.icon()).lightness() > 150
        assert ink(window.sidebar.item(0).icon()).lightness() > 150
        assert ink(window.save_search_button.icon()).lightness() > 150
    finally:
        console.close()


def test_refresh_redraws_what_set_icon_gave(qtbot: QtBot, themed: QApplication) -> None:
    apply_theme(themed, "light")
    button = QToolButton()
    qtbot.addWidget(button)
    icons.set_icon(button, "take")
    assert button.property(icons.ICON_PROPERTY) == "take"
    assert ink(button.icon()).lightness() < 100
    apply_theme(themed, "dark")  # the theme calls the icons' hook itself
    assert ink(button.icon()).lightness() > 150
    apply_theme(themed, "light")
    assert ink(button.icon()).lightness() < 100


@pytest.mark.parametrize("size", resources.ICON_SIZES)
def test_each_png_is_the_svg_rendered(qtbot: QtBot, size: int) -> None:
    """Run ``python -m console.qt.icons`` after changing the SVG."""
    shipped = QImage()
    assert shipped.loadFromData(resources.icon_png(size).read_bytes(), "PNG")
    shipped = shipped.convertToFormat(QImage.Format.Format_ARGB32)
    rendered = icons.render_application_icon(size)
    assert (shipped.width(), shipped.height()) == (size, size)
    differences = [
        max(
            abs(a - b)
            for a, b in zip(
                shipped.pixelColor(x, y).getRgb(), rendered.pixelColor(x, y).getRgb(), strict=True
            )
        )
        for y in range(size)
        for x in range(size)
    ]
    assert max(differences) <= 8  # antialiasing may differ a little between Qt versions


def test_the_application_icon_has_every_size(qtbot: QtBot) -> None:
    made = icons.application_icon()
    sizes = {(s.width(), s.height()) for s in made.availableSizes()}
    assert sizes == {(s, s) for s in resources.ICON_SIZES}
