"""Demo data (console.services.demo): deterministic, varied, and consistent with the clocks."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest

from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import (
    Agent,
    Customer,
    EventKind,
    Metric,
    Role,
    Status,
    TicketEvent,
)
from console.domain.policy import CompanyPeriod, load_policies
from console.domain.sla import ClockState
from console.services.demo import DemoData, generate, load_demo
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
POLICIES = load_policies()
LEADS = {"claire.dubois", "rachel.goldberg"}
PREFIXES = {"layer0": "L0", "laioutr": "LTR", "moboom": "MBM", "zitadel": "ZIT", "liveperson": "LP"}


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(PolicyBook(POLICIES), tickets=2_000, seed=7, now=NOW)


def book_with(data: DemoData) -> PolicyBook:
    """A book that knows the demo's company holiday periods, as one loaded from the database."""
    periods: dict[str, tuple[CompanyPeriod, ...]] = {}
    for p in data.holiday_periods:
        company = CompanyPeriod(p.first, p.last, p.reason)
        periods[p.policy_id] = (*periods.get(p.policy_id, ()), company)
    return PolicyBook(POLICIES, periods)


def customers_of(data: DemoData) -> dict[str, Customer]:
    return {c.name: c for c in data.customers}


def replay(events: Sequence[TicketEvent]) -> tuple[int, Status, str | None, frozenset[str]]:
    """Severity, status, assignee and waivers, read back from a history."""
    severity = int(events[0].data["severity"])
    status = Status(events[0].data["status"])
    assignee = None
    waivers: set[str] = set()
    for event in events:
        if event.kind is EventKind.SEVERITY_CHANGED:
            assert event.data["from"] == severity
            severity = int(event.data["to"])
        elif event.kind is EventKind.STATUS_CHANGED:
            status = Status(event.data["status"])
        elif event.kind is EventKind.ASSIGNED:
            assignee = event.data["assignee"]
        elif event.kind is EventKind.WAIVED:
            waivers.add(event.data["waiver"])
    return severity, status, assignee, frozenset(waivers)


def together(a: TicketEvent, b: TicketEvent) -> bool:
    """Whether ``b`` may share the instant of ``a``, the event before it."""
    if a.kind is EventKind.CREATED:
        return b.kind is EventKind.CUSTOMER_MESSAGE
    reopened = b.kind is EventKind.STATUS_CHANGED and b.data["status"] == Status.OPEN
    return a.kind is EventKind.CUSTOMER_MESSAGE and reopened


def responded(events: Sequence[TicketEvent]) -> bool:
    return any(e.kind is EventKind.RESPONDED and not e.data.get("automated") for e in events)


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_the_same_data() -> None:
    first = generate(PolicyBook(POLICIES), tickets=300, seed=11, now=NOW)
    again = generate(PolicyBook(POLICIES), tickets=300, seed=11, now=NOW)
    assert first == again
    other = generate(PolicyBook(POLICIES), tickets=300, seed=12, now=NOW)
    assert other != first
    assert [t.title for t, _ in other.tickets] != [t.title for t, _ in first.tickets]


def test_generate_leaves_the_book_alone() -> None:
    book = PolicyBook(POLICIES)
    generate(book, tickets=50, seed=1, now=NOW)
    assert book.periods == {}


def test_the_garbage_collector_is_left_as_it_was() -> None:
    """The cyclic collector rests while a demo is made, and is back as it was after."""
    assert gc.isenabled()
    generate(PolicyBook(POLICIES), tickets=20, seed=1, now=NOW)
    assert gc.isenabled()
    gc.disable()
    try:
        generate(PolicyBook(POLICIES), tickets=20, seed=1, now=NOW)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError, match="tickets"):
        generate(PolicyBook(POLICIES), tickets=-1, seed=1, now=NOW)
    assert gc.isenabled()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        generate(PolicyBook(POLICIES), tickets=10, seed=1, now=datetime(2026, 11, 20, 14, 30))
    with pytest.raises(ValueError, match="tickets"):
        generate(PolicyBook(POLICIES), tickets=-1, seed=1, now=NOW)


# --------------------------------------------------------------------------- people and customers


def test_agents_are_engineers_and_two_leads_across_three_teams(demo: DemoData) -> None:
    roles = Counter(a.role for a in demo.agents)
    assert roles[Role.LEAD] == 2
    assert 8 <= roles[Role.AGENT] <= 12
    assert {a.team for a in demo.agents} == {"EMEA", "AMER", "APAC"}
    assert {a.timezone for a in demo.agents} == {
        "Europe/Zurich",
        "Europe/Berlin",
        "America/Los_Angeles",
        "America/New_York",
        "Australia/Sydney",
    }
    for agent in demo.agents:
        assert re.fullmatch(r"[a-z]+\.[a-z]+", agent.name)
        assert agent.display_name.lower().replace(" ", ".") == agent.name
    assert {a.name for a in demo.agents if a.role is Role.LEAD} == LEADS


def test_every_plan_of_every_policy_has_several_customers(demo: DemoData) -> None:
    plans = Counter((c.policy_id, c.plan) for c in demo.customers)
    assert set(plans) == {(p.id, plan) for p in POLICIES.values() for plan in p.plans}
    assert min(plans.values()) >= 3
    assert len({c.name for c in demo.customers}) == len(demo.customers)
    for customer in demo.customers:
        assert customer.region in {"EMEA", "AMER", "APAC"}
        assert re.fullmatch(r"[a-z-]+@[a-z0-9-]+\.example\.com", customer.escalation_contact)


def test_customers_grow_mildly_with_the_ticket_count(demo: DemoData) -> None:
    small = generate(PolicyBook(POLICIES), tickets=500, seed=7, now=NOW)
    assert 25 <= len(small.customers) <= 40
    assert len(small.customers) < len(demo.customers) <= 80


def test_one_zitadel_custom_customer_has_its_own_hours_and_s1_target(demo: DemoData) -> None:
    custom = [c for c in demo.customers if c.overrides]
    assert len(custom) == 1
    customer = custom[0]
    assert (customer.policy_id, customer.plan) == ("zitadel", "custom")
    policy = PolicyBook(POLICIES).policy_for(customer)
    target = policy.target("custom", 1, Metric.INITIAL_RESPONSE)
    assert target is not None and target.duration == timedelta(minutes=20)
    assert target.calendar == "support-hours"
    hours = policy.calendar("support-hours")
    assert hours.is_open(datetime(2026, 11, 21, 5, 30, tzinfo=UTC))  # Sat 06:30 Zurich
    assert not hours.is_open(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))  # Sunday
    assert any(t.customer == customer.name for t, _ in demo.tickets)


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (NOW, date(2026, 12, 24)),
        (datetime(2027, 2, 3, 9, 0, tzinfo=UTC), date(2026, 12, 24)),
        (datetime(2027, 8, 3, 9, 0, tzinfo=UTC), date(2027, 12, 24)),
    ],
)
def test_laioutr_company_holidays_around_the_nearest_year_end(now: datetime, first: date) -> None:
    data = generate(PolicyBook(POLICIES), tickets=0, seed=1, now=now)
    (period,) = data.holiday_periods
    assert period.policy_id == "laioutr"
    assert period.first == first
    assert period.last == date(first.year + 1, 1, 1)
    assert data.tickets == ()


# --------------------------------------------------------------------------- tickets


def test_counts_keys_and_titles(demo: DemoData) -> None:
    assert len(demo.tickets) == 2_000
    customers = customers_of(demo)
    keys = [t.key for t, _ in demo.tickets]
    assert len(set(keys)) == len(keys)
    last: dict[str, tuple[int, datetime]] = {}
    for ticket, _ in demo.tickets:
        policy_id = customers[ticket.customer].policy_id
        prefix, number = ticket.key.split("-")
        assert prefix == PREFIXES[policy_id]
        if policy_id in last:
            assert int(number) > last[policy_id][0]
            assert ticket.submitted_at >= last[policy_id][1]
        last[policy_id] = (int(number), ticket.submitted_at)
    titles = Counter(t.title for t, _ in demo.tickets)
    assert all(titles)
    assert len(titles) >= 400
    assert titles.most_common(1)[0][1] < 60
    assert "Deploy to production failing" in {title.split(" (")[0] for title in titles}


def test_every_policy_and_plan_has_tickets(demo: DemoData) -> None:
    customers = customers_of(demo)
    used = {(customers[t.customer].policy_id, customers[t.customer].plan) for t, _ in demo.tickets}
    assert used == {(p.id, plan) for p in POLICIES.values() for plan in p.plans}


def test_severities_lean_to_the_less_severe_levels(demo: DemoData) -> None:
    customers = customers_of(demo)
    for policy in POLICIES.values():
        first = Counter(
            int(events[0].data["severity"])
            for t, events in demo.tickets
            if customers[t.customer].policy_id == policy.id
        )
        least = policy.severities[-1].level
        assert first[1] < first[least]
        assert first[1] < 0.12 * sum(first.values())


def test_submissions_spread_over_three_weeks_recent_ones_likelier(demo: DemoData) -> None:
    ages = [NOW - t.submitted_at for t, _ in demo.tickets]
    assert all(timedelta(0) <= age <= timedelta(days=21) for age in ages)
    last_week = sum(1 for age in ages if age <= timedelta(days=7))
    first_week = sum(1 for age in ages if age > timedelta(days=14))
    assert last_week > 2 * first_week > 0


def test_histories_are_ordered_and_never_after_now(demo: DemoData) -> None:
    for ticket, events in demo.tickets:
        created = events[0]
        assert created.kind is EventKind.CREATED
        assert dict(created.data) == {"severity": created.data["severity"], "status": "open"}
        assert created.at == ticket.submitted_at
        assert all(e.kind is not EventKind.CREATED for e in events[1:])
        for a, b in pairwise(events):
            # One instant is shared only by the customer's first message and the ticket it
            # opens, and by the customer's answer and the reopening it causes.
            assert a.at < b.at or (a.at == b.at and together(a, b)), ticket.key
        assert events[-1].at <= NOW
        assert ticket.events == ()


def test_ticket_fields_agree_with_their_histories(demo: DemoData) -> None:
    agents = {a.name for a in demo.agents}
    for ticket, events in demo.tickets:
        severity, status, assignee, waivers = replay(events)
        assert (ticket.severity, ticket.status, ticket.assignee, ticket.waivers) == (
            severity,
            status,
            assignee,
            waivers,
        ), ticket.key
        assert assignee is None or assignee in agents


def test_status_changes_follow_a_plausible_path(demo: DemoData) -> None:
    allowed = {
        Status.OPEN: {Status.AWAITING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED},
        Status.AWAITING_CUSTOMER: {Status.OPEN, Status.RESOLVED},
        Status.ON_HOLD: {Status.OPEN},
        Status.RESOLVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    for ticket, events in demo.tickets:
        status = Status.OPEN
        for event in events:
            if event.kind is EventKind.STATUS_CHANGED:
                new = Status(event.data["status"])
                assert new in allowed[status], ticket.key
                status = new
        if status.is_done:
            assert responded(events), ticket.key


def test_open_tickets_are_about_half(demo: DemoData) -> None:
    statuses = Counter(t.status for t, _ in demo.tickets)
    assert set(statuses) == set(Status)
    share = sum(n for s, n in statuses.items() if not s.is_done) / len(demo.tickets)
    assert 0.4 <= share <= 0.6
    unanswered = [t for t, events in demo.tickets if t.is_open and not responded(events)]
    assert 0.03 * len(demo.tickets) <= len(unanswered) <= 0.25 * len(demo.tickets)
    assert any(t.assignee is None for t in unanswered)
    assert sum(1 for t, _ in demo.tickets if t.assignee is None) < 0.1 * len(demo.tickets)


def test_histories_use_every_kind_of_event_the_way_the_policies_mean(demo: DemoData) -> None:
    customers = customers_of(demo)
    agents = {a.name for a in demo.agents}
    kinds: Counter[EventKind] = Counter()
    reasons: dict[str, set[str]] = {}
    for ticket, events in demo.tickets:
        policy = POLICIES[customers[ticket.customer].policy_id]
        for event in events:
            kinds[event.kind] += 1
            data = event.data
            if event.kind is EventKind.SEVERITY_CHANGED:
                assert event.actor in LEADS
                assert data["from"] != data["to"] and data["reason"]
                reasons.setdefault(policy.id, set()).add(data["reason"])
            elif event.kind is EventKind.WAIVED:
                assert policy.id == "laioutr"
                assert data["waiver"] in {"status_page", "personal_data"} and data["reason"]
            elif event.kind in (EventKind.ESCALATED, EventKind.ESCALATION_ANSWERED):
                assert policy.id == "zitadel"
                if event.kind is EventKind.ESCALATED:
                    assert isinstance(data["urgent"], bool)
            elif event.kind in (EventKind.UPDATE_SENT, EventKind.RCA_DELIVERED):
                assert policy.id == "liveperson"
            elif event.kind is EventKind.ASSIGNED:
                assert data["assignee"] in agents
            elif event.kind is EventKind.NOTE:
                assert data["text"]
            elif event.kind is EventKind.RESPONDED and not data.get("automated"):
                assert event.actor in agents
    assert set(kinds) == set(EventKind)
    for kind in (EventKind.WAIVED, EventKind.ESCALATED, EventKind.RCA_DELIVERED):
        assert kinds[kind] >= 5
    assert kinds[EventKind.ESCALATION_ANSWERED] < kinds[EventKind.ESCALATED]
    automated = sum(
        1 for _, events in demo.tickets for e in events if e.data.get("automated") is True
    )
    assert automated >= 100
    for policy_id in ("laioutr", "zitadel"):
        rules = {r.name for r in POLICIES[policy_id].severity_rules}
        assert rules & reasons[policy_id]


def test_every_clock_state_appears(demo: DemoData) -> None:
    book = book_with(demo)
    customers = customers_of(demo)
    states: Counter[ClockState] = Counter()
    metrics: set[Metric] = set()
    for ticket, events in demo.tickets:
        for clock in book.clocks(customers[ticket.customer], events, NOW):
            states[clock.state] += 1
            metrics.add(clock.metric)
    # DONE is a ticket's countdown with no clock left counting, never one clock's state.
    assert set(states) == set(ClockState) - {ClockState.DONE}
    assert metrics == set(Metric)
    assert states[ClockState.MET] > states[ClockState.BREACHED]


def test_next_due_at_equals_a_recomputation(demo: DemoData) -> None:
    book = book_with(demo)
    customers = customers_of(demo)
    due = 0
    for ticket, events in demo.tickets:
        assert ticket.next_due_at == book.next_due(customers[ticket.customer], events, NOW)
        due += ticket.next_due_at is not None
    assert 0 < due < len(demo.tickets)


# --------------------------------------------------------------------------- loading


def test_load_demo_writes_everything_in_one_unit_of_work_and_refuses_a_second_load() -> None:
    store = FakeStore()
    uow = FakeUnitOfWork(store, now=lambda: NOW)
    book = PolicyBook(POLICIES)
    data = load_demo(uow, book, tickets=300, seed=3, now=NOW)

    assert len(store.tickets) == 300
    assert set(store.agents) == {a.name for a in data.agents}
    assert set(store.customers) == {c.name for c in data.customers}
    assert [(p.policy_id, p.first, p.last) for p in store.holidays.values()] == [
        (p.policy_id, p.first, p.last) for p in data.holiday_periods
    ]
    assert book.periods == {}  # the book is immutable: a new one holds the stored periods
    with FakeUnitOfWork(store, now=lambda: NOW) as reading:
        assert "laioutr" in book.current(reading).periods
    customers = store.customers
    for ticket, events in data.tickets:
        stored = store.tickets[ticket.key]
        assert stored.version == 1
        assert (stored.title, stored.status, stored.severity, stored.next_due_at) == (
            ticket.title,
            ticket.status,
            ticket.severity,
            ticket.next_due_at,
        )
        assert tuple(store.events[ticket.key]) == events
        assert stored.next_due_at == book.next_due(customers[ticket.customer], events, NOW)
    changes = len(store.changes)
    assert {c.seq for c in store.changes} == set(range(1, changes + 1))

    with pytest.raises(ValueError, match="300 ticket"):
        load_demo(uow, book, tickets=10, seed=4, now=NOW)
    assert len(store.tickets) == 300
    assert len(store.changes) == changes


def test_load_demo_keeps_agents_that_exist_already() -> None:
    store = FakeStore()
    uow = FakeUnitOfWork(store, now=lambda: NOW)
    with uow:
        uow.agents.add(Agent("ana.ortiz", "Ana O.", Role.LEAD, "EMEA", "Europe/Madrid"))
        uow.commit()
    load_demo(uow, PolicyBook(POLICIES), tickets=50, seed=5, now=NOW)
    assert store.agents["ana.ortiz"].display_name == "Ana O."
    assert len(store.agents) == 12
    assert len(store.tickets) == 50


def test_load_demo_refuses_a_clashing_customer_and_writes_nothing() -> None:
    name = generate(PolicyBook(POLICIES), tickets=20, seed=6, now=NOW).customers[0].name
    store = FakeStore()
    uow = FakeUnitOfWork(store, now=lambda: NOW)
    with uow:
        uow.customers.add(Customer(name, "layer0", "enterprise"))
        uow.commit()
    with pytest.raises(ValueError, match="exist already"):
        load_demo(uow, PolicyBook(POLICIES), tickets=20, seed=6, now=NOW)
    assert store.agents == {} and store.tickets == {} and store.holidays == {}
