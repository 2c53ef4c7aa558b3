"""Handover exports without Qt: the board of a window as a table, as CSV and as a printable
HTML page, and the plan of the PDF's pages (which :mod:`console.qt.handover_pdf` draws).

Every format lists one line per (section, row) of the board, in the board's section order,
so a ticket that belongs to two sections (say, will breach and unassigned) appears twice.
Each writer returns that number of lines ("ticket rows").

The PDF's pages, planned here:

* the board: each page holds at most ``rows_per_page`` ticket rows, with a heading where a
  section starts (an empty section too) and a "continued" heading where a page starts inside
  one, so the board takes ``max(1, ceil(rows / rows_per_page))`` pages (:func:`paginate`);
* then the timeline: one lane per clock, breached clocks first then each will-breach and
  resuming instant in time order (:func:`markers`), at most :data:`CHART_ROWS_PER_PAGE`
  lanes a page, so ``max(1, ceil(markers / CHART_ROWS_PER_PAGE))`` pages, where ``markers``
  counts the rows of the breached, will-breach and resuming sections; hour ticks on whole
  hours of the chosen zone (:func:`hour_ticks`).
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TextIO

from console.services import words
from console.services.handover import BoardRow, HandoverBoard, Section
from console.services.handover_texts import UNASSIGNED, countdown_line, span_text
from console.services.texts import overdue_text, when_text
from console.services.transfer import spreadsheet_cell

__all__ = [
    "CHART_ROWS_PER_PAGE",
    "COLUMNS",
    "FORMATS",
    "ROWS_PER_PAGE",
    "SECTION_COLOURS",
    "SECTION_SHORT",
    "Heading",
    "LastHandover",
    "Marker",
    "board_table",
    "chart_page_count",
    "hour_ticks",
    "hours_text",
    "last_handover",
    "markers",
    "paginate",
    "row_count",
    "table_page_count",
    "ticket_count",
    "times_text",
    "window_text",
    "write_csv",
    "write_html",
    "zone_name",
]

#: The columns of :func:`board_table` (its dictionaries' keys, the CSV header) and their labels.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("section", "Section"),
    ("key", "Key"),
    ("title", "Title"),
    ("customer", "Customer"),
    ("policy", "Policy · plan"),
    ("severity", "Severity"),
    ("owner", "Owner"),
    ("countdown", "Countdown"),
    ("instant", "Due / resumes"),
    ("note", "Note"),
)
FORMATS = ("csv", "html", "pdf")
ROWS_PER_PAGE = 30
CHART_ROWS_PER_PAGE = 24
TIMED = (Section.WILL_BREACH, Section.RESUMING)

# Colours (hex, so that CSV/HTML need no Qt): ink, muted text, rules, the table header, stripes.
INK = "#1f2933"
MUTED = "#616e7c"
RULE = "#cbd2d9"
HEAD = "#243b53"
STRIPE = "#f3f5f8"
GOOD = "#2e7d32"
WARN = "#d84315"
SECTION_COLOURS = {
    Section.BREACHED: "#c62828",
    Section.WILL_BREACH: "#e65100",
    Section.RESUMING: "#1565c0",
    Section.PAUSED: "#546e7a",
    Section.UNASSIGNED: "#6a1b9a",
}
SECTION_SHORT = {
    Section.BREACHED: "breached",
    Section.WILL_BREACH: "will breach",
    Section.RESUMING: "resuming",
    Section.PAUSED: "paused",
    Section.UNASSIGNED: "unassigned",
}


# --------------------------------------------------------------------------- text


def window_text(board: HandoverBoard, zone: tzinfo) -> str:
    """The board's window in ``zone``: ``Fri 20 Nov 2026 15:30\u201323:30 CET``."""
    return span_text(board.start, board.end, zone, year=True)


def zone_name(zone: tzinfo, at: datetime) -> str:
    """The IANA name (``Europe/Zurich``), else the abbreviation at ``at`` (a local zone)."""
    key = getattr(zone, "key", None)
    return str(key) if key else (at.astimezone(zone).tzname() or str(zone))


def times_text(board: HandoverBoard, zone: tzinfo) -> str:
    """``times in Europe/Zurich as at the start of the window``: where and when the board's
    instants are read ("tomorrow 09:00" is the day after the window starts)."""
    return f"times in {zone_name(zone, board.start)} as at the start of the window"


def hours_text(board: HandoverBoard) -> str:
    """``8-hour window``, ``1.5-hour window``."""
    hours = (board.end - board.start) / timedelta(hours=1)
    text = f"{hours:g}" if hours == int(hours) else f"{hours:.1f}"
    return f"{text}-hour window"


def _entries(board: HandoverBoard) -> Iterable[tuple[Section, BoardRow]]:
    for section in Section:
        for item in board.sections.get(section, ()):
            yield section, item


def row_count(board: HandoverBoard) -> int:
    """The lines every export writes: one per (section, row)."""
    return sum(len(board.sections.get(section, ())) for section in Section)


def ticket_count(board: HandoverBoard) -> int:
    """The tickets on the board (one in two sections counts once)."""
    return len({item.key for _, item in _entries(board)})


def _line(section: Section, item: BoardRow, board: HandoverBoard, zone: tzinfo) -> dict[str, str]:
    row, ticket = item.row, item.row.ticket
    return {
        "section": section.heading,
        "key": ticket.key,
        "title": ticket.title,
        "customer": row.customer.name,
        "policy": f"{row.policy.vendor} · {row.customer.plan}",
        "severity": row.severity_name.split(":")[0].strip(),
        "owner": ticket.assignee or words.tr(UNASSIGNED),
        "countdown": countdown_line(item, item.countdown, board.start, labelled=True),
        "instant": when_text(item.when, zone, board.start) if item.when is not None else "",
        "note": item.note,
    }


def board_table(board: HandoverBoard, zone: tzinfo) -> list[dict[str, str]]:
    """One dictionary per (section, row), keyed by the names of :data:`COLUMNS`: the
    section's heading, the ticket, its owner (or "Unassigned"), its countdown at the window's
    start (with the reason a clock stands still), the row's instant in ``zone`` as seen at
    the window's start (the breach or resume instant; the due instant for the other
    sections; "" without one: :func:`~console.services.texts.when_text`) and the handover
    note."""
    return [_line(section, item, board, zone) for section, item in _entries(board)]


@dataclass(frozen=True, slots=True)
class LastHandover:
    """The last handover in words: who and when, whether acknowledged, the note."""

    summary: str
    acknowledged: bool
    status: str
    note: str


def last_handover(board: HandoverBoard, zone: tzinfo) -> LastHandover | None:
    """The board's last handover in words, instants in ``zone`` as seen at the window's
    start; None without one."""
    last = board.last
    if last is None:
        return None
    summary = (
        f"by {last.author}, {when_text(last.created_at, zone, board.start)}, for "
        f"{span_text(last.window_start, last.window_end, zone, year=True)}"
    )
    if last.acknowledged_by is not None:
        at = ""
        if last.acknowledged_at is not None:
            at = f", {when_text(last.acknowledged_at, zone, board.start)}"
        return LastHandover(summary, True, f"Acknowledged by {last.acknowledged_by}{at}", last.note)
    return LastHandover(summary, False, "Not acknowledged yet", last.note)


# --------------------------------------------------------------------------- CSV


def write_csv(board: HandoverBoard, zone: tzinfo, stream: TextIO) -> int:
    """The board as CSV (RFC 4180; open files with ``newline=""``): a header row of the
    :data:`COLUMNS` names, then one row per (section, row). Returns the number of rows."""
    names = [name for name, _ in COLUMNS]
    writer = csv.DictWriter(stream, fieldnames=names)
    writer.writeheader()
    table = board_table(board, zone)
    # A title or note such as "=HYPERLINK(...)" is shown by a spreadsheet, never run.
    writer.writerows(
        {k: spreadsheet_cell(v) if isinstance(v, str) else v for k, v in row.items()}
        for row in table
    )
    return len(table)


# --------------------------------------------------------------------------- HTML

_CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font: 13px/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: {INK};
  margin: 24px auto; max-width: 1280px; padding: 0 24px; background: #fff; }}
header {{ display: flex; justify-content: space-between; align-items: flex-end; gap: 24px;
  border-bottom: 2px solid {HEAD}; padding-bottom: 10px; margin-bottom: 14px; }}
.kicker {{ text-transform: uppercase; letter-spacing: .12em; font-size: 11px; font-weight: 600;
  color: {MUTED}; margin: 0; }}
h1 {{ font-size: 24px; margin: 2px 0 4px; }}
.meta {{ color: {MUTED}; margin: 0; }}
.counts {{ display: flex; gap: 6px; margin: 0; padding: 0; list-style: none; }}
.counts li {{ border: 1px solid {RULE}; border-top: 4px solid var(--c); border-radius: 4px;
  padding: 4px 10px; text-align: center; min-width: 78px; }}
.counts b {{ display: block; font-size: 20px; color: var(--c); }}
.counts span {{ font-size: 11px; color: {MUTED}; }}
.last {{ background: {STRIPE}; border-left: 4px solid {HEAD}; padding: 8px 12px;
  margin: 0 0 18px; }}
.last p {{ margin: 2px 0; }}
.ack {{ color: {GOOD}; font-weight: 600; }}
.unack {{ color: {WARN}; font-weight: 600; }}
.note {{ font-style: italic; white-space: pre-wrap; }}
section {{ margin: 0 0 18px; }}
h2 {{ font-size: 15px; margin: 0 0 6px; padding: 4px 10px; border-left: 5px solid var(--c);
  background: var(--t); color: var(--c);
  break-after: avoid; page-break-after: avoid; }}
h2 .count {{ display: inline-block; min-width: 22px; margin-left: 8px; padding: 0 7px;
  border-radius: 10px; background: var(--c); color: #fff; font-size: 12px;
  text-align: center; }}
table {{ width: 100%; border-collapse: collapse; font-size: 12px; table-layout: fixed; }}
thead {{ display: table-header-group; }}
th {{ background: {HEAD}; color: #fff; text-align: left; font-weight: 600;
  padding: 4px 6px; }}
td {{ padding: 3px 6px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }}
tbody tr:nth-child(even) td {{ background: {STRIPE}; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
td.key {{ font-weight: 600; }}
td.unassigned {{ color: {SECTION_COLOURS[Section.UNASSIGNED]}; }}
td.breached {{ color: {SECTION_COLOURS[Section.BREACHED]}; font-weight: 600; }}
td.note {{ white-space: pre-wrap; }}
.none {{ color: {MUTED}; font-style: italic; margin: 2px 10px; }}
footer {{ color: {MUTED}; font-size: 11px; border-top: 1px solid {RULE}; padding-top: 6px; }}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{
  body {{ margin: 0; padding: 0; max-width: none; font-size: 11px; }}
  table {{ font-size: 10px; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""

# Column widths in per cent of the page (the same in every section's table).
_HTML_WIDTHS: dict[str, float] = {
    "key": 7,
    "title": 18.5,
    "customer": 12,
    "policy": 11,
    "severity": 8,
    "owner": 9,
    "countdown": 12,
    "instant": 12,
    "note": 10.5,
}


def _tint(colour: str, share: float = 0.09) -> str:
    """``colour`` (``#rrggbb``) mixed into white."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _is_overdue(value: str) -> bool:
    """A countdown that says a lateness ("overdue 3h 05m (business time)"), in the
    console's language."""
    return value.startswith(overdue_text(timedelta(0)).split(" ", 1)[0])


def _html_cell(name: str, value: str) -> str:
    classes = [name] if name in ("key", "note") else []
    if name == "countdown" and _is_overdue(value):
        classes.append("breached")
    if name == "owner" and value == words.tr(UNASSIGNED):
        classes.append("unassigned")
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{_e(value)}</td>"


def _html_section(section: Section, lines: Sequence[dict[str, str]]) -> list[str]:
    colour = SECTION_COLOURS[section]
    out = [
        f'<section id="{section.value}" style="--c: {colour}; --t: {_tint(colour)}">',
        f'<h2>{_e(section.heading)}<span class="count">{len(lines)}</span></h2>',
    ]
    if not lines:
        return [*out, '<p class="none">None.</p>', "</section>"]
    shown = [(name, label) for name, label in COLUMNS if name != "section"]
    cols = "".join(f'<col style="width: {_HTML_WIDTHS[name]}%">' for name, _ in shown)
    heads = "".join(f"<th>{_e(label)}</th>" for _, label in shown)
    out += ["<table>", f"<colgroup>{cols}</colgroup>", f"<thead><tr>{heads}</tr></thead>"]
    out.append("<tbody>")
    for line in lines:
        out.append("<tr>" + "".join(_html_cell(name, line[name]) for name, _ in shown) + "</tr>")
    return [*out, "</tbody>", "</table>", "</section>"]


def _html_last(last: LastHandover | None) -> list[str]:
    if last is None:
        return ["<p><strong>Last handover:</strong> none on record.</p>"]
    status = "ack" if last.acknowledged else "unack"
    out = [
        f"<p><strong>Last handover</strong> {_e(last.summary)}</p>",
        f'<p class="{status}">{_e(last.status)}</p>',
    ]
    if last.note:
        out.append(f'<p class="note">{_e(last.note)}</p>')
    return out


def write_html(board: HandoverBoard, zone: tzinfo, stream: TextIO) -> int:
    """The board as one self-contained, printable HTML page (inline CSS, A4 landscape when
    printed): the window, the last handover and whether it was acknowledged, then each
    section as a table under its heading and count. Returns the number of ticket rows."""
    window = window_text(board, zone)
    table = board_table(board, zone)
    by_section: dict[str, list[dict[str, str]]] = {}
    for line in table:
        by_section.setdefault(line["section"], []).append(line)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="support-console">',
        f"<title>Handover {_e(window)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<div>",
        '<p class="kicker">Shift handover</p>',
        f"<h1>Handover {_e(window)}</h1>",
        f'<p class="meta">{_e(hours_text(board))} · {_e(times_text(board, zone))}'
        f" · {len(table)} entries for {ticket_count(board)} tickets</p>",
        "</div>",
        '<ul class="counts">',
    ]
    for section in Section:
        count = len(board.sections.get(section, ()))
        out.append(
            f'<li style="--c: {SECTION_COLOURS[section]}"><b>{count}</b>'
            f"<span>{_e(SECTION_SHORT[section])}</span></li>"
        )
    out += ["</ul>", "</header>", '<div class="last">']
    out += _html_last(last_handover(board, zone))
    out.append("</div>")
    for section in Section:
        out += _html_section(section, by_section.get(section.heading, []))
    out += [
        f"<footer>Handover {_e(window)} · exported by support-console</footer>",
        "</body>",
        "</html>",
        "",
    ]
    stream.write("\n".join(out))
    return len(table)


# --------------------------------------------------------------------------- the PDF's pages


@dataclass(frozen=True, slots=True)
class Heading:
    """A section's heading band on a board page: ``count`` rows in all, ``continued`` when
    the section started on an earlier page."""

    section: Section
    count: int
    continued: bool


PageItem = Heading | dict[str, str]  # a section's heading or a line of board_table


def paginate(table: Sequence[dict[str, str]], rows_per_page: int) -> list[list[PageItem]]:
    """The board's pages: at most ``rows_per_page`` lines each, a heading where a section
    starts (empty ones too) and a "continued" heading where a page starts inside one."""
    pages: list[list[PageItem]] = [[]]
    on_page = 0
    for section in Section:
        items = [line for line in table if line["section"] == section.heading]
        if not items:
            pages[-1].append(Heading(section, 0, False))
            continue
        for index, item in enumerate(items):
            if on_page == rows_per_page:
                pages.append([])
                on_page = 0
                if index:
                    pages[-1].append(Heading(section, len(items), True))
            if index == 0:
                pages[-1].append(Heading(section, len(items), False))
            pages[-1].append(item)
            on_page += 1
    return pages


def table_page_count(board: HandoverBoard, rows_per_page: int = ROWS_PER_PAGE) -> int:
    """The PDF's board pages: ``max(1, ceil(rows / rows_per_page))``."""
    return max(1, math.ceil(row_count(board) / rows_per_page))


@dataclass(frozen=True, slots=True)
class Marker:
    """A lane of the timeline: a row of the breached, will-breach or resuming section."""

    section: Section
    item: BoardRow

    @property
    def when(self) -> datetime | None:
        return self.item.when


def markers(board: HandoverBoard) -> list[Marker]:
    """Breached clocks first (most overdue first), then the timed instants in time order."""
    breached = [Marker(Section.BREACHED, r) for r in board.sections.get(Section.BREACHED, ())]
    timed = [
        Marker(section, r)
        for section in TIMED
        for r in board.sections.get(section, ())
        if r.when is not None
    ]
    timed.sort(key=lambda m: (m.item.when or board.start, TIMED.index(m.section), m.item.key))
    return breached + timed


def chart_page_count(board: HandoverBoard) -> int:
    """The PDF's timeline pages: ``max(1, ceil(markers / CHART_ROWS_PER_PAGE))``."""
    return max(1, math.ceil(len(markers(board)) / CHART_ROWS_PER_PAGE))


def hour_ticks(start: datetime, end: datetime, zone: tzinfo, width: float) -> list[datetime]:
    """Whole hours in ``zone`` within ``[start, end]``, every 1, 2, 3, 4, 6, 12 or 24 hours so
    that ticks stand at least 38 points apart on an axis ``width`` points long."""
    hours = max((end - start) / timedelta(hours=1), 1e-9)
    step = next((s for s in (1, 2, 3, 4, 6, 12) if width * s / hours >= 38), 24)
    local = start.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    moment = local.astimezone(start.tzinfo)
    found = []
    while moment <= end:
        wall = moment.astimezone(zone)
        if moment >= start and wall.minute == 0 and wall.hour % step == 0:
            found.append(moment)
        moment += timedelta(hours=1)
    return found
