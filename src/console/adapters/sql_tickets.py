"""The SQL repository of tickets and their histories.

Ticket rows carry a summary of their SLA clocks (``clock_*`` columns and the clock projection), so
that the queue reads without replaying histories; see :mod:`console.adapters.sql_rows`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from console.adapters.records import AgentRecord, CustomerRecord, TicketEventRecord, TicketRecord
from console.adapters.repository import (
    TICKET_FIELDS,
    AuditEntries,
    CachedSummaries,
    CachedSummary,
    Keys,
    TicketRepository,
    Tickets,
    check_fields,
)
from console.adapters.sql_repositories import VersionedRepository
from console.adapters.sql_rows import (
    EVENT_KINDS,
    EVENTS,
    TICKETS,
    ProjectionReader,
    batched,
    event_from,
    summary_columns,
    summary_from,
    ticket_from,
)
from console.domain.errors import DuplicateError, NotFoundError
from console.domain.model import (
    ALL_EVENTS,
    AuditFilter,
    ChangeKind,
    QueueGroup,
    QueueSummary,
    Status,
    Ticket,
    TicketEvent,
)

_customers = aliased(CustomerRecord)
_agents = aliased(AgentRecord)
# Tickets still in the queue: neither resolved nor closed.
_IS_OPEN = TicketRecord.status.not_in([Status.RESOLVED.value, Status.CLOSED.value])
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


class SqlTicketRepository(VersionedRepository, TicketRepository):
    entity = "ticket"
    record_type = TicketRecord

    def _ids(self, table: Any, names: Iterable[str | None]) -> dict[str, int]:
        wanted = {n for n in names if n is not None}
        if not wanted:
            return {}
        found: dict[str, int] = {}
        for batch in batched(sorted(wanted), 500):
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
            **summary_columns(ticket.summary),
        }

    def add(self, ticket: Ticket, events: Sequence[TicketEvent]) -> Ticket:
        self.add_many([(ticket, events)])
        return self.get(ticket.key)

    def add_many(self, tickets: Iterable[tuple[Ticket, Sequence[TicketEvent]]]) -> int:
        count = 0
        now = self.uow.now()
        for batch in batched(tickets, 2_000):
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
        return ticket_from(row, events)

    def list(self, *, open_only: bool = True, keys: Iterable[str] | None = None) -> list[Ticket]:
        statement = self._select().order_by(TicketRecord.key)
        if open_only:
            statement = statement.where(_IS_OPEN)
        if keys is None:
            return [ticket_from(row) for row in self.session.execute(statement)]
        found: list[Ticket] = []
        for batch in batched(keys, 500):
            found.extend(
                ticket_from(row)
                for row in self.session.execute(statement.where(TicketRecord.key.in_(batch)))
            )
        found.sort(key=lambda t: t.key)
        return found

    def audit(self, wanted: AuditFilter = ALL_EVENTS, limit: int = 10_000) -> AuditEntries:
        statement = select(TicketRecord.key, TicketEventRecord).join(
            TicketRecord, TicketEventRecord.ticket_id == TicketRecord.id
        )
        if wanted.key:
            statement = statement.where(TicketRecord.key == wanted.key)
        if wanted.actor:
            statement = statement.where(TicketEventRecord.actor == wanted.actor)
        if wanted.kinds is not None:
            kinds = [k.value for k in wanted.kinds]
            statement = statement.where(TicketEventRecord.kind.in_(kinds))
        if wanted.since is not None:
            statement = statement.where(TicketEventRecord.at >= wanted.since)
        if wanted.until is not None:
            statement = statement.where(TicketEventRecord.at < wanted.until)
        statement = statement.order_by(
            TicketEventRecord.at.desc(), TicketEventRecord.id.desc()
        ).limit(limit)
        return [(k, event_from(record)) for k, record in self.session.execute(statement)]

    def most_urgent(self, limit: int) -> Tickets:
        rank = case(
            {
                QueueGroup.DUE.value: 0,
                QueueGroup.PAUSED.value: 1,
                QueueGroup.BEST_EFFORT.value: 2,
                QueueGroup.NO_TARGET.value: 3,
            },
            value=TicketRecord.clock_kind,
            else_=4,
        )
        statement = (
            self._select()
            .where(_IS_OPEN)
            .order_by(
                rank, TicketRecord.next_due_at, TicketRecord.clock_paused_left_s, TicketRecord.key
            )
            .limit(limit)
        )
        return [ticket_from(row) for row in self.session.execute(statement)]

    def events_of(self, keys: Iterable[str]) -> dict[str, tuple[TicketEvent, ...]]:
        found: dict[str, list[TicketEvent]] = {}
        for batch in batched(keys, 500):
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
                found[key].append(TicketEvent(EVENT_KINDS[kind], at, data or {}, actor))
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
                    "recorded_at": self.uow.now(),
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
            elif name == "summary":
                values.update(summary_columns(value))
            else:
                values[name] = value
        self._update(TicketRecord.key == key, key, expected_version, values)
        self.uow.record("ticket", key, ChangeKind.UPDATED)
        return self.get(key)

    def _fresh(self, key: str) -> Ticket | None:
        row = self.session.execute(self._select().where(TicketRecord.key == key)).first()
        return ticket_from(row) if row is not None else None

    def set_summary(self, values: Mapping[str, tuple[datetime | None, QueueSummary, int]]) -> Keys:
        if not values:
            return []
        table = TICKETS
        summary: dict[str, Any] = {
            name: bindparam(name) for name in summary_columns(QueueSummary())
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
        for batch in batched(values.items(), 5_000):
            self.session.connection().execute(
                statement,
                [
                    {"ticket_key": k, "due": d, "seen_version": v, **summary_columns(c)}
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

    def cached_summaries(self, keys: Iterable[str] | None = None) -> CachedSummaries:
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
            .where(_IS_OPEN | table.c.next_due_at.is_not(None))
            .order_by(table.c.key)
        )
        batches = [None] if keys is None else list(batched(keys, 500))
        rows: list[Any] = []
        for batch in batches:
            query = statement if batch is None else statement.where(table.c.key.in_(batch))
            rows.extend(self.session.execute(query))
        rows.sort(key=lambda row: row[0])
        read = ProjectionReader()
        # One JSON document for them all: a parse per projection costs more than the projection.
        texts = [row[-1] for row in rows if row[-1] and read.empty_projection(row[-1]) is None]
        parsed = iter(json.loads(f"[{','.join(texts)}]"))
        found: CachedSummaries = []
        for key, customer, version, due, *summary, stored in rows:
            projection = None
            if stored:
                projection = read.empty_projection(stored)
                if projection is None:
                    projection = read.projection(next(parsed))
            found.append(
                CachedSummary(key, customer, version, due, summary_from(*summary), projection)
            )
        return found

    def count(self, *, open_only: bool = False) -> int:
        statement = select(func.count()).select_from(TicketRecord)
        if open_only:
            statement = statement.where(_IS_OPEN)
        return int(self.session.scalar(statement) or 0)


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).splitlines()[0]
