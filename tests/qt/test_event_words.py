"""Every field of every kind of event shows in all three places that put events into words:
the detail pane's conversation, the History table and History's CSV export. Dropping a field
from any of them fails here."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.policy import load_policies
from console.qt.audit_view import COL_ACTOR, COL_DETAILS, AuditTableModel
from console.qt.conversation import MessageCard
from console.qt.detail import DetailPane
from console.services.audit import CSV_COLUMNS, AuditRow, export_audit
from console.services.demo import load_demo
from console.services.queue import TicketDetail, load_detail
from console.services.tickets import PolicyBook
from events import NAMES, SAMPLES, missing, sample_events
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")
START = NOW - timedelta(days=1)


@pytest.fixture(scope="module")
def laioutr_detail() -> TicketDetail:
    """A laioutr ticket (its policy names the ``status_page`` waiver) with the samples as its
    history."""
    book = PolicyBook(load_policies())
    store = FakeStore()
    load_demo(FakeUnitOfWork(store, now=lambda: NOW), book, tickets=60, seed=3, now=NOW)
    uow = FakeUnitOfWork(store, now=lambda: NOW)
    for key in sorted(store.tickets):
        detail = within(uow, load_detail, book, key)
        if detail.row.customer.policy_id == "laioutr":
            return replace(detail, events=tuple(sample_events(START)))
    raise LookupError("no laioutr ticket in the demo")


def test_the_conversation_shows_every_field(qtbot: QtBot, laioutr_detail: TicketDetail) -> None:
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_agent_names(NAMES)
    pane.show_detail(laioutr_detail, NOW, ZURICH)
    view = pane.conversation
    shown = view.entry_texts()
    assert len(shown) == len(SAMPLES)
    for widget, text, sample in zip(view.entry_widgets(), shown, SAMPLES, strict=True):
        if isinstance(widget, MessageCard):  # a message: its words, who, and the rest
            assert sample.who in text.splitlines()[0], text
            unsaid = missing(text, sample, policy_known=True)
            # "not automated" is what a message is unless it says otherwise
            assert unsaid == [] or (unsaid == ["automated"] and not sample.data["automated"])
            assert missing(widget.toolTip(), sample, policy_known=True) == [], widget.toolTip()
        else:  # oldest first, a line each
            _, who, summary = text.split(" · ", 2)
            assert who == sample.who, text
            assert missing(summary, sample, policy_known=True) == [], text


def test_the_history_table_shows_every_field() -> None:
    rows = [AuditRow("LAI-1", event) for event in sample_events(START)]
    model = AuditTableModel(ZURICH, NAMES)
    model.set_rows(rows)
    for row, sample in enumerate(SAMPLES):
        details = model.index(row, COL_DETAILS).data()
        assert model.index(row, COL_ACTOR).data() == sample.who, details
        assert missing(details, sample) == [], details


def test_the_csv_export_shows_every_field() -> None:
    rows = [AuditRow("LAI-1", event) for event in sample_events(START)]
    stream = io.StringIO()
    assert export_audit(rows, stream, NAMES) == len(SAMPLES)
    lines = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert list(lines[0]) == list(CSV_COLUMNS)
    for line, sample in zip(lines, SAMPLES, strict=True):
        assert line["who"] == sample.who, line
        assert line["actor"] == (sample.actor or ""), line  # the login, as recorded
        assert line["kind"] == sample.kind.value
        assert missing(line["details"], sample) == [], line
