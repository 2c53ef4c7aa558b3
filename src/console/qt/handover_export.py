"""Handover exports: the board of a window as CSV, as a printable HTML page, or as a PDF drawn
with Qt's own PDF writer (QPdfWriter and QPainter, no widgets).

Every format lists one line per (section, row) of the board, in the board's section order,
so a ticket that belongs to two sections (say, will breach and unassigned) appears twice.
Each writer returns that number of lines ("ticket rows").

PySide6 is imported only when a PDF is written, so the command line can write CSV and HTML
on machines without Qt's graphics libraries.

The PDF is A4 landscape:

* the board: the first page opens with a title block (the window, the time zone, the last
  handover and whether it was acknowledged, a count per section), every later page with a
  running header; each page repeats the column header and holds at most ``rows_per_page``
  ticket rows, with a heading band per section (marked "continued" when a section runs on
  from the page before; an empty section shows "none"). So the board takes
  ``max(1, ceil(rows / rows_per_page))`` pages.
* then the timeline: a horizontal axis from the window's start to its end with hour ticks in
  the chosen zone and one lane per clock, breached clocks first (stacked in red at the left
  edge, before the start) then each will-breach and resuming instant in time order, a
  marker labelled with the ticket's key. Each timeline page holds at most
  :data:`CHART_ROWS_PER_PAGE` lanes, so the timeline takes
  ``max(1, ceil(markers / CHART_ROWS_PER_PAGE))`` pages, where ``markers`` counts the rows
  of the breached, will-breach and resuming sections.
"""

from __future__ import annotations

import csv
import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from console.services.handover import BoardRow, HandoverBoard, Section
from console.services.texts import countdown_reason, countdown_text

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QFont, QPdfWriter

__all__ = [
    "CHART_ROWS_PER_PAGE",
    "COLUMNS",
    "FORMATS",
    "ROWS_PER_PAGE",
    "board_table",
    "chart_page_count",
    "export",
    "row_count",
    "table_page_count",
    "window_text",
    "write_csv",
    "write_html",
    "write_pdf",
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
_UNASSIGNED = "Unassigned"
_TIMED = (Section.WILL_BREACH, Section.RESUMING)

# Colours (hex, so that CSV/HTML need no Qt): ink, muted text, rules, the table header, stripes.
_INK = "#1f2933"
_MUTED = "#616e7c"
_RULE = "#cbd2d9"
_HEAD = "#243b53"
_STRIPE = "#f3f5f8"
_GOOD = "#2e7d32"
_WARN = "#d84315"
_SECTION_COLOURS = {
    Section.BREACHED: "#c62828",
    Section.WILL_BREACH: "#e65100",
    Section.RESUMING: "#1565c0",
    Section.PAUSED: "#546e7a",
    Section.UNASSIGNED: "#6a1b9a",
}
_SECTION_SHORT = {
    Section.BREACHED: "breached",
    Section.WILL_BREACH: "will breach",
    Section.RESUMING: "resuming",
    Section.PAUSED: "paused",
    Section.UNASSIGNED: "unassigned",
}


# --------------------------------------------------------------------------- text


def _day(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}"


def _instant(moment: datetime, zone: tzinfo) -> str:
    """``Fri 20 Nov 15:53 CET``: the day, the time and the zone's abbreviation."""
    local = moment.astimezone(zone)
    return f"{_day(local)} {local:%H:%M} {local.tzname() or ''}".rstrip()


def _span(start: datetime, end: datetime, zone: tzinfo) -> str:
    """``Fri 20 Nov 2026 15:30\u201323:30 CET``, or both days when the span crosses midnight."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    opening = f"{_day(first)} {first:%Y %H:%M}"
    if first.date() == last.date():
        if first.tzname() == last.tzname():
            return f"{opening}\u2013{last:%H:%M} {last.tzname() or ''}".rstrip()
        return f"{opening} {first.tzname()}\u2013{last:%H:%M} {last.tzname()}"
    return (
        f"{opening} {first.tzname() or ''} \u2013 {_day(last)} {last:%H:%M} {last.tzname() or ''}"
    )


def window_text(board: HandoverBoard, zone: tzinfo) -> str:
    """The board's window in ``zone``: ``Fri 20 Nov 2026 15:30\u201323:30 CET``."""
    return _span(board.start, board.end, zone)


def _zone_name(zone: tzinfo, at: datetime) -> str:
    """The IANA name (``Europe/Zurich``), else the abbreviation at ``at`` (a local zone)."""
    key = getattr(zone, "key", None)
    return str(key) if key else (at.astimezone(zone).tzname() or str(zone))


def _hours(board: HandoverBoard) -> str:
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


def _countdown(item: BoardRow, board: HandoverBoard) -> tuple[str, str]:
    """The countdown at the window's start and why the clock is not moving, if it is not."""
    calendar = item.row.calendar
    zone = calendar.timezone if calendar is not None else None
    return countdown_text(item.countdown), countdown_reason(item.countdown, zone, board.start)


def _line(section: Section, item: BoardRow, board: HandoverBoard, zone: tzinfo) -> dict[str, str]:
    row, ticket = item.row, item.row.ticket
    text, reason = _countdown(item, board)
    return {
        "section": section.heading,
        "key": ticket.key,
        "title": ticket.title,
        "customer": row.customer.name,
        "policy": f"{row.policy.vendor} · {row.customer.plan}",
        "severity": row.severity_name.split(":")[0].strip(),
        "owner": ticket.assignee or _UNASSIGNED,
        "countdown": f"{text} · {reason}" if reason and text else (text or reason),
        "instant": _instant(item.when, zone) if item.when is not None else "",
        "note": item.note,
    }


def board_table(board: HandoverBoard, zone: tzinfo) -> list[dict[str, str]]:
    """One dictionary per (section, row), keyed by the names of :data:`COLUMNS`: the
    section's heading, the ticket, its owner (or "Unassigned"), its countdown at the window's
    start (with the reason a clock stands still), the row's instant in ``zone`` (the breach
    or resume instant; the due instant for the other sections; "" without one) and the
    handover note."""
    return [_line(section, item, board, zone) for section, item in _entries(board)]


@dataclass(frozen=True, slots=True)
class _LastHandover:
    """The last handover in words: who and when, whether acknowledged, the note."""

    summary: str
    acknowledged: bool
    status: str
    note: str


def _last_handover(board: HandoverBoard, zone: tzinfo) -> _LastHandover | None:
    last = board.last
    if last is None:
        return None
    summary = (
        f"by {last.author} at {_instant(last.created_at, zone)}, for "
        f"{_span(last.window_start, last.window_end, zone)}"
    )
    if last.acknowledged_by is not None:
        at = f" at {_instant(last.acknowledged_at, zone)}" if last.acknowledged_at else ""
        return _LastHandover(
            summary, True, f"Acknowledged by {last.acknowledged_by}{at}", last.note
        )
    return _LastHandover(summary, False, "Not acknowledged yet", last.note)


# --------------------------------------------------------------------------- CSV


def write_csv(board: HandoverBoard, zone: tzinfo, stream: TextIO) -> int:
    """The board as CSV (RFC 4180; open files with ``newline=""``): a header row of the
    :data:`COLUMNS` names, then one row per (section, row). Returns the number of rows."""
    names = [name for name, _ in COLUMNS]
    writer = csv.DictWriter(stream, fieldnames=names)
    writer.writeheader()
    table = board_table(board, zone)
    writer.writerows(table)
    return len(table)


# --------------------------------------------------------------------------- HTML

_CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font: 13px/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: {_INK};
  margin: 24px auto; max-width: 1280px; padding: 0 24px; background: #fff; }}
header {{ display: flex; justify-content: space-between; align-items: flex-end; gap: 24px;
  border-bottom: 2px solid {_HEAD}; padding-bottom: 10px; margin-bottom: 14px; }}
.kicker {{ text-transform: uppercase; letter-spacing: .12em; font-size: 11px; font-weight: 600;
  color: {_MUTED}; margin: 0; }}
h1 {{ font-size: 24px; margin: 2px 0 4px; }}
.meta {{ color: {_MUTED}; margin: 0; }}
.counts {{ display: flex; gap: 6px; margin: 0; padding: 0; list-style: none; }}
.counts li {{ border: 1px solid {_RULE}; border-top: 4px solid var(--c); border-radius: 4px;
  padding: 4px 10px; text-align: center; min-width: 78px; }}
.counts b {{ display: block; font-size: 20px; color: var(--c); }}
.counts span {{ font-size: 11px; color: {_MUTED}; }}
.last {{ background: {_STRIPE}; border-left: 4px solid {_HEAD}; padding: 8px 12px;
  margin: 0 0 18px; }}
.last p {{ margin: 2px 0; }}
.ack {{ color: {_GOOD}; font-weight: 600; }}
.unack {{ color: {_WARN}; font-weight: 600; }}
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
th {{ background: {_HEAD}; color: #fff; text-align: left; font-weight: 600;
  padding: 4px 6px; }}
td {{ padding: 3px 6px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }}
tbody tr:nth-child(even) td {{ background: {_STRIPE}; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
td.key {{ font-weight: 600; }}
td.unassigned {{ color: {_SECTION_COLOURS[Section.UNASSIGNED]}; }}
td.breached {{ color: {_SECTION_COLOURS[Section.BREACHED]}; font-weight: 600; }}
td.note {{ white-space: pre-wrap; }}
.none {{ color: {_MUTED}; font-style: italic; margin: 2px 10px; }}
footer {{ color: {_MUTED}; font-size: 11px; border-top: 1px solid {_RULE}; padding-top: 6px; }}
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


def _html_section(section: Section, lines: Sequence[dict[str, str]]) -> list[str]:
    colour = _SECTION_COLOURS[section]
    out = [
        f'<section id="{section.value}" style="--c: {colour}; --t: {_tint(colour)}">',
        f'<h2>{_e(section.heading)}<span class="count">{len(lines)}</span></h2>',
    ]
    if not lines:
        out += ['<p class="none">None.</p>', "</section>"]
        return out
    shown = [(name, label) for name, label in COLUMNS if name != "section"]
    out.append("<table>")
    out.append(
        "<colgroup>"
        + "".join(f'<col style="width: {_HTML_WIDTHS[name]}%">' for name, _ in shown)
        + "</colgroup>"
    )
    out.append(
        "<thead><tr>" + "".join(f"<th>{_e(label)}</th>" for _, label in shown) + "</tr></thead>"
    )
    out.append("<tbody>")
    for line in lines:
        cells = []
        for name, _ in shown:
            classes = [name] if name in ("key", "note") else []
            if name == "countdown" and line[name].startswith("+"):
                classes.append("breached")
            if name == "owner" and line[name] == _UNASSIGNED:
                classes.append("unassigned")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{_e(line[name])}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</section>"]
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
    keys = {item.key for _, item in _entries(board)}
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
        f'<p class="meta">{_e(_hours(board))} · times in {_e(_zone_name(zone, board.start))} · '
        f"{len(table)} entries for {len(keys)} tickets</p>",
        "</div>",
        '<ul class="counts">',
    ]
    for section in Section:
        count = len(board.sections.get(section, ()))
        out.append(
            f'<li style="--c: {_SECTION_COLOURS[section]}"><b>{count}</b>'
            f"<span>{_e(_SECTION_SHORT[section])}</span></li>"
        )
    out += ["</ul>", "</header>", '<div class="last">']
    last = _last_handover(board, zone)
    if last is None:
        out.append("<p><strong>Last handover:</strong> none on record.</p>")
    else:
        status = "ack" if last.acknowledged else "unack"
        out.append(f"<p><strong>Last handover</strong> {_e(last.summary)}</p>")
        out.append(f'<p class="{status}">{_e(last.status)}</p>')
        if last.note:
            out.append(f'<p class="note">{_e(last.note)}</p>')
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


# --------------------------------------------------------------------------- PDF: layout

# A4 landscape in points (the writer's resolution is 72 dpi: one device unit is one point).
_RESOLUTION = 72
_MARGIN_X = 34.0
_MARGIN_TOP = 26.0
_MARGIN_BOTTOM = 22.0
_FOOTER = 16.0
_TITLE_BLOCK = 104.0  # the first page's title block, above the table
_RUNNING_HEADER = 26.0  # later pages' header, above the table
_COLUMN_HEADER = 16.0
_HEADING = 16.0
_ROW_MAX = 15.0
_ROW_MIN = 7.5
_PAD = 4.0
_FAMILIES = ["DejaVu Sans", "Liberation Sans", "Helvetica", "Arial", "Sans Serif"]


@dataclass(frozen=True, slots=True)
class _Heading:
    section: Section
    count: int
    continued: bool


_Item = _Heading | dict[str, str]  # a section's heading or a line of board_table


def _paginate(table: Sequence[dict[str, str]], rows_per_page: int) -> list[list[_Item]]:
    """The board's pages: at most ``rows_per_page`` lines each, a heading where a section
    starts (empty ones too) and a "continued" heading where a page starts inside one."""
    pages: list[list[_Item]] = [[]]
    on_page = 0
    for section in Section:
        items = [line for line in table if line["section"] == section.heading]
        if not items:
            pages[-1].append(_Heading(section, 0, False))
            continue
        for index, item in enumerate(items):
            if on_page == rows_per_page:
                pages.append([])
                on_page = 0
                if index:
                    pages[-1].append(_Heading(section, len(items), True))
            if index == 0:
                pages[-1].append(_Heading(section, len(items), False))
            pages[-1].append(item)
            on_page += 1
    return pages


def table_page_count(board: HandoverBoard, rows_per_page: int = ROWS_PER_PAGE) -> int:
    """The PDF's board pages: ``max(1, ceil(rows / rows_per_page))``."""
    return max(1, math.ceil(row_count(board) / rows_per_page))


@dataclass(frozen=True, slots=True)
class _Marker:
    section: Section
    item: BoardRow

    @property
    def when(self) -> datetime | None:
        return self.item.when


def _markers(board: HandoverBoard) -> list[_Marker]:
    """Breached clocks first (most overdue first), then the timed instants in time order."""
    breached = [_Marker(Section.BREACHED, r) for r in board.sections.get(Section.BREACHED, ())]
    timed = [
        _Marker(section, r)
        for section in _TIMED
        for r in board.sections.get(section, ())
        if r.when is not None
    ]
    timed.sort(key=lambda m: (m.item.when or board.start, _TIMED.index(m.section), m.item.key))
    return breached + timed


def chart_page_count(board: HandoverBoard) -> int:
    """The PDF's timeline pages: ``max(1, ceil(markers / CHART_ROWS_PER_PAGE))``."""
    return max(1, math.ceil(len(_markers(board)) / CHART_ROWS_PER_PAGE))


def _ticks(start: datetime, end: datetime, zone: tzinfo, width: float) -> list[datetime]:
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


# --------------------------------------------------------------------------- PDF: drawing

_APP: Any = None  # the QGuiApplication made here when there was none, kept alive


def _ensure_app() -> None:
    global _APP
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        _APP = QGuiApplication([])


class _Pdf:
    """Draws one handover board on a QPdfWriter; coordinates are points."""

    def __init__(
        self, writer: QPdfWriter, board: HandoverBoard, zone: tzinfo, rows_per_page: int
    ) -> None:
        from PySide6.QtGui import QPainter

        self.writer = writer
        self.board = board
        self.zone = zone
        self.rows_per_page = rows_per_page
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.window = window_text(board, zone)
        self.zone_name = _zone_name(zone, board.start)
        self.table = board_table(board, zone)
        self.pages = _paginate(self.table, rows_per_page)
        self.markers = _markers(board)
        self.chart_pages = chart_page_count(board)
        self.total = len(self.pages) + self.chart_pages
        self.page = 0
        self.painter = QPainter()
        self.row = self.row_height()

    # -- primitives

    def font(self, size: float, *, bold: bool = False, italic: bool = False) -> QFont:
        from PySide6.QtGui import QFont

        font = QFont()
        font.setFamilies(_FAMILIES)
        font.setPointSizeF(size)
        font.setBold(bold)
        font.setItalic(italic)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        for tag in ("liga", "clig"):  # so that text extracted from the PDF reads "fi", not "ﬁ"
            font.setFeature(QFont.Tag(tag), 0)
        return font

    @staticmethod
    def colour(value: str, alpha: int = 255) -> QColor:
        from PySide6.QtGui import QColor

        colour = QColor(value)
        colour.setAlpha(alpha)
        return colour

    def measure(self, text: str, font: QFont) -> float:
        from PySide6.QtGui import QFontMetricsF

        return QFontMetricsF(font, self.writer).horizontalAdvance(text)

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        font: QFont,
        colour: str = _INK,
        align: str = "left",
    ) -> float:
        """Draw ``text`` in a box, elided to fit; the width it took."""
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QFontMetricsF

        metrics = QFontMetricsF(font, self.writer)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(w, 0.0))
        flags = {
            "left": Qt.AlignmentFlag.AlignLeft,
            "right": Qt.AlignmentFlag.AlignRight,
            "center": Qt.AlignmentFlag.AlignHCenter,
        }[align] | Qt.AlignmentFlag.AlignVCenter
        self.painter.setFont(font)
        self.painter.setPen(self.colour(colour))
        self.painter.drawText(QRectF(x, y, w, h), int(flags), shown)
        return metrics.horizontalAdvance(shown)

    def box(self, x: float, y: float, w: float, h: float, fill: str, alpha: int = 255) -> None:
        from PySide6.QtCore import QRectF

        self.painter.fillRect(QRectF(x, y, w, h), self.colour(fill, alpha))

    def rule(
        self, x1: float, y1: float, x2: float, y2: float, colour: str = _RULE, width: float = 0.6
    ) -> None:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QPen

        pen = QPen(self.colour(colour))
        pen.setWidthF(width)
        self.painter.setPen(pen)
        self.painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))

    # -- pages

    def run(self) -> None:
        from PySide6.QtGui import QPainter

        if not self.painter.begin(self.writer):
            raise OSError("cannot start the PDF (is the file writable?)")
        try:
            self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            row_height = self.row
            widths = self.column_widths(self.text_size(row_height))
            for index, items in enumerate(self.pages):
                self.next_page()
                top = self.title_block() if index == 0 else self.running_header("Board")
                self.table_page(items, top, row_height, widths)
            for chunk in range(self.chart_pages):
                self.next_page()
                top = self.running_header("Timeline")
                first = chunk * CHART_ROWS_PER_PAGE
                self.chart(self.markers[first : first + CHART_ROWS_PER_PAGE], top, chunk)
        finally:
            self.painter.end()

    def next_page(self) -> None:
        if self.page:
            self.writer.newPage()
        self.page += 1
        bottom = self.height - _MARGIN_BOTTOM
        self.rule(_MARGIN_X, bottom - _FOOTER + 2, self.width - _MARGIN_X, bottom - _FOOTER + 2)
        small = self.font(6.8)
        inner = self.width - 2 * _MARGIN_X
        self.text(
            _MARGIN_X,
            bottom - _FOOTER + 3,
            inner * 0.75,
            _FOOTER - 3,
            f"Handover {self.window} · times in {self.zone_name} · support-console",
            small,
            _MUTED,
        )
        self.text(
            _MARGIN_X,
            bottom - _FOOTER + 3,
            inner,
            _FOOTER - 3,
            f"Page {self.page} of {self.total}",
            small,
            _MUTED,
            align="right",
        )

    def running_header(self, what: str) -> float:
        inner = self.width - 2 * _MARGIN_X
        y = _MARGIN_TOP
        self.text(
            _MARGIN_X, y, inner * 0.8, 14, f"Handover {self.window}", self.font(9.5, bold=True)
        )
        self.text(_MARGIN_X, y, inner, 14, what, self.font(8), _MUTED, align="right")
        self.rule(_MARGIN_X, y + 17, self.width - _MARGIN_X, y + 17, _HEAD, 1.2)
        return y + _RUNNING_HEADER

    def title_block(self) -> float:
        board, inner = self.board, self.width - 2 * _MARGIN_X
        x, y = _MARGIN_X, _MARGIN_TOP
        cell, gap = 66.0, 5.0
        counts_width = len(Section) * cell + (len(Section) - 1) * gap
        left = inner - counts_width - 16
        kicker = self.font(7, bold=True)
        kicker.setLetterSpacing(kicker.SpacingType.PercentageSpacing, 112)
        self.text(x, y, left, 10, "SHIFT HANDOVER", kicker, _MUTED)
        title = f"Handover {self.window}"
        size = 17.0
        while size > 11 and self.measure(title, self.font(size, bold=True)) > left:
            size -= 0.5
        self.text(x, y + 11, left, 26, title, self.font(size, bold=True))
        keys = {item.key for _, item in _entries(board)}
        meta = (
            f"{_hours(board)} · times in {self.zone_name} · "
            f"{len(self.table)} entries for {len(keys)} tickets"
        )
        self.text(x, y + 38, left, 13, meta, self.font(8.5), _MUTED)
        # Counts per section, at the right.
        cx = self.width - _MARGIN_X - counts_width
        for section in Section:
            colour = _SECTION_COLOURS[section]
            self.box(cx, y + 4, cell, 44, colour, 18)
            self.box(cx, y + 4, cell, 3, colour)
            count = str(len(board.sections.get(section, ())))
            self.text(cx, y + 9, cell, 22, count, self.font(15, bold=True), colour, align="center")
            self.text(
                cx, y + 31, cell, 13, _SECTION_SHORT[section], self.font(7), _MUTED, align="center"
            )
            cx += cell + gap
        # The last handover.
        by = y + 56
        self.box(x, by, inner, 40, _STRIPE)
        self.box(x, by, 3, 40, _HEAD)
        last = _last_handover(board, self.zone)
        label = self.font(8, bold=True)
        if last is None:
            width = self.text(x + 10, by + 14, 90, 12, "Last handover", label)
            self.text(
                x + 14 + width, by + 14, inner - 30 - width, 12, "none on record", self.font(8)
            )
        else:
            width = self.text(x + 10, by + 4, 90, 12, "Last handover", label)
            self.text(x + 14 + width, by + 4, inner - 30 - width, 12, last.summary, self.font(8))
            self.text(
                x + 10,
                by + 16,
                inner - 20,
                12,
                ("\u2713 " if last.acknowledged else "! ") + last.status,
                self.font(8, bold=True),
                _GOOD if last.acknowledged else _WARN,
            )
            if last.note:
                note = " ".join(last.note.split())
                self.text(
                    x + 10,
                    by + 27,
                    inner - 20,
                    12,
                    f"\u201c{note}\u201d",
                    self.font(8, italic=True),
                )
        return y + _TITLE_BLOCK

    # -- the board

    def row_height(self) -> float:
        bottom = self.height - _MARGIN_BOTTOM - _FOOTER - 4
        height = _ROW_MAX
        for index, items in enumerate(self.pages):
            top = _MARGIN_TOP + (_TITLE_BLOCK if index == 0 else _RUNNING_HEADER)
            headings = sum(1 for item in items if isinstance(item, _Heading))
            rows = max(1, len(items) - headings)
            room = bottom - top - _COLUMN_HEADER - headings * _HEADING
            height = min(height, room / rows)
        if height < _ROW_MIN:
            raise ValueError(
                f"rows_per_page={self.rows_per_page} does not fit an A4 landscape page: "
                "ask for fewer rows per page"
            )
        return height

    @staticmethod
    def text_size(row_height: float) -> float:
        return max(6.2, min(7.8, row_height * 0.64))

    def column_widths(self, size: float) -> dict[str, float]:
        """Natural widths (capped) for the short columns; the rest shared by title, customer
        and note (the note's share is small when no row has one)."""
        body = self.font(size)
        bold = self.font(size, bold=True)
        caps = {
            "key": 130.0,
            "policy": 110.0,
            "severity": 62.0,
            "owner": 86.0,
            "countdown": 132.0,
            "instant": 100.0,
        }
        labels = dict(COLUMNS)
        widths: dict[str, float] = {}
        for name, cap in caps.items():
            values = [line[name] for line in self.table]
            natural = max(
                [self.measure(labels[name], bold)]
                + [self.measure(v, bold if name == "key" else body) for v in values]
            )
            widths[name] = min(cap, natural + 2 * _PAD + 2)
        rest = self.width - 2 * _MARGIN_X - sum(widths.values())
        shares = (0.4, 0.24, 0.36) if any(line["note"] for line in self.table) else (0.6, 0.3, 0.1)
        note = max(rest * shares[2], self.measure(labels["note"], bold) + 2 * _PAD + 4)
        widths["note"] = note
        widths["title"] = (rest - note) * shares[0] / (shares[0] + shares[1])
        widths["customer"] = rest - note - widths["title"]
        return widths

    def table_page(
        self, items: Sequence[_Item], top: float, row_height: float, widths: dict[str, float]
    ) -> None:
        order = [name for name, _ in COLUMNS if name != "section"]
        labels = dict(COLUMNS)
        inner = self.width - 2 * _MARGIN_X
        size = self.text_size(row_height)
        body, bold = self.font(size), self.font(size, bold=True)
        # The column header, on every page.
        self.box(_MARGIN_X, top, inner, _COLUMN_HEADER, _HEAD)
        x = _MARGIN_X
        header = self.font(7.4, bold=True)
        for name in order:
            self.text(
                x + _PAD,
                top,
                widths[name] - 2 * _PAD,
                _COLUMN_HEADER,
                labels[name],
                header,
                "#ffffff",
            )
            x += widths[name]
        y = top + _COLUMN_HEADER
        stripe = 0
        for item in items:
            if isinstance(item, _Heading):
                y = self.heading(item, y, inner)
                stripe = 0
                continue
            line = item
            if stripe % 2:
                self.box(_MARGIN_X, y, inner, row_height, _STRIPE)
            stripe += 1
            x = _MARGIN_X
            for name in order:
                colour = _INK
                font = bold if name == "key" else body
                if name == "countdown" and line[name].startswith("+"):
                    colour, font = _SECTION_COLOURS[Section.BREACHED], bold
                elif name == "owner" and line[name] == _UNASSIGNED:
                    colour = _SECTION_COLOURS[Section.UNASSIGNED]
                elif name == "note":
                    font = self.font(size, italic=True)
                self.text(
                    x + _PAD, y, widths[name] - 2 * _PAD, row_height, line[name], font, colour
                )
                x += widths[name]
            y += row_height
            self.rule(_MARGIN_X, y, _MARGIN_X + inner, y, "#e4e7eb", 0.4)

    def heading(self, item: _Heading, y: float, inner: float) -> float:
        colour = _SECTION_COLOURS[item.section]
        top = y + 3
        height = _HEADING - 4
        self.box(_MARGIN_X, top, inner, height, colour, 24)
        self.box(_MARGIN_X, top, 3.5, height, colour)
        title = self.font(8.4, bold=True)
        width = self.text(
            _MARGIN_X + 9, top, inner / 2, height, item.section.heading, title, colour
        )
        x = _MARGIN_X + 9 + width + 6
        count = str(item.count)
        pill = max(16.0, self.measure(count, self.font(7, bold=True)) + 8)
        self.rounded(x, top + 2, pill, height - 4, colour)
        self.text(
            x, top + 2, pill, height - 4, count, self.font(7, bold=True), "#ffffff", align="center"
        )
        x += pill + 6
        extra = "continued" if item.continued else ("none" if item.count == 0 else "")
        if extra:
            self.text(x, top, 160, height, extra, self.font(7.6, italic=True), _MUTED)
        return y + _HEADING

    def rounded(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        from PySide6.QtCore import QRectF, Qt

        self.painter.setPen(Qt.PenStyle.NoPen)
        self.painter.setBrush(self.colour(fill))
        self.painter.drawRoundedRect(QRectF(x, y, w, h), h / 2, h / 2)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)

    # -- the timeline

    def shape(self, section: Section, cx: float, cy: float, r: float) -> None:
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QPen, QPolygonF

        colour = self.colour(_SECTION_COLOURS[section])
        pen = QPen(self.colour("#ffffff"))
        pen.setWidthF(0.8)
        self.painter.setPen(pen)
        self.painter.setBrush(colour)
        if section is Section.WILL_BREACH:
            points = [
                QPointF(cx, cy - r),
                QPointF(cx + r, cy),
                QPointF(cx, cy + r),
                QPointF(cx - r, cy),
            ]
            self.painter.drawPolygon(QPolygonF(points))
        elif section is Section.RESUMING:
            points = [
                QPointF(cx - r * 0.8, cy - r),
                QPointF(cx + r, cy),
                QPointF(cx - r * 0.8, cy + r),
            ]
            self.painter.drawPolygon(QPolygonF(points))
        else:
            self.painter.drawEllipse(QPointF(cx, cy), r * 0.85, r * 0.85)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)

    def legend(self, x: float, y: float) -> None:
        entries = (
            (Section.BREACHED, "already breached (overdue, at the left)"),
            (Section.WILL_BREACH, "breaches"),
            (Section.RESUMING, "waiting clock resumes"),
        )
        small = self.font(7.4)
        for section, label in entries:
            self.shape(section, x + 4, y + 6, 4.2)
            x += 12 + self.text(x + 12, y, 220, 12, label, small, _MUTED) + 14

    def chart(self, markers: Sequence[_Marker], top: float, chunk: int) -> None:
        board, zone = self.board, self.zone
        inner = self.width - 2 * _MARGIN_X
        title = "When clocks breach or resume"
        if self.chart_pages > 1:
            title += f" ({chunk + 1} of {self.chart_pages})"
        self.text(_MARGIN_X, top, inner * 0.6, 18, title, self.font(12.5, bold=True))
        self.text(
            _MARGIN_X,
            top + 18,
            inner,
            12,
            f"One lane per clock, in time order; hours in {self.zone_name}.",
            self.font(7.8),
            _MUTED,
        )
        self.legend(_MARGIN_X + inner * 0.52, top + 4)
        gutter = 128.0
        x0 = _MARGIN_X + gutter
        x1 = self.width - _MARGIN_X - 12
        plot_top = top + 52
        bottom_limit = self.height - _MARGIN_BOTTOM - _FOOTER - 42
        lanes = max(len(markers), 1)
        lane = min(24.0, (bottom_limit - plot_top) / lanes)
        plot_bottom = plot_top + lane * lanes
        span = (board.end - board.start).total_seconds() or 1.0

        def x_of(moment: datetime) -> float:
            share = (moment - board.start).total_seconds() / span
            return x0 + (x1 - x0) * min(max(share, 0.0), 1.0)

        # Lanes, the overdue gutter and the hour grid.
        for index in range(lanes):
            if index % 2:
                self.box(_MARGIN_X, plot_top + index * lane, inner, lane, _STRIPE)
        self.box(_MARGIN_X, plot_top, gutter - 8, plot_bottom - plot_top, "#c62828", 14)
        self.text(
            _MARGIN_X,
            plot_top - 16,
            gutter - 8,
            12,
            "Overdue",
            self.font(7.6, bold=True),
            _SECTION_COLOURS[Section.BREACHED],
            align="center",
        )
        self.axis(x0, x1, plot_top, plot_bottom, x_of)
        if not markers:
            quiet = "Nothing breaches or resumes during this window."
            font = self.font(8.5, italic=True)
            width = self.measure(quiet, font) + 16
            self.box((x0 + x1 - width) / 2, plot_top + 3, width, lane - 6, "#ffffff")
            self.text(x0, plot_top, x1 - x0, lane, quiet, font, _MUTED, align="center")
            return
        key_font, small = self.font(7.6, bold=True), self.font(6.8)
        several_days = board.start.astimezone(zone).date() != board.end.astimezone(zone).date()
        red = _SECTION_COLOURS[Section.BREACHED]
        for index, marker in enumerate(markers):
            top_of_lane = plot_top + lane * index
            cy = top_of_lane + lane / 2
            key = marker.item.key
            key_width = self.measure(key, key_font)
            if marker.section is Section.BREACHED:
                cx = x0 - 14
                self.shape(marker.section, cx, cy, 4.4)
                self.text(_MARGIN_X + 5, top_of_lane, key_width + 1, lane, key, key_font, red)
                left = _MARGIN_X + 9 + key_width
                overdue = countdown_text(marker.item.countdown).removesuffix(" overdue")
                self.text(left, top_of_lane, cx - 8 - left, lane, overdue, small, red)
                continue
            assert marker.when is not None
            cx = x_of(marker.when)
            colour = _SECTION_COLOURS[marker.section]
            verb = "breaches" if marker.section is Section.WILL_BREACH else "resumes"
            local = marker.when.astimezone(self.zone)
            detail = f"{verb} {local:%a %H:%M}" if several_days else f"{verb} {local:%H:%M}"
            width = key_width + 4 + self.measure(detail, small)
            right_side = cx + 9 + width <= x1
            lx = cx + 9 if right_side else cx - 9 - width
            # A leader from the window's start: how long until the instant.
            self.rule(x0, cy, lx - 3 if not right_side else cx, cy, colour, 0.6)
            self.shape(marker.section, cx, cy, 4.6)
            self.text(lx, top_of_lane, key_width + 1, lane, key, key_font, _INK)
            self.text(
                lx + key_width + 4, top_of_lane, width - key_width, lane, detail, small, colour
            )

    def axis(
        self,
        x0: float,
        x1: float,
        plot_top: float,
        plot_bottom: float,
        x_of: Callable[[datetime], float],
    ) -> None:
        """Hour ticks in the zone (grid lines, labels above and below), the window's ends in
        bold, the day under the start and under each midnight."""
        board, zone = self.board, self.zone
        label_font, end_font = self.font(7.2), self.font(7.2, bold=True)
        day_font = self.font(6.6, bold=True)
        start, end = board.start.astimezone(zone), board.end.astimezone(zone)
        for tick in _ticks(board.start, board.end, zone, x1 - x0):
            x = x_of(tick)
            local = tick.astimezone(zone)
            self.rule(x, plot_top, x, plot_bottom, "#d9dee4", 0.5)
            self.rule(x, plot_bottom, x, plot_bottom + 4, _INK, 0.8)
            label = f"{local:%H:%M}"
            self.text(x - 20, plot_top - 12, 40, 10, label, label_font, _MUTED, align="center")
            if min(x - x0, x1 - x) >= 34:
                self.text(x - 20, plot_bottom + 5, 40, 10, label, label_font, _INK, align="center")
            if local.hour == 0 and local.date() != start.date() and x1 - x >= 34:
                self.text(x - 30, plot_bottom + 16, 60, 10, _day(local), day_font, _MUTED, "center")
        self.rule(x0, plot_bottom, x1, plot_bottom, _INK, 1.0)
        for x, moment in ((x0, start), (x1, end)):
            self.rule(x, plot_top - 2, x, plot_bottom + 5, _HEAD, 1.2)
            label = f"{moment:%H:%M}"
            self.text(x - 22, plot_bottom + 5, 44, 10, label, end_font, _HEAD, align="center")
        self.text(x0 - 30, plot_bottom + 16, 60, 10, _day(start), day_font, _MUTED, "center")
        self.text(x0 - 30, plot_bottom + 26, 60, 10, "start", self.font(6.4), _MUTED, "center")
        self.text(x1 - 30, plot_bottom + 26, 60, 10, "end", self.font(6.4), _MUTED, "center")


def write_pdf(
    board: HandoverBoard, zone: tzinfo, path: Path, rows_per_page: int = ROWS_PER_PAGE
) -> int:
    """The board as a PDF drawn with Qt's own writer (A4 landscape; see the module's text for
    the pages). Needs only a QGuiApplication (made here if there is none), works offscreen.
    Returns the number of ticket rows."""
    if rows_per_page < 1:
        raise ValueError(f"rows_per_page must be at least 1, not {rows_per_page}")
    _ensure_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    writer = QPdfWriter(str(path))  # opens the file only when the painter begins
    writer.setResolution(_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape)
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    writer.setTitle(f"Handover {window_text(board, zone)}")
    writer.setCreator("support-console")
    pdf = _Pdf(writer, board, zone, rows_per_page)  # ValueError if the rows do not fit
    with open(path, "wb"):  # a clear error for a folder that is missing or not writable
        pass
    pdf.run()
    return row_count(board)


# --------------------------------------------------------------------------- dispatch


def export(board: HandoverBoard, zone: tzinfo, fmt: str, path: Path) -> int:
    """Write the board to ``path`` as ``fmt`` (csv, html or pdf); the number of ticket rows."""
    writers: dict[str, Callable[[HandoverBoard, tzinfo, TextIO], int]] = {
        "csv": write_csv,
        "html": write_html,
    }
    if fmt == "pdf":
        return write_pdf(board, zone, path)
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    with open(path, "w", encoding="utf-8", newline="") as stream:
        return writers[fmt](board, zone, stream)
