"""Before the window opens on X11: missing system libraries are named, with the packages to
install, instead of Qt aborting (``console.gui_libraries``). The libraries are looked up
through a fake finder: the tests do not depend on what this machine has installed."""

from __future__ import annotations

import sys

import pytest

from console import gui_libraries
from console.gui_libraries import LIBRARIES, Library, check, missing, missing_message, platform

XCB = {"DISPLAY": ":0"}


def finder(*absent: str) -> gui_libraries.Finder:
    """A finder that finds every library but ``absent`` (sonames), and checks it is only
    asked about libraries of the table."""
    known = {library.soname for library in LIBRARIES}
    assert set(absent) <= known

    def find(soname: str) -> bool:
        assert soname in known
        return soname not in absent

    return find


def test_the_table_names_each_library_once_with_its_package() -> None:
    sonames = [library.soname for library in LIBRARIES]
    assert len(sonames) == len(set(sonames))
    for library in LIBRARIES:
        assert ".so." in library.soname
        assert library.package and " " not in library.package
    wanted = {
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxcb-image0",
        "libxcb-render-util0",
        "libxcb-xkb1",
        "libxkbcommon-x11-0",
        "libxcb-randr0",
        "libxcb-shape0",
        "libegl1",
        "libfontconfig1",
        "libdbus-1-3",
    }
    assert wanted <= {library.package for library in LIBRARIES}


def test_nothing_missing_means_no_message() -> None:
    assert check(XCB, "linux", finder()) is None


def test_the_message_names_the_missing_libraries_and_the_apt_line() -> None:
    message = check(XCB, "linux", finder("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"))
    assert message is not None
    lines = message.splitlines()
    assert lines[0].startswith("support-console: the window cannot open")
    assert "libxcb-cursor.so.0, libxkbcommon-x11.so.0" in lines[0]
    assert "    sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in lines
    assert "support-console --help" in lines[-1]


def test_the_libraries_are_named_in_table_order_and_each_package_once() -> None:
    twice = (Library("libglib-2.0.so.0", "libglib2.0-0"), Library("libgthread.so", "libglib2.0-0"))
    message = missing_message([LIBRARIES[-1], LIBRARIES[0], *twice])
    assert "sudo apt install libglib2.0-0 libxcb1\n" in message
    assert missing(finder(LIBRARIES[-1].soname, LIBRARIES[0].soname)) == [
        LIBRARIES[0],
        LIBRARIES[-1],
    ]


def test_one_library_is_one_library() -> None:
    message = missing_message([LIBRARIES[1]])
    assert "needs this library, not found on this system: libxcb-cursor.so.0\n" in message


@pytest.mark.parametrize(
    ("environ", "system", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", "xcb"),
        ({}, "linux", "xcb"),  # Qt's default on Linux outside Wayland
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "xcb"),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux", "xcb"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", "offscreen"),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", "wayland"),
        ({"QT_QPA_PLATFORM": " XCB "}, "linux", "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "wayland"),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", "wayland"),
        ({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "linux", "xcb"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "xcb"),
        ({}, "darwin", None),
        ({}, "win32", None),
    ],
)
def test_the_platform_qt_tries_first(
    environ: dict[str, str], system: str, expected: str | None
) -> None:
    assert platform(environ, system) == expected


@pytest.mark.parametrize(
    ("environ", "system"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "darwin"),
    ],
)
def test_only_xcb_is_checked(environ: dict[str, str], system: str) -> None:
    def find(soname: str) -> bool:
        raise AssertionError(f"looked for {soname}")

    assert check(environ, system, find) is None


def test_the_window_exits_with_the_message_before_loading_qt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from console import app

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(
        app, "check_libraries", lambda: check(system="linux", find=finder("libxcb-icccm.so.4"))
    )
    loaded = set(sys.modules)
    assert app.run_gui() == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "libxcb-icccm.so.4" in err and "sudo apt install libxcb-icccm4" in err
    assert not {m for m in set(sys.modules) - loaded if m.startswith("PySide6")}


def test_the_command_line_does_not_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from console import app
    from console.cli import main

    def refuse() -> str:
        raise AssertionError("the command line checked for the window's libraries")

    monkeypatch.setattr(app, "check_libraries", refuse)
    assert main(["policy", "check"]) == 0
    assert "problem" not in capsys.readouterr().err
