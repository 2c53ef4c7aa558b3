"""CSV import and export of tickets (console.services.transfer), on the in-memory store."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TextIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import (
    Agent,
    Customer,
    EventKind,
    Role,
    Status,
    TicketEvent,
)
from console.domain.policy import load_policies
from console.services.tickets import PolicyBook
from console.services.transfer import (
    COLUMNS,
    EXPORT_COLUMNS,
    TicketImportError,
    export_tickets,
    import_tickets,
)
from history import open_ticket, record_event

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
POLICIES = load_policies()
HEADER = ",".join(COLUMNS)

# Line 2-3 is one record (a quoted title with a comma and a line break): rows start on
# lines 2, 4, 5, 6 and 7.
VALID = f"""{HEADER}
ACME-2,"Export broken, again
second line",Acme,1,resolved,,2025-05-06T10:00:00Z,2025-05-06T10:20:00Z,2025-05-07T08:00:00Z
ACME-1,Login fails,Acme,2,open,alice,2025-05-05T09:00:00+02:00,,
GLX-1,"Quote ""this"" please",Globex,4,awaiting_customer,bob,2025-05-10T08:00:00-04:00,2025-05-10T09:00:00-04:00,
INI-1,Chat widget,Initech,3,on_hold,,2025-05-12T08:00:00Z,,
INI-2,Closed one,Initech,2,closed,alice,2025-05-13T08:00:00Z,2025-05-13T08:05:00Z,2025-05-14T08:00:00Z
"""  # noqa: E501

GOOD_ROW = {
    "key": "NEW-1",
    "title": "Something broke",
    "customer": "Acme",
    "severity": "2",
    "status": "open",
    "assignee": "alice",
    "submitted_at": "2025-05-20T09:00:00+02:00",
    "first_response_at": "2025-05-20T09:30:00+02:00",
    "resolved_at": "",
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def clock() -> datetime:
    return NOW


def make_store() -> FakeStore:
    store = FakeStore()
    with FakeUnitOfWork(store, now=clock) as uow:
        uow.customers.add(Customer("Acme", "layer0", "enterprise"))  # severities 1-3
        uow.customers.add(Customer("Globex", "zitadel", "default"))  # severities 1-4
        uow.customers.add(Customer("Initech", "liveperson", "standard"))  # pauses when waiting
        uow.agents.add(Agent("alice", "Alice Adams", Role.AGENT, "emea", "Europe/Berlin"))
        uow.agents.add(Agent("bob", "Bob Brown", Role.LEAD, "amer", "America/New_York"))
        uow.commit()
    return store


def book() -> PolicyBook:
    return PolicyBook(POLICIES)


def run_import(store: FakeStore, text: str, **options: Any) -> int:
    return import_tickets(FakeUnitOfWork(store, now=clock), book(), io.StringIO(text), **options)


def run_export(store: FakeStore, **options: Any) -> str:
    out = io.StringIO(newline="")
    export_tickets(FakeUnitOfWork(store, now=clock), out, **options)
    return out.getvalue()


def snapshot(store: FakeStore) -> tuple[Any, ...]:
    """What an import may change (the domain objects are immutable: copying containers will do)."""
    events = {key: list(history) for key, history in store.events.items()}
    return dict(store.tickets), events, list(store.changes), dict(store.customers)


def import_problems(store: FakeStore, text: str | TextIO) -> list[str]:
    """The problems an import reports; checks that it left the store as it was."""
    before = snapshot(store)
    source = io.StringIO(text) if isinstance(text, str) else text
    with pytest.raises(TicketImportError) as caught:
        import_tickets(FakeUnitOfWork(store, now=clock), book(), source)
    assert snapshot(store) == before
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


# --------------------------------------------------------------------------- import


def test_import_builds_each_history_and_commits_once() -> None:
    store = make_store()
    feed = len(store.changes)
    assert run_import(store, VALID, actor="importer") == 5
    assert sorted(store.tickets) == ["ACME-1", "ACME-2", "GLX-1", "INI-1", "INI-2"]
    assert [(c.entity, c.key, c.kind.value) for c in store.changes[feed:]] == [
        ("ticket", key, "created") for key in ("ACME-2", "ACME-1", "GLX-1", "INI-1", "INI-2")
    ]
    assert len({c.at for c in store.changes[feed:]}) == 1
    assert all(t.version == 1 and t.events == () for t in store.tickets.values())

    acme2 = store.tickets["ACME-2"]
    assert acme2.title == "Export broken, again\nsecond line"
    assert (acme2.status, acme2.severity, acme2.assignee) == (Status.RESOLVED, 1, None)
    assert store.events["ACME-2"] == [
        TicketEvent(
            EventKind.CREATED,
            at("2025-05-06T10:00Z"),
            {"severity": 1, "status": "open"},
            "importer",
        ),
        TicketEvent(EventKind.RESPONDED, at("2025-05-06T10:20Z"), {}, "importer"),
        TicketEvent(
            EventKind.STATUS_CHANGED, at("2025-05-07T08:00Z"), {"status": "resolved"}, "importer"
        ),
    ]
    acme1 = store.tickets["ACME-1"]
    assert acme1.submitted_at == at("2025-05-05T07:00Z")
    assert [(e.kind, e.at, dict(e.data)) for e in store.events["ACME-1"]] == [
        (EventKind.CREATED, at("2025-05-05T07:00Z"), {"severity": 2, "status": "open"}),
        (EventKind.ASSIGNED, at("2025-05-05T07:00Z"), {"assignee": "alice"}),
    ]
    # waiting starts at the first response, the later of the two instants
    assert store.tickets["GLX-1"].title == 'Quote "this" please'
    assert [(e.kind, e.at, dict(e.data)) for e in store.events["GLX-1"]][2:] == [
        (EventKind.RESPONDED, at("2025-05-10T13:00Z"), {}),
        (EventKind.STATUS_CHANGED, at("2025-05-10T13:00Z"), {"status": "awaiting_customer"}),
    ]
    # without a response, on hold from submission
    assert [(e.kind, e.at) for e in store.events["INI-1"]] == [
        (EventKind.CREATED, at("2025-05-12T08:00Z")),
        (EventKind.STATUS_CHANGED, at("2025-05-12T08:00Z")),
    ]
    assert store.events["INI-2"][-1].data == {"status": "closed"}

    policy_book = book()
    for ticket in store.tickets.values():
        customer = store.customers[ticket.customer]
        expected = policy_book.next_due(customer, store.events[ticket.key], NOW)
        assert ticket.next_due_at == expected
    assert store.tickets["ACME-1"].next_due_at is not None  # an open ticket waits for a response


def test_header_only_imports_nothing_and_columns_may_be_reordered_or_left_out() -> None:
    store = make_store()
    assert run_import(store, HEADER + "\n") == 0
    text = "Submitted_At, Severity ,customer,title,KEY\n2025-05-01T08:00Z,3,Globex,Hello,G-9\n\n"
    assert run_import(store, text) == 1
    ticket = store.tickets["G-9"]
    assert (ticket.status, ticket.assignee, ticket.title) == (Status.OPEN, None, "Hello")


def test_a_byte_order_mark_blank_lines_and_trailing_empty_cells_are_accepted() -> None:
    store = make_store()
    text = "\ufeff\n" + HEADER + ",\r\n\r\n" + VALID.split("\n", 1)[1].replace("\n", "\r\n")
    assert run_import(store, text) == 5


def test_import_reads_a_utf8_file() -> None:
    store = make_store()
    data = VALID.replace("Login fails", "Anmeldung schlägt fehl").encode("utf-8")
    source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    assert import_tickets(FakeUnitOfWork(store, now=clock), book(), source) == 5
    assert store.tickets["ACME-1"].title == "Anmeldung schlägt fehl"


# --------------------------------------------------------------------------- bad rows

BAD_ROWS = [
    (
        {"submitted_at": "2025-13-01T09:00:00Z"},
        "submitted_at: '2025-13-01T09:00:00Z' is not an ISO 8601 date and time such as "
        "2024-05-02T09:30:00+02:00",
    ),
    (
        {"first_response_at": "yesterday"},
        "first_response_at: 'yesterday' is not an ISO 8601 date and time such as "
        "2024-05-02T09:30:00+02:00",
    ),
    (
        {"submitted_at": "2025-05-20T09:00:00"},
        "submitted_at: '2025-05-20T09:00:00' has no UTC offset; add one such as +02:00 or Z",
    ),
    (
        {"submitted_at": "2025-05-20"},
        "submitted_at: '2025-05-20' has no UTC offset; add one such as +02:00 or Z",
    ),
    (
        {"submitted_at": "2025-06-02T12:00:01Z", "first_response_at": ""},
        "submitted_at: '2025-06-02T12:00:01Z' is in the future (now is 2025-06-02T12:00:00Z)",
    ),
    (
        {"submitted_at": "1969-12-31T23:00:00Z", "first_response_at": ""},
        "submitted_at: '1969-12-31T23:00:00Z' is before 1970",
    ),
    ({"submitted_at": ""}, "submitted_at: is required"),
    ({"customer": "Umbrella"}, "customer: no customer named 'Umbrella'"),
    ({"customer": ""}, "customer: is required"),
    ({"severity": "4"}, "severity: layer0 has no severity 4 (levels: 1, 2, 3)"),
    ({"severity": "high"}, "severity: 'high' is not a severity level (a whole number such as 2)"),
    (
        {"severity": "9" * 5000},
        "severity: '" + "9" * 59 + "\u2026' is not a severity level (a whole number such as 2)",
    ),
    ({"key": "ACME-1"}, "key: 'ACME-1' appears on line 4 already"),
    ({"key": ""}, "key: is required"),
    ({"key": "K" * 65}, f"key: '{'K' * 59}\u2026' is longer than 64 characters"),
    ({"key": "A\x00B"}, "key: contains a control character (U+0000)"),
    (
        {"status": "pending"},
        "status: 'pending' is not one of: open, awaiting_customer, on_hold, resolved, closed",
    ),
    ({"title": "   "}, "title: is required"),
    (
        {"first_response_at": "2025-05-20T08:59:59+02:00"},
        "first_response_at: 2025-05-20T06:59:59Z is before submitted_at (2025-05-20T07:00:00Z)",
    ),
    (
        {"status": "resolved", "resolved_at": "2025-05-20T08:00:00+02:00"},
        "resolved_at: 2025-05-20T06:00:00Z is before submitted_at (2025-05-20T07:00:00Z)",
    ),
    ({"status": "resolved"}, "resolved_at: is required when the status is resolved"),
    ({"status": "closed"}, "resolved_at: is required when the status is closed"),
    (
        {"resolved_at": "2025-05-21T09:00:00Z"},
        "resolved_at: must be blank unless the status is resolved or closed (it is open)",
    ),
    ({"assignee": "mallory"}, "assignee: no agent named 'mallory'"),
]


@pytest.mark.parametrize(("changes", "expected"), BAD_ROWS)
def test_each_bad_row_is_reported_with_its_line_and_column(
    changes: dict[str, str], expected: str
) -> None:
    store = make_store()
    text = VALID + csv_text([{**GOOD_ROW, **changes}]).split("\n", 1)[1]  # line 8
    assert import_problems(store, text) == [f"line 8: {expected}"]
    # the same row alone, fixed, imports
    assert run_import(store, csv_text([GOOD_ROW])) == 1


def test_a_key_taken_in_the_database_is_reported() -> None:
    store = make_store()
    open_ticket(
        FakeUnitOfWork(store, now=clock),
        book(),
        key="NEW-1",
        title="Already here",
        customer="Acme",
        severity=3,
        submitted_at=NOW - timedelta(days=1),
    )
    text = VALID + csv_text([GOOD_ROW]).split("\n", 1)[1]
    assert import_problems(store, text) == ["line 8: key: a ticket 'NEW-1' exists already"]


def test_severity_is_checked_against_the_customers_own_policy() -> None:
    store = make_store()
    rows = [{**GOOD_ROW, "key": "G", "customer": "Globex", "severity": "4"}]
    assert run_import(store, csv_text(rows)) == 1
    rows = [{**GOOD_ROW, "key": "I", "customer": "Initech", "severity": "4"}]
    assert import_problems(store, csv_text(rows)) == [
        "line 2: severity: liveperson has no severity 4 (levels: 1, 2, 3)"
    ]


def test_every_problem_of_every_row_is_reported_together() -> None:
    store = make_store()
    rows = [
        GOOD_ROW,
        {**GOOD_ROW, "key": "NEW-1", "customer": "Umbrella", "severity": "x", "assignee": "eve"},
        {**GOOD_ROW, "key": "NEW-3"},
        {**GOOD_ROW, "key": "NEW-4", "status": "closed", "submitted_at": "2025-05-20 09:00"},
    ]
    assert import_problems(store, csv_text(rows)) == [
        "line 3: key: 'NEW-1' appears on line 2 already",
        "line 3: customer: no customer named 'Umbrella'",
        "line 3: severity: 'x' is not a severity level (a whole number such as 2)",
        "line 3: assignee: no agent named 'eve'",
        "line 5: submitted_at: '2025-05-20 09:00' has no UTC offset; add one such as +02:00 or Z",
        "line 5: resolved_at: is required when the status is closed",
    ]


def test_header_problems_are_on_line_1() -> None:
    store = make_store()
    text = "key,titel,customer,severity,submitted_at,key\nA,B,Acme,1,2025-05-01T00:00Z,A\n"
    assert import_problems(store, text) == [
        "line 1: titel: unknown column (columns: key, title, customer, severity, status, "
        "assignee, submitted_at, first_response_at, resolved_at, next_due_at)",
        "line 1: key: appears twice (columns 1 and 6)",
        "line 1: title: required column is missing",
    ]


def test_values_outside_the_named_columns_are_refused() -> None:
    store = make_store()
    text = csv_text([GOOD_ROW]).replace("\r\n", ",,surprise\r\n").replace(",,surprise", "", 1)
    assert import_problems(store, text) == [
        "line 2: column 11: 'surprise' is in a column the header does not name"
    ]
    text = "key,title,,customer,severity,submitted_at\nA,B,oops,Acme,1,2025-05-01T00:00Z\n"
    assert import_problems(store, text) == [
        "line 2: column 3: 'oops' is in a column the header does not name"
    ]


@pytest.mark.parametrize("text", ["", "   \n\n", ",,,\n,\n", "\ufeff"])
def test_an_empty_file_is_refused(text: str) -> None:
    assert import_problems(make_store(), text) == [
        f"line 1: file: is empty; expected a header row such as {HEADER}"
    ]


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte() -> None:
    store = make_store()
    data = VALID.replace("Chat widget", "Caf\u00e9").encode("cp1252")  # on line 6
    source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    (problem,) = import_problems(store, source)
    assert problem.startswith("line 6: file: is not UTF-8 text (byte 0xE9: invalid")
    # read with surrogate escapes or replacement characters instead
    for errors in ("surrogateescape", "replace"):
        source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors, newline="")
        assert import_problems(store, source) == [
            "line 6: file: is not UTF-8 text (it holds characters that could not be decoded)"
        ]
    # opened in another encoding, the text cannot be trusted
    source = io.TextIOWrapper(io.BytesIO(data), encoding="cp1252", newline="")
    assert import_problems(store, source) == [
        "line 1: file: was opened as cp1252; CSV files are read as UTF-8"
    ]


def test_broken_csv_quoting_is_reported() -> None:
    store = make_store()
    text = VALID + 'NEW-1,"never closed,Acme,2,open,,2025-05-20T09:00:00Z,,\nmore\n'
    (problem,) = import_problems(store, text)
    assert problem.startswith("line 8: file: a quoted cell that starts on this line is never")
    text = VALID + 'NEW-1,"odd" quote,Acme,2,open,,2025-05-20T09:00:00Z,,\n'
    (problem,) = import_problems(store, text)
    assert problem.startswith("line 8: file: is not valid CSV (',' expected after '\"')")


# --------------------------------------------------------------------------- export


def test_export_writes_every_column_ordered_by_key_in_utc() -> None:
    store = make_store()
    run_import(store, VALID)
    rows = list(csv.reader(io.StringIO(run_export(store), newline="")))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [r[0] for r in rows[1:]] == ["ACME-1", "ACME-2", "GLX-1", "INI-1", "INI-2"]
    by_key = {r[0]: dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_key["ACME-2"] == {
        "key": "ACME-2",
        "title": "Export broken, again\nsecond line",
        "customer": "Acme",
        "severity": "1",
        "status": "resolved",
        "assignee": "",
        "submitted_at": "2025-05-06T10:00:00Z",
        "first_response_at": "2025-05-06T10:20:00Z",
        "resolved_at": "2025-05-07T08:00:00Z",
        "next_due_at": "",
    }
    assert by_key["ACME-1"]["submitted_at"] == "2025-05-05T07:00:00Z"
    due = store.tickets["ACME-1"].next_due_at
    assert due is not None
    assert by_key["ACME-1"]["next_due_at"] == due.isoformat().replace("+00:00", "Z")

    out = io.StringIO(newline="")
    assert export_tickets(FakeUnitOfWork(store, now=clock), out, open_only=True) == 3
    assert [r[0] for r in csv.reader(io.StringIO(out.getvalue()))][1:] == [
        "ACME-1",
        "GLX-1",
        "INI-1",
    ]


def test_round_trip_into_an_empty_database_gives_the_same_tickets_and_histories() -> None:
    first = make_store()
    run_import(first, VALID)
    exported = run_export(first)
    second = make_store()
    assert run_import(second, exported) == 5  # the next_due_at column is accepted and ignored
    assert second.tickets == first.tickets
    assert second.events == first.events
    assert run_export(second) == exported


def test_export_reads_an_app_made_history() -> None:
    """Automated responses do not count; a reopened ticket has no resolution; a closed one
    keeps the instant it was resolved at."""
    store = make_store()
    policy_book = book()
    submitted = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)

    def event(key: str, kind: EventKind, hours: int, **data: Any) -> None:
        version = store.tickets[key].version
        record = TicketEvent(kind, submitted + timedelta(hours=hours), data, "alice")
        record_event(FakeUnitOfWork(store, now=clock), policy_book, key, version, record)

    for key in ("A-1", "A-2"):
        open_ticket(
            FakeUnitOfWork(store, now=clock),
            policy_book,
            key=key,
            title="T",
            customer="Acme",
            severity=2,
            submitted_at=submitted,
            assignee="bob",
        )
        event(key, EventKind.RESPONDED, 1, automated=True)
        event(key, EventKind.RESPONDED, 2)
        event(key, EventKind.STATUS_CHANGED, 3, status="resolved")
    event("A-1", EventKind.STATUS_CHANGED, 4, status="open")
    event("A-2", EventKind.STATUS_CHANGED, 5, status="closed")
    rows = {r[0]: r for r in csv.reader(io.StringIO(run_export(store), newline=""))}
    assert rows["A-1"][4:9] == ["open", "bob", "2025-05-01T08:00:00Z", "2025-05-01T10:00:00Z", ""]
    assert rows["A-2"][4:9] == [
        "closed",
        "bob",
        "2025-05-01T08:00:00Z",
        "2025-05-01T10:00:00Z",
        "2025-05-01T11:00:00Z",
    ]
    fresh = make_store()
    assert run_import(fresh, run_export(store)) == 2
    assert [e.kind for e in fresh.events["A-2"]] == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.RESPONDED,
        EventKind.STATUS_CHANGED,
    ]


# --------------------------------------------------------------------------- properties

CSVISH = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(',"\r\n \t;:-+TZ0123456789\x00\ufeff\udc80\ufffd')),
        st.characters(),
    ),
    max_size=400,
)


def check_all_or_nothing(text: str) -> None:
    store = make_store()
    before = snapshot(store)
    tickets = len(store.tickets)
    try:
        count = run_import(store, text)
    except TicketImportError as error:
        assert error.problems
        assert all(p.startswith("line ") and p.count(": ") >= 2 for p in error.problems)
        assert snapshot(store) == before
    else:
        assert len(store.tickets) == tickets + count
        assert len(store.events) == tickets + count


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(CSVISH, CSVISH.map(lambda tail: HEADER + "\n" + tail)))
def test_random_text_is_imported_whole_or_refused(text: str) -> None:
    check_all_or_nothing(text)


def valid_cell(column: str) -> st.SearchStrategy[str]:
    instants = st.sampled_from(
        [
            "",
            "2025-05-01T08:00:00Z",
            "2025-05-02T08:00:00+02:00",
            "2025-05-03T23:30:00-07:00",
            "2025-05-03T23:30:00",
            "2030-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
        ]
    )
    choices: dict[str, st.SearchStrategy[str]] = {
        "key": st.sampled_from(["K-1", "K-2", "K-3", ""]),
        "title": st.sampled_from(["Title", "a, b\nc", ""]),
        "customer": st.sampled_from(["Acme", "Globex", "Initech", "Nobody"]),
        "severity": st.sampled_from(["1", "2", "3", "4", "0", "-1"]),
        "status": st.sampled_from([s.value for s in Status] + ["", "Open", "nope"]),
        "assignee": st.sampled_from(["", "alice", "bob", "zed"]),
        "submitted_at": instants,
        "first_response_at": instants,
        "resolved_at": instants,
        "next_due_at": st.sampled_from(["", "garbage"]),
    }
    return st.one_of(choices[column], st.text(max_size=12))


@st.composite
def valid_row(draw: st.DrawFn) -> dict[str, str]:
    """A row that imports unless its key repeats another row's."""
    customer, levels = draw(st.sampled_from([("Acme", 3), ("Globex", 4), ("Initech", 3)]))
    submitted = NOW - draw(st.timedeltas(timedelta(0), timedelta(days=400)))
    later = st.timedeltas(timedelta(0), NOW - submitted).map(lambda d: submitted + d)
    status = draw(st.sampled_from(Status))
    responded = draw(st.none() | later)
    resolved = draw(later) if status.is_done else None
    zone = draw(st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=7))]))

    def instant(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(zone).isoformat()

    return {
        "key": draw(st.sampled_from([f"K-{i}" for i in range(1, 8)])),
        "title": draw(
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).filter(str.strip)
            | st.just('a, "b"\nc')
        ),
        "customer": customer,
        "severity": str(draw(st.integers(1, levels))),
        "status": status.value,
        "assignee": draw(st.sampled_from(["", "alice", "bob"])),
        "submitted_at": instant(submitted),
        "first_response_at": instant(responded),
        "resolved_at": instant(resolved),
        "next_due_at": "",
    }


@st.composite
def rows_in_a_valid_header(draw: st.DrawFn) -> str:
    columns = draw(st.permutations(EXPORT_COLUMNS))
    random_row = st.fixed_dictionaries({c: valid_cell(c) for c in columns})
    rows = draw(st.lists(valid_row() | random_row, max_size=5))
    return csv_text(rows, tuple(columns))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_in_a_valid_header())
def test_random_cells_are_imported_whole_or_refused(text: str) -> None:
    check_all_or_nothing(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_row(), max_size=6, unique_by=lambda row: row["key"]))
def test_valid_rows_import_whole_and_round_trip(rows: list[dict[str, str]]) -> None:
    first = make_store()
    assert run_import(first, csv_text(rows, EXPORT_COLUMNS)) == len(rows)
    second = make_store()
    assert run_import(second, run_export(first)) == len(rows)
    assert second.tickets == first.tickets
    assert second.events == first.events
