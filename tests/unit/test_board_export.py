"""Handover exports without Qt: the board as a table, as CSV and as a printable HTML page, and
the plan of the PDF's pages (board pages and timeline ticks).

The board is the demo data's (500 tickets, a fixed now) over the next eight hours.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boards import NOW, board_keys, board_of, demo_store
from console.domain.model import Handover
from console.services.handover import BoardRow, HandoverBoard, Section
from console.services.handover_export import (
    COLUMNS,
    Heading,
    board_table,
    hour_ticks,
    paginate,
    row_count,
    window_text,
    write_csv,
    write_html,
)
from console.services.texts import when_text
from console.services.transfer import cell_text

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture(scope="module")
def board() -> HandoverBoard:
    return board_of(demo_store(tickets=500, seed=1))


def with_row(board: HandoverBoard, section: Section, index: int, item: BoardRow) -> HandoverBoard:
    rows = list(board.sections[section])
    rows[index] = item
    return replace(board, sections={**board.sections, section: tuple(rows)})


def test_the_demo_board_has_every_section_and_more_than_a_page(board: HandoverBoard) -> None:
    """The data the other tests rely on: something in each section, more rows than fit one
    page of 30."""
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
    assert line["instant"] == when_text(first.when, ZURICH, board.start)
    assert line["instant"] == f"{first.when.astimezone(ZURICH):%H:%M}"  # later that day
    assert line["title"] == first.row.ticket.title
    assert line["policy"] == f"{first.row.policy.vendor} · {first.row.customer.plan}"
    paused = next(line for line in table if line["section"] == Section.PAUSED.heading)
    assert paused["instant"] == "" and "paused" in paused["countdown"]
    breached = next(line for line in table if line["section"] == Section.BREACHED.heading)
    assert breached["countdown"].startswith("overdue ")
    assert breached["countdown"].endswith(" (business time)")
    assert breached["instant"].startswith(("earlier today ", "yesterday ", "last ", "Mon "))
    waiting = next(line for line in table if "closed until" in line["countdown"])
    assert " \u00b7 closed until " in waiting["countdown"]  # the countdown, then why it waits


def test_window_text_names_both_days_across_midnight_and_both_zones_across_dst() -> None:
    def text(start: datetime, hours: int) -> str:
        empty = HandoverBoard(start, start + timedelta(hours=hours), {s: () for s in Section})
        return window_text(empty, ZURICH)

    assert text(NOW, 8) == "Fri 20 Nov 2026 15:30\u201323:30 CET"
    assert text(NOW + timedelta(hours=6), 8) == "Fri 20 Nov 2026 21:30 \u2013 Sat 21 Nov 05:30 CET"
    dst = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 01:00 CEST, the clocks go back at 03:00
    assert text(dst, 4) == "Sun 25 Oct 2026 01:00 CEST\u201304:00 CET"


def test_csv_has_a_header_and_a_row_per_board_row_with_its_section(board: HandoverBoard) -> None:
    out = io.StringIO(newline="")
    count = write_csv(board, ZURICH, out)
    reader = csv.reader(io.StringIO(out.getvalue(), newline=""))
    header, *rows = list(reader)
    assert header == [name for name, _ in COLUMNS]
    assert count == len(rows) == row_count(board)
    # Cells a spreadsheet would run ("=HYPERLINK(...)") are written with a leading quote.
    records = [{k: cell_text(v) for k, v in zip(header, row, strict=True)} for row in rows]
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
    tickets = len(board_keys(board))
    assert f"{row_count(board)} entries for {tickets} tickets" in page


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
    assert "Not acknowledged yet" in page
    assert "by ana.ortiz, earlier today 15:25, for Fri 20 Nov 2026 07:30\u201315:30 CET" in page
    assert "times in Europe/Zurich as at the start of the window" in page

    seen = replace(last, acknowledged_by="marcus.reed", acknowledged_at=NOW)
    out = io.StringIO()
    write_html(replace(board, last=seen), ZURICH, out)
    assert "Acknowledged by marcus.reed, 15:30" in out.getvalue()


# --------------------------------------------------------------------------- the PDF's pages


def test_pages_hold_a_few_rows_each_with_a_heading_where_a_section_starts_or_runs_on(
    board: HandoverBoard,
) -> None:
    table = board_table(board, ZURICH)
    pages = paginate(table, 7)
    lines = [item for page in pages for item in page if not isinstance(item, Heading)]
    assert lines == table  # each line once, in order
    assert all(sum(not isinstance(i, Heading) for i in page) <= 7 for page in pages)
    assert len(pages) == -(-len(table) // 7)
    for page in pages:
        first = page[0]
        assert isinstance(first, Heading)  # a page starts with a section's heading
        line = next(i for i in page if not isinstance(i, Heading))
        assert first.section.heading == line["section"] or first.count == 0
    continued = [i for page in pages[1:] for i in page[:1] if isinstance(i, Heading)]
    assert sum(h.continued for h in continued) >= 3
    headings = [i for page in pages for i in page if isinstance(i, Heading) and not i.continued]
    assert [h.section for h in headings] == list(Section)
    assert [h.count for h in headings] == [len(board.sections[s]) for s in Section]


def test_hour_ticks_stand_on_whole_hours_of_the_zone() -> None:
    start = datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: whole local hours are at :30 UTC
    ticks = hour_ticks(start, start + timedelta(hours=8), kolkata, 700)
    assert [t.astimezone(kolkata).strftime("%H:%M") for t in ticks] == [
        f"{h:02d}:00" for h in range(20, 24)
    ] + [f"{h:02d}:00" for h in range(0, 4)]
    # Three days on a short axis: every 24 hours, at local midnight.
    long = hour_ticks(start, start + timedelta(days=3), ZURICH, 200)
    assert [t.astimezone(ZURICH).strftime("%d %H:%M") for t in long] == [
        "21 00:00",
        "22 00:00",
        "23 00:00",
    ]
    # Across the autumn DST change: whole hours, none twice, none lost.
    night = hour_ticks(
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


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text(board: HandoverBoard) -> None:
    """A title such as ``=HYPERLINK(...)`` gets a leading quote in the CSV, so a spreadsheet
    shows it; the HTML and the board keep the title as it is."""
    item = board.sections[Section.BREACHED][0]
    evil = '=HYPERLINK("http://example.invalid","click")'
    ticket = replace(item.row.ticket, title=evil)
    tampered = with_row(
        board, Section.BREACHED, 0, replace(item, row=replace(item.row, ticket=ticket))
    )
    out = io.StringIO(newline="")
    write_csv(tampered, ZURICH, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    titles = [r["title"] for r in rows if r["key"] == item.key]
    assert titles and all(t == f"'{evil}" for t in titles)
    assert all(not r["title"].startswith(("=", "+", "@")) for r in rows)
