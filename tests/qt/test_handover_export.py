"""Handover exports: CSV, a printable HTML page and a PDF drawn by Qt (read back with pypdf).

The board is the demo data's (500 tickets, a fixed now) over the next eight hours. The PDF
has ``max(1, ceil(rows / rows_per_page))`` board pages, then
``max(1, ceil(markers / CHART_ROWS_PER_PAGE))`` timeline pages, where ``rows`` counts the
board's (section, ticket) lines and ``markers`` the rows of the breached, will-breach and
resuming sections.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from conftest import FakeClock
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import Handover
from console.domain.policy import load_policies
from console.qt.handover_export import (
    CHART_ROWS_PER_PAGE,
    COLUMNS,
    _ticks,
    board_table,
    chart_page_count,
    export,
    row_count,
    table_page_count,
    window_text,
    write_csv,
    write_html,
    write_pdf,
)
from console.services.demo import load_demo
from console.services.handover import BoardRow, HandoverBoard, Section, load_board
from console.services.queue import load_rows
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")
KEY = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*-\d+(?![\w-])")
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def store() -> FakeStore:
    store = FakeStore()
    book = PolicyBook(load_policies())
    load_demo(FakeUnitOfWork(store, clock=FakeClock(NOW)), book, tickets=500, seed=1, now=NOW)
    return store


@pytest.fixture(scope="module")
def board(store: FakeStore) -> HandoverBoard:
    book = PolicyBook(load_policies())
    return within(
        FakeUnitOfWork(store, clock=FakeClock(NOW)), load_board, book, NOW, NOW + timedelta(hours=8)
    )


@pytest.fixture(scope="module")
def open_keys(store: FakeStore) -> set[str]:
    book = PolicyBook(load_policies())
    return {r.key for r in within(FakeUnitOfWork(store, clock=FakeClock(NOW)), load_rows, book)}


def board_keys(board: HandoverBoard) -> set[str]:
    return {r.key for rows in board.sections.values() for r in rows}


def markers(board: HandoverBoard) -> int:
    return sum(
        len(board.sections[s]) for s in (Section.BREACHED, Section.WILL_BREACH, Section.RESUMING)
    )


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, words one space apart (pypdf separates some with tabs)."""
    return [re.sub(r"[ \t]+", " ", page.extract_text()) for page in PdfReader(path).pages]


def keys_in(text: str) -> list[str]:
    return KEY.findall(text)


def with_row(board: HandoverBoard, section: Section, index: int, item: BoardRow) -> HandoverBoard:
    rows = list(board.sections[section])
    rows[index] = item
    return replace(board, sections={**board.sections, section: tuple(rows)})


def test_the_demo_board_has_every_section_and_more_than_a_page(board: HandoverBoard) -> None:
    """The data the other tests rely on: something in each section, some tickets off the
    board, more rows than fit one page of 30."""
    assert all(board.sections[s] for s in Section)
    assert row_count(board) > 30


# --------------------------------------------------------------------------- table and CSV


def test_board_table_has_a_line_per_section_row(board: HandoverBoard) -> None:
    table = board_table(board, ZURICH)
    assert len(table) == row_count(board) == sum(len(rows) for rows in board.sections.values())
    expected = [(s.heading, r.key) for s in Section for r in board.sections[s]]
    assert [(line["section"], line["key"]) for line in table] == expected
    for line in table:
        assert list(line) == [name for name, _ in COLUMNS]
        assert ":" not in line["severity"]
    unassigned = [line for line in table if line["section"] == Section.UNASSIGNED.heading]
    assert unassigned and all(line["owner"] == "Unassigned" for line in unassigned)
    first = board.sections[Section.WILL_BREACH][0]
    line = next(line for line in table if line["key"] == first.key)
    assert first.when is not None
    local = first.when.astimezone(ZURICH)
    assert line["instant"] == f"{local:%a} {local.day} {local:%b %H:%M} CET"
    assert line["title"] == first.row.ticket.title
    assert line["policy"] == f"{first.row.policy.vendor} · {first.row.customer.plan}"
    paused = next(line for line in table if line["section"] == Section.PAUSED.heading)
    assert paused["instant"] == "" and "paused" in paused["countdown"]
    breached = next(line for line in table if line["section"] == Section.BREACHED.heading)
    assert breached["countdown"].startswith("+") and breached["countdown"].endswith("overdue")


def test_window_text_names_both_days_across_midnight_and_both_zones_across_dst() -> None:
    def text(start: datetime, hours: int) -> str:
        empty = HandoverBoard(start, start + timedelta(hours=hours), {s: () for s in Section})
        return window_text(empty, ZURICH)

    assert text(NOW, 8) == "Fri 20 Nov 2026 15:30\u201323:30 CET"
    assert (
        text(NOW + timedelta(hours=6), 8) == "Fri 20 Nov 2026 21:30 CET \u2013 Sat 21 Nov 05:30 CET"
    )
    dst = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 01:00 CEST, the clocks go back at 03:00
    assert text(dst, 4) == "Sun 25 Oct 2026 01:00 CEST\u201304:00 CET"


def test_hour_ticks_stand_on_whole_hours_of_the_zone() -> None:
    start = datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: whole local hours are at :30 UTC
    ticks = _ticks(start, start + timedelta(hours=8), kolkata, 700)
    assert [t.astimezone(kolkata).strftime("%H:%M") for t in ticks] == [
        f"{h:02d}:00" for h in range(20, 24)
    ] + [f"{h:02d}:00" for h in range(0, 4)]
    # Three days on a short axis: every 24 hours, at local midnight.
    long = _ticks(start, start + timedelta(days=3), ZURICH, 200)
    assert [t.astimezone(ZURICH).strftime("%d %H:%M") for t in long] == [
        "21 00:00",
        "22 00:00",
        "23 00:00",
    ]
    # Across the autumn DST change: whole hours, none twice, none lost.
    night = _ticks(
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC), datetime(2026, 10, 25, 3, 30, tzinfo=UTC),
        ZURICH, 700,
    )  # fmt: skip
    assert [t.astimezone(ZURICH).strftime("%H:%M %Z") for t in night] == [
        "01:00 CEST",
        "02:00 CEST",
        "02:00 CET",
        "03:00 CET",
        "04:00 CET",
    ]


def test_csv_has_a_header_and_a_row_per_board_row_with_its_section(board: HandoverBoard) -> None:
    out = io.StringIO(newline="")
    count = write_csv(board, ZURICH, out)
    reader = csv.reader(io.StringIO(out.getvalue(), newline=""))
    header, *rows = list(reader)
    assert header == [name for name, _ in COLUMNS]
    assert count == len(rows) == row_count(board)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert records == board_table(board, ZURICH)
    for section in Section:
        named = [r["key"] for r in records if r["section"] == section.heading]
        assert named == board.keys(section)


# --------------------------------------------------------------------------- HTML


def test_html_is_a_complete_page_with_every_key_and_section(board: HandoverBoard) -> None:
    out = io.StringIO()
    assert write_html(board, ZURICH, out) == row_count(board)
    page = out.getvalue()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert f"<title>Handover {window_text(board, ZURICH)}</title>" in page
    assert "<script" not in page and "<link" not in page and "@page" in page
    for key in board_keys(board):
        assert f">{key}</td>" in page
    for section in Section:
        count = len(board.sections[section])
        assert f'<h2>{section.heading}<span class="count">{count}</span></h2>' in page
    assert "none on record" in page
    assert page.count("<tr>") == row_count(board) + sum(1 for s in Section if board.sections[s])


def test_html_escapes_text_and_tells_whether_the_last_handover_was_acknowledged(
    board: HandoverBoard,
) -> None:
    first = board.sections[Section.BREACHED][0]
    ticket = replace(first.row.ticket, title='Login <b>broken</b> & "slow"')
    changed = with_row(
        board,
        Section.BREACHED,
        0,
        replace(first, row=replace(first.row, ticket=ticket), note="<script>x</script>"),
    )
    last = Handover(
        1, "ana.ortiz", NOW - timedelta(minutes=5), NOW - timedelta(hours=8), NOW, "Quiet <i>"
    )
    out = io.StringIO()
    write_html(replace(changed, last=last), ZURICH, out)
    page = out.getvalue()
    assert "Login &lt;b&gt;broken&lt;/b&gt; &amp; &quot;slow&quot;" in page
    assert "<b>broken" not in page and "<script>" not in page and "<i>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "Quiet &lt;i&gt;" in page
    assert "Not acknowledged yet" in page and "by ana.ortiz at Fri 20 Nov 15:25 CET" in page

    seen = replace(last, acknowledged_by="marcus.reed", acknowledged_at=NOW)
    out = io.StringIO()
    write_html(replace(board, last=seen), ZURICH, out)
    assert "Acknowledged by marcus.reed at Fri 20 Nov 15:30 CET" in out.getvalue()


# --------------------------------------------------------------------------- PDF


def test_pdf_lists_every_ticket_due_in_the_window_and_nothing_else(
    qapp: QApplication, board: HandoverBoard, open_keys: set[str], tmp_path: Path
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
    off_board = open_keys - on_board
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
    assert "by ana.ortiz at Fri 20 Nov 15:25 CET, for Fri 20 Nov 2026 07:30\u201315:30 CET" in first
    assert "Acknowledged by marcus.reed at Fri 20 Nov 15:30 CET" in first
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
