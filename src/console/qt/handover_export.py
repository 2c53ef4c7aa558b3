"""Handover exports: the board of a window as CSV, as a printable HTML page, or as a PDF drawn
with Qt's own PDF writer; the command line's way in (``support-console handover``).

CSV, HTML and the plan of the PDF's pages live in :mod:`console.services.handover_export`;
the PDF drawing in :mod:`console.qt.handover_pdf`. PySide6 is imported only when a PDF is
written, so the command line writes CSV and HTML on machines without Qt's graphics libraries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import TextIO

from console.services.handover import HandoverBoard
from console.services.handover_export import FORMATS, window_text, write_csv, write_html

__all__ = ["FORMATS", "export", "window_text"]


def export(board: HandoverBoard, zone: tzinfo, fmt: str, path: Path) -> int:
    """Write the board to ``path`` as ``fmt`` (csv, html or pdf); the number of ticket rows."""
    writers: dict[str, Callable[[HandoverBoard, tzinfo, TextIO], int]] = {
        "csv": write_csv,
        "html": write_html,
    }
    if fmt == "pdf":
        from console.qt.handover_pdf import write_pdf

        return write_pdf(board, zone, path)
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    with open(path, "w", encoding="utf-8", newline="") as stream:
        return writers[fmt](board, zone, stream)
