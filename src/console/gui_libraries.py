"""Before the window opens on X11: the shared libraries Qt's xcb platform plugin needs, and
the Debian/Ubuntu packages that bring them.

PySide6's wheels bring Qt but not these system libraries; without one, Qt aborts with a
message about its platform plugin that does not say what to install. :func:`check` says it
instead, once, naming the missing libraries and the ``sudo apt install`` line. It looks only
when Qt would open the window through xcb (on Linux, without ``QT_QPA_PLATFORM`` naming
another platform and outside a Wayland session), and it imports nothing of Qt: a missing
library would fail that import first. The command line needs none of these.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["LIBRARIES", "Library", "check", "loadable", "missing", "missing_message", "platform"]


@dataclass(frozen=True, slots=True)
class Library:
    soname: str  # what the dynamic loader looks for
    package: str  # the Debian/Ubuntu package that installs it


# What Qt 6's xcb platform plugin and the Qt libraries under it link against, from their
# ELF NEEDED entries (PySide6 6.11), less what every Debian system has (libc, libz, libzstd)
# and what the wheels bring themselves (ICU). Qt 6 no longer links libxcb-xinerama.
LIBRARIES: tuple[Library, ...] = (
    Library("libxcb.so.1", "libxcb1"),
    Library("libxcb-cursor.so.0", "libxcb-cursor0"),
    Library("libxcb-icccm.so.4", "libxcb-icccm4"),
    Library("libxcb-image.so.0", "libxcb-image0"),
    Library("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    Library("libxcb-randr.so.0", "libxcb-randr0"),
    Library("libxcb-render.so.0", "libxcb-render0"),
    Library("libxcb-render-util.so.0", "libxcb-render-util0"),
    Library("libxcb-shape.so.0", "libxcb-shape0"),
    Library("libxcb-shm.so.0", "libxcb-shm0"),
    Library("libxcb-sync.so.1", "libxcb-sync1"),
    Library("libxcb-util.so.1", "libxcb-util1"),
    Library("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    Library("libxcb-xkb.so.1", "libxcb-xkb1"),
    Library("libxkbcommon.so.0", "libxkbcommon0"),
    Library("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    Library("libX11.so.6", "libx11-6"),
    Library("libX11-xcb.so.1", "libx11-xcb1"),
    Library("libEGL.so.1", "libegl1"),
    Library("libGL.so.1", "libgl1"),
    Library("libfontconfig.so.1", "libfontconfig1"),
    Library("libfreetype.so.6", "libfreetype6"),
    Library("libdbus-1.so.3", "libdbus-1-3"),
    Library("libglib-2.0.so.0", "libglib2.0-0"),
)

Finder = Callable[[str], bool]


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads ``soname`` (as Qt's would)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def platform(environ: Mapping[str, str], system: str = sys.platform) -> str | None:
    """The platform plugin Qt tries first (``xcb``, ``wayland``, ``offscreen`` ...); None
    outside Linux, where there is no choice to make."""
    if not system.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "wayland;xcb" tries wayland first; "xcb:option=value" passes options.
        return chosen.split(";")[0].split(":")[0].strip().lower()
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def missing(find: Finder = loadable) -> list[Library]:
    """The libraries of :data:`LIBRARIES` that ``find`` does not find, in table order."""
    return [library for library in LIBRARIES if not find(library.soname)]


def missing_message(libraries: Sequence[Library]) -> str:
    """What to tell the user when ``libraries`` are missing: which, and how to install."""
    names = ", ".join(library.soname for library in libraries)
    packages = " ".join(dict.fromkeys(library.package for library in libraries))
    return (
        "support-console: the window cannot open: Qt's X11 (xcb) platform needs "
        f"{'this library' if len(libraries) == 1 else 'these libraries'}, "
        f"not found on this system: {names}\n"
        "On Debian or Ubuntu, install them with:\n"
        f"    sudo apt install {packages}\n"
        "(The command line works without them: support-console --help.)"
    )


def check(
    environ: Mapping[str, str] | None = None,
    system: str = sys.platform,
    find: Finder = loadable,
) -> str | None:
    """The message to print instead of opening the window, or None when nothing is missing
    (or the window does not open through xcb)."""
    if platform(os.environ if environ is None else environ, system) != "xcb":
        return None
    lacking = missing(find)
    return missing_message(lacking) if lacking else None
