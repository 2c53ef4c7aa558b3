"""The handover board as a PDF, drawn with Qt's own PDF writer (QPdfWriter and QPainter, no
widgets), on A4 landscape; what goes on which page is planned by
:mod:`console.services.handover_export`:

* the board: the first page opens with a title block (the window, the time zone, the last
  handover and whether it was acknowledged, a count per section), every later page with a
  running header; each page repeats the column header and holds at most ``rows_per_page``
  ticket rows, with a heading band per section (marked "continued" when a section runs on
  from the page before; an empty section shows "none").
* then the timeline: a horizontal axis from the window's start to its end with hour ticks in
  the chosen zone and one lane per clock, breached clocks first (stacked in red at the left
  edge, before the start) then each will-breach and resuming instant in time order, a
  marker labelled with the ticket's key.

Only a QGuiApplication is needed (made here when there is none); it works offscreen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from console.services import words
from console.services.handover import HandoverBoard, Section
from console.services.handover_export import (
    CHART_ROWS_PER_PAGE,
    COLUMNS,
    GOOD,
    HEAD,
    INK,
    MUTED,
    ROWS_PER_PAGE,
    RULE,
    SECTION_COLOURS,
    SECTION_SHORT,
    STRIPE,
    WARN,
    Heading,
    Marker,
    PageItem,
    board_table,
    chart_page_count,
    hour_ticks,
    hours_text,
    last_handover,
    markers,
    paginate,
    row_count,
    ticket_count,
    times_text,
    window_text,
    zone_name,
)
from console.services.handover_texts import UNASSIGNED
from console.services.texts import business_span, day_text, when_text

__all__ = ["write_pdf"]

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

_APP: QGuiApplication | None = None  # the application made here when there was none, kept


def _ensure_app() -> None:
    global _APP
    if QGuiApplication.instance() is None:
        _APP = QGuiApplication([])


class _Pdf:
    """Draws one handover board on a QPdfWriter; coordinates are points."""

    def __init__(
        self, writer: QPdfWriter, board: HandoverBoard, zone: tzinfo, rows_per_page: int
    ) -> None:
        self.writer = writer
        self.board = board
        self.zone = zone
        self.rows_per_page = rows_per_page
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.window = window_text(board, zone)
        self.zone_name = zone_name(zone, board.start)
        self.table = board_table(board, zone)
        self.pages = paginate(self.table, rows_per_page)
        self.markers = markers(board)
        self.chart_pages = chart_page_count(board)
        self.total = len(self.pages) + self.chart_pages
        self.page = 0
        self.painter = QPainter()
        self.row = self.row_height()

    # -- primitives

    def font(self, size: float, *, bold: bool = False, italic: bool = False) -> QFont:
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
        colour = QColor(value)
        colour.setAlpha(alpha)
        return colour

    def measure(self, text: str, font: QFont) -> float:
        return QFontMetricsF(font, self.writer).horizontalAdvance(text)

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        font: QFont,
        colour: str = INK,
        align: str = "left",
    ) -> float:
        """Draw ``text`` in a box, elided to fit; the width it took."""
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
        self.painter.fillRect(QRectF(x, y, w, h), self.colour(fill, alpha))

    def rule(
        self, x1: float, y1: float, x2: float, y2: float, colour: str = RULE, width: float = 0.6
    ) -> None:
        pen = QPen(self.colour(colour))
        pen.setWidthF(width)
        self.painter.setPen(pen)
        self.painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))

    # -- pages

    def run(self) -> None:
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
        y, height = bottom - _FOOTER + 3, _FOOTER - 3
        footer = f"Handover {self.window} · times in {self.zone_name} · support-console"
        self.text(_MARGIN_X, y, inner * 0.75, height, footer, small, MUTED)
        page = f"Page {self.page} of {self.total}"
        self.text(_MARGIN_X, y, inner, height, page, small, MUTED, align="right")

    def running_header(self, what: str) -> float:
        inner = self.width - 2 * _MARGIN_X
        y = _MARGIN_TOP
        self.text(
            _MARGIN_X, y, inner * 0.8, 14, f"Handover {self.window}", self.font(9.5, bold=True)
        )
        self.text(_MARGIN_X, y, inner, 14, what, self.font(8), MUTED, align="right")
        self.rule(_MARGIN_X, y + 17, self.width - _MARGIN_X, y + 17, HEAD, 1.2)
        return y + _RUNNING_HEADER

    def title_block(self) -> float:
        board, inner = self.board, self.width - 2 * _MARGIN_X
        x, y = _MARGIN_X, _MARGIN_TOP
        cell, gap = 66.0, 5.0
        counts_width = len(Section) * cell + (len(Section) - 1) * gap
        left = inner - counts_width - 16
        kicker = self.font(7, bold=True)
        kicker.setLetterSpacing(kicker.SpacingType.PercentageSpacing, 112)
        self.text(x, y, left, 10, "SHIFT HANDOVER", kicker, MUTED)
        title = f"Handover {self.window}"
        size = 17.0
        while size > 11 and self.measure(title, self.font(size, bold=True)) > left:
            size -= 0.5
        self.text(x, y + 11, left, 26, title, self.font(size, bold=True))
        meta = (
            f"{hours_text(board)} · {times_text(board, self.zone)} · "
            f"{len(self.table)} entries for {ticket_count(board)} tickets"
        )
        self.text(x, y + 38, left, 13, meta, self.font(8.5), MUTED)
        # Counts per section, at the right.
        cx = self.width - _MARGIN_X - counts_width
        for section in Section:
            colour = SECTION_COLOURS[section]
            self.box(cx, y + 4, cell, 44, colour, 18)
            self.box(cx, y + 4, cell, 3, colour)
            count = str(len(board.sections.get(section, ())))
            self.text(cx, y + 9, cell, 22, count, self.font(15, bold=True), colour, align="center")
            self.text(
                cx, y + 31, cell, 13, SECTION_SHORT[section], self.font(7), MUTED, align="center"
            )
            cx += cell + gap
        # The last handover.
        by = y + 56
        self.box(x, by, inner, 40, STRIPE)
        self.box(x, by, 3, 40, HEAD)
        last = last_handover(board, self.zone)
        label = self.font(8, bold=True)
        if last is None:
            width = self.text(x + 10, by + 14, 90, 12, "Last handover", label)
            self.text(
                x + 14 + width, by + 14, inner - 30 - width, 12, "none on record", self.font(8)
            )
        else:
            width = self.text(x + 10, by + 4, 90, 12, "Last handover", label)
            self.text(x + 14 + width, by + 4, inner - 30 - width, 12, last.summary, self.font(8))
            status = ("\u2713 " if last.acknowledged else "! ") + last.status
            colour = GOOD if last.acknowledged else WARN
            self.text(x + 10, by + 16, inner - 20, 12, status, self.font(8, bold=True), colour)
            if last.note:
                note = f"\u201c{' '.join(last.note.split())}\u201d"
                self.text(x + 10, by + 27, inner - 20, 12, note, self.font(8, italic=True))
        return y + _TITLE_BLOCK

    # -- the board

    def row_height(self) -> float:
        bottom = self.height - _MARGIN_BOTTOM - _FOOTER - 4
        height = _ROW_MAX
        for index, items in enumerate(self.pages):
            top = _MARGIN_TOP + (_TITLE_BLOCK if index == 0 else _RUNNING_HEADER)
            headings = sum(1 for item in items if isinstance(item, Heading))
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
        self, items: Sequence[PageItem], top: float, row_height: float, widths: dict[str, float]
    ) -> None:
        order = [name for name, _ in COLUMNS if name != "section"]
        labels = dict(COLUMNS)
        inner = self.width - 2 * _MARGIN_X
        size = self.text_size(row_height)
        body, bold = self.font(size), self.font(size, bold=True)
        # The column header, on every page.
        self.box(_MARGIN_X, top, inner, _COLUMN_HEADER, HEAD)
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
            if isinstance(item, Heading):
                y = self.heading(item, y, inner)
                stripe = 0
                continue
            line = item
            if stripe % 2:
                self.box(_MARGIN_X, y, inner, row_height, STRIPE)
            stripe += 1
            x = _MARGIN_X
            for name in order:
                colour = INK
                font = bold if name == "key" else body
                if name == "countdown" and line[name].startswith("+"):
                    colour, font = SECTION_COLOURS[Section.BREACHED], bold
                elif name == "owner" and line[name] == words.tr(UNASSIGNED):
                    colour = SECTION_COLOURS[Section.UNASSIGNED]
                elif name == "note":
                    font = self.font(size, italic=True)
                self.text(
                    x + _PAD, y, widths[name] - 2 * _PAD, row_height, line[name], font, colour
                )
                x += widths[name]
            y += row_height
            self.rule(_MARGIN_X, y, _MARGIN_X + inner, y, "#e4e7eb", 0.4)

    def heading(self, item: Heading, y: float, inner: float) -> float:
        colour = SECTION_COLOURS[item.section]
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
            self.text(x, top, 160, height, extra, self.font(7.6, italic=True), MUTED)
        return y + _HEADING

    def rounded(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.painter.setPen(Qt.PenStyle.NoPen)
        self.painter.setBrush(self.colour(fill))
        self.painter.drawRoundedRect(QRectF(x, y, w, h), h / 2, h / 2)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)

    # -- the timeline

    def shape(self, section: Section, cx: float, cy: float, r: float) -> None:
        colour = self.colour(SECTION_COLOURS[section])
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
            (Section.BREACHED, "already breached (overdue in business time, at the left)"),
            (Section.WILL_BREACH, "breaches"),
            (Section.RESUMING, "waiting clock resumes"),
        )
        small = self.font(7.4)
        for section, label in entries:
            self.shape(section, x + 4, y + 6, 4.2)
            x += 12 + self.text(x + 12, y, 220, 12, label, small, MUTED) + 14

    def chart(self, markers: Sequence[Marker], top: float, chunk: int) -> None:
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
            MUTED,
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
                self.box(_MARGIN_X, plot_top + index * lane, inner, lane, STRIPE)
        red = SECTION_COLOURS[Section.BREACHED]
        self.box(_MARGIN_X, plot_top, gutter - 8, plot_bottom - plot_top, red, 14)
        self.text(
            _MARGIN_X,
            plot_top - 16,
            gutter - 8,
            12,
            "Overdue",
            self.font(7.6, bold=True),
            red,
            align="center",
        )
        self.axis(x0, x1, plot_top, plot_bottom, x_of)
        if not markers:
            quiet = "Nothing breaches or resumes during this window."
            font = self.font(8.5, italic=True)
            width = self.measure(quiet, font) + 16
            self.box((x0 + x1 - width) / 2, plot_top + 3, width, lane - 6, "#ffffff")
            self.text(x0, plot_top, x1 - x0, lane, quiet, font, MUTED, align="center")
            return
        key_font, small = self.font(7.6, bold=True), self.font(6.8)
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
                late = marker.item.countdown.left
                overdue = business_span(late) if late is not None else ""
                self.text(left, top_of_lane, cx - 8 - left, lane, overdue, small, red)
                continue
            assert marker.when is not None
            cx = x_of(marker.when)
            colour = SECTION_COLOURS[marker.section]
            verb = "breaches" if marker.section is Section.WILL_BREACH else "resumes"
            # The day only when it is not the window's first.
            detail = f"{verb} {when_text(marker.when, zone, board.start)}"
            width = key_width + 4 + self.measure(detail, small)
            right_side = cx + 9 + width <= x1
            lx = cx + 9 if right_side else cx - 9 - width
            # A leader from the window's start: how long until the instant.
            self.rule(x0, cy, lx - 3 if not right_side else cx, cy, colour, 0.6)
            self.shape(marker.section, cx, cy, 4.6)
            self.text(lx, top_of_lane, key_width + 1, lane, key, key_font, INK)
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
        for tick in hour_ticks(board.start, board.end, zone, x1 - x0):
            x = x_of(tick)
            local = tick.astimezone(zone)
            self.rule(x, plot_top, x, plot_bottom, "#d9dee4", 0.5)
            self.rule(x, plot_bottom, x, plot_bottom + 4, INK, 0.8)
            label = f"{local:%H:%M}"
            self.text(x - 20, plot_top - 12, 40, 10, label, label_font, MUTED, align="center")
            if min(x - x0, x1 - x) >= 34:
                self.text(x - 20, plot_bottom + 5, 40, 10, label, label_font, INK, align="center")
            if local.hour == 0 and local.date() != start.date() and x1 - x >= 34:
                day = day_text(local.date())
                self.text(x - 30, plot_bottom + 16, 60, 10, day, day_font, MUTED, "center")
        self.rule(x0, plot_bottom, x1, plot_bottom, INK, 1.0)
        for x, moment in ((x0, start), (x1, end)):
            self.rule(x, plot_top - 2, x, plot_bottom + 5, HEAD, 1.2)
            label = f"{moment:%H:%M}"
            self.text(x - 22, plot_bottom + 5, 44, 10, label, end_font, HEAD, align="center")
        day = day_text(start.date())
        self.text(x0 - 30, plot_bottom + 16, 60, 10, day, day_font, MUTED, "center")
        self.text(x0 - 30, plot_bottom + 26, 60, 10, "start", self.font(6.4), MUTED, "center")
        self.text(x1 - 30, plot_bottom + 26, 60, 10, "end", self.font(6.4), MUTED, "center")


def write_pdf(
    board: HandoverBoard, zone: tzinfo, path: Path, rows_per_page: int = ROWS_PER_PAGE
) -> int:
    """The board as a PDF drawn with Qt's own writer (A4 landscape; see the module's text for
    the pages). Needs only a QGuiApplication (made here if there is none), works offscreen.
    Returns the number of ticket rows."""
    if rows_per_page < 1:
        raise ValueError(f"rows_per_page must be at least 1, not {rows_per_page}")
    _ensure_app()
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
