"""What the console ships besides its code, installed with the package: the application
icon (``icons/support-console.svg`` and PNGs rendered from it at :data:`ICON_SIZES`), the
freedesktop ``.desktop`` file and the AppStream metainfo, both named after :data:`APP_ID`.

The PNGs are rendered by ``python -m console.qt.icons`` after the SVG changes; a test checks
their sizes. Read them through :func:`files`, which works wherever the package is installed.
"""

from __future__ import annotations

from importlib.resources import files as _files
from importlib.resources.abc import Traversable

APP_ID = "io.github.supportconsole.SupportConsole"  # reverse-DNS, as AppStream asks
ICON_NAME = "support-console"  # the .desktop file's Icon=, and the icon files' stem
ICON_SIZES = (16, 32, 48, 64, 128, 256)  # pixels, square
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"


def files() -> Traversable:
    """This folder, as installed."""
    return _files(__name__)


def icon_svg() -> Traversable:
    return files() / "icons" / f"{ICON_NAME}.svg"


def icon_png(size: int) -> Traversable:
    """The PNG of ``size`` pixels (one of :data:`ICON_SIZES`)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon (sizes: {', '.join(map(str, ICON_SIZES))})")
    return files() / "icons" / f"{ICON_NAME}-{size}.png"


__all__ = [
    "APP_ID",
    "DESKTOP_FILE",
    "ICON_NAME",
    "ICON_SIZES",
    "METAINFO_FILE",
    "files",
    "icon_png",
    "icon_svg",
]
