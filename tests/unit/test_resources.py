"""What the console ships besides its code (``console.resources``): read as package data,
the way an installed console reads it, not from the source tree."""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

import console
from console import resources
from console.resources import APP_ID, DESKTOP_FILE, ICON_NAME, ICON_SIZES, METAINFO_FILE


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_resources_are_package_data() -> None:
    folder = files("console.resources")
    names = {entry.name for entry in folder.iterdir()}
    assert {DESKTOP_FILE, METAINFO_FILE, "icons"} <= names
    icons = {entry.name for entry in (folder / "icons").iterdir()}
    assert f"{ICON_NAME}.svg" in icons
    assert {f"{ICON_NAME}-{size}.png" for size in ICON_SIZES} <= icons


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_png_has_its_size(size: int) -> None:
    assert png_size(resources.icon_png(size).read_bytes()) == (size, size)


def test_the_icon_sizes_are_the_usual_ones() -> None:
    assert ICON_SIZES == (16, 32, 48, 64, 128, 256)
    with pytest.raises(ValueError, match="no 20 px icon"):
        resources.icon_png(20)


def test_the_svg_is_an_svg_of_the_same_square() -> None:
    root = ET.fromstring(resources.icon_svg().read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string((files("console.resources") / DESKTOP_FILE).read_text("utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_the_desktop_file_launches_the_console_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Support Console"
    assert entry["Exec"] == "support-console"  # the [project.scripts] entry point
    assert entry["Icon"] == ICON_NAME
    assert entry["Terminal"] == "false"
    assert entry["Comment"]
    categories = entry["Categories"].split(";")
    assert categories[-1] == "", "the list ends with a semicolon"
    assert {"Office", "ProjectManagement"} <= set(categories)


def metainfo() -> ET.Element:
    return ET.fromstring((files("console.resources") / METAINFO_FILE).read_bytes())


def test_the_metainfo_describes_the_application() -> None:
    root = metainfo()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == "Support Console"
    assert root.findtext("summary")
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    description = root.find("description")
    assert description is not None and description.find("p") is not None
    launchable = root.find("launchable")
    assert launchable is not None
    assert (launchable.get("type"), launchable.text) == ("desktop-id", DESKTOP_FILE)
    assert root.findtext("provides/binary") == "support-console"
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"


def test_the_metainfo_names_this_release() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "no release"
    assert releases[0].get("version") == console.__version__
    assert releases[0].get("date")


def test_the_metainfo_shows_the_queue_screenshot() -> None:
    screenshots = metainfo().findall("screenshots/screenshot")
    assert [s.get("type") for s in screenshots][:1] == ["default"]
    image = screenshots[0].findtext("image") or ""
    assert image.startswith("https://") and image.endswith("/docs/queue.png")
    assert screenshots[0].findtext("caption")
