"""The SQL repository of tickets and their histories.

Ticket rows carry a summary of their SLA clocks (``clock_*`` columns and the clock projection), so
that the queue reads without replaying histories; see :mod:`console.adapters.sql_rows`.

Every read takes each ticket row and each history on its own: a row or an event that makes
no sense is read as :mod:`console.adapters.sql_rows` says, logged, and listed in
:attr:`SqlTicketRepository.problems`, and never stops the read or changes another ticket.
One ticket read with :meth:`~SqlTicketRepository.get` carries every stored event, an
invalid one marked (:attr:`TicketEvent.invalid`; the clocks leave it out), and so does
:meth:`~SqlTicketRepository.audit`; the histories :meth:`~SqlTicketRepository.events_of`
reads for recomputes, reports and exports hold only the events that make sense.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Text,
    TypeDecorator,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from console.adapters.records import (
    AgentRecord,
    CustomerRecord,
    MailOutboxRecord,
    TicketEventRecord,
    TicketRecord,
)
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
from console.adapters.sql_outcomes import OUTCOMES, OutcomeReads
from console.adapters.sql_repositories import VersionedRepository
from console.adapters.sql_rows import (
    EVENTS,
    TICKETS,
    ProjectionReader,
    ReadProblems,
    StoredEvent,
    UnreadableError,
    batched,
    outcome_rows,
    read_history,
    readable_summary,
    summary_columns,
    ticket_from,
)
from console.domain.errors import DuplicateError, NotFoundError
from console.domain.model import (
    ALL_EVENTS,
    AuditFilter,
    ChangeKind,
    ClockOutcomes,
    QueueGroup,
    QueueSummary,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.rules import is_mailed

_StoredRows = list[StoredEvent]
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


class _Waivers(TypeDecorator[Any]):
    """The waivers column as the reads take it: the few texts it holds (``[]`` in most rows)
    are each parsed once per statement, to the same value (a tuple: shared, so immutable)."""

    impl = TicketRecord.waivers.type.__class__
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: object) -> Any:
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        if parse is None:  # the driver parses it
            return None
        parsed: dict[str, Any] = {}

        def process(value: Any) -> Any:
            if not isinstance(value, str):
                return parse(value)
            found = parsed.get(value)
            if found is None:
                found = parse(value)
                if isinstance(found, list) and len(parsed) < 64:
                    found = parsed[value] = tuple(found)
            return found

        return process


_READ_WAIVERS = type_coerce(TicketRecord.waivers, _Waivers()).label("waivers")


class SqlTicketRepository(OutcomeReads, VersionedRepository, TicketRepository):
    entity = "ticket"
    record_type = TicketRecord

    @property
    def problems(self) -> ReadProblems:
        """What the reads of this unit of work found that could not be read as stored (each
        also logged once): ``db verify`` lists them."""
        found: ReadProblems | None = getattr(self, "_problems", None)
        if found is None:
            found = self._problems = ReadProblems(self.uow.database.url)
        return found

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
            "outcomes_at": None,
            "outcomes_basis": None,
            **_outcome_columns(ticket.summary.outcomes),
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
            plans = self._plans(customers.values())
            outcomes = [
                {
                    "ticket_id": ids[t.key],
                    "customer_id": customers[t.customer],
                    "policy_id": plans[customers[t.customer]][0],
                    "plan": plans[customers[t.customer]][1],
                    "submitted_at": t.submitted_at,
                    **row,
                }
                for t, _ in batch
                if t.summary.outcomes is not None
                for row in outcome_rows(t.summary.outcomes)
            ]
            if outcomes:
                self.session.connection().execute(insert(_OUTCOMES), outcomes)
            for key in keys:
                self.uow.record("ticket", key, ChangeKind.CREATED)
            count += len(batch)
        return count

    def _select(self) -> Any:
        return (
            select(*_TICKET_COLUMNS[:7], _READ_WAIVERS, *_TICKET_COLUMNS[8:])
            .join(_customers, TicketRecord.customer_id == _customers.id)
            .outerjoin(_agents, TicketRecord.assignee_id == _agents.id)
        )

    def get(self, key: str, *, with_events: bool = True) -> Ticket:
        row = self.session.execute(self._select().where(TicketRecord.key == key)).first()
        if row is None:
            raise NotFoundError("ticket", key)
        events: tuple[TicketEvent, ...] = ()
        if with_events:  # every stored event, an invalid one marked
            events = read_history(key, self._stored_histories([key])[key], self.problems)
        return ticket_from(row, events, self.problems)

    def list(self, *, open_only: bool = True, keys: Iterable[str] | None = None) -> list[Ticket]:
        statement = self._select().order_by(TicketRecord.key)
        if open_only:
            statement = statement.where(_IS_OPEN)
        problems = self.problems
        # Plain rows from the connection: the ORM's result handling would cost more than the
        # rest of a 100,000-ticket read together.
        connection = self.session.connection()
        if keys is None:
            rows = connection.execute(statement).all()
            return [ticket_from(row, (), problems) for row in rows]
        found: list[Ticket] = []
        for batch in batched(keys, 500):
            found.extend(
                ticket_from(row, (), problems)
                for row in connection.execute(statement.where(TicketRecord.key.in_(batch)))
            )
        found.sort(key=lambda t: t.key)
        return found

    def audit(self, wanted: AuditFilter = ALL_EVENTS, limit: int = 10_000) -> AuditEntries:
        """Every stored event ``wanted``, an invalid one marked: each is judged within its
        ticket's whole history, so the histories of the tickets found are read too."""
        statement = select(TicketRecord.key, TicketEventRecord.id).join(
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
        found = self.session.execute(statement).all()
        stored = self._stored_histories(dict.fromkeys(key for key, _ in found))
        events: dict[int, TicketEvent] = {}
        for key, rows in stored.items():
            history = read_history(key, rows, self.problems)
            events.update((row[0], event) for row, event in zip(rows, history, strict=True))
        return [(key, events[event_id]) for key, event_id in found]

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
        problems = self.problems
        rows = self.session.connection().execute(statement).all()
        return [ticket_from(row, (), problems) for row in rows]

    def events_of(self, keys: Iterable[str]) -> dict[str, tuple[TicketEvent, ...]]:
        """The histories of several tickets, each in the order recorded, holding the events
        that make sense (an invalid one is left out and listed in :attr:`problems`; a
        history without a valid ``created`` event is empty)."""
        problems = self.problems
        return {
            key: tuple(e for e in read_history(key, rows, problems) if e.invalid is None)
            for key, rows in self._stored_histories(keys).items()
        }

    def _stored_histories(self, keys: Iterable[str]) -> dict[str, _StoredRows]:
        """The stored events of each ticket of ``keys``, in the order recorded, as rows."""
        found: dict[str, _StoredRows] = {}
        for batch in batched(keys, 500):
            for key in batch:
                found[key] = []
            # Columns, not ORM entities: a recompute reads hundreds of thousands of events.
            statement = (
                select(
                    TicketRecord.key,
                    TicketEventRecord.id,
                    TicketEventRecord.kind,
                    TicketEventRecord.at,
                    # As JSON text: most payloads repeat, and each is read once.
                    cast(TicketEventRecord.data, Text),
                    TicketEventRecord.actor,
                )
                .join(TicketRecord, TicketEventRecord.ticket_id == TicketRecord.id)
                .where(TicketRecord.key.in_(batch))
                .order_by(TicketEventRecord.id)
            )
            for key, event_id, kind, at, data, actor in self.session.execute(statement):
                found[key].append((event_id, kind, at, data, actor))
        return found

    def append_event(self, key: str, event: TicketEvent) -> None:
        ticket_id = self.session.scalar(select(TicketRecord.id).where(TicketRecord.key == key))
        if ticket_id is None:
            raise NotFoundError("ticket", key)
        event_id = (
            self.session.connection()
            .execute(
                insert(EVENTS).returning(EVENTS.c.id),
                {
                    "ticket_id": ticket_id,
                    "kind": event.kind.value,
                    "at": event.at,
                    "actor": event.actor,
                    "data": dict(event.data),
                    "recorded_at": self.uow.now(),
                },
            )
            .scalar_one()
        )
        if is_mailed(event.kind, event.data):
            # A reply by e-mail and its outbox row commit together (the mail worker sends it).
            self.session.connection().execute(
                insert(MailOutboxRecord),
                {
                    "ticket_id": ticket_id,
                    "event_id": event_id,
                    "created_at": self.uow.now(),
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": self.uow.now(),
                    "recipients": [],
                    "last_error": "",
                    "version": 1,
                },
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
                values.update(_outcome_columns(value.outcomes))
            else:
                values[name] = value
        self._update(TicketRecord.key == key, key, expected_version, values)
        summary = changes.get("summary")
        if summary is not None and summary.outcomes is not None:
            self._replace_outcomes({key: summary.outcomes})
        self.uow.record("ticket", key, ChangeKind.UPDATED)
        return self.get(key)

    def _fresh(self, key: str) -> Ticket | None:
        row = self.session.execute(self._select().where(TicketRecord.key == key)).first()
        return ticket_from(row, (), self.problems) if row is not None else None

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
            kept: dict[str, ClockOutcomes] = {}
            for key, (_, clock, version) in batch:
                if current.get(key) != version:
                    moved.append(key)
                else:
                    self.uow.record("ticket", key, ChangeKind.RECOMPUTED)
                    if clock.outcomes is not None:
                        kept[key] = clock.outcomes
            self._replace_outcomes(kept)
        return moved

    def _plans(self, customer_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """The policy and plan of customers, by id."""
        wanted = set(customer_ids)
        statement = select(CustomerRecord.id, CustomerRecord.policy_id, CustomerRecord.plan)
        return {
            id_: (policy_id, plan)
            for id_, policy_id, plan in self.session.execute(
                statement.where(CustomerRecord.id.in_(wanted))
            )
        }

    def _replace_outcomes(self, outcomes: Mapping[str, ClockOutcomes]) -> None:
        """Store the clock outcomes of tickets (by key) in place of those they had."""
        if not outcomes:
            return
        connection = self.session.connection()
        for batch in batched(outcomes.items(), 2_000):
            keys = [key for key, _ in batch]
            found = {
                key: {
                    "ticket_id": ticket_id,
                    "customer_id": customer_id,
                    "policy_id": policy_id,
                    "plan": plan,
                    "submitted_at": submitted,
                }
                for key, ticket_id, customer_id, policy_id, plan, submitted in self.session.execute(
                    select(
                        TicketRecord.key,
                        TicketRecord.id,
                        TicketRecord.customer_id,
                        CustomerRecord.policy_id,
                        CustomerRecord.plan,
                        TicketRecord.submitted_at,
                    )
                    .join(CustomerRecord, CustomerRecord.id == TicketRecord.customer_id)
                    .where(TicketRecord.key.in_(keys))
                )
            }
            ids = [ticket["ticket_id"] for ticket in found.values()]
            connection.execute(delete(_OUTCOMES).where(_OUTCOMES.c.ticket_id.in_(ids)))
            rows = [
                {**found[key], **row}
                for key, stored in batch
                if key in found
                for row in outcome_rows(stored)
            ]
            if rows:
                connection.execute(insert(_OUTCOMES), rows)
            connection.execute(
                update(TICKETS)
                .where(TICKETS.c.key == bindparam("ticket_key"))
                .values(outcomes_at=bindparam("at"), outcomes_basis=bindparam("basis")),
                [
                    {"ticket_key": key, "at": stored.as_of, "basis": stored.basis}
                    for key, stored in batch
                    if key in found
                ],
            )

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
        problems = self.problems
        found: CachedSummaries = []
        # Each projection is parsed on its own (most have no clock and need no parse): one
        # JSON document of them all would let one text shift the projections after it.
        for key, customer, version, due, *summary, stored in rows:
            projection = None
            if stored:
                try:
                    projection = read.read(stored)
                except UnreadableError as error:
                    problems.add(
                        key,
                        "projection",
                        f"clock_plan cannot be read ({error}): read as missing, so its "
                        "history is read instead",
                    )
            clock = readable_summary(key, summary, due, problems)
            found.append(CachedSummary(key, customer, version, due, clock, projection))
        return found

    def count(self, *, open_only: bool = False) -> int:
        statement = select(func.count()).select_from(TicketRecord)
        if open_only:
            statement = statement.where(_IS_OPEN)
        return int(self.session.scalar(statement) or 0)


_OUTCOMES = OUTCOMES


def _outcome_columns(outcomes: ClockOutcomes | None) -> dict[str, Any]:
    """The ticket's columns that say what its clock outcomes are as of (none: unchanged)."""
    if outcomes is None:
        return {}
    return {"outcomes_at": outcomes.as_of, "outcomes_basis": outcomes.basis}


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).splitlines()[0]
