"""The repository contract: the same tests on the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.adapters.repository import UnitOfWork
from console.adapters.sql import SqlUnitOfWork
from console.domain.errors import ConcurrentEditError, DuplicateError, NotFoundError
from console.domain.model import (
    Agent,
    AuditFilter,
    ChangeKind,
    Customer,
    EventKind,
    Handover,
    HolidayPeriod,
    Metric,
    PolicyPresence,
    Presence,
    QueueGroup,
    QueueSummary,
    Role,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.queue import queue_key

UowFactory = Callable[[], UnitOfWork]
T0 = datetime(2026, 11, 20, 9, 15, 30, 123456, tzinfo=UTC)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_uow(request: pytest.FixtureRequest, clock: FakeTime) -> Iterator[UowFactory]:
    """A factory of units of work on one fresh store or database."""
    if request.param == "fake":
        store = FakeStore()
        yield lambda: FakeUnitOfWork(store, now=clock)
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    database = Database.open(url)
    database.upgrade()
    yield lambda: SqlUnitOfWork(database, now=clock)
    database.dispose()


def seed(new_uow: UowFactory) -> None:
    with new_uow() as uow:
        uow.agents.add(Agent("ana", "Ana Ortiz", Role.AGENT, "EMEA", "Europe/Zurich"))
        uow.agents.add(Agent("lee", "Lee Park", Role.LEAD, "AMER", "America/New_York"))
        uow.customers.add(
            Customer("Acme AG", "zitadel", "extended", "EMEA", "oncall@acme.test", {"targets": []})
        )
        uow.commit()


def ticket(key: str = "ZIT-1", **changes: object) -> tuple[Ticket, tuple[TicketEvent, ...]]:
    fields: dict[str, object] = {
        "key": key,
        "title": "Login fails",
        "customer": "Acme AG",
        "severity": 2,
        "status": Status.OPEN,
        "submitted_at": T0,
        "assignee": "ana",
        "next_due_at": T0 + timedelta(hours=2),
    }
    fields.update(changes)
    created = TicketEvent(EventKind.CREATED, T0, {"severity": 2, "status": "open"}, "ana")
    return Ticket(**fields), (created,)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- agents, customers


def test_agents_round_trip_and_conflict(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        ana = uow.agents.get("ana")
        assert (ana.display_name, ana.role, ana.version) == ("Ana Ortiz", Role.AGENT, 1)
        assert [a.name for a in uow.agents.list()] == ["ana", "lee"]
        updated = uow.agents.update("ana", 1, role=Role.LEAD, team="AMER")
        assert (updated.role, updated.team, updated.version) == (Role.LEAD, "AMER", 2)
        uow.commit()
    with new_uow() as uow, pytest.raises(ConcurrentEditError) as caught:
        uow.agents.update("ana", 1, team="APAC")
    assert caught.value.current.version == 2  # type: ignore[attr-defined]
    assert caught.value.attempted == {"team": "APAC"}
    with new_uow() as uow, pytest.raises(NotFoundError, match="no agent 'zoe'"):
        uow.agents.get("zoe")
    with new_uow() as uow, pytest.raises(DuplicateError):
        uow.agents.add(Agent("ana", "Another Ana", Role.AGENT, "EMEA", "UTC"))


def test_customer_overrides_round_trip(new_uow: UowFactory) -> None:
    seed(new_uow)
    overrides = {"calendars": {"x": {"timezone": "UTC", "hours": {"mon": ["08:00-12:00"]}}}}
    with new_uow() as uow:
        uow.customers.update("Acme AG", 1, overrides=overrides, plan="custom")
        uow.commit()
    with new_uow() as uow:
        acme = uow.customers.get("Acme AG")
    assert acme.plan == "custom" and acme.version == 2
    assert dict(acme.overrides) == overrides


def test_unknown_fields_are_refused(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow, pytest.raises(ValueError, match="no editable field"):
        uow.agents.update("ana", 1, salary=1)


# --------------------------------------------------------------------------- tickets


def test_ticket_round_trip_keeps_instants_exact_and_utc(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        stored = uow.tickets.add(*ticket())
        uow.commit()
    assert stored.version == 1
    with new_uow() as uow:
        loaded = uow.tickets.get("ZIT-1")
    assert loaded.submitted_at == T0 and loaded.submitted_at.utcoffset() == timedelta(0)
    assert loaded.next_due_at == T0 + timedelta(hours=2)
    assert (loaded.customer, loaded.assignee, loaded.status) == ("Acme AG", "ana", Status.OPEN)
    assert [e.kind for e in loaded.events] == [EventKind.CREATED]
    assert loaded.events[0].data == {"severity": 2, "status": "open"}


def test_instants_in_other_zones_are_stored_as_utc(new_uow: UowFactory) -> None:
    seed(new_uow)
    zurich = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Zurich"))
    with new_uow() as uow:
        uow.tickets.add(*ticket(submitted_at=zurich, next_due_at=None))
        uow.commit()
    with new_uow() as uow:
        loaded = uow.tickets.get("ZIT-1", with_events=False)
    assert loaded.submitted_at == zurich and loaded.submitted_at.tzinfo == UTC
    assert loaded.next_due_at is None and loaded.events == ()


def test_events_append_in_order(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add(*ticket("ZIT-1"))
        uow.tickets.add(*ticket("ZIT-2", assignee=None))
        uow.commit()
    with new_uow() as uow:
        for minutes in (5, 10):
            uow.tickets.append_event(
                "ZIT-1",
                TicketEvent(
                    EventKind.NOTE, T0 + timedelta(minutes=minutes), {"text": f"n{minutes}"}, "ana"
                ),
            )
        uow.commit()
    with new_uow() as uow:
        histories = uow.tickets.events_of(["ZIT-1", "ZIT-2", "ZIT-404"])
    assert [e.data.get("text") for e in histories["ZIT-1"]] == [None, "n5", "n10"]
    assert len(histories["ZIT-2"]) == 1 and histories["ZIT-404"] == ()
    with new_uow() as uow, pytest.raises(NotFoundError):
        uow.tickets.append_event("ZIT-404", TicketEvent(EventKind.NOTE, T0, {}, None))


def test_ticket_update_checks_the_version(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add(*ticket())
        uow.commit()
    with new_uow() as uow:
        updated = uow.tickets.update(
            "ZIT-1",
            1,
            status=Status.AWAITING_CUSTOMER,
            assignee="lee",
            waivers={"status_page"},
            severity=1,
        )
        uow.commit()
    assert (updated.version, updated.status, updated.assignee) == (
        2,
        Status.AWAITING_CUSTOMER,
        "lee",
    )
    assert updated.waivers == {"status_page"} and updated.severity == 1
    with new_uow() as uow, pytest.raises(ConcurrentEditError) as caught:
        uow.tickets.update("ZIT-1", 1, title="Something else")
    current = caught.value.current
    assert isinstance(current, Ticket) and current.version == 2 and current.assignee == "lee"
    assert "version 1" in str(caught.value) and "version 2" in str(caught.value)
    with new_uow() as uow:
        assert uow.tickets.get("ZIT-1").title == "Login fails"
    with new_uow() as uow, pytest.raises(NotFoundError):
        uow.tickets.update("ZIT-404", 1, title="x")
    with new_uow() as uow, pytest.raises(NotFoundError):
        uow.tickets.update("ZIT-1", 2, assignee="nobody")


def test_listing_and_counting(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add_many(
            [
                ticket("ZIT-3"),
                ticket("ZIT-1", status=Status.RESOLVED),
                ticket("ZIT-2", status=Status.AWAITING_CUSTOMER),
            ]
        )
        uow.commit()
    with new_uow() as uow:
        assert [t.key for t in uow.tickets.list()] == ["ZIT-2", "ZIT-3"]
        assert [t.key for t in uow.tickets.list(open_only=False)] == ["ZIT-1", "ZIT-2", "ZIT-3"]
        assert [t.key for t in uow.tickets.list(open_only=False, keys=["ZIT-3", "ZIT-1"])] == [
            "ZIT-1",
            "ZIT-3",
        ]
        assert (uow.tickets.count(), uow.tickets.count(open_only=True)) == (3, 2)
        assert all(t.events == () for t in uow.tickets.list())


def test_a_failed_batch_writes_nothing(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add(*ticket("ZIT-1"))
        uow.commit()
    with new_uow() as uow, pytest.raises((DuplicateError, NotFoundError)):
        uow.tickets.add_many([ticket("ZIT-2"), ticket("ZIT-3", customer="Nobody Inc")])
        uow.commit()
    with new_uow() as uow, pytest.raises(DuplicateError):
        uow.tickets.add_many([ticket("ZIT-4"), ticket("ZIT-1")])
        uow.commit()
    with new_uow() as uow:
        assert [t.key for t in uow.tickets.list()] == ["ZIT-1"]


def test_summary_cache_refresh_skips_tickets_edited_meanwhile(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add_many([ticket("ZIT-1"), ticket("ZIT-2")])
        uow.commit()
    with new_uow() as uow:
        uow.tickets.update("ZIT-2", 1, title="edited")
        uow.commit()
    later = T0 + timedelta(days=1)
    with new_uow() as uow:
        summary = QueueSummary(
            QueueGroup.DUE, Metric.INITIAL_RESPONSE, "business-hours", timedelta(hours=2)
        )
        moved = uow.tickets.set_summary(
            {"ZIT-1": (later, summary, 1), "ZIT-2": (later, summary, 1)}
        )
        uow.commit()
    assert moved == ["ZIT-2"]
    with new_uow() as uow:
        assert uow.tickets.get("ZIT-1").next_due_at == later
        assert uow.tickets.get("ZIT-1").summary == summary
        assert uow.tickets.get("ZIT-1").version == 1  # a cache refresh is not an edit
        assert uow.tickets.get("ZIT-2").next_due_at == T0 + timedelta(hours=2)


# --------------------------------------------------------------------------- transactions


def test_nothing_is_kept_without_commit(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        cursor = uow.changes.latest()
    with new_uow() as uow:
        uow.tickets.add(*ticket())
    with new_uow() as uow:
        uow.tickets.add(*ticket("ZIT-2"))
        uow.rollback()
        uow.commit()
    with new_uow() as uow:
        assert uow.tickets.count() == 0
        assert uow.changes.since(cursor) == []


def test_change_feed_lists_committed_changes_in_order(new_uow: UowFactory) -> None:
    with new_uow() as uow:
        assert uow.changes.latest() == 0
    seed(new_uow)
    with new_uow() as uow:
        start = uow.changes.latest()
        uow.tickets.add(*ticket())
        uow.commit()
    with new_uow() as uow:
        uow.tickets.update("ZIT-1", 1, title="Login loops")
        uow.tickets.append_event("ZIT-1", TicketEvent(EventKind.NOTE, T0, {}, "ana"))
        uow.commit()
    with new_uow() as uow:
        changes = uow.changes.since(start)
        assert [(c.entity, c.key, c.kind) for c in changes] == [
            ("ticket", "ZIT-1", ChangeKind.CREATED),
            ("ticket", "ZIT-1", ChangeKind.UPDATED),
            ("ticket", "ZIT-1", ChangeKind.EVENT),
        ]
        seqs = [c.seq for c in changes]
        assert seqs == sorted(seqs) and seqs[0] > start
        assert uow.changes.latest() == seqs[-1]
        assert uow.changes.since(seqs[-1]) == []
        assert len(uow.changes.since(start, limit=2)) == 2


# ------------------------------------------------------------------- holidays, presences, handovers


def test_holiday_periods(new_uow: UowFactory) -> None:
    with new_uow() as uow:
        period = uow.holidays.add(
            HolidayPeriod(
                None, "laioutr", date(2026, 12, 24), date(2026, 12, 31), "Year-end closure"
            )
        )
        uow.holidays.add(
            HolidayPeriod(None, "zitadel", date(2026, 8, 3), date(2026, 8, 7), "Summer")
        )
        uow.commit()
    assert period.id is not None and period.version == 1
    with new_uow() as uow:
        assert [p.reason for p in uow.holidays.list("laioutr")] == ["Year-end closure"]
        assert [p.policy_id for p in uow.holidays.list()] == ["zitadel", "laioutr"]
        moved = uow.holidays.update(period.id, 1, last=date(2027, 1, 2))
        uow.commit()
    assert moved.last == date(2027, 1, 2) and moved.version == 2
    with new_uow() as uow, pytest.raises(ConcurrentEditError):
        uow.holidays.delete(period.id, 1)
    with new_uow() as uow, pytest.raises(ValueError, match="ends before it starts"):
        uow.holidays.update(period.id, 2, first=date(2027, 2, 1))
    with new_uow() as uow:
        uow.holidays.delete(period.id, 2)
        uow.commit()
    with new_uow() as uow:
        assert [p.policy_id for p in uow.holidays.list()] == ["zitadel"]
        # Other consoles learn of it (they reload every row on a "holiday" change).
        last = uow.changes.since(uow.changes.latest() - 1)[0]
        assert (last.entity, last.key, last.kind) == ("holiday", str(period.id), ChangeKind.DELETED)
        with pytest.raises(NotFoundError):
            uow.holidays.delete(period.id, 2)


def test_presences(new_uow: UowFactory) -> None:
    """Added and deleted (never changed), listed by policy, country and subdivision, a whole
    country before its subdivisions; a policy has each presence once."""
    with new_uow() as uow:
        start = uow.changes.latest()
        vienna = uow.presences.add(PolicyPresence(None, "laioutr", Presence("AT", "9")))
        bavaria = uow.presences.add(PolicyPresence(None, "laioutr", Presence("DE", "BY")))
        germany = uow.presences.add(PolicyPresence(None, "laioutr", Presence("DE")))
        uow.presences.add(PolicyPresence(None, "acme", Presence("DE")))
        uow.commit()
    assert vienna.id is not None and bavaria.id is not None and vienna.version == 1
    assert vienna == PolicyPresence(vienna.id, "laioutr", Presence("AT", "9"), 1)
    with new_uow() as uow:
        assert [p.presence.code for p in uow.presences.list("laioutr")] == ["AT-9", "DE", "DE-BY"]
        assert [(p.policy_id, p.presence.code) for p in uow.presences.list()] == [
            ("acme", "DE"),
            ("laioutr", "AT-9"),
            ("laioutr", "DE"),
            ("laioutr", "DE-BY"),
        ]
        assert uow.presences.list("laioutr")[1] == germany
        changes = uow.changes.since(start)
    assert [(c.entity, c.kind) for c in changes] == [("presence", ChangeKind.CREATED)] * 4
    assert changes[0].key == str(vienna.id)
    with new_uow() as uow, pytest.raises(DuplicateError, match="laioutr has the presence DE"):
        uow.presences.add(PolicyPresence(None, "laioutr", Presence("DE")))
    with new_uow() as uow:
        uow.presences.delete(bavaria.id, 1)
        uow.commit()
    with new_uow() as uow:
        assert [p.presence.code for p in uow.presences.list("laioutr")] == ["AT-9", "DE"]
        last = uow.changes.since(uow.changes.latest() - 1)[0]
        assert (last.entity, last.key, last.kind) == (
            "presence",
            str(bavaria.id),
            ChangeKind.DELETED,
        )
        with pytest.raises(NotFoundError):
            uow.presences.delete(bavaria.id, 1)
    with new_uow() as uow, pytest.raises(ConcurrentEditError):
        uow.presences.delete(vienna.id, 2)
    with new_uow() as uow:  # nothing is kept without a commit
        uow.presences.delete(vienna.id, 1)
    with new_uow() as uow:
        assert len(uow.presences.list("laioutr")) == 2


def test_handovers_and_acknowledgement(new_uow: UowFactory) -> None:
    with new_uow() as uow:
        assert uow.handovers.latest() is None
        first = uow.handovers.add(
            Handover(
                None,
                "ana",
                T0,
                T0,
                T0 + timedelta(hours=8),
                "Quiet night",
                {"ZIT-1": "Customer calls back at 9"},
            )
        )
        second = uow.handovers.add(
            Handover(
                None,
                "lee",
                T0 + timedelta(hours=8),
                T0 + timedelta(hours=8),
                T0 + timedelta(hours=16),
            )
        )
        uow.commit()
    assert first.id != second.id
    with new_uow() as uow:
        latest = uow.handovers.latest()
        assert latest is not None and latest.author == "lee"
        assert uow.handovers.get(first.id).ticket_notes == {  # type: ignore[arg-type]
            "ZIT-1": "Customer calls back at 9"
        }
        acked = uow.handovers.update(
            second.id,
            1,
            acknowledged_by="ana",  # type: ignore[arg-type]
            acknowledged_at=T0 + timedelta(hours=8, minutes=5),
        )
        uow.commit()
    assert acked.acknowledged_by == "ana" and acked.version == 2


def test_most_urgent_follows_the_queue_order(new_uow: UowFactory) -> None:
    """The first page of the queue comes from the database in the order queue_key gives."""
    seed(new_uow)
    due = QueueSummary(
        QueueGroup.DUE, Metric.INITIAL_RESPONSE, "business-hours", timedelta(hours=2)
    )
    paused = QueueSummary(
        QueueGroup.PAUSED,
        Metric.INITIAL_RESPONSE,
        "business-hours",
        timedelta(hours=2),
        timedelta(minutes=30),
        Status.AWAITING_CUSTOMER,
    )
    specs = [
        ("ZIT-1", None, QueueSummary(QueueGroup.BEST_EFFORT)),
        ("ZIT-2", T0 + timedelta(hours=5), due),
        ("ZIT-3", None, paused),
        ("ZIT-4", T0 - timedelta(hours=3), due),
        ("ZIT-5", None, QueueSummary()),
        ("ZIT-6", T0 + timedelta(hours=1), due),
        ("ZIT-7", None, replace(paused, paused_left=timedelta(minutes=5))),
    ]
    with new_uow() as uow:
        uow.tickets.add_many(ticket(key, next_due_at=at, summary=clock) for key, at, clock in specs)
        uow.tickets.add(*ticket("ZIT-8", status=Status.RESOLVED, next_due_at=T0))
        uow.commit()
    with new_uow() as uow:
        urgent = [t.key for t in uow.tickets.most_urgent(10)]
        assert [t.key for t in uow.tickets.most_urgent(2)] == urgent[:2]
    expected = sorted(specs, key=lambda s: queue_key(s[0], s[1], s[2]))
    assert urgent == [key for key, _, _ in expected]
    assert urgent[:3] == ["ZIT-4", "ZIT-6", "ZIT-2"]


def test_audit_filters_by_ticket_actor_kind_and_time(new_uow: UowFactory) -> None:
    seed(new_uow)
    with new_uow() as uow:
        uow.tickets.add_many([ticket("ZIT-1"), ticket("ZIT-2")])
        uow.commit()
    with new_uow() as uow:
        for minutes, key, actor, kind in (
            (10, "ZIT-1", "ana", EventKind.NOTE),
            (20, "ZIT-2", "lee", EventKind.SEVERITY_CHANGED),
            (30, "ZIT-1", "lee", EventKind.STATUS_CHANGED),
        ):
            uow.tickets.append_event(
                key, TicketEvent(kind, T0 + timedelta(minutes=minutes), {"text": key}, actor)
            )
        uow.commit()
    with new_uow() as uow:
        everything = uow.tickets.audit()
        assert [(k, e.kind) for k, e in everything[:3]] == [
            ("ZIT-1", EventKind.STATUS_CHANGED),
            ("ZIT-2", EventKind.SEVERITY_CHANGED),
            ("ZIT-1", EventKind.NOTE),
        ]
        assert len(everything) == 5  # and the two "created"
        assert [k for k, _ in uow.tickets.audit(AuditFilter(actor="lee"))] == ["ZIT-1", "ZIT-2"]
        assert [
            e.kind
            for _, e in uow.tickets.audit(
                AuditFilter(key="ZIT-1", kinds=frozenset({EventKind.NOTE}))
            )
        ] == [EventKind.NOTE]
        window = uow.tickets.audit(
            AuditFilter(since=T0 + timedelta(minutes=10), until=T0 + timedelta(minutes=30))
        )
        assert [e.actor for _, e in window] == ["lee", "ana"]
        assert len(uow.tickets.audit(limit=2)) == 2
