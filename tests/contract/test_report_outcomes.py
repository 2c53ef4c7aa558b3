"""The SLA report from stored clock outcomes equals the report computed from every history,
on real databases, on random histories: after random events by agents and leads, at later
instants (clocks running past due, credits growing), after calendar changes (company
holiday periods, presences), after a customer's plan changed, and for outcomes stored as of
an instant later than the report's."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.records import ClockOutcomeRecord, TicketRecord
from console.adapters.sql import SqlUnitOfWork
from console.domain.calendar_spec import presence_named
from console.domain.errors import DomainError
from console.domain.model import EventKind, Status, TicketEvent
from console.domain.policy import load_policies
from console.services.demo import load_demo
from console.services.report import ReportLine, sla_report, sla_report_from_histories
from console.services.tickets import PolicyBook, holidays_moved
from console.services.verify import verify
from history import (
    add_holiday_period,
    delete_holiday_period,
    open_ticket,
    recompute_due,
    record_event,
    set_presences,
)

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SINCE = NOW - timedelta(days=40)
UNTIL = NOW + timedelta(days=30)
LEAD = "claire.dubois"
AGENTS = ("ana.ortiz", "lukas.brenner", "marcus.reed")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


def reports(
    database: Database, book: PolicyBook, at: datetime
) -> tuple[list[ReportLine], list[ReportLine]]:
    with SqlUnitOfWork(database, now=FakeTime(at)) as uow:
        current = book.current(uow)
        stored = sla_report(uow, current, SINCE, UNTIL, at)
        computed = sla_report_from_histories(uow, current, SINCE, UNTIL, at)
    return stored, computed


def assert_same(database: Database, book: PolicyBook, at: datetime) -> list[ReportLine]:
    stored, computed = reports(database, book, at)
    assert computed, "the report has lines"
    assert stored == computed
    return stored


def stored_rows(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(ClockOutcomeRecord)) or 0)


def random_events(
    database: Database, book: PolicyBook, rng: random.Random, start: datetime, count: int
) -> datetime:
    """``count`` random events on random tickets, at increasing instants from ``start``;
    those the rules refuse are skipped. The instant after the last."""
    at = start
    with SqlUnitOfWork(database, now=FakeTime(at)) as uow:
        keys = [t.key for t in uow.tickets.list(open_only=False)]
    for _ in range(count):
        at += timedelta(minutes=rng.randint(1, 400))
        key = rng.choice(keys)
        with SqlUnitOfWork(database, now=FakeTime(at)) as uow:
            ticket = uow.tickets.get(key, with_events=False)
            policy = book.policy_for(uow.customers.get(ticket.customer))
        levels = [s.level for s in policy.severities]
        kind = rng.choice(
            [
                EventKind.RESPONDED,
                EventKind.UPDATE_SENT,
                EventKind.STATUS_CHANGED,
                EventKind.STATUS_CHANGED,
                EventKind.SEVERITY_CHANGED,
                EventKind.ESCALATED,
                EventKind.ESCALATION_ANSWERED,
                EventKind.CUSTOMER_MESSAGE,
            ]
        )
        actor = LEAD if kind is EventKind.SEVERITY_CHANGED else rng.choice((LEAD, *AGENTS))
        data: dict[str, object] = {}
        if kind is EventKind.STATUS_CHANGED:
            data = {"status": rng.choice([s.value for s in Status if s is not ticket.status])}
        elif kind is EventKind.SEVERITY_CHANGED:
            others = [level for level in levels if level != ticket.severity]
            if not others:
                continue
            data = {"from": ticket.severity, "to": rng.choice(others), "reason": "re-triaged"}
        elif kind is EventKind.ESCALATED:
            data = {"urgent": rng.random() < 0.3}
        elif kind in (EventKind.CUSTOMER_MESSAGE, EventKind.ESCALATION_ANSWERED):
            data = {"text": "more details"}
        event = TicketEvent(kind, at, data, actor)
        try:
            record_event(
                SqlUnitOfWork(database, now=FakeTime(at)), book, key, ticket.version, event
            )
        except (DomainError, ValueError):
            continue  # a refused event: nothing written
    return at + timedelta(minutes=1)


@pytest.fixture
def demo(database: Database, book: PolicyBook) -> Database:
    load_demo(SqlUnitOfWork(database, now=FakeTime(NOW)), book, tickets=300, seed=11, now=NOW)
    return database


@pytest.mark.parametrize("seed", [1, 2])
def test_the_stored_report_equals_the_report_from_every_history(
    demo: Database, book: PolicyBook, seed: int
) -> None:
    assert stored_rows(demo) > 300
    assert_same(demo, book, NOW)
    rng = random.Random(seed)
    at = random_events(demo, book, rng, NOW, 120)
    for later in (timedelta(0), timedelta(hours=5), timedelta(days=3), timedelta(days=25)):
        assert_same(demo, book, at + later)


def test_outcomes_stored_later_than_the_report_are_computed_from_the_history(
    demo: Database, book: PolicyBook
) -> None:
    at = random_events(demo, book, random.Random(5), NOW, 60)
    # Asked for an earlier instant than the last events: those tickets' rows are too new.
    lines = assert_same(demo, book, NOW + (at - NOW) / 2)
    assert any(line.pending for line in lines)


def test_calendar_changes_keep_the_stored_report_equal(demo: Database, book: PolicyBook) -> None:
    at = random_events(demo, book, random.Random(3), NOW, 40)
    with SqlUnitOfWork(demo, now=FakeTime(at)) as uow:
        policies = sorted({c.policy_id for c in uow.customers.list()})
    changed = 0
    for policy_id in policies:
        try:
            stored, _ = add_holiday_period(
                SqlUnitOfWork(demo, now=FakeTime(at)),
                book,
                LEAD,
                policy_id,
                date(2026, 11, 9),
                date(2026, 11, 19),
                "Company offsite",
            )
        except ValueError:
            continue  # a policy whose calendars take no company holidays
        changed += 1
        assert_same(demo, book, at)
        assert_same(demo, book, at + timedelta(days=4))
        delete_holiday_period(SqlUnitOfWork(demo, now=FakeTime(at)), book, LEAD, stored)
        assert_same(demo, book, at)
    assert changed
    # A new laioutr ticket of the least urgent severity on Monday 7 December, and Austria's
    # public holidays: Tuesday 8 December closes, so its due instant moves a day.
    at = datetime(2026, 12, 7, 9, tzinfo=UTC)
    with SqlUnitOfWork(demo, now=FakeTime(at)) as uow:
        customer = next(c for c in uow.customers.list() if c.policy_id == "laioutr")
        current = book.current(uow)
    levels = [s.level for s in book.policies["laioutr"].severities]
    open_ticket(
        SqlUnitOfWork(demo, now=FakeTime(at)),
        book,
        key="LAI-90001",
        title="Export runs slow",
        customer=customer.name,
        severity=max(levels),
        submitted_at=at,
        actor=LEAD,
    )
    austria = current.with_policy_presences({"laioutr": (presence_named("AT"),)})
    moved_days = holidays_moved(current, austria, "laioutr", at.date(), date(2026, 12, 31))
    assert (date(2026, 12, 8), date(2026, 12, 8)) in moved_days
    code = "AT"
    before = assert_same(demo, book, at + timedelta(days=1)), outcome_rows(demo)
    set_presences(SqlUnitOfWork(demo, now=FakeTime(at)), book, LEAD, "laioutr", code)
    assert_same(demo, book, at + timedelta(days=1))
    moved = outcome_rows(demo) - before[1]
    assert moved, f"the new ticket's due instant moves with {code}'s holidays"
    assert {row[0] for row in moved} <= laioutr_ids(demo)
    assert verify(SqlUnitOfWork(demo, now=FakeTime(at)), book).drifted == ()
    set_presences(SqlUnitOfWork(demo, now=FakeTime(at)), book, LEAD, "laioutr")
    assert (assert_same(demo, book, at + timedelta(days=1)), outcome_rows(demo)) == before


def outcome_rows(database: Database) -> set[tuple[object, ...]]:
    """The stored rows as they would be read by a report (without the instant and basis)."""
    table = ClockOutcomeRecord.__table__
    columns = [c for c in table.c if c.name not in ("as_of", "basis")]
    with database.engine.connect() as connection:
        return {tuple(row) for row in connection.execute(select(*columns))}


def laioutr_ids(database: Database) -> set[int]:
    with database.engine.connect() as connection:
        return set(
            connection.scalars(
                select(ClockOutcomeRecord.ticket_id).where(
                    ClockOutcomeRecord.policy_id == "laioutr"
                )
            )
        )


def test_a_changed_plan_reads_from_the_histories_until_stored_again(
    demo: Database, book: PolicyBook
) -> None:
    with SqlUnitOfWork(demo, now=FakeTime(NOW)) as uow:
        customer = next(
            c for c in uow.customers.list() if len(book.policies[c.policy_id].plans) > 1
        )
        plans = [p for p in book.policies[customer.policy_id].plans if p != customer.plan]
    with SqlUnitOfWork(demo, write=True, now=FakeTime(NOW)) as uow:
        uow.customers.update(customer.name, customer.version, plan=plans[0])
        uow.commit()
    assert_same(demo, book, NOW + timedelta(hours=1))


def test_tickets_without_stored_outcomes_are_computed_from_their_histories(
    demo: Database, book: PolicyBook
) -> None:
    before = assert_same(demo, book, NOW)
    with demo.engine.begin() as connection:
        # As a database upgraded from before outcomes were kept: none stored.
        connection.execute(ClockOutcomeRecord.__table__.delete())
        connection.execute(TicketRecord.__table__.update().values(outcomes_at=None))
    assert assert_same(demo, book, NOW) == before
    with SqlUnitOfWork(demo, now=FakeTime(NOW)) as uow:
        assert len(uow.tickets.unsettled_outcomes(SINCE, UNTIL, NOW)) == 300
    # `db recompute` stores them again, and the report reads them.
    recompute_due(SqlUnitOfWork(demo, now=FakeTime(NOW)), book)
    assert stored_rows(demo) > 300
    with SqlUnitOfWork(demo, now=FakeTime(NOW)) as uow:
        assert uow.tickets.unsettled_outcomes(SINCE, UNTIL, NOW) == []
        # Only the credits of clocks that earn them past their due instant are computed
        # from the histories.
        growing = uow.tickets.growing_outcomes(SINCE, UNTIL, NOW)
        assert growing and {key.split("-")[0] for key, _, _, _ in growing} == {"ZIT"}
    assert assert_same(demo, book, NOW) == before


def test_db_verify_finds_forged_outcomes_and_repair_mends_them(
    demo: Database, book: PolicyBook
) -> None:
    from console.services.verify import repair, verify

    before = assert_same(demo, book, NOW)
    with demo.engine.begin() as connection:
        # What an owner's hand could write: breaches made met, and one ticket's rows gone.
        connection.execute(
            ClockOutcomeRecord.__table__.update()
            .where(ClockOutcomeRecord.state == "breached")
            .values(state="met")
        )
        victim = connection.scalar(select(func.min(ClockOutcomeRecord.ticket_id)))
        connection.execute(
            ClockOutcomeRecord.__table__.delete().where(ClockOutcomeRecord.ticket_id == victim)
        )
    stored, computed = reports(demo, book, NOW)
    assert stored != computed  # the report believes the rows
    found = verify(SqlUnitOfWork(demo, now=FakeTime(NOW)), book)
    texts = [text for drift in found.drifted for text in drift.differences]
    assert texts and all(text.startswith("outcomes: stored ") for text in texts)
    assert any("recomputed" in text and "breached" in text for text in texts)
    assert any(text.startswith("outcomes: stored none") for text in texts)
    repaired = repair(SqlUnitOfWork(demo, now=FakeTime(NOW)), book, found)
    assert set(repaired.repaired) == {drift.key for drift in found.drifted}
    assert assert_same(demo, book, NOW) == before
    assert verify(SqlUnitOfWork(demo, now=FakeTime(NOW)), book).drifted == ()


def test_a_clock_reads_as_breached_only_after_its_due_instant(
    demo: Database, book: PolicyBook
) -> None:
    """At a counting clock's due instant it is still pending; a microsecond later breached,
    in the database's count as in the clocks."""
    with demo.engine.connect() as connection:
        due = connection.scalar(
            select(func.min(ClockOutcomeRecord.due_at)).where(
                ClockOutcomeRecord.state == "pending", ClockOutcomeRecord.due_at > NOW
            )
        )
    assert due is not None
    at_due = assert_same(demo, book, due)
    after = assert_same(demo, book, due + timedelta(microseconds=1))
    assert sum(line.breached for line in after) == sum(line.breached for line in at_due) + 1
