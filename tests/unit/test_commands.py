"""Every user action is a command with exactly one handler, and each handler runs in exactly
one unit of work: the check, the write, the derived state and the change feed commit
together, or nothing does."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.errors import ConcurrentEditError, PermissionDeniedError
from console.domain.model import (
    Channel,
    EventKind,
    HolidayPeriod,
    Presence,
    Role,
    Status,
    Ticket,
)
from console.domain.policy import load_policies
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import HANDLERS, handle
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
LEAD = "claire.dubois"


class CountingUnitOfWork(FakeUnitOfWork):
    """A fake unit of work that counts how often it is entered and committed."""

    def __init__(self, store: FakeStore) -> None:
        super().__init__(store, now=FakeTime(NOW))
        self.entered = 0
        self.commits = 0

    def __enter__(self) -> CountingUnitOfWork:
        self.entered += 1
        super().__enter__()
        return self

    def commit(self) -> None:
        self.commits += 1
        super().commit()


def concrete_commands() -> set[type[c.Command]]:
    def walk(cls: type[c.Command]) -> Iterator[type[c.Command]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    # dataclass(slots=True) leaves the class it replaced among the subclasses: keep the
    # module's own; a base that other commands extend (TicketCommand) is no action.
    named = {cls for cls in walk(c.Command) if getattr(c, cls.__name__, None) is cls}
    return {cls for cls in named if not any(issubclass(o, cls) for o in named - {cls})}


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


def open_ticket(store: FakeStore, prefix: str = "", **wanted: Any) -> Ticket:
    return next(
        t
        for t in sorted(store.tickets.values(), key=lambda t: t.key)
        if t.is_open
        and t.key.startswith(prefix)
        and all(getattr(t, k) == v for k, v in wanted.items())
    )


def an_agent(store: FakeStore) -> str:
    return next(a.name for a in store.agents.values() if a.role is Role.AGENT)


def example(command_type: type[c.Command], store: FakeStore) -> tuple[c.Command, str]:
    """A command of each type that its handler accepts on the demo store, and who sends it."""
    ticket = open_ticket(store, status=Status.OPEN)
    key, version = ticket.key, ticket.version
    laioutr = open_ticket(store, "LTR-")
    examples: dict[type[c.Command], tuple[c.Command, str]] = {
        c.AssignTicket: (c.AssignTicket(key, version, LEAD), LEAD),
        c.RecordResponse: (c.RecordResponse(key, version, "On it"), LEAD),
        c.SendUpdate: (c.SendUpdate(key, version, "Still on it"), LEAD),
        c.SetStatus: (c.SetStatus(key, version, Status.AWAITING_CUSTOMER), LEAD),
        c.Escalate: (c.Escalate(key, version, urgent=True), LEAD),
        c.AnswerEscalation: (c.AnswerEscalation(key, version, "Manager here"), LEAD),
        c.DeliverRca: (c.DeliverRca(key, version, "Root cause"), LEAD),
        c.Waive: (
            c.Waive(laioutr.key, laioutr.version, "status_page", "On the status page"),
            LEAD,
        ),
        c.AddNote: (c.AddNote(key, version, "Called the customer"), LEAD),
        c.RecordCustomerMessage: (
            c.RecordCustomerMessage(key, version, "It is down again", Channel.PHONE),
            LEAD,
        ),
        c.ChangeSeverity: (
            c.ChangeSeverity(
                ((laioutr.key, laioutr.version),), 4 if laioutr.severity != 4 else 3, "Less urgent"
            ),
            LEAD,
        ),
        c.OpenTicket: (
            c.OpenTicket("NEW-1", "Cannot log in", ticket.customer, 2, NOW - timedelta(minutes=5)),
            LEAD,
        ),
        c.EditHolidayPeriods: (
            c.EditHolidayPeriods(
                "laioutr",
                added=(
                    HolidayPeriod(None, "laioutr", date(2026, 12, 28), date(2026, 12, 30), "Break"),
                ),
            ),
            LEAD,
        ),
        c.SetPresences: (c.SetPresences("laioutr", (Presence("DE", "BY"),), seen=()), LEAD),
        c.RecomputeDue: (c.RecomputeDue("laioutr"), LEAD),
        c.HandOver: (c.HandOver(NOW, NOW + timedelta(hours=8), "Quiet shift"), LEAD),
    }
    if command_type is c.AnswerEscalation:  # an escalation waits for its answer first
        escalated = handle(
            examples[c.Escalate][0],
            FakeUnitOfWork(store, now=FakeTime(NOW)),
            PolicyBook(load_policies()),
            LEAD,
        )
        return c.AnswerEscalation(key, escalated.version, "Manager here"), LEAD
    if command_type is c.AcknowledgeHandover:
        handover = handle(
            examples[c.HandOver][0],
            FakeUnitOfWork(store, now=FakeTime(NOW)),
            PolicyBook(load_policies()),
            LEAD,
        )
        return c.AcknowledgeHandover(handover.id, handover.version), an_agent(store)
    return examples[command_type]


def test_every_command_has_exactly_one_handler() -> None:
    assert set(HANDLERS) == concrete_commands()
    assert len(set(HANDLERS.values())) == len(HANDLERS)  # no handler serves two commands


# The mailbox's commands act on tables only the SQL databases keep: their one unit of work is
# checked in tests/contract/test_mail_store.py.
MAIL_COMMANDS = {c.ConfigureMailbox, c.SetMailContact, c.DiscardMail}


@pytest.mark.parametrize(
    "command_type", sorted(concrete_commands() - MAIL_COMMANDS, key=lambda t: t.__name__)
)
def test_each_handler_runs_in_one_unit_of_work(
    command_type: type[c.Command], store: FakeStore, book: PolicyBook
) -> None:
    command, actor = example(command_type, store)
    before = len(store.changes)
    uow = CountingUnitOfWork(store)
    handle(command, uow, book, actor)
    assert (uow.entered, uow.commits) == (1, 1)
    if command_type is not c.RecomputeDue:  # nothing to recompute on a fresh demo
        assert len(store.changes) > before  # the change feed is part of the same commit


def test_a_command_that_fails_half_way_writes_nothing(store: FakeStore, book: PolicyBook) -> None:
    """Given two ZITADEL tickets, the second of which ZITADEL's policy will not let change
    without notifying the customer, a bulk change is refused after the first ticket's event
    was appended: nothing at all is stored."""
    first = open_ticket(store, "ZIT-", severity=3)
    second = next(
        t
        for t in sorted(store.tickets.values(), key=lambda t: t.key)
        if t.is_open and t.key.startswith("ZIT-") and t.severity == 4
    )
    events_before = {k: len(v) for k, v in store.events.items()}
    changes_before = len(store.changes)
    stale = second.version - 1
    command = c.ChangeSeverity(((first.key, first.version), (second.key, stale)), 2, "x", True)
    uow = CountingUnitOfWork(store)
    with pytest.raises(ConcurrentEditError):
        handle(command, uow, book, LEAD)
    assert uow.commits == 0
    assert {k: len(v) for k, v in store.events.items()} == events_before
    assert len(store.changes) == changes_before
    assert store.tickets[first.key] == first


def test_the_actor_and_the_instant_come_from_the_bus_not_the_command(
    store: FakeStore, book: PolicyBook
) -> None:
    ticket = open_ticket(store, status=Status.OPEN)
    fields = {f.name for f in dataclasses.fields(c.RecordResponse)}
    assert not fields & {"actor", "at", "recorded_at"}
    clock = FakeTime(NOW + timedelta(minutes=7))
    handle(
        c.RecordResponse(ticket.key, ticket.version, "Hello"),
        FakeUnitOfWork(store, now=clock),
        book,
        LEAD,
    )
    last = store.events[ticket.key][-1]
    assert (last.kind, last.actor, last.at) == (EventKind.RESPONDED, LEAD, clock.now)


def test_retrying_after_a_conflict_is_the_same_command_on_the_new_version(
    store: FakeStore, book: PolicyBook
) -> None:
    ticket = open_ticket(store, status=Status.OPEN)
    seen = c.AddNote(ticket.key, ticket.version, "first look")
    handle(c.SendUpdate(ticket.key, ticket.version), FakeUnitOfWork(store), book, LEAD)
    with pytest.raises(ConcurrentEditError) as conflict:
        handle(seen, FakeUnitOfWork(store), book, LEAD)
    current = conflict.value.current
    assert isinstance(current, Ticket)
    retried = seen.on(current)
    assert (retried.key, retried.text, retried.version) == (
        ticket.key,
        "first look",
        ticket.version + 1,
    )
    handle(retried, FakeUnitOfWork(store), book, LEAD)
    assert store.events[ticket.key][-1].data["text"] == "first look"


def test_nobody_and_strangers_change_nothing(store: FakeStore, book: PolicyBook) -> None:
    ticket = open_ticket(store, status=Status.OPEN)
    with pytest.raises(PermissionDeniedError, match="choose who you are"):
        handle(c.AddNote(ticket.key, ticket.version, "x"), FakeUnitOfWork(store), book, None)
    with pytest.raises(PermissionDeniedError, match="mallory is not an agent of this database"):
        handle(c.AddNote(ticket.key, ticket.version, "x"), FakeUnitOfWork(store), book, "mallory")
    with pytest.raises(PermissionDeniedError, match="mallory is not an agent"):
        handle(
            c.AssignTicket(ticket.key, ticket.version, None), FakeUnitOfWork(store), book, "mallory"
        )
    assert store.tickets[ticket.key] == ticket


def test_a_bulk_change_leaves_out_tickets_at_the_new_severity(
    store: FakeStore, book: PolicyBook
) -> None:
    first = open_ticket(store, "ZIT-", severity=3)
    second = open_ticket(store, "ZIT-", severity=2)
    command = c.ChangeSeverity(((first.key, first.version), (second.key, second.version)), 2, "x")
    changed = handle(command, FakeUnitOfWork(store, now=FakeTime(NOW)), book, LEAD)
    assert [t.key for t in changed] == [first.key]
    assert store.tickets[first.key].severity == 2
    assert store.tickets[second.key] == second  # untouched, no event
    only = c.ChangeSeverity(((second.key, second.version),), 2, "x")
    with pytest.raises(ValueError, match=f"{second.key} is already at severity 2"):
        handle(only, FakeUnitOfWork(store, now=FakeTime(NOW)), book, LEAD)


def test_taking_ones_own_ticket_writes_nothing(store: FakeStore, book: PolicyBook) -> None:
    ticket = open_ticket(store, status=Status.OPEN, assignee=None)
    me = an_agent(store)
    taken = handle(c.AssignTicket(ticket.key, ticket.version, me), FakeUnitOfWork(store), book, me)
    events, changes = len(store.events[ticket.key]), len(store.changes)
    again = handle(c.AssignTicket(taken.key, taken.version, me), FakeUnitOfWork(store), book, me)
    assert again.version == taken.version
    assert (len(store.events[ticket.key]), len(store.changes)) == (events, changes)
