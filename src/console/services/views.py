"""Every read the window (and the command line) makes, as a query object returning an
immutable view snapshot (cosmicpython's ``views.py``).

A query is a frozen dataclass; :meth:`Query.run` reads it in one unit of work, with the
policy book holding the company holiday periods and presences stored at that moment and the
unit of work's clock as ``now``. Queries of the same type and ``topic`` answer the same question, so
the dispatcher lets a newer one supersede an older one still on its way.
"""

from __future__ import annotations

import abc
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from types import MappingProxyType
from typing import Generic, TypeVar

from console.adapters.bulk import collection_paused
from console.adapters.repository import UnitOfWork
from console.domain.model import (
    Agent,
    AuditFilter,
    Channel,
    Customer,
    HolidayPeriod,
    Metric,
    PolicyPresence,
    Presence,
    Ticket,
)
from console.domain.policy import CompanyPeriod, Policy, PolicyError
from console.domain.sla import ClockChange
from console.services.audit import AuditRow, load_audit
from console.services.calendars import moves_if, presence_moves_if
from console.services.conversation import Conversation, conversation_of
from console.services.handover import HandoverBoard, load_board
from console.services.leads import preview_severity
from console.services.queue import QueueRow, TicketDetail, load_detail, load_rows
from console.services.report import ReportLine, sla_report
from console.services.texts import target_text
from console.services.tickets import PolicyBook

T = TypeVar("T")


class Query(abc.ABC, Generic[T]):
    """A read. Subclasses are frozen dataclasses and implement :meth:`read`."""

    def run(self, uow: UnitOfWork, book: PolicyBook) -> T:
        """The answer, read in one unit of work of ``uow``."""
        with uow:
            return self.read(uow, book.current(uow), uow.now())

    @abc.abstractmethod
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> T:
        """The answer, inside the open ``uow``."""

    @property
    def topic(self) -> Hashable:
        """Queries with equal topics answer the same question (a newer one supersedes)."""
        return type(self)


@dataclass(frozen=True, slots=True)
class QueueRows(Query[list[QueueRow]]):
    """Open tickets in queue order: all, the ``limit`` most urgent, or those of ``keys``
    (closed ones included when ``open_only`` is false)."""

    keys: tuple[str, ...] | None = None
    open_only: bool = True
    limit: int | None = None

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[QueueRow]:
        return load_rows(uow, book, self.keys, open_only=self.open_only, limit=self.limit)

    @property
    def topic(self) -> Hashable:
        # The first page, the whole queue and a few changed rows are three questions: a
        # newer one supersedes an older one of its own kind only (the first page never
        # supersedes the whole queue asked with it).
        return (QueueRows, self.keys is not None, self.limit is not None)


@dataclass(frozen=True, slots=True)
class Agents(Query[list[Agent]]):
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[Agent]:
        return uow.agents.list()


@dataclass(frozen=True, slots=True)
class DetailView(TicketDetail):
    """A ticket's detail with its :attr:`conversation` (oldest first), its people by display
    name as they were when read."""

    conversation: Conversation


@dataclass(frozen=True, slots=True)
class Detail(Query[DetailView]):
    """One ticket with its history, for the detail pane: every stored event, one that makes
    no sense marked (:attr:`TicketEvent.invalid`), which the clocks leave out; and the
    conversation those events make."""

    key: str

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> DetailView:
        from console.services.mail_views import deliveries_of, quotes_of

        detail = load_detail(uow, book, self.key)
        names = {agent.name: agent.display_name for agent in uow.agents.list()}
        customer = detail.row.customer
        thread = conversation_of(
            detail.events,
            names,
            detail.row.policy,
            customer=customer.name,
            clocks=lambda events, at: book.clocks(customer, events, at),
            deliveries=deliveries_of(uow, self.key),
            quotes=quotes_of(uow, self.key),
        )
        return DetailView(detail.row, detail.events, detail.book, thread)


@dataclass(frozen=True, slots=True)
class SeverityPreviewView:
    key: str
    to: int
    changes: tuple[ClockChange, ...]
    now: datetime


@dataclass(frozen=True, slots=True)
class SeverityPreview(Query[SeverityPreviewView]):
    """Every clock of a ticket now and with its severity changed to ``to``."""

    key: str
    to: int

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> SeverityPreviewView:
        changes = preview_severity(uow, book, self.key, self.to, now)
        return SeverityPreviewView(self.key, self.to, changes, now)

    @property
    def topic(self) -> Hashable:
        return (SeverityPreview, self.key)


@dataclass(frozen=True, slots=True)
class HolidayPeriods(Query[list[HolidayPeriod]]):
    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[HolidayPeriod]:
        return uow.holidays.list()


@dataclass(frozen=True, slots=True)
class HolidayMoves(Query[int]):
    """How many due instants would move if ``policy_id``'s periods were ``periods``."""

    policy_id: str
    periods: tuple[CompanyPeriod, ...]

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> int:
        return moves_if(uow, book, self.policy_id, self.periods)


@dataclass(frozen=True, slots=True)
class Presences(Query[list[PolicyPresence]]):
    """The presences leads named, of every policy (a policy without any keeps the holidays
    its file names)."""

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> list[PolicyPresence]:
        return uow.presences.list()


@dataclass(frozen=True, slots=True)
class PresenceMoves(Query[int]):
    """How many due instants would move if ``policy_id``'s presences were ``presences``."""

    policy_id: str
    presences: tuple[Presence, ...]

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> int:
        return presence_moves_if(uow, book, self.policy_id, self.presences)


@dataclass(frozen=True, slots=True)
class Board(Query[HandoverBoard]):
    """The handover board of ``[start, end)`` with the last handover."""

    start: datetime
    end: datetime

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> HandoverBoard:
        return load_board(uow, book, self.start, self.end)


@dataclass(frozen=True, slots=True)
class ReportView:
    since: datetime
    until: datetime
    lines: Sequence[ReportLine]


@dataclass(frozen=True, slots=True)
class Report(Query[ReportView]):
    """The SLA report of the tickets submitted in ``[since, until)``, clocks at now."""

    since: datetime
    until: datetime
    # Told (done, total) while tickets are computed from their histories (called from the
    # thread that reads); not part of the question.
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> ReportView:
        lines = sla_report(uow, book, self.since, self.until, now, self.progress)
        return ReportView(self.since, self.until, tuple(lines))


@dataclass(frozen=True, slots=True)
class AuditView:
    filter: AuditFilter
    rows: Sequence[AuditRow]


@dataclass(frozen=True, slots=True)
class Audit(Query[AuditView]):
    """The events matching a filter, newest first."""

    filter: AuditFilter

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> AuditView:
        return AuditView(self.filter, tuple(load_audit(uow, self.filter)))


# --------------------------------------------------------------------------- new ticket


@dataclass(frozen=True, slots=True)
class SeverityChoice:
    """One of a policy's own severity levels, as its file defines it."""

    level: int
    name: str
    description: str
    examples: tuple[str, ...]

    @property
    def definition(self) -> str:
        """The description, then the examples the policy gives (if any), one a line."""
        lines = [self.description]
        if self.examples:
            lines.append("Examples:")
            lines.extend(f"\u2022 {example}" for example in self.examples)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class PolicyChoice:
    """What a new ticket under one policy may be: its severities, the channels a ticket may
    come in by, and the key the next ticket gets (``key_prefix`` and one more than the
    highest number in use with it, when the choices were read)."""

    id: str
    vendor: str
    name: str
    severities: tuple[SeverityChoice, ...]
    channels: tuple[Channel, ...]
    key_prefix: str
    next_key: str


@dataclass(frozen=True, slots=True)
class CustomerChoice:
    """A customer to open a ticket for, with what follows from it: the policy's vendor, the
    plan, the mail domain of its escalation contact ("" without one), and per severity level
    the initial response target its plan (and overrides) promise, in words."""

    name: str
    policy_id: str
    vendor: str
    plan: str
    plan_name: str
    domain: str
    escalation_contact: str
    first_response: Mapping[int, str]

    @property
    def label(self) -> str:
        """``Cobalt Foods Co. · Layer0 Enterprise``."""
        return f"{self.name} \u00b7 {self.vendor} {self.plan_name}"

    def matches(self, text: str) -> bool:
        """Whether ``text`` is part of the label (the name, vendor and plan) or of the mail
        domain, in any case."""
        needle = text.strip().casefold()
        return needle in self.label.casefold() or (bool(self.domain) and needle in self.domain)


@dataclass(frozen=True, slots=True)
class NewTicketChoicesView:
    customers: tuple[CustomerChoice, ...]  # by name
    policies: Mapping[str, PolicyChoice]
    now: datetime


# The policy files name no channels a ticket may come in by (the documents do, in prose and
# per plan): every channel is offered. A policy that names its own would narrow this.
ALL_CHANNELS = tuple(Channel)
_NUMBERED_KEY = re.compile(r"(?P<prefix>.+)-(?P<number>[0-9]+)")
_NOT_IN_KEY = re.compile(r"[^A-Za-z0-9._-]")


def mail_domain(contact: str) -> str:
    """The domain of a mail address (``oncall@cobalt-foods.example.com`` ->
    ``cobalt-foods.example.com``, also from ``Name <address>``), in lower case; "" when
    ``contact`` holds no address."""
    address = parseaddr(contact)[1] or contact
    local, at, domain = address.strip().rpartition("@")
    return domain.strip().strip(">").casefold() if at and local else ""


def default_key_prefix(policy_id: str) -> str:
    """The key prefix of a policy none of whose customers has a numbered ticket yet: its id
    in capitals (``LAYER0``), so no two policies share one."""
    return _NOT_IN_KEY.sub("", policy_id.upper()) or "T"


def next_ticket_keys(
    tickets: Iterable[Ticket], customers: Iterable[Customer], policy_ids: Iterable[str]
) -> dict[str, tuple[str, str]]:
    """Per policy, its key prefix and the key of its next ticket.

    The prefix is the one most used by the numbered keys (``PREFIX-NUMBER``) of tickets of
    the policy's customers, open or closed (on a tie, the first in alphabetical order), else
    :func:`default_key_prefix`. The next key is the prefix with one more than the highest
    number any ticket has with that prefix, whatever its policy (``L0-3583`` ->
    ``L0-3584``; ``LAYER0-1`` for a prefix not in use)."""
    policy_of = {c.name: c.policy_id for c in customers}
    used: dict[str, Counter[str]] = {}
    highest: dict[str, int] = {}
    for ticket in tickets:
        match = _NUMBERED_KEY.fullmatch(ticket.key)
        if match is None:
            continue
        prefix, number = match["prefix"], int(match["number"])
        highest[prefix] = max(highest.get(prefix, 0), number)
        policy_id = policy_of.get(ticket.customer)
        if policy_id is not None:
            used.setdefault(policy_id, Counter())[prefix] += 1
    found: dict[str, tuple[str, str]] = {}
    for policy_id in policy_ids:
        counts = used.get(policy_id)
        if counts:
            prefix = min(counts, key=lambda p: (-counts[p], p))
        else:
            prefix = default_key_prefix(policy_id)
        found[policy_id] = (prefix, f"{prefix}-{highest.get(prefix, 0) + 1}")
    return found


def following_key(key: str) -> str | None:
    """The key after ``key`` with the same prefix (``L0-3584`` -> ``L0-3585``); None for a
    key without a number."""
    match = _NUMBERED_KEY.fullmatch(key)
    return None if match is None else f"{match['prefix']}-{int(match['number']) + 1}"


def _read_keys(
    uow: UnitOfWork, book: PolicyBook, customers: Sequence[Customer]
) -> dict[str, tuple[str, str]]:
    with collection_paused():
        return next_ticket_keys(uow.tickets.list(open_only=False), customers, book.policies)


def _first_responses(book: PolicyBook, customer: Customer, policy: Policy) -> dict[int, str]:
    try:
        effective = book.policy_for(customer)
        targets = {
            s.level: effective.target(customer.plan, s.level, Metric.INITIAL_RESPONSE)
            for s in policy.severities
        }
    except (PolicyError, KeyError):  # overrides or a plan the policy refuses: no promise shown
        return {}
    return {level: target_text(t, effective) for level, t in targets.items() if t is not None}


def _customer_choice(book: PolicyBook, customer: Customer, policy: Policy) -> CustomerChoice:
    plan = policy.plans.get(customer.plan)
    return CustomerChoice(
        customer.name,
        customer.policy_id,
        policy.vendor,
        customer.plan,
        plan.name if plan is not None else customer.plan,
        mail_domain(customer.escalation_contact),
        customer.escalation_contact,
        MappingProxyType(_first_responses(book, customer, policy)),
    )


def _policy_choice(policy: Policy, key: tuple[str, str]) -> PolicyChoice:
    severities = tuple(
        SeverityChoice(s.level, s.name, s.description, s.examples) for s in policy.severities
    )
    return PolicyChoice(
        policy.id, policy.vendor, policy.name, severities, ALL_CHANNELS, key[0], key[1]
    )


@dataclass(frozen=True, slots=True)
class NewTicketChoices(Query[NewTicketChoicesView]):
    """What the New ticket dialog offers: every customer whose policy the console knows, each
    policy's severities and channels, and its next ticket key (see :func:`next_ticket_keys`).
    Reads every ticket's key: about 2 s for 100,000 tickets on SQLite."""

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> NewTicketChoicesView:
        stored = uow.customers.list()
        keys = _read_keys(uow, book, stored)
        policies = {pid: _policy_choice(policy, keys[pid]) for pid, policy in book.policies.items()}
        customers = tuple(
            _customer_choice(book, c, book.policies[c.policy_id])
            for c in sorted(stored, key=lambda c: c.name.casefold())
            if c.policy_id in book.policies
        )
        return NewTicketChoicesView(customers, MappingProxyType(policies), now)


@dataclass(frozen=True, slots=True)
class NextTicketKey(Query[str]):
    """The key the next ticket of ``policy_id`` gets now (see :func:`next_ticket_keys`)."""

    policy_id: str

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> str:
        if self.policy_id not in book.policies:
            raise KeyError(f"no policy {self.policy_id!r}")
        return _read_keys(uow, book, uow.customers.list())[self.policy_id][1]

    @property
    def topic(self) -> Hashable:
        return (NextTicketKey, self.policy_id)


@dataclass(frozen=True, slots=True)
class SchemaRevision(Query[str | None]):
    """The database's schema revision (None for a store without migrations): Help ▸ About
    names it."""

    def run(self, uow: UnitOfWork, book: PolicyBook) -> str | None:
        with uow:  # no policy book needed
            return uow.schema_revision()

    def read(self, uow: UnitOfWork, book: PolicyBook, now: datetime) -> str | None:
        return uow.schema_revision()
