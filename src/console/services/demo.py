"""Demo data: a believable support queue over every policy and plan, made from a seed.

:func:`generate` is pure and deterministic; :func:`load_demo` writes its result in one
unit of work. Each ticket's history is planned as a whole (the customer's story) and cut
at ``now``, so every history is a prefix of a plausible one and the ticket's fields are
what that prefix implies.

The names, titles and habits come from :mod:`console.services.demo_catalogue`; a ticket's
story is told in :mod:`console.services.demo_story`, and what its people say (the customer's
messages, the engineers' replies and notes) comes from :mod:`console.services.demo_talk`.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.model import Agent, Customer, HolidayPeriod, Ticket, TicketEvent
from console.domain.policy import CompanyPeriod, Policy
from console.services.demo_catalogue import (
    COMPANY_FIRST,
    COMPANY_SECOND,
    CONTACTS,
    GROUPS,
    LEGAL_FORMS,
    ROSTER,
    flavour_of,
    zitadel_overrides,
)
from console.services.demo_story import Profile, Writer, customer_profile, ticket_fields
from console.services.tickets import PolicyBook

__all__ = ["DemoData", "generate", "load_demo"]


@dataclass(frozen=True)
class DemoData:
    """Everything a demo database holds; each ticket comes with its history."""

    agents: tuple[Agent, ...]
    customers: tuple[Customer, ...]
    holiday_periods: tuple[HolidayPeriod, ...]
    tickets: tuple[tuple[Ticket, tuple[TicketEvent, ...]], ...]


# --------------------------------------------------------------------------- people and customers


def _agents() -> tuple[Agent, ...]:
    return tuple(
        Agent(display.lower().replace(" ", "."), display, role, team, zone)
        for display, role, team, zone in ROSTER
    )


def _customer_count(tickets: int, plans: int) -> int:
    return max(3 * plans, round(2.0 * math.pow(max(tickets, 1), 0.435)))


def _company_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, domain slug) pairs; the legal form is added later."""
    pairs = [(a, b) for a in COMPANY_FIRST for b in COMPANY_SECOND]
    rng.shuffle(pairs)
    names: list[tuple[str, str]] = []
    for i in range(count):
        first, second = pairs[i % len(pairs)]
        round_ = i // len(pairs)
        suffix = GROUPS[round_] if round_ < len(GROUPS) else f" {round_}"
        slug = f"{first}-{second}{suffix.replace(' ', '-')}".lower()
        names.append((f"{first} {second}{suffix}", slug))
    return names


def _customers(
    rng: random.Random, policies: Sequence[Policy], tickets: int
) -> tuple[list[Customer], list[float]]:
    """Several customers per plan, more for more tickets, each with its ticket activity."""
    plans = [(p, pid) for p in policies for pid in p.plans]
    total = _customer_count(tickets, len(plans))
    weights = [flavour_of(p).plan_weights.get(pid, 2.0) for p, pid in plans]
    scale = total / sum(weights)
    counts = [max(3, round(w * scale)) for w in weights]
    names = _company_names(rng, sum(counts))
    customers: list[Customer] = []
    activity: list[float] = []
    overridden = False
    for (policy, pid), count in zip(plans, counts, strict=True):
        flavour = flavour_of(policy)
        for _ in range(count):
            base, slug = names[len(customers)]
            region = rng.choice(flavour.regions)
            overrides: dict[str, Any] = {}
            if policy.id == "zitadel" and pid == "custom" and not overridden:
                overrides, overridden = zitadel_overrides(), True
            customers.append(
                Customer(
                    f"{base} {rng.choice(LEGAL_FORMS[region])}",
                    policy.id,
                    pid,
                    region,
                    f"{rng.choice(CONTACTS)}@{slug}.example.com",
                    overrides,
                )
            )
            activity.append(flavour.plan_activity.get(pid, 1.0) * rng.lognormvariate(0.0, 0.5))
    return customers, activity


def _holiday_periods(policies: Mapping[str, Policy], now: datetime) -> tuple[HolidayPeriod, ...]:
    """Laioutr's winter break around the year end nearest to ``now``."""
    if "laioutr" not in policies:
        return ()
    year = now.year if now.month >= 7 else now.year - 1
    return (
        HolidayPeriod(
            None, "laioutr", date(year, 12, 24), date(year + 1, 1, 1), "Company winter break"
        ),
    )


def _with_periods(book: PolicyBook, periods: Sequence[HolidayPeriod]) -> PolicyBook:
    """A book like ``book`` that also knows ``periods``."""
    merged = dict(book.periods)
    for period in periods:
        company = CompanyPeriod(period.first, period.last, period.reason)
        if company not in merged.get(period.policy_id, ()):
            merged[period.policy_id] = (*merged.get(period.policy_id, ()), company)
    return book.with_policy_periods(merged)


# --------------------------------------------------------------------------- generate and load


@contextmanager
def _bulk() -> Iterator[None]:
    """The cyclic garbage collector paused while the demo is made and written: millions of
    small objects, and no cycles among them, that it would only walk again and again (a
    quarter of the time of a large demo). Reference counting frees memory as ever."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate(book: PolicyBook, *, tickets: int, seed: int, now: datetime) -> DemoData:
    """Demo agents, customers, company holidays and ``tickets`` tickets with their histories.

    Pure and deterministic in ``(tickets, seed, now)``. Every event is at or before ``now``;
    ``next_due_at`` is computed with the book's company holiday periods plus the demo's.
    """
    with _bulk():
        return _generate(book, tickets=tickets, seed=seed, now=now)


def _generate(book: PolicyBook, *, tickets: int, seed: int, now: datetime) -> DemoData:
    if tickets < 0:
        raise ValueError(f"tickets must be zero or more, not {tickets}")
    if now.tzinfo is None:
        raise ValueError(f"now {now!r} is naive: it must carry a time zone")
    now = now.astimezone(UTC)
    rng = random.Random(seed)
    agents = _agents()
    policies = [book.policies[pid] for pid in sorted(book.policies)]
    periods = _holiday_periods(book.policies, now)
    demo_book = _with_periods(book, periods)
    customers, activity = _customers(rng, policies, tickets)
    profiles = [customer_profile(demo_book, c) for c in customers]

    picks = rng.choices(range(len(profiles)), weights=activity, k=tickets)
    firsts: dict[tuple[str, str], int] = {}
    for i, profile in enumerate(profiles):
        firsts.setdefault((profile.customer.policy_id, profile.customer.plan), i)
    picks[: len(firsts)] = list(firsts.values())[: len(picks)]

    writer = Writer(rng, now, agents, demo_span(tickets))
    planned: list[tuple[datetime, int, Profile, str, tuple[TicketEvent, ...]]] = []
    for index, pick in enumerate(picks):
        profile = profiles[pick]
        severity = rng.choices(profile.levels, cum_weights=profile.cum_weights)[0]
        submitted = writer.submitted(profile.customer.region, severity)
        subject = writer.title(profile, severity, submitted)
        events = writer.history(profile, severity, submitted, subject).events(now)
        title = subject.title
        planned.append((submitted, index, profile, title, events))
    planned.sort(key=lambda item: (item[0], item[1]))

    numbers = {p.id: rng.randint(100, 4000) for p in policies}
    made: list[tuple[Ticket, tuple[TicketEvent, ...]]] = []
    for submitted, _, profile, title, events in planned:
        customer = profile.customer
        numbers[customer.policy_id] += rng.choice((1, 1, 1, 2, 3))
        key = f"{profile.flavour.prefix}-{numbers[customer.policy_id]}"
        severity, status, assignee, waivers = ticket_fields(events)
        due, clock = demo_book.queue_state(customer, events, now)
        ticket = Ticket(
            key,
            title,
            customer.name,
            severity,
            status,
            submitted,
            assignee,
            waivers,
            due,
            summary=clock,
        )
        made.append((ticket, events))
    return DemoData(agents, tuple(customers), periods, tuple(made))


# A large demo is a team's history: about this many tickets a day, over at most a year.
DEMO_TICKETS_A_DAY = 2_000


def demo_span(tickets: int) -> timedelta:
    """How far back a demo of ``tickets`` tickets goes: three weeks up to 42,000 tickets,
    then a day per 2,000 tickets, at most a year (1,000,000 tickets: 365 days)."""
    days = min(365, max(21, math.ceil(tickets / DEMO_TICKETS_A_DAY)))
    return timedelta(days=days)


def load_demo(
    uow: UnitOfWork, book: PolicyBook, *, tickets: int = 500, seed: int = 1, now: datetime
) -> DemoData:
    """Generate demo data and write it all in one unit of work, then commit.

    Refuses (ValueError) when the database has tickets already or knows a demo customer.
    Agents that exist already are kept as they are.

    The data is made between two transactions (a million tickets take minutes, longer than
    a server lets a transaction sit idle); the writing one checks again that the database
    is empty.
    """
    with uow:
        _refuse_tickets(uow)
        book = book.current(uow)
    data = generate(book, tickets=tickets, seed=seed, now=now)
    with uow, _bulk():
        _refuse_tickets(uow)
        known = {c.name for c in uow.customers.list()}
        clash = sorted(known.intersection(c.name for c in data.customers))
        if clash:
            raise ValueError(f"customer(s) {', '.join(clash)} exist already: no demo data loaded")
        agents = {a.name for a in uow.agents.list()}
        for agent in data.agents:
            if agent.name not in agents:
                uow.agents.add(agent)
        for customer in data.customers:
            uow.customers.add(customer)
        stored = {(p.policy_id, p.first, p.last) for p in uow.holidays.list()}
        for period in data.holiday_periods:
            if (period.policy_id, period.first, period.last) not in stored:
                uow.holidays.add(period)
        uow.tickets.add_many(data.tickets)
        uow.commit()
    return data


def _refuse_tickets(uow: UnitOfWork) -> None:
    existing = uow.tickets.count()
    if existing:
        raise ValueError(
            f"the database has {existing} ticket(s) already: demo data goes only into an "
            "empty database"
        )
