"""How the handover board's tree draws: section rows as a tinted band with a count badge (in
the colours of the palette's scheme, :mod:`console.qt.theme`), empty notes with a
placeholder on the selected or hovered row, a line edit for notes."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from console.qt import theme
from console.qt.handover_model import (
    COL_NOTE,
    COUNT_ROLE,
    ROW_ROLE,
    SECTION_HINTS,
    Index,
    section_of,
)
from console.services import words
from console.services.handover import Section

__all__ = ["NOTE_PLACEHOLDER", "BoardDelegate"]

NOTE_PLACEHOLDER = words.QT_TR_NOOP("Add a note for the next shift\u2026")


class BoardDelegate(QStyledItemDelegate):
    """Draws the board's rows and edits its notes (see the module's text)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        section = section_of(index)
        if section is not None and index.data(ROW_ROLE) is None:
            self._paint_section(painter, option, index, section)
            return
        if index.column() == COL_NOTE and not index.data():
            state = option.state
            if state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
                opt = QStyleOptionViewItem(option)
                self.initStyleOption(opt, index)
                opt.text = words.tr(NOTE_PLACEHOLDER)
                font = QFont(opt.font)
                font.setItalic(True)
                opt.font = font
                # Muted on an unselected row; on a selected one the selection's own text
                # colour (the italics say it is a placeholder).
                palette = QPalette(opt.palette)
                palette.setColor(QPalette.ColorRole.Text, theme.colours(palette).quiet)
                opt.palette = palette
                widget = opt.widget
                style = widget.style() if widget is not None else QApplication.style()
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
                return
        super().paint(painter, option, index)

    def _paint_section(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, section: Section
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        base_font: QFont = option.font
        count = int(index.data(COUNT_ROLE) or 0)
        scheme = theme.colours(palette)
        muted = scheme.quiet
        fill = scheme.sections[section] if count else muted  # the bar and the badge
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        band = scheme.bands[section] if count else scheme.empty_band
        painter.fillRect(rect.adjusted(0, 3, 0, -1), band)
        painter.fillRect(QRect(rect.left(), rect.top() + 3, 4, rect.height() - 4), fill)

        font = QFont(base_font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        x = rect.left() + 14
        painter.setFont(font)
        painter.setPen(scheme.text if count else muted)
        heading = section.heading
        text_rect = QRect(x, rect.top() + 2, rect.right() - x, rect.height() - 2)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, heading
        )
        x += metrics.horizontalAdvance(heading) + 10

        small = QFont(font)
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.85)
        small_metrics = QFontMetrics(small)
        label = str(count)
        height = small_metrics.height() + 4
        width = max(small_metrics.horizontalAdvance(label) + 14, height)
        badge = QRectF(x, rect.center().y() + 1 - height / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(small)
        painter.setPen(scheme.ink_on(fill))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        x += int(width) + 12

        painter.setFont(base_font)
        painter.setPen(muted)
        hint = words.tr(SECTION_HINTS[section]) if count else self.tr("none")
        hint_rect = QRect(x, rect.top() + 2, max(0, rect.right() - x), rect.height() - 2)
        painter.drawText(
            hint_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, hint
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        height = QFontMetrics(option.font).height()
        section_row = index.data(ROW_ROLE) is None
        return QSize(size.width(), height + (18 if section_row else 10))

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("noteEditor")
        editor.setPlaceholderText(words.tr(NOTE_PLACEHOLDER))
        editor.setMaxLength(500)
        editor.setFrame(False)
        return editor
