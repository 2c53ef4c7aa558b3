"""Handover exports drawn by Qt: a PDF (read back with pypdf), and the command line's way in,
which writes CSV and HTML without importing Qt.

The board is the demo data's (500 tickets, a fixed now) over the next eight hours. The PDF
has ``max(1, ceil(rows / rows_per_page))`` board pages, then
``max(1, ceil(markers / CHART_ROWS_PER_PAGE))`` timeline pages, where ``rows`` counts the
board's (section, ticket) lines and ``markers`` the rows of the breached, will-breach and
resuming sections.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from boards import NOW, board_keys, board_of, demo_store, open_keys
from console.adapters.fake import FakeStore
from console.domain.model import Handover
from console.qt.handover_export import export, window_text
from console.qt.handover_pdf import write_pdf
from console.services.handover import HandoverBoard, Section
from console.services.handover_export import (
    CHART_ROWS_PER_PAGE,
    board_table,
    chart_page_count,
    row_count,
    table_page_count,
)

ZURICH = ZoneInfo("Europe/Zurich")
KEY = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*-\d+(?![\w-])")
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return demo_store(tickets=500, seed=1)


@pytest.fixture(scope="module")
def board(store: FakeStore) -> HandoverBoard:
    return board_of(store)


def markers(board: HandoverBoard) -> int:
    return sum(
        len(board.sections[s]) for s in (Section.BREACHED, Section.WILL_BREACH, Section.RESUMING)
    )


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, words one space apart (pypdf separates some with tabs)."""
    return [re.sub(r"[ \t]+", " ", page.extract_text()) for page in PdfReader(path).pages]


def keys_in(text: str) -> list[str]:
    return KEY.findall(text)


# --------------------------------------------------------------------------- PDF


def test_pdf_lists_every_ticket_due_in_the_window_and_nothing_else(
    qapp: QApplication, board: HandoverBoard, store: FakeStore, tmp_path: Path
) -> None:
    path = tmp_path / "handover.pdf"
    assert write_pdf(board, ZURICH, path) == row_count(board)
    pages = pdf_pages(path)
    rows, lanes = row_count(board), markers(board)
    assert len(pages) == math.ceil(rows / 30) + math.ceil(lanes / CHART_ROWS_PER_PAGE)
    assert len(pages) == table_page_count(board, 30) + chart_page_count(board) == 2 + 1
    text = "\n".join(pages)
    found = set(keys_in(text))
    on_board = board_keys(board)
    assert on_board <= found
    off_board = open_keys(store) - on_board
    assert off_board and not (off_board & found)
    assert found <= on_board
    # The board pages list the rows in order; the timeline its markers.
    table = board_table(board, ZURICH)
    assert [k for page in pages[:2] for k in keys_in(page)] == [line["key"] for line in table]
    chart = pages[2]
    assert "When clocks breach or resume" in chart
    expected = {r.key for s in (Section.BREACHED, Section.WILL_BREACH, Section.RESUMING)
                for r in board.sections[s]}  # fmt: skip
    assert set(keys_in(chart)) == expected
    first = pages[0]
    assert f"Handover {window_text(board, ZURICH)}" in first
    assert "Last handover" in first and "none on record" in first
    for section in Section:
        assert section.heading in text
    metadata = PdfReader(path).metadata
    assert metadata is not None and metadata.title == f"Handover {window_text(board, ZURICH)}"


def test_a_small_page_breaks_every_few_rows_and_repeats_the_header(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    path = tmp_path / "small.pdf"
    write_pdf(board, ZURICH, path, rows_per_page=7)
    pages = pdf_pages(path)
    rows = row_count(board)
    table_pages = math.ceil(rows / 7)
    assert len(pages) == table_pages + 1
    keys = [line["key"] for line in board_table(board, ZURICH)]
    for number, page in enumerate(pages[:table_pages]):
        assert keys_in(page) == keys[number * 7 : (number + 1) * 7]
        for label in ("Key", "Title", "Customer", "Owner", "Countdown", "Due / resumes"):
            assert label in page
        assert f"Page {number + 1} of {len(pages)}" in page
    # A page that starts inside a section says so.
    assert sum("continued" in page for page in pages[1:table_pages]) >= 3
    assert "Due / resumes" not in pages[-1]


def test_timeline_pages_hold_a_fixed_number_of_lanes(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    """Many clocks breaching at once take more timeline pages, none lost."""
    template = board.sections[Section.WILL_BREACH][0]
    many = tuple(
        replace(template, row=replace(template.row, ticket=replace(template.row.ticket, key=k)))
        for k in (f"BULK-{n}" for n in range(CHART_ROWS_PER_PAGE + 5))
    )
    crowded = HandoverBoard(
        board.start, board.end, {s: many if s is Section.WILL_BREACH else () for s in Section}
    )
    path = tmp_path / "crowded.pdf"
    write_pdf(crowded, ZURICH, path)
    pages = pdf_pages(path)
    assert chart_page_count(crowded) == 2
    assert len(pages) == table_page_count(crowded) + 2 == 1 + 2
    in_order = sorted(r.key for r in many)  # one instant: by key
    assert keys_in(pages[1]) == in_order[:CHART_ROWS_PER_PAGE]
    assert keys_in(pages[2]) == in_order[CHART_ROWS_PER_PAGE:]
    assert "(1 of 2)" in pages[1] and "(2 of 2)" in pages[2]


def test_an_empty_board_has_a_page_and_an_empty_timeline(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    empty = HandoverBoard(board.start, board.end, {s: () for s in Section})
    path = tmp_path / "empty.pdf"
    assert write_pdf(empty, ZURICH, path) == 0
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert pages[0].count("none") >= len(Section) and keys_in(pages[0]) == []
    assert "Nothing breaches or resumes during this window." in pages[1]


def test_rows_per_page_must_fit_a_page(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        write_pdf(board, ZURICH, tmp_path / "x.pdf", rows_per_page=0)
    with pytest.raises(ValueError, match="does not fit"):
        write_pdf(board, ZURICH, tmp_path / "x.pdf", rows_per_page=200)
    assert not (tmp_path / "x.pdf").exists()


def test_the_first_page_tells_the_last_handover_and_a_bad_path_is_an_os_error(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    last = Handover(
        1,
        "ana.ortiz",
        NOW - timedelta(minutes=5),
        NOW - timedelta(hours=8),
        NOW,
        "Quiet shift",
        acknowledged_by="marcus.reed",
        acknowledged_at=NOW,
    )
    path = tmp_path / "last.pdf"
    write_pdf(replace(board, last=last), ZURICH, path)
    first = pdf_pages(path)[0]
    assert "by ana.ortiz, earlier today 15:25, for Fri 20 Nov 2026 07:30\u201315:30 CET" in first
    assert "Acknowledged by marcus.reed, 15:30" in first
    assert "times in Europe/Zurich as at the start of the window" in first
    assert "Quiet shift" in first
    with pytest.raises(OSError):
        write_pdf(board, ZURICH, tmp_path / "missing" / "x.pdf")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_pages_render_as_landscape_images(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    """poppler draws the first page and the timeline: landscape, the header band in colour."""
    path = tmp_path / "handover.pdf"
    write_pdf(board, ZURICH, path)
    last = len(PdfReader(path).pages)
    for page in (1, last):
        prefix = tmp_path / f"page{page}"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page),
             str(path), str(prefix)],
            check=True,
        )  # fmt: skip
        image = QImage(str(prefix.with_suffix(".png")))
        assert image.width() > image.height() > 400
        colours = {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colours) > 10
        assert QColor("#243b53").name() in colours or page == last


# --------------------------------------------------------------------------- dispatch


def test_export_dispatches_on_the_format(
    qapp: QApplication, board: HandoverBoard, tmp_path: Path
) -> None:
    rows = row_count(board)
    assert export(board, ZURICH, "csv", tmp_path / "h.csv") == rows
    assert (tmp_path / "h.csv").read_text(encoding="utf-8").startswith("section,key,title,")
    assert export(board, ZURICH, "html", tmp_path / "h.html") == rows
    assert "<!DOCTYPE html>" in (tmp_path / "h.html").read_text(encoding="utf-8")
    assert export(board, ZURICH, "pdf", tmp_path / "h.pdf") == rows
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        export(board, ZURICH, "xlsx", tmp_path / "h.xlsx")


def run_python(code: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


BOARD_CODE = """
    import sys
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from console.qt.handover_export import export
    from console.services.handover import HandoverBoard, Section
    start = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    board = HandoverBoard(start, start + timedelta(hours=8), {s: () for s in Section})
"""


def test_csv_and_html_do_not_import_qt(tmp_path: Path) -> None:
    out = run_python(
        BOARD_CODE
        + f"""
    export(board, ZoneInfo("UTC"), "csv", Path({str(tmp_path / "a.csv")!r}))
    export(board, ZoneInfo("UTC"), "html", Path({str(tmp_path / "a.html")!r}))
    print(sorted(m for m in sys.modules if m.startswith("PySide6")))
    """
    )
    assert out.strip() == "[]"


def test_pdf_needs_only_a_gui_application(tmp_path: Path) -> None:
    out = run_python(
        BOARD_CODE
        + f"""
    export(board, ZoneInfo("UTC"), "pdf", Path({str(tmp_path / "a.pdf")!r}))
    from PySide6.QtGui import QGuiApplication
    print(type(QGuiApplication.instance()).__name__, "PySide6.QtWidgets" in sys.modules)
    """
    )
    assert out.split() == ["QGuiApplication", "False"]
    assert len(PdfReader(tmp_path / "a.pdf").pages) == 2
