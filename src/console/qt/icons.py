"""Every icon the console shows, by name: the actions of its menus and toolbar, the queues
of the sidebar, the warning states of a countdown, and the application's own icon.

The action, queue and state icons are Font Awesome 6 glyphs (the free solid set; the font is
under the SIL Open Font License) drawn by qtawesome in the colours of the application's
palette as it is when they are made: the button text colour, its disabled shade, and the
highlighted text colour for selected items. So they stay visible in the light and the dark
theme, as long as they are made again when the palette changes.

Each is drawn once into pixmaps of the sizes the window uses (:data:`SIZES`): qtawesome draws
its glyph anew whenever a view asks for a pixmap, about 40 µs, and the queue asks for one
per countdown cell it paints. Only the one font is loaded, not all of qtawesome's.

**The hook for theme code.** After the application's palette changed (a theme switch, or the
desktop turning dark while the console follows it), call :func:`refresh`: it sets the icon
of every action and button that got one through :func:`set_icon` again, in the new colours.
It is cheap and may be called more than once. The main window calls it itself whenever its
palette changes; widgets that hold icons elsewhere (the sidebar's entries, the queue's
countdown cells) ask :func:`icon` again on the same occasion or at their next paint.

The application icon is ``console/resources/icons/support-console.svg``; the PNGs beside it
are rendered from it by ``python -m console.qt.icons`` (run it after changing the SVG).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import qtawesome
from PySide6.QtCore import QByteArray, QObject, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication

from console import resources

__all__ = [
    "ICONS",
    "ICON_PROPERTY",
    "application_icon",
    "icon",
    "refresh",
    "render_application_icon",
    "set_icon",
]

# Name -> glyph. An action's name is its object name without ``action_``; a queue's is
# ``queue_`` and its filter; a countdown's warning states are ``state_...``.
ICONS: Mapping[str, str] = MappingProxyType(
    {
        # File and Help
        "quit": "fa6s.right-from-bracket",
        "shortcuts": "fa6s.keyboard",
        "about": "fa6s.circle-info",
        # Ticket
        "new_ticket": "fa6s.square-plus",
        "take": "fa6s.hand",
        "assign": "fa6s.user-plus",
        "respond": "fa6s.reply",
        "update": "fa6s.bullhorn",
        "status": "fa6s.list-check",
        "status_open": "fa6s.folder-open",
        "status_awaiting_customer": "fa6s.user-clock",
        "status_on_hold": "fa6s.circle-pause",
        "status_resolved": "fa6s.circle-check",
        "status_closed": "fa6s.box-archive",
        "escalate": "fa6s.arrow-up-right-dots",
        "severity": "fa6s.gauge-high",
        "rca": "fa6s.file-circle-check",
        "waive": "fa6s.ban",
        "note": "fa6s.note-sticky",
        # Queue
        "find": "fa6s.magnifying-glass",
        "show_details": "fa6s.table-columns",
        "save_search": "fa6s.bookmark",
        "rename_search": "fa6s.pen",
        "delete_search": "fa6s.trash-can",
        "reload": "fa6s.arrows-rotate",
        # Console
        "calendars": "fa6s.calendar-days",
        "history": "fa6s.clock-rotate-left",
        "report": "fa6s.chart-column",
        "handover": "fa6s.people-arrows",
        "triage": "fa6s.inbox",
        "mail_settings": "fa6s.envelope",
        "settings": "fa6s.gear",
        # the sidebar's queues, by their filter
        "queue_mine": "fa6s.user",
        "queue_unassigned": "fa6s.user-slash",
        "queue_all": "fa6s.list",
        "queue_breaching_soon": "fa6s.hourglass-end",
        "queue_breached": "fa6s.circle-exclamation",
        "queue_paused": "fa6s.circle-pause",
        "queue_policy": "fa6s.file-contract",
        "queue_search": "fa6s.magnifying-glass",
        # a countdown's warning states: a threshold crossed, the last one, breached
        "state_warning": "fa6s.hourglass-half",
        "state_last_warning": "fa6s.triangle-exclamation",
        "state_breached": "fa6s.circle-exclamation",
    }
)

ICON_PROPERTY = "consoleIcon"  # the icon name of an action or button, for refresh()
SIZES = (16, 20, 24)  # pixels: menus and the table, the toolbar, the queue list's largest

_made: dict[tuple[str, int], QIcon] = {}
_fonts: list[Any] = []  # the one IconicFont, once made


def _glyphs() -> Any:
    """qtawesome's painter of the Font Awesome 6 solid font alone (the whole of qtawesome
    where its files are not where they used to be)."""
    if not _fonts:
        folder = Path(qtawesome.__file__).parent / "fonts"
        fonts = sorted(folder.glob("fontawesome6-solid-webfont-[0-9]*.ttf"))
        charmaps = sorted(folder.glob("fontawesome6-solid-webfont-charmap-*.json"))
        if fonts and charmaps:
            _fonts.append(qtawesome.IconicFont(("fa6s", fonts[-1].name, charmaps[-1].name)))
        else:
            _fonts.append(qtawesome)
    return _fonts[0]


def _colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    group = QPalette.ColorGroup
    role = QPalette.ColorRole
    return (
        palette.color(group.Active, role.ButtonText),
        palette.color(group.Disabled, role.ButtonText),
        palette.color(group.Active, role.HighlightedText),
    )


def icon(name: str) -> QIcon:
    """The icon called ``name`` (a key of :data:`ICONS`) in the application palette's
    colours as they are now."""
    palette = QGuiApplication.palette()
    key = (name, palette.cacheKey())  # the same palette, the same key: cheap per table cell
    made = _made.get(key)
    if made is None:
        glyph = ICONS[name]  # a KeyError names an icon nobody drew
        normal, disabled, selected = _colours(palette)
        drawn = _glyphs().icon(
            glyph,
            color=normal,
            color_active=normal,  # a hovered button and a highlighted menu entry alike
            color_disabled=disabled,
            color_selected=selected,
        )
        made = QIcon()
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        for size in SIZES:
            for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Selected):
                made.addPixmap(drawn.pixmap(QSize(size, size), ratio, mode), mode)
        _made[key] = made
    return made


def set_icon(target: QAction | QAbstractButton, name: str) -> None:
    """Give ``target`` the icon ``name``, and remember it for :func:`refresh`."""
    target.setIcon(icon(name))
    target.setProperty(ICON_PROPERTY, name)


def refresh() -> None:
    """Draw every icon given by :func:`set_icon` again in the palette's colours as they are
    now: call it after a theme switch (see the module's text)."""
    _made.clear()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for top in app.topLevelWidgets():
        for target in (top, *top.findChildren(QObject)):
            name = target.property(ICON_PROPERTY)
            if isinstance(name, str) and isinstance(target, QAction | QAbstractButton):
                target.setIcon(icon(name))


# --------------------------------------------------------------------------- the app's icon


def application_icon() -> QIcon:
    """The console's own icon, from the PNGs shipped with it (every size)."""
    made = QIcon()
    for size in resources.ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(resources.icon_png(size).read_bytes(), "PNG"):
            made.addPixmap(pixmap)
    return made


def render_application_icon(size: int) -> QImage:
    """The application icon's SVG drawn as a square of ``size`` pixels."""
    renderer = QSvgRenderer(QByteArray(resources.icon_svg().read_bytes()))
    if not renderer.isValid():
        raise ValueError(f"{resources.icon_svg()} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main() -> int:
    """Render the application icon's PNGs beside its SVG (in a source checkout)."""
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    folder = Path(str(resources.icon_svg())).parent
    for size in resources.ICON_SIZES:
        target = folder / resources.icon_png(size).name
        if not render_application_icon(size).save(str(target), b"PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
