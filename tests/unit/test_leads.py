"""Team-lead actions: refused for agents, a reason required, Layer0's notice, and a preview
that agrees with what the change then does on every clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.errors import PermissionDeniedError
from console.domain.model import EventKind, Role
from console.domain.policy import load_policies
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from history import actions, add_holiday_period, change_severity, preview_severity, within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LEAD = "claire.dubois"


@pytest.fixture(scope="module")
def base() -> FakeStore:
    store = FakeStore()
    load_demo(
        FakeUnitOfWork(store, now=FakeTime(NOW)),
        PolicyBook(load_policies()),
        tickets=240,
        seed=17,
        now=NOW,
    )
    return store


@pytest.fixture
def store(base: FakeStore) -> FakeStore:
    return base.copy()


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


def uow(store: FakeStore) -> FakeUnitOfWork:
    return FakeUnitOfWork(store, now=FakeTime(NOW))


def an_agent(store: FakeStore) -> str:
    return next(a.name for a in store.agents.values() if a.role is Role.AGENT)


def test_demo_has_the_lead_the_tests_use(store: FakeStore) -> None:
    assert store.agents[LEAD].role is Role.LEAD


def test_an_agent_may_not_change_severity(store: FakeStore, book: PolicyBook) -> None:
    ticket = next(t for t in store.tickets.values() if t.is_open and t.severity > 1)
    agent = an_agent(store)
    with pytest.raises(PermissionDeniedError, match=r"is for team leads: .* is an agent"):
        change_severity(uow(store), book, ticket, agent, 1, "Site down")
    assert store.tickets[ticket.key].severity == ticket.severity


def test_a_lead_changes_severity_with_an_audited_event(store: FakeStore, book: PolicyBook) -> None:
    ticket = next(
        t
        for t in store.tickets.values()
        if t.is_open and t.severity > 1 and t.key.startswith("ZIT-")
    )
    updated = change_severity(uow(store), book, ticket, LEAD, 1, "Core services down")
    assert updated.severity == 1 and updated.version == ticket.version + 1
    event = store.events[ticket.key][-1]
    assert event.kind is EventKind.SEVERITY_CHANGED and event.actor == LEAD
    assert dict(event.data) == {
        "from": ticket.severity,
        "to": 1,
        "reason": "Core services down",
        "customer_notified": False,
    }


def test_reason_and_layer0_notice_are_required(store: FakeStore, book: PolicyBook) -> None:
    ticket = next(
        t
        for t in store.tickets.values()
        if t.is_open
        and t.key.startswith("L0-")
        and t.severity > 1
        and store.customers[t.customer].plan == "enterprise"
    )
    with pytest.raises(ValueError, match="needs a reason"):
        change_severity(uow(store), book, ticket, LEAD, 1, "  ")
    with pytest.raises(ValueError, match="requires notifying the customer"):
        change_severity(uow(store), book, ticket, LEAD, 1, "Production deploys failing")
    updated = change_severity(
        uow(store), book, ticket, LEAD, 1, "Production deploys failing", customer_notified=True
    )
    assert updated.severity == 1
    with pytest.raises(ValueError, match="already at severity 1"):
        change_severity(uow(store), book, updated, LEAD, 1, "again", customer_notified=True)


def test_the_preview_agrees_with_the_change_on_every_clock(
    store: FakeStore, book: PolicyBook
) -> None:
    """Over generated tickets of every policy, the preview's 'after' clocks are exactly the
    clocks computed once the change is made."""
    checked = 0
    for ticket in sorted(store.tickets.values(), key=lambda t: t.key):
        if not ticket.is_open:
            continue
        levels = len(book.policy_for(store.customers[ticket.customer]).severities)
        to = ticket.severity - 1 if ticket.severity > 1 else min(levels, ticket.severity + 1)
        if to == ticket.severity:
            continue
        preview = preview_severity(uow(store), book, ticket, to)
        current = store.tickets[ticket.key]
        change_severity(
            uow(store),
            book,
            current,
            LEAD,
            to,
            "Checked by the preview test",
            customer_notified=True,
        )
        customer = store.customers[ticket.customer]
        with uow(store) as reading:
            stored = book.current(reading)  # with the company holiday periods
        after = {c.metric: c for c in stored.clocks(customer, store.events[ticket.key], NOW)}
        for change in preview:
            assert change.after == after.get(change.metric), (ticket.key, change.metric)
        assert {c.metric for c in preview if c.after is not None} == set(after)
        checked += 1
    assert checked > 50


def test_reassigning_someone_elses_ticket_is_for_leads(store: FakeStore, book: PolicyBook) -> None:
    ticket = next(t for t in store.tickets.values() if t.is_open and t.assignee is not None)
    other = next(
        a.name for a in store.agents.values() if a.role is Role.AGENT and a.name != ticket.assignee
    )
    with pytest.raises(PermissionDeniedError, match="Reassigning"):
        actions.assign(uow(store), book, ticket, other, other)
    moved = actions.assign(uow(store), book, ticket, LEAD, other)
    assert moved.assignee == other
    unassigned = next(t for t in store.tickets.values() if t.is_open and t.assignee is None)
    taken = actions.assign(uow(store), book, unassigned, other, other)
    assert taken.assignee == other


def test_calendars_are_for_leads(store: FakeStore, book: PolicyBook) -> None:
    agent = an_agent(store)
    with pytest.raises(PermissionDeniedError, match="Editing calendars"):
        add_holiday_period(
            uow(store), book, agent, "laioutr", date(2026, 12, 1), date(2026, 12, 2), "Offsite"
        )
    period, _ = add_holiday_period(
        uow(store), book, LEAD, "laioutr", date(2026, 12, 1), date(2026, 12, 2), "Offsite"
    )
    assert period.reason == "Offsite"
    with pytest.raises(ValueError, match="take no company holiday periods"):
        add_holiday_period(
            uow(store), book, LEAD, "zitadel", date(2026, 12, 1), date(2026, 12, 2), "Offsite"
        )


def test_the_editor_says_how_many_due_instants_move(store: FakeStore, book: PolicyBook) -> None:
    """Before a lead saves a Laioutr company holiday period, the console says how many open
    tickets' due instants it moves; saving moves exactly those."""
    from console.domain.policy import CompanyPeriod
    from console.services.calendars import moves_if

    period = CompanyPeriod(date(2026, 11, 23), date(2026, 11, 24), "Offsite")
    predicted = within(uow(store), moves_if, book, "laioutr", [period])
    _, moved = add_holiday_period(
        uow(store), book, LEAD, "laioutr", period.first, period.last, period.reason
    )
    assert predicted == moved > 0


def test_bulk_severity_change_is_all_or_nothing(store: FakeStore, book: PolicyBook) -> None:
    """Given three ZITADEL tickets at S3, a lead lowers them to S4 in one action; when one of
    them changed meanwhile, none is changed."""
    from console.domain.errors import ConcurrentEditError
    from history import change_severity_many

    picked = [
        t
        for t in sorted(store.tickets.values(), key=lambda t: t.key)
        if t.is_open and t.key.startswith("ZIT-") and t.severity == 3
    ][:3]
    assert len(picked) == 3
    stale = list(picked)
    actions.add_note(uow(store), book, picked[1], LEAD, "meanwhile")
    with pytest.raises(ConcurrentEditError):
        change_severity_many(uow(store), book, stale, LEAD, 4, "Workaround exists")
    assert [store.tickets[t.key].severity for t in picked] == [3, 3, 3]
    fresh = [store.tickets[t.key] for t in picked]
    with pytest.raises(PermissionDeniedError):
        change_severity_many(uow(store), book, fresh, an_agent(store), 4, "Workaround exists")
    changed = change_severity_many(uow(store), book, fresh, LEAD, 4, "Workaround exists")
    assert [t.severity for t in changed] == [4, 4, 4]
    assert all(store.events[t.key][-1].data["reason"] == "Workaround exists" for t in picked)
