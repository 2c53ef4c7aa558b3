"""The themes: every colour the console draws is readable on what it is drawn on (WCAG 2.x
contrast, in both schemes), the style sheets name no colour of their own, and switching
light -> dark -> light re-colours what is open, read from the widgets and models themselves.
"""

from __future__ import annotations

import re
import shutil
import sys
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from conftest import FakeTime
from console.domain.queue import ClockState
from console.qt import theme
from console.qt.audit_view import COL_ACTOR, AuditDialog
from console.qt.detail_widgets import ClockRow
from console.qt.handover_model import COL_COUNTDOWN as BOARD_COUNTDOWN
from console.qt.handover_model import STATE_ROLE
from console.qt.main_window import MainWindow
from console.qt.queue_model import COL_COUNTDOWN
from console.qt.report_view import COL_SUCCESS, ReportDialog
from console.qt.settings import SettingsDialog, apply_theme
from console.qt.theme import DARK, LIGHT, Colours, contrast
from console.services.event_text import is_automated
from console.services.handover import Section
from console.services.report_table import Tone
from consoles import NOW, Console, demo_database

SCHEMES = (LIGHT, DARK)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The application, back to the system's theme and without a style sheet afterwards."""
    yield qapp
    apply_theme(qapp, "system")
    qapp.setStyleSheet("")
    QCoreApplication.setAttribute(
        Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles, False
    )


# --------------------------------------------------------------------------- the colours


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.scheme)
def test_every_pair_of_colours_reads(scheme: Colours) -> None:
    """Each foreground on each background it is drawn on: 4.5:1 for text (disabled text,
    links, selected rows, tooltips and the warning tints included), 3:1 for the outlines of
    controls and the bars of the report."""
    pairs = scheme.pairs()
    assert len(pairs) > 100
    weak = [
        f"{p.where}: {p.foreground.name()} on {p.background.name()} is {p.ratio:.2f}:1, "
        f"under {p.minimum}:1"
        for p in pairs
        if p.ratio < p.minimum
    ]
    assert weak == []


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.scheme)
def test_every_colour_of_a_scheme_is_checked(scheme: Colours) -> None:
    """A colour added to a scheme is in a checked pair, or says it is only a line."""
    checked = {c.rgba() for p in scheme.pairs() for c in (p.foreground, p.background)}
    inks = {"ink_on_dark", "ink_on_light"}
    unchecked = [
        name
        for name, colour in scheme.tokens().items()
        if colour.rgba() not in checked and name not in theme.DECORATIONS | inks
    ]
    assert unchecked == []
    for ink in (scheme.ink_on_dark, scheme.ink_on_light):
        assert scheme.ink_on(ink) is not ink  # never ink on itself


def test_the_contrast_formula() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#ff0000"), QColor("#ffffff")) == pytest.approx(4.0, abs=0.01)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.scheme)
def test_the_palette_is_the_schemes(scheme: Colours) -> None:
    palette = scheme.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        assert palette.color(group, QPalette.ColorRole.Window) == scheme.window
        assert palette.color(group, QPalette.ColorRole.PlaceholderText) == scheme.quiet
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert disabled == scheme.disabled_text
    assert theme.scheme_of(palette) == scheme.scheme


# --------------------------------------------------------------------------- style sheets

_LITERAL_COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(|"
    r"\b(white|black|red|green|blue|gray|grey|yellow|orange|purple|navy|maroon|silver)\b",
    re.IGNORECASE,
)


def test_the_style_sheets_name_no_colour_of_their_own() -> None:
    """Colours come from the schemes, so the pairs above cover the style sheets too."""
    files = sorted(theme.STYLES.glob("*.qss")) + sorted(theme.STYLES.glob("*.svg"))
    assert {f.name for f in files} >= {"console.qss", "controls.qss", "check.svg"}
    for file in files:
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".svg":
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert _LITERAL_COLOUR.findall(text) == [], file.name


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.scheme)
def test_a_style_sheet_takes_its_schemes_colours(scheme: Colours) -> None:
    sheet = theme.style_sheet(scheme)
    assert "@" not in sheet
    assert scheme.alarm.name() in sheet and scheme.focus.name() in sheet
    other = DARK if scheme is LIGHT else LIGHT
    assert other.frame.name() not in sheet
    images = re.findall(r'url\("([^"]+)"\)', sheet)
    assert images
    for image in images:
        text = Path(image).read_text(encoding="utf-8")
        assert "@" not in text
        assert re.search(r"#[0-9a-f]{6}", text), image
    check = Path(next(i for i in images if i.endswith("/check.svg")))
    assert scheme.highlighted_text.name() in check.read_text(encoding="utf-8")
    assert "controls" not in theme.style_sheet(scheme, controls=False)
    assert "QCheckBox::indicator" not in theme.style_sheet(scheme, controls=False)


def test_an_unknown_colour_in_a_style_sheet_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(theme, "_template", lambda name: "QLabel { color: @no_such; }")
    with pytest.raises(ValueError, match="@no_such is not a colour of the light scheme"):
        theme.style_sheet(LIGHT)


# --------------------------------------------------------------------------- the switch


def test_light_dark_and_system(themed: QApplication) -> None:
    apply_theme(themed, "dark")
    assert themed.palette().color(QPalette.ColorRole.Window) == DARK.window
    assert DARK.alarm.name() in themed.styleSheet()
    apply_theme(themed, "light")
    assert themed.palette().color(QPalette.ColorRole.Base) == LIGHT.base
    assert LIGHT.alarm.name() in themed.styleSheet()
    apply_theme(themed, "system")  # offscreen: Fusion with its light palette
    assert theme.scheme_of(themed.palette()) == "light"
    assert themed.palette().color(QPalette.ColorRole.Window) != LIGHT.window  # the platform's
    assert LIGHT.alarm.name() in themed.styleSheet()
    apply_theme(themed, "purple")  # an unknown name is "system"
    assert themed.palette().color(QPalette.ColorRole.Window) != LIGHT.window


def test_a_switch_asks_the_icons_to_follow(
    themed: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    icons = types.ModuleType("console.qt.icons")
    icons.refresh = lambda: drawn.append(themed.palette().color(QPalette.ColorRole.Base).name())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "console.qt.icons", icons)
    apply_theme(themed, "dark")
    apply_theme(themed, "light")
    assert drawn == [DARK.base.name(), LIGHT.base.name()]  # after the palette changed
    monkeypatch.setitem(sys.modules, "console.qt.icons", None)  # not there: ImportError
    apply_theme(themed, "dark")


# --------------------------------------------------------------------------- open windows


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("theme")
    demo_database(folder, tickets=300, seed=2)
    return folder / "console.sqlite3"


@pytest.fixture
def console(qtbot: QtBot, demo_file: Path, tmp_path: Path) -> Iterator[Console]:
    copy = tmp_path / "console.sqlite3"
    shutil.copy(demo_file, copy)
    made = Console(qtbot, f"sqlite:///{copy}", FakeTime(NOW))
    yield made
    made.close()


def painted_contrast(widget: QWidget) -> float:
    """The contrast of the pixel that stands out most from the widget's most common colour
    (its background), as painted."""
    image = widget.grab().toImage()
    pixels = Counter(
        image.pixel(x, y) for x in range(0, image.width()) for y in range(0, image.height())
    )
    background = QColor(pixels.most_common(1)[0][0])
    return max(contrast(QColor(pixel), background) for pixel in pixels)


def text_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """The text and background colours ``widget`` uses, from its own palette."""
    palette = widget.palette()
    return palette.color(widget.foregroundRole()), palette.color(widget.backgroundRole())


def find_row(window: MainWindow, state: ClockState) -> int:
    for row, queue_row in enumerate(window.model.rows):
        if window.model.countdown_of(queue_row).state is state:
            return row
    raise AssertionError(f"no {state} row in the demo queue")


def test_a_switch_recolours_every_open_window(
    themed: QApplication, qtbot: QtBot, console: Console
) -> None:
    """Given the window with the handover board shown and a breached ticket in the detail
    pane, and History, the SLA report and Settings open, when the theme goes light -> dark
    -> light, then the queue's heading and rows, the clock, the board (its title readable),
    History, the report and the dialog each take the scheme's colours, read from what the
    widgets and models use."""
    window = console.window
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.handover)
    qtbot.waitUntil(lambda: window.handover.board is not None, timeout=20_000)
    console.settle()
    history = AuditDialog(
        list(window.agents.values()), window.zone, window.dispatcher, window, now=window.now
    )
    history.show()
    qtbot.waitUntil(lambda: not history.loading and history.model.rowCount() > 0)
    report = ReportDialog(window.zone, window.dispatcher, window, now=window.now)
    report.show()
    qtbot.waitUntil(lambda: report.report is not None and report.model.rowCount() > 0)
    settings = SettingsDialog(window.settings, list(window.agents.values()), window)
    settings.display_zone.setCurrentText("Mars/Olympus_Mons")  # a problem, in the alarm tone
    settings.show()
    qtbot.waitExposed(settings)

    breached = find_row(window, ClockState.BREACHED)
    queue_cell = window.model.index(breached, COL_COUNTDOWN)
    assert window.select_key(window.model.rows[breached].key)  # its clocks in the detail pane
    console.settle()
    clock = next(row for row in window.detail_pane.findChildren(ClockRow) if row.breached)
    board = window.handover.model
    breached_section = board.index(list(Section).index(Section.BREACHED), 0)
    board_cell = board.index(0, BOARD_COUNTDOWN, breached_section)
    assert board_cell.data(STATE_ROLE) == ClockState.BREACHED
    automated = next(r for r, row in enumerate(history.model.rows) if is_automated(row.event))
    history_cell = history.model.index(automated, COL_ACTOR)
    title = window.handover.findChild(QLabel, "handoverTitle")
    assert title is not None

    told: list[set[int]] = []  # the roles of each dataChanged of the queue's model
    window.model.dataChanged.connect(lambda _a, _b, roles: told.append({int(r) for r in roles}))
    colour_roles = {int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole)}

    before = theme.colours()
    for name, scheme in (("light", LIGHT), ("dark", DARK), ("light", LIGHT)):
        told.clear()
        apply_theme(themed, name)
        QApplication.processEvents()

        # The queue: its heading, and the breached row's colours in the model.
        heading, behind = text_colours(window.queue_title)
        assert behind == scheme.window and contrast(heading, behind) >= 4.5, name
        assert queue_cell.data(Qt.ItemDataRole.ForegroundRole) == scheme.alarm
        assert queue_cell.data(Qt.ItemDataRole.BackgroundRole) == scheme.tints[-1]
        assert (colour_roles in told) == (scheme is not before), name  # views were told
        before = scheme

        # The detail pane's clock, coloured through its own palette (kept across the
        # style sheet's polish).
        assert text_colours(clock.left)[0] == scheme.alarm, name
        assert clock.progress.palette().color(QPalette.ColorRole.Highlight) == scheme.alarm

        # The handover board: the tree's own colours, its band as painted, its title.
        tree = window.handover.tree
        assert tree.palette().color(QPalette.ColorRole.Base) == scheme.base
        note = window.handover.note_edit  # a field in a card: the card's colours stay out
        assert note.palette().color(QPalette.ColorRole.Base) == scheme.base
        assert board_cell.data(Qt.ItemDataRole.ForegroundRole) == scheme.alarm
        band = tree.viewport().grab().toImage()
        row = tree.visualRect(breached_section)
        painted = QColor(band.pixel(tree.viewport().width() - 8, row.center().y()))
        assert painted == scheme.bands[Section.BREACHED], name
        ink, paper = text_colours(title)
        assert paper == scheme.window and contrast(ink, paper) >= 4.5, name
        assert painted_contrast(title) >= 4.5, name

        # History: the zone line's colours and the automated actor's in the model.
        ink, paper = text_colours(history.zone_label)
        assert paper == scheme.window and ink == scheme.quiet, name
        assert history_cell.data(Qt.ItemDataRole.ForegroundRole) == scheme.quiet
        assert history.table.palette().color(QPalette.ColorRole.Base) == scheme.base

        # The SLA report: its figures' tones, and its summary (rich text, coloured when
        # written).
        tones = [scheme.tone(tone) for tone in Tone]
        assert report.model.index(0, COL_SUCCESS).data(Qt.ItemDataRole.ForegroundRole) in tones
        assert f"color: {scheme.quiet.name()}" in report.summary_label.text(), name

        # The open dialog: its window, and its problem line in the alarm colour.
        assert settings.palette().color(QPalette.ColorRole.Window) == scheme.window
        ink, paper = text_colours(settings.problem)
        assert settings.problem.isVisible() and ink == scheme.alarm, name
        assert contrast(ink, paper) >= 4.5

    # No widget keeps a style sheet of its own: a widget's sheet is polished against the
    # palette of its time, and is how the heading once stayed black on dark.
    own = [w.objectName() or type(w).__name__ for w in themed.allWidgets() if w.styleSheet()]
    assert own == []
    for dialog in (settings, history, report):
        dialog.close()
