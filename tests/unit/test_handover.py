"""The handover board over a fake clock: a support-hours opening, a DST change, a holiday;
handover records and named shifts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.errors import ConcurrentEditError
from console.domain.model import Agent, Customer, EventKind, Role, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.services.handover import Section, Shift, build_board, load_board, shift_named
from console.services.queue import QueueRow, make_row
from console.services.tickets import PolicyBook
from history import acknowledge, hand_over, within

LA = ZoneInfo("America/Los_Angeles")
ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


def row(
    book: PolicyBook,
    key: str,
    customer: Customer,
    severity: int,
    submitted: datetime,
    *,
    status: Status = Status.OPEN,
    assignee: str | None = "ana",
) -> QueueRow:
    events = [TicketEvent(EventKind.CREATED, submitted, {"severity": severity, "status": "open"})]
    if status is not Status.OPEN:
        events.append(
            TicketEvent(
                EventKind.STATUS_CHANGED, submitted + timedelta(minutes=1), {"status": status.value}
            )
        )
    due, clock = book.queue_state(customer, events, submitted + timedelta(minutes=2))
    ticket = Ticket(
        key,
        "Something",
        customer.name,
        severity,
        status,
        submitted,
        assignee,
        next_due_at=due,
        summary=clock,
    )
    return make_row(book, ticket, customer)


def test_zitadel_over_a_weekend_resumes_and_breaches_on_monday(book: PolicyBook) -> None:
    """Given a ZITADEL Extended S2 (2 business hours, 08:00-17:00 Zurich) submitted Fri 16:30,
    30 minutes count on Friday and the rest from Monday 08:00: due Mon 09:30."""
    acme = Customer("Acme AG", "zitadel", "extended")
    ticket = row(book, "ZIT-1", acme, 2, datetime(2026, 11, 20, 16, 30, tzinfo=ZURICH))
    assert ticket.ticket.next_due_at == datetime(2026, 11, 23, 9, 30, tzinfo=ZURICH)

    friday_evening = datetime(2026, 11, 20, 17, 0, tzinfo=ZURICH)
    night = build_board([ticket], friday_evening, friday_evening + timedelta(hours=8))
    assert night.keys(Section.WILL_BREACH) == [] and night.keys(Section.RESUMING) == []

    weekend = build_board([ticket], friday_evening, datetime(2026, 11, 23, 10, 0, tzinfo=ZURICH))
    (resume,) = weekend.sections[Section.RESUMING]
    assert resume.when == datetime(2026, 11, 23, 8, 0, tzinfo=ZURICH)
    (breach,) = weekend.sections[Section.WILL_BREACH]
    assert breach.when == datetime(2026, 11, 23, 9, 30, tzinfo=ZURICH)

    monday = datetime(2026, 11, 23, 9, 31, tzinfo=ZURICH)
    later = build_board([ticket], monday, monday + timedelta(hours=8))
    assert later.keys(Section.BREACHED) == ["ZIT-1"] and later.keys(Section.WILL_BREACH) == []


def test_layer0_across_the_spring_dst_change(book: PolicyBook) -> None:
    """Given a Layer0 Sev 2 (1 h, 09:00-18:00 Pacific) submitted Fri 6 Mar 2026 17:30 PST,
    it resumes Mon 9 Mar 09:00 PDT (16:00 UTC, an hour earlier in UTC than a week before)
    and breaches at 09:30 PDT."""
    customer = Customer("Globex", "layer0", "enterprise")
    ticket = row(book, "L0-1", customer, 2, datetime(2026, 3, 6, 17, 30, tzinfo=LA))
    start = datetime(2026, 3, 8, 0, 0, tzinfo=LA)  # before the 02:00 change
    board = build_board([ticket], start, start + timedelta(hours=36))
    (resume,) = board.sections[Section.RESUMING]
    assert resume.when == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    (breach,) = board.sections[Section.WILL_BREACH]
    assert breach.when == datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    short = build_board([ticket], start, start + timedelta(hours=32))  # ends 09:00 PDT
    assert short.keys(Section.RESUMING) == [] and short.keys(Section.WILL_BREACH) == []


def test_nothing_resumes_on_thanksgiving(book: PolicyBook) -> None:
    customer = Customer("Globex", "layer0", "enterprise")
    ticket = row(book, "L0-2", customer, 2, datetime(2026, 11, 25, 17, 30, tzinfo=LA))
    thursday = datetime(2026, 11, 26, 8, 0, tzinfo=LA)
    holiday = build_board([ticket], thursday, thursday + timedelta(hours=10))
    assert holiday.keys(Section.RESUMING) == [] and holiday.keys(Section.WILL_BREACH) == []
    monday = datetime(2026, 11, 30, 8, 0, tzinfo=LA)
    board = build_board([ticket], monday, monday + timedelta(hours=8))
    assert [r.when for r in board.sections[Section.RESUMING]] == [
        datetime(2026, 11, 30, 9, 0, tzinfo=LA)
    ]
    assert [r.when for r in board.sections[Section.WILL_BREACH]] == [
        datetime(2026, 11, 30, 9, 30, tzinfo=LA)
    ]


def test_paused_and_unassigned_sections(book: PolicyBook) -> None:
    customer = Customer("Initech", "liveperson", "standard")
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    paused = row(
        book, "LP-1", customer, 3, start - timedelta(hours=2), status=Status.AWAITING_CUSTOMER
    )
    loose = row(book, "LP-2", customer, 3, start - timedelta(hours=1), assignee=None)
    board = build_board([paused, loose], start, start + timedelta(hours=8))
    assert board.keys(Section.PAUSED) == ["LP-1"]
    assert board.keys(Section.UNASSIGNED) == ["LP-2"]


def test_named_shift_windows() -> None:
    emea = shift_named("emea")
    assert emea == Shift("EMEA", time(7), time(15), "Europe/Zurich")
    early = datetime(2026, 11, 20, 6, 0, tzinfo=ZURICH)
    assert emea.window(early) == (
        datetime(2026, 11, 20, 7, tzinfo=ZURICH),
        datetime(2026, 11, 20, 15, tzinfo=ZURICH),
    )
    late = datetime(2026, 11, 20, 16, 0, tzinfo=ZURICH)
    assert emea.window(late)[0] == datetime(2026, 11, 21, 7, tzinfo=ZURICH)
    night = Shift("Night", time(22), time(6), "Europe/Zurich")
    assert night.window(datetime(2026, 11, 21, 2, 0, tzinfo=ZURICH)) == (
        datetime(2026, 11, 20, 22, tzinfo=ZURICH),
        datetime(2026, 11, 21, 6, tzinfo=ZURICH),
    )
    with pytest.raises(KeyError, match="no shift 'Mars'"):
        shift_named("Mars")


def test_handover_record_and_acknowledgement(book: PolicyBook) -> None:
    """The outgoing engineer hands over with notes; the incoming one acknowledges; the board
    shows the last handover and its notes per ticket."""
    store = FakeStore()
    clock = FakeTime(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    with FakeUnitOfWork(store, now=clock) as uow:
        uow.agents.add(Agent("ana", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"))
        uow.agents.add(Agent("ben", "Ben Adler", Role.AGENT, "AMER", "America/New_York"))
        uow.customers.add(Customer("Acme AG", "zitadel", "extended"))
        submitted = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
        events = (TicketEvent(EventKind.CREATED, submitted, {"severity": 2, "status": "open"}),)
        due, summary = book.queue_state(Customer("Acme AG", "zitadel", "extended"), events, clock())
        uow.tickets.add(
            Ticket(
                "ZIT-7",
                "Login",
                "Acme AG",
                2,
                Status.OPEN,
                submitted,
                "ana",
                next_due_at=due,
                summary=summary,
            ),
            events,
        )
        uow.commit()
    start, end = clock(), clock() + timedelta(hours=8)
    record = hand_over(
        FakeUnitOfWork(store, now=clock),
        "ana",
        start,
        end,
        "Quiet",
        {"ZIT-7": "Customer calls at 9", "ZIT-404": " "},
    )
    assert dict(record.ticket_notes) == {"ZIT-7": "Customer calls at 9"}
    with pytest.raises(ValueError, match="someone else than its author"):
        acknowledge(FakeUnitOfWork(store, now=clock), record, "ana")
    accepted = acknowledge(FakeUnitOfWork(store, now=clock), record, "ben")
    assert accepted.acknowledged_by == "ben" and accepted.acknowledged_at == clock()
    with pytest.raises((ConcurrentEditError, ValueError)):
        acknowledge(FakeUnitOfWork(store, now=clock), record, "ben")
    # Due Mon 08:00 Zurich (used up at Friday's close): a window into Monday shows it.
    board = within(
        FakeUnitOfWork(store, now=clock), load_board, book, start, start + timedelta(days=3)
    )
    assert board.last is not None and board.last.acknowledged_by == "ben"
    rows = [r for section in board.sections.values() for r in section if r.key == "ZIT-7"]
    assert rows and all(r.note == "Customer calls at 9" for r in rows)
    assert board.keys(Section.WILL_BREACH) == ["ZIT-7"]
