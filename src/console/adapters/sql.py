"""SQLAlchemy repositories and unit of work, for SQLite and PostgreSQL.

Writes are explicit ``UPDATE ... WHERE version = :expected`` statements: when no row
matches, someone else committed first and :class:`ConcurrentEditError` carries the row as it
is now. Change-feed entries are written at commit; on PostgreSQL a transaction-level
advisory lock makes their sequence numbers follow commit order (so a reader never skips a
change that commits late) and ``NOTIFY`` wakes listening consoles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any

from sqlalchemy import (
    Row,
    Table,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from console.adapters.database import Database, DatabaseLockedError
from console.adapters.records import (
    AgentRecord,
    ChangeRecord,
    CustomerRecord,
    HandoverRecord,
    HolidayPeriodRecord,
    TicketEventRecord,
    TicketRecord,
)
from console.adapters.repository import (
    AGENT_FIELDS,
    CUSTOMER_FIELDS,
    HANDOVER_FIELDS,
    HOLIDAY_FIELDS,
    TICKET_FIELDS,
    AgentRepository,
    AuditEntries,
    CachedClock,
    CachedClocks,
    ChangeFeed,
    Clock,
    CustomerRepository,
    HandoverRepository,
    HolidayPeriodRepository,
    Keys,
    TicketRepository,
    Tickets,
    UnitOfWork,
    check_fields,
    system_clock,
)
from console.domain.errors import ConcurrentEditError, DuplicateError, NotFoundError
from console.domain.model import (
    Agent,
    Change,
    ChangeKind,
    ClockPlan,
    Customer,
    EventKind,
    Handover,
    HolidayPeriod,
    Metric,
    PlannedClock,
    QueueKind,
    QueueSummary,
    Role,
    Status,
    Ticket,
    TicketEvent,
)

TICKETS: Table = TicketRecord.__table__  # type: ignore[assignment]
EVENTS: Table = TicketEventRecord.__table__  # type: ignore[assignment]
CHANGES: Table = ChangeRecord.__table__  # type: ignore[assignment]
HOLIDAY_PERIODS: Table = HolidayPeriodRecord.__table__  # type: ignore[assignment]

NOTIFY_CHANNEL = "console_changes"
# Any constant: the key of the advisory lock that orders change-feed writes.
CHANGE_LOCK_KEY = 7_340_113


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Repository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    @property
    def session(self) -> Session:
        return self.uow.session


# --------------------------------------------------------------------------- agents


def _agent(record: AgentRecord) -> Agent:
    return Agent(
        record.name,
        record.display_name,
        Role(record.role),
        record.team,
        record.timezone,
        record.version,
    )


class SqlAgentRepository(_Repository, AgentRepository):
    def add(self, agent: Agent) -> Agent:
        record = AgentRecord(
            name=agent.name,
            display_name=agent.display_name,
            role=agent.role.value,
            team=agent.team,
            timezone=agent.timezone,
        )
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError:
            raise DuplicateError(f"an agent named {agent.name!r} exists already") from None
        self.uow.record("agent", agent.name, ChangeKind.CREATED)
        return _agent(record)

    def _find(self, name: str) -> AgentRecord | None:
        return self.session.scalars(select(AgentRecord).where(AgentRecord.name == name)).first()

    def get(self, name: str) -> Agent:
        record = self._find(name)
        if record is None:
            raise NotFoundError("agent", name)
        return _agent(record)

    def list(self) -> list[Agent]:
        return [
            _agent(r) for r in self.session.scalars(select(AgentRecord).order_by(AgentRecord.name))
        ]

    def update(self, name: str, expected_version: int, **changes: Any) -> Agent:
        check_fields("agent", changes, AGENT_FIELDS)
        values = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
        _versioned_update(
            self.uow,
            AgentRecord,
            AgentRecord.name == name,
            expected_version,
            values,
            "agent",
            name,
            lambda: self._current(name),
        )
        self.uow.record("agent", name, ChangeKind.UPDATED)
        return self.get(name)

    def _current(self, name: str) -> Agent | None:
        self.session.expire_all()
        record = self._find(name)
        return _agent(record) if record is not None else None


def _versioned_update(
    uow: SqlUnitOfWork,
    record_type: Any,
    condition: Any,
    expected_version: int,
    values: Mapping[str, Any],
    entity: str,
    key: object,
    current: Any,
) -> None:
    statement = (
        update(record_type)
        .where(condition, record_type.version == expected_version)
        .values(**values, version=record_type.version + 1)
        .execution_options(synchronize_session=False)
    )
    result = uow.session.execute(statement)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        snapshot = current()
        if snapshot is None:
            raise NotFoundError(entity, key)
        raise ConcurrentEditError(entity, key, expected_version, snapshot, dict(values))
    uow.session.expire_all()


# --------------------------------------------------------------------------- customers


def _customer(record: CustomerRecord) -> Customer:
    return Customer(
        record.name,
        record.policy_id,
        record.plan,
        record.region,
        record.escalation_contact,
        dict(record.overrides or {}),
        record.version,
    )


class SqlCustomerRepository(_Repository, CustomerRepository):
    def add(self, customer: Customer) -> Customer:
        record = CustomerRecord(
            name=customer.name,
            policy_id=customer.policy_id,
            plan=customer.plan,
            region=customer.region,
            escalation_contact=customer.escalation_contact,
            overrides=dict(customer.overrides),
        )
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError:
            raise DuplicateError(f"a customer named {customer.name!r} exists already") from None
        self.uow.record("customer", customer.name, ChangeKind.CREATED)
        return _customer(record)

    def _find(self, name: str) -> CustomerRecord | None:
        return self.session.scalars(
            select(CustomerRecord).where(CustomerRecord.name == name)
        ).first()

    def get(self, name: str) -> Customer:
        record = self._find(name)
        if record is None:
            raise NotFoundError("customer", name)
        return _customer(record)

    def list(self) -> list[Customer]:
        return [
            _customer(r)
            for r in self.session.scalars(select(CustomerRecord).order_by(CustomerRecord.name))
        ]

    def update(self, name: str, expected_version: int, **changes: Any) -> Customer:
        check_fields("customer", changes, CUSTOMER_FIELDS)
        values = {k: (dict(v) if k == "overrides" else v) for k, v in changes.items()}
        _versioned_update(
            self.uow,
            CustomerRecord,
            CustomerRecord.name == name,
            expected_version,
            values,
            "customer",
            name,
            lambda: self._fresh(name),
        )
        self.uow.record("customer", name, ChangeKind.UPDATED)
        return self.get(name)

    def _fresh(self, name: str) -> Customer | None:
        self.session.expire_all()
        record = self._find(name)
        return _customer(record) if record is not None else None


# --------------------------------------------------------------------------- tickets

_customers = aliased(CustomerRecord)
_agents = aliased(AgentRecord)
_TICKET_COLUMNS = (
    TicketRecord.key,
    TicketRecord.title,
    _customers.name,
    TicketRecord.severity,
    TicketRecord.status,
    TicketRecord.submitted_at,
    _agents.name,
    TicketRecord.waivers,
    TicketRecord.next_due_at,
    TicketRecord.version,
    TicketRecord.clock_kind,
    TicketRecord.clock_metric,
    TicketRecord.clock_calendar,
    TicketRecord.clock_target_s,
    TicketRecord.clock_paused_left_s,
    TicketRecord.clock_paused_by,
)


# Plain dict look-ups: calling an enum class per row costs more than the rest of the row.
_KINDS = {k.value: k for k in QueueKind}
_METRICS = {m.value: m for m in Metric}
_STATUSES = {st.value: st for st in Status}
_EVENT_KINDS = {k.value: k for k in EventKind}


@lru_cache(maxsize=8_192)  # summaries are immutable, and most tickets share one
def _summary(
    kind: str,
    metric: str | None,
    calendar: str | None,
    target: int | None,
    left: int | None,
    paused_by: str | None,
) -> QueueSummary:
    return QueueSummary(
        _KINDS[kind],
        _METRICS[metric] if metric else None,
        calendar,
        timedelta(seconds=target) if target is not None else None,
        timedelta(seconds=left) if left is not None else None,
        _STATUSES[paused_by] if paused_by else None,
    )


def _summary_columns(clock: QueueSummary) -> dict[str, Any]:
    def whole(value: timedelta | None) -> int | None:
        return int(value.total_seconds()) if value is not None else None

    return {
        "clock_kind": clock.kind.value,
        "clock_metric": clock.metric.value if clock.metric else None,
        "clock_calendar": clock.calendar,
        "clock_target_s": whole(clock.target),
        "clock_paused_left_s": whole(clock.paused_left),
        "clock_paused_by": clock.paused_by.value if clock.paused_by else None,
        "clock_plan": plan_text(clock.plan),
    }


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_PLAN_FORMAT = 1


def plan_text(plan: ClockPlan | None) -> str | None:
    """A clock plan as compact JSON: instants and durations in whole microseconds,
    ``[format, as_of, basis, [[metric, calendar, target, [from, to, ...], since, paused_by],
    ...]]``."""
    if plan is None:
        return None

    def us(value: datetime) -> int:
        return (value - _EPOCH) // _MICROSECOND

    clocks = [
        [
            c.metric.value,
            c.calendar,
            c.target // _MICROSECOND,
            [us(t) for span in c.spans for t in span],
            us(c.since) if c.since is not None else None,
            c.paused_by.value if c.paused_by is not None else None,
        ]
        for c in plan.clocks
    ]
    return json.dumps([_PLAN_FORMAT, us(plan.as_of), plan.basis, clocks], separators=(",", ":"))


def plan_from(text: str | None) -> ClockPlan | None:
    """What :func:`plan_text` wrote; None for no plan or one in another format."""
    if not text:
        return None
    read = _PlanReader()
    plan = read.empty_plan(text)
    return read.plan(json.loads(text)) if plan is None else plan


# A plan with no clock, as plan_text writes it (a JSON integer, a hexadecimal basis).
_EMPTY_PLAN = re.compile(rf'\[{_PLAN_FORMAT},(-?(?:0|[1-9][0-9]*)),"([0-9a-f]*)",\[\]\]')


class _PlanReader:
    """Reads many clock plans, sharing what they have in common: the instant they were made
    (one recompute makes them all at one instant) and the whole plan when it has no clock."""

    def __init__(self) -> None:
        self._instants: dict[int, datetime] = {}
        self._empty: dict[str, ClockPlan] = {}

    def instant(self, us: int) -> datetime:
        found = self._instants.get(us)
        if found is None:
            found = self._instants[us] = _EPOCH + us * _MICROSECOND
        return found

    def empty_plan(self, text: str) -> ClockPlan | None:
        """The plan ``text`` when it has no clock (read without JSON), else None."""
        if not text.endswith(",[]]"):
            return None
        found = self._empty.get(text)
        if found is None:
            match = _EMPTY_PLAN.fullmatch(text)
            if match is None:
                return None
            found = self._empty[text] = ClockPlan(self.instant(int(match[1])), (), match[2])
        return found

    def plan(self, value: list[Any]) -> ClockPlan | None:
        form, as_of, basis, clocks = value
        if form != _PLAN_FORMAT:
            return None
        epoch, micro = _EPOCH, _MICROSECOND
        planned = []
        for metric, calendar, target, flat, since, paused_by in clocks:
            spans = tuple(
                (epoch + flat[i] * micro, epoch + flat[i + 1] * micro)
                for i in range(0, len(flat), 2)
            )
            planned.append(
                PlannedClock(
                    _METRICS[metric],
                    calendar,
                    target * micro,
                    spans,
                    epoch + since * micro if since is not None else None,
                    _STATUSES[paused_by] if paused_by is not None else None,
                )
            )
        return ClockPlan(self.instant(as_of), tuple(planned), basis)


def _ticket(row: Row[Any], events: tuple[TicketEvent, ...] = ()) -> Ticket:
    values = tuple(row)
    key, title, customer, severity, status, submitted, assignee, waivers, due, version = values[:10]
    return Ticket(
        key,
        title,
        customer,
        severity,
        _STATUSES[status],
        submitted,
        assignee,
        frozenset(waivers or ()),
        due,
        version,
        events,
        _summary(*values[10:]),
    )


def _event(record: Any) -> TicketEvent:
    return TicketEvent(EventKind(record.kind), record.at, dict(record.data or {}), record.actor)


class SqlTicketRepository(_Repository, TicketRepository):
    def _ids(self, table: Any, names: Iterable[str | None]) -> dict[str, int]:
        wanted = {n for n in names if n is not None}
        if not wanted:
            return {}
        found: dict[str, int] = {}
        for batch in _batched(sorted(wanted), 500):
            found.update(
                self.session.execute(
                    select(table.name, table.id).where(table.name.in_(batch))
                ).all()
            )
        missing = wanted - set(found)
        if missing:
            entity = "customer" if table is CustomerRecord else "agent"
            raise NotFoundError(entity, sorted(missing)[0])
        return found

    def _row(
        self, ticket: Ticket, customers: Mapping[str, int], agents: Mapping[str, int]
    ) -> dict[str, Any]:
        return {
            "key": ticket.key,
            "title": ticket.title,
            "customer_id": customers[ticket.customer],
            "severity": ticket.severity,
            "status": ticket.status.value,
            "assignee_id": agents[ticket.assignee] if ticket.assignee else None,
            "submitted_at": ticket.submitted_at,
            "waivers": sorted(ticket.waivers),
            "next_due_at": ticket.next_due_at,
            "version": 1,
            **_summary_columns(ticket.clock),
        }

    def add(self, ticket: Ticket, events: Sequence[TicketEvent]) -> Ticket:
        self.add_many([(ticket, events)])
        return self.get(ticket.key)

    def add_many(self, tickets: Iterable[tuple[Ticket, Sequence[TicketEvent]]]) -> int:
        count = 0
        now = self.uow.clock()
        for batch in _batched(tickets, 2_000):
            customers = self._ids(CustomerRecord, (t.customer for t, _ in batch))
            agents = self._ids(AgentRecord, (t.assignee for t, _ in batch))
            keys = [t.key for t, _ in batch]
            if len(set(keys)) != len(keys):
                raise DuplicateError("a ticket key appears twice in the same batch")
            try:
                # Core inserts run as one executemany per batch; the ORM's bulk path would
                # issue a statement per row for these tables.
                self.session.connection().execute(
                    insert(TICKETS),
                    [self._row(t, customers, agents) for t, _ in batch],
                )
            except IntegrityError as error:
                raise DuplicateError(
                    f"a ticket key exists already ({_first_line(error)})"
                ) from None
            ids = dict(
                self.session.execute(
                    select(TicketRecord.key, TicketRecord.id).where(TicketRecord.key.in_(keys))
                ).all()
            )
            rows = [
                {
                    "ticket_id": ids[t.key],
                    "kind": e.kind.value,
                    "at": e.at,
                    "actor": e.actor,
                    "data": dict(e.data),
                    "recorded_at": now,
                }
                for t, events in batch
                for e in events
            ]
            if rows:
                self.session.connection().execute(insert(EVENTS), rows)
            for key in keys:
                self.uow.record("ticket", key, ChangeKind.CREATED)
            count += len(batch)
        return count

    def _select(self) -> Any:
        return (
            select(*_TICKET_COLUMNS)
            .join(_customers, TicketRecord.customer_id == _customers.id)
            .outerjoin(_agents, TicketRecord.assignee_id == _agents.id)
        )

    def get(self, key: str, *, with_events: bool = True) -> Ticket:
        row = self.session.execute(self._select().where(TicketRecord.key == key)).first()
        if row is None:
            raise NotFoundError("ticket", key)
        events = self.events_of([key])[key] if with_events else ()
        return _ticket(row, events)

    def list(self, *, open_only: bool = True, keys: Iterable[str] | None = None) -> list[Ticket]:
        statement = self._select().order_by(TicketRecord.key)
        if open_only:
            statement = statement.where(
                TicketRecord.status.not_in([Status.RESOLVED.value, Status.CLOSED.value])
            )
        if keys is None:
            return [_ticket(row) for row in self.session.execute(statement)]
        found: list[Ticket] = []
        for batch in _batched(keys, 500):
            found.extend(
                _ticket(row)
                for row in self.session.execute(statement.where(TicketRecord.key.in_(batch)))
            )
        found.sort(key=lambda t: t.key)
        return found

    def audit(
        self,
        *,
        key: str | None = None,
        actor: str | None = None,
        kinds: Iterable[EventKind] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 10_000,
    ) -> AuditEntries:
        statement = select(TicketRecord.key, TicketEventRecord).join(
            TicketRecord, TicketEventRecord.ticket_id == TicketRecord.id
        )
        if key:
            statement = statement.where(TicketRecord.key == key)
        if actor:
            statement = statement.where(TicketEventRecord.actor == actor)
        if kinds is not None:
            statement = statement.where(TicketEventRecord.kind.in_([k.value for k in kinds]))
        if since is not None:
            statement = statement.where(TicketEventRecord.at >= since)
        if until is not None:
            statement = statement.where(TicketEventRecord.at < until)
        statement = statement.order_by(
            TicketEventRecord.at.desc(), TicketEventRecord.id.desc()
        ).limit(limit)
        return [(k, _event(record)) for k, record in self.session.execute(statement)]

    def most_urgent(self, limit: int) -> Tickets:
        rank = case(
            {
                QueueKind.DUE.value: 0,
                QueueKind.PAUSED.value: 1,
                QueueKind.BEST_EFFORT.value: 2,
                QueueKind.NO_TARGET.value: 3,
            },
            value=TicketRecord.clock_kind,
            else_=4,
        )
        statement = (
            self._select()
            .where(TicketRecord.status.not_in([Status.RESOLVED.value, Status.CLOSED.value]))
            .order_by(
                rank, TicketRecord.next_due_at, TicketRecord.clock_paused_left_s, TicketRecord.key
            )
            .limit(limit)
        )
        return [_ticket(row) for row in self.session.execute(statement)]

    def events_of(self, keys: Iterable[str]) -> dict[str, tuple[TicketEvent, ...]]:
        found: dict[str, list[TicketEvent]] = {}
        for batch in _batched(keys, 500):
            for key in batch:
                found[key] = []
            # Columns, not ORM entities: a recompute reads hundreds of thousands of events.
            statement = (
                select(
                    TicketRecord.key,
                    TicketEventRecord.kind,
                    TicketEventRecord.at,
                    TicketEventRecord.data,
                    TicketEventRecord.actor,
                )
                .join(TicketRecord, TicketEventRecord.ticket_id == TicketRecord.id)
                .where(TicketRecord.key.in_(batch))
                .order_by(TicketEventRecord.id)
            )
            for key, kind, at, data, actor in self.session.execute(statement):
                found[key].append(TicketEvent(_EVENT_KINDS[kind], at, data or {}, actor))
        return {key: tuple(events) for key, events in found.items()}

    def append_event(self, key: str, event: TicketEvent) -> None:
        ticket_id = self.session.scalar(select(TicketRecord.id).where(TicketRecord.key == key))
        if ticket_id is None:
            raise NotFoundError("ticket", key)
        self.session.connection().execute(
            insert(EVENTS),
            [
                {
                    "ticket_id": ticket_id,
                    "kind": event.kind.value,
                    "at": event.at,
                    "actor": event.actor,
                    "data": dict(event.data),
                    "recorded_at": self.uow.clock(),
                }
            ],
        )
        self.uow.record("ticket", key, ChangeKind.EVENT)

    def update(self, key: str, expected_version: int, **changes: Any) -> Ticket:
        check_fields("ticket", changes, TICKET_FIELDS)
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "assignee":
                values["assignee_id"] = self._ids(AgentRecord, [value])[value] if value else None
            elif name == "status":
                values["status"] = Status(value).value
            elif name == "waivers":
                values["waivers"] = sorted(value)
            elif name == "clock":
                values.update(_summary_columns(value))
            else:
                values[name] = value
        _versioned_update(
            self.uow,
            TicketRecord,
            TicketRecord.key == key,
            expected_version,
            values,
            "ticket",
            key,
            lambda: self._fresh(key),
        )
        self.uow.record("ticket", key, ChangeKind.UPDATED)
        return self.get(key)

    def _fresh(self, key: str) -> Ticket | None:
        row = self.session.execute(self._select().where(TicketRecord.key == key)).first()
        return _ticket(row) if row is not None else None

    def set_clock(self, values: Mapping[str, tuple[datetime | None, QueueSummary, int]]) -> Keys:
        if not values:
            return []
        table = TICKETS
        summary: dict[str, Any] = {
            name: bindparam(name) for name in _summary_columns(QueueSummary())
        }
        statement = (
            update(table)
            .where(
                table.c.key == bindparam("ticket_key"),
                table.c.version == bindparam("seen_version"),
            )
            .values(next_due_at=bindparam("due"), **summary)
        )
        moved: Keys = []
        for batch in _batched(values.items(), 5_000):
            self.session.connection().execute(
                statement,
                [
                    {"ticket_key": k, "due": d, "seen_version": v, **_summary_columns(c)}
                    for k, (d, c, v) in batch
                ],
            )
            keys = [k for k, _ in batch]
            current = dict(
                self.session.execute(
                    select(TicketRecord.key, TicketRecord.version).where(TicketRecord.key.in_(keys))
                ).all()
            )
            for key, (_, _, version) in batch:
                if current.get(key) != version:
                    moved.append(key)
                else:
                    self.uow.record("ticket", key, ChangeKind.RECOMPUTED)
        return moved

    def cached_clocks(self, keys: Iterable[str] | None = None) -> CachedClocks:
        table = TICKETS
        statement = (
            select(
                table.c.key,
                _customers.name,
                table.c.version,
                table.c.next_due_at,
                table.c.clock_kind,
                table.c.clock_metric,
                table.c.clock_calendar,
                table.c.clock_target_s,
                table.c.clock_paused_left_s,
                table.c.clock_paused_by,
                table.c.clock_plan,
            )
            .join(_customers, table.c.customer_id == _customers.id)
            .where(
                table.c.status.not_in([Status.RESOLVED.value, Status.CLOSED.value])
                | table.c.next_due_at.is_not(None)
            )
            .order_by(table.c.key)
        )
        batches = [None] if keys is None else list(_batched(keys, 500))
        rows: list[Any] = []
        for batch in batches:
            query = statement if batch is None else statement.where(table.c.key.in_(batch))
            rows.extend(self.session.execute(query))
        rows.sort(key=lambda row: row[0])
        read = _PlanReader()
        # One JSON document for all the plans: a parse per plan costs more than the plan.
        texts = [row[-1] for row in rows if row[-1] and read.empty_plan(row[-1]) is None]
        parsed = iter(json.loads(f"[{','.join(texts)}]"))
        found: CachedClocks = []
        for key, customer, version, due, *summary, stored in rows:
            plan = None
            if stored:
                plan = read.empty_plan(stored)
                if plan is None:
                    plan = read.plan(next(parsed))
            found.append(CachedClock(key, customer, version, due, _summary(*summary), plan))
        return found

    def count(self, *, open_only: bool = False) -> int:
        statement = select(func.count()).select_from(TicketRecord)
        if open_only:
            statement = statement.where(
                TicketRecord.status.not_in([Status.RESOLVED.value, Status.CLOSED.value])
            )
        return int(self.session.scalar(statement) or 0)


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).splitlines()[0]


# --------------------------------------------------------------------------- holidays


def _period(record: HolidayPeriodRecord) -> HolidayPeriod:
    return HolidayPeriod(
        record.id, record.policy_id, record.first, record.last, record.reason, record.version
    )


class SqlHolidayPeriodRepository(_Repository, HolidayPeriodRepository):
    def add(self, period: HolidayPeriod) -> HolidayPeriod:
        if period.last < period.first:
            raise ValueError(f"the period {period.reason!r} ends before it starts")
        record = HolidayPeriodRecord(
            policy_id=period.policy_id, first=period.first, last=period.last, reason=period.reason
        )
        self.session.add(record)
        self.session.flush()
        self.uow.record("holiday", record.id, ChangeKind.CREATED)
        return _period(record)

    def list(self, policy_id: str | None = None) -> list[HolidayPeriod]:
        statement = select(HolidayPeriodRecord).order_by(
            HolidayPeriodRecord.first, HolidayPeriodRecord.id
        )
        if policy_id is not None:
            statement = statement.where(HolidayPeriodRecord.policy_id == policy_id)
        return [_period(r) for r in self.session.scalars(statement)]

    def _fresh(self, period_id: int) -> HolidayPeriod | None:
        self.session.expire_all()
        record = self.session.get(HolidayPeriodRecord, period_id)
        return _period(record) if record is not None else None

    def update(self, period_id: int, expected_version: int, **changes: Any) -> HolidayPeriod:
        check_fields("holiday period", changes, HOLIDAY_FIELDS)
        _versioned_update(
            self.uow,
            HolidayPeriodRecord,
            HolidayPeriodRecord.id == period_id,
            expected_version,
            changes,
            "holiday period",
            period_id,
            lambda: self._fresh(period_id),
        )
        fresh = self._fresh(period_id)
        assert fresh is not None
        if fresh.last < fresh.first:
            raise ValueError(f"the period {fresh.reason!r} ends before it starts")
        self.uow.record("holiday", period_id, ChangeKind.UPDATED)
        return fresh

    def delete(self, period_id: int, expected_version: int) -> None:
        table = HOLIDAY_PERIODS
        result = self.session.execute(
            delete(table).where(table.c.id == period_id, table.c.version == expected_version)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            current = self._fresh(period_id)
            if current is None:
                raise NotFoundError("holiday period", period_id)
            raise ConcurrentEditError(
                "holiday period", period_id, expected_version, current, {"deleted": True}
            )
        self.uow.record("holiday", period_id, ChangeKind.DELETED)


# --------------------------------------------------------------------------- handovers


def _handover(record: HandoverRecord) -> Handover:
    return Handover(
        record.id,
        record.author,
        record.created_at,
        record.window_start,
        record.window_end,
        record.note,
        dict(record.ticket_notes or {}),
        record.acknowledged_by,
        record.acknowledged_at,
        record.version,
    )


class SqlHandoverRepository(_Repository, HandoverRepository):
    def add(self, handover: Handover) -> Handover:
        record = HandoverRecord(
            author=handover.author,
            created_at=handover.created_at,
            window_start=handover.window_start,
            window_end=handover.window_end,
            note=handover.note,
            ticket_notes=dict(handover.ticket_notes),
            acknowledged_by=handover.acknowledged_by,
            acknowledged_at=handover.acknowledged_at,
        )
        self.session.add(record)
        self.session.flush()
        self.uow.record("handover", record.id, ChangeKind.CREATED)
        return _handover(record)

    def get(self, handover_id: int) -> Handover:
        record = self.session.get(HandoverRecord, handover_id)
        if record is None:
            raise NotFoundError("handover", handover_id)
        return _handover(record)

    def latest(self) -> Handover | None:
        record = self.session.scalars(
            select(HandoverRecord).order_by(
                HandoverRecord.created_at.desc(), HandoverRecord.id.desc()
            )
        ).first()
        return _handover(record) if record is not None else None

    def update(self, handover_id: int, expected_version: int, **changes: Any) -> Handover:
        check_fields("handover", changes, HANDOVER_FIELDS)
        values = {k: (dict(v) if k == "ticket_notes" else v) for k, v in changes.items()}
        _versioned_update(
            self.uow,
            HandoverRecord,
            HandoverRecord.id == handover_id,
            expected_version,
            values,
            "handover",
            handover_id,
            lambda: self._fresh(handover_id),
        )
        self.uow.record("handover", handover_id, ChangeKind.UPDATED)
        return self.get(handover_id)

    def _fresh(self, handover_id: int) -> Handover | None:
        self.session.expire_all()
        record = self.session.get(HandoverRecord, handover_id)
        return _handover(record) if record is not None else None


# --------------------------------------------------------------------------- changes


class SqlChangeFeed(_Repository, ChangeFeed):
    def since(self, cursor: int, limit: int = 10_000) -> list[Change]:
        statement = (
            select(ChangeRecord)
            .where(ChangeRecord.seq > cursor)
            .order_by(ChangeRecord.seq)
            .limit(limit)
        )
        return [
            Change(r.seq, r.at, r.entity, r.key, ChangeKind(r.kind))
            for r in self.session.scalars(statement)
        ]

    def latest(self) -> int:
        return int(self.session.scalar(select(func.max(ChangeRecord.seq))) or 0)


# --------------------------------------------------------------------------- unit of work


def _sqlite_locked(database: Database, error: OperationalError) -> bool:
    """SQLite gave up waiting for a lock: "database is locked" (SQLITE_BUSY) or "database
    table is locked" (SQLITE_LOCKED)."""
    return database.is_sqlite and "is locked" in str(error.orig)


class SqlUnitOfWork(UnitOfWork):
    """A session per user action on ``database``; ``write=False`` for reading only."""

    def __init__(
        self, database: Database, *, write: bool = True, clock: Clock = system_clock
    ) -> None:
        super().__init__(clock)
        self.database = database
        self.write = write
        self.session: Session

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self.session = self.database.session(write=self.write)
        self.agents = SqlAgentRepository(self)
        self.customers = SqlCustomerRepository(self)
        self.tickets = SqlTicketRepository(self)
        self.holidays = SqlHolidayPeriodRepository(self)
        self.handovers = SqlHandoverRepository(self)
        self.changes = SqlChangeFeed(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self.session.close()
        error = exc[1]
        if isinstance(error, OperationalError) and _sqlite_locked(self.database, error):
            path = make_url(self.database.url).database or self.database.url
            waited = self.database.busy_seconds
            raise DatabaseLockedError(path, waited, writing=self.write) from error

    def commit(self) -> None:
        if self._pending:
            if self.database.dialect == "postgresql":
                self.session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOCK_KEY}
                )
            at = self.clock()
            unique = list(dict.fromkeys(self._pending))
            for batch in _batched(unique, 5_000):
                self.session.connection().execute(
                    insert(CHANGES),
                    [
                        {"at": at, "entity": entity, "key": key, "kind": kind.value}
                        for entity, key, kind in batch
                    ],
                )
            if self.database.dialect == "postgresql":
                self.session.execute(
                    text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL}
                )
        self.session.commit()
        self._pending = []

    def rollback(self) -> None:
        self.session.rollback()
        self._pending = []
