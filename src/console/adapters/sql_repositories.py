"""The SQL repositories of agents, customers, company holiday periods, presences and
handovers, the change feed, and the bases they share with the ticket repository
(:mod:`.sql_tickets`).

Writes are explicit ``UPDATE ... WHERE version = :expected`` statements: when no row
matches, someone else committed first and :class:`ConcurrentEditError` carries the row as it
is now (:class:`VersionedRepository`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.adapters.records import (
    AgentRecord,
    ChangeRecord,
    CustomerRecord,
    HandoverRecord,
    HolidayPeriodRecord,
    PresenceRecord,
)
from console.adapters.repository import (
    AGENT_FIELDS,
    CUSTOMER_FIELDS,
    HANDOVER_FIELDS,
    HOLIDAY_FIELDS,
    AgentRepository,
    ChangeFeed,
    CustomerRepository,
    HandoverRepository,
    HolidayPeriodRepository,
    PresenceRepository,
    check_fields,
)
from console.adapters.sql_rows import (
    agent_from,
    customer_from,
    handover_from,
    period_from,
    presence_from,
)
from console.domain.errors import ConcurrentEditError, DuplicateError, NotFoundError
from console.domain.model import (
    Agent,
    Change,
    ChangeKind,
    Customer,
    Handover,
    HolidayPeriod,
    PolicyPresence,
    Role,
)

if TYPE_CHECKING:  # the unit of work builds the repositories, so it imports this module
    from console.adapters.sql import SqlUnitOfWork

E = TypeVar("E")
log = logging.getLogger(__name__)


class SqlRepository:
    """A repository working in the session of a :class:`SqlUnitOfWork`."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    @property
    def session(self) -> Session:
        return self.uow.session


class VersionedRepository(SqlRepository):
    """A repository of rows that carry a version, which every write names."""

    entity: ClassVar[str]  # as errors name it
    record_type: ClassVar[Any]  # the mapped class of the rows

    def _fresh(self, key: Any) -> object | None:
        """The row ``key`` as it is now in the database, or None when there is none."""
        raise NotImplementedError

    def _write(
        self, statement: Any, key: object, expected_version: int, attempted: Mapping[str, Any]
    ) -> None:
        """Execute an UPDATE or DELETE that matches the row only at ``expected_version``.

        When it matches nothing, the row is gone (:class:`NotFoundError`) or someone else
        committed first (:class:`ConcurrentEditError` with the row as it is now).
        """
        result = self.session.execute(statement)
        if result.rowcount == 0:  # type: ignore[attr-defined]
            current = self._fresh(key)
            if current is None:
                raise NotFoundError(self.entity, key)
            raise ConcurrentEditError(self.entity, key, expected_version, current, dict(attempted))

    def _update(
        self, condition: Any, key: object, expected_version: int, values: Mapping[str, Any]
    ) -> None:
        """Set ``values`` on the row that ``condition`` selects, and step its version."""
        record = self.record_type
        statement = (
            update(record)
            .where(condition, record.version == expected_version)
            .values(**values, version=record.version + 1)
            .execution_options(synchronize_session=False)
        )
        self._write(statement, key, expected_version, values)
        self.session.expire_all()

    def _delete(self, row_id: int, expected_version: int, feed: str) -> None:
        """Delete the row ``row_id`` seen at ``expected_version``, with its change-feed entry
        (of the kind ``feed``)."""
        table = self.record_type.__table__
        statement = delete(table).where(table.c.id == row_id, table.c.version == expected_version)
        self._write(statement, row_id, expected_version, {"deleted": True})
        self.uow.record(feed, row_id, ChangeKind.DELETED)


class NamedRepository(VersionedRepository, Generic[E]):
    """A repository of rows with a unique ``name`` (agents, customers), read as ``E``."""

    def _domain(self, record: Any) -> E:
        """The domain object a row holds."""
        raise NotImplementedError

    def _insert(self, record: Any, duplicate: str) -> E:
        """Add ``record``; :class:`DuplicateError` saying ``duplicate`` when the name is taken."""
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError:
            raise DuplicateError(duplicate) from None
        self.uow.record(self.entity, record.name, ChangeKind.CREATED)
        return self._domain(record)

    def _find(self, name: str) -> Any:
        record = self.record_type
        return self.session.scalars(select(record).where(record.name == name)).first()

    def get(self, name: str) -> E:
        record = self._find(name)
        if record is None:
            raise NotFoundError(self.entity, name)
        return self._domain(record)

    def list(self) -> list[E]:
        record = self.record_type
        rows = self.session.scalars(select(record).order_by(record.name))
        return [self._domain(r) for r in rows]

    def _update_named(self, name: str, expected_version: int, values: Mapping[str, Any]) -> E:
        self._update(self.record_type.name == name, name, expected_version, values)
        self.uow.record(self.entity, name, ChangeKind.UPDATED)
        return self.get(name)

    def _fresh(self, key: str) -> E | None:
        self.session.expire_all()
        record = self._find(key)
        return self._domain(record) if record is not None else None


# --------------------------------------------------------------------------- agents


class SqlAgentRepository(NamedRepository[Agent], AgentRepository):
    entity = "agent"
    record_type = AgentRecord

    def _domain(self, record: AgentRecord) -> Agent:
        return agent_from(record)

    def add(self, agent: Agent) -> Agent:
        record = AgentRecord(
            name=agent.name,
            display_name=agent.display_name,
            role=agent.role.value,
            team=agent.team,
            timezone=agent.timezone,
        )
        return self._insert(record, f"an agent named {agent.name!r} exists already")

    def update(self, name: str, expected_version: int, **changes: Any) -> Agent:
        check_fields("agent", changes, AGENT_FIELDS)
        values = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
        return self._update_named(name, expected_version, values)


# --------------------------------------------------------------------------- customers


class SqlCustomerRepository(NamedRepository[Customer], CustomerRepository):
    entity = "customer"
    record_type = CustomerRecord

    def _domain(self, record: CustomerRecord) -> Customer:
        return customer_from(record)

    def add(self, customer: Customer) -> Customer:
        record = CustomerRecord(
            name=customer.name,
            policy_id=customer.policy_id,
            plan=customer.plan,
            region=customer.region,
            escalation_contact=customer.escalation_contact,
            overrides=dict(customer.overrides),
        )
        return self._insert(record, f"a customer named {customer.name!r} exists already")

    def update(self, name: str, expected_version: int, **changes: Any) -> Customer:
        check_fields("customer", changes, CUSTOMER_FIELDS)
        values = {k: (dict(v) if k == "overrides" else v) for k, v in changes.items()}
        return self._update_named(name, expected_version, values)


# --------------------------------------------------------------------------- holidays


class SqlHolidayPeriodRepository(VersionedRepository, HolidayPeriodRepository):
    entity = "holiday period"
    record_type = HolidayPeriodRecord

    def add(self, period: HolidayPeriod) -> HolidayPeriod:
        if period.last < period.first:
            raise ValueError(f"the period {period.reason!r} ends before it starts")
        record = HolidayPeriodRecord(
            policy_id=period.policy_id, first=period.first, last=period.last, reason=period.reason
        )
        self.session.add(record)
        self.session.flush()
        self.uow.record("holiday", record.id, ChangeKind.CREATED)
        return period_from(record)

    def list(self, policy_id: str | None = None) -> list[HolidayPeriod]:
        statement = select(HolidayPeriodRecord).order_by(
            HolidayPeriodRecord.first, HolidayPeriodRecord.id
        )
        if policy_id is not None:
            statement = statement.where(HolidayPeriodRecord.policy_id == policy_id)
        return [period_from(r) for r in self.session.scalars(statement)]

    def _fresh(self, key: int) -> HolidayPeriod | None:
        self.session.expire_all()
        record = self.session.get(HolidayPeriodRecord, key)
        return period_from(record) if record is not None else None

    def update(self, period_id: int, expected_version: int, **changes: Any) -> HolidayPeriod:
        check_fields("holiday period", changes, HOLIDAY_FIELDS)
        self._update(HolidayPeriodRecord.id == period_id, period_id, expected_version, changes)
        fresh = self._fresh(period_id)
        assert fresh is not None
        if fresh.last < fresh.first:
            raise ValueError(f"the period {fresh.reason!r} ends before it starts")
        self.uow.record("holiday", period_id, ChangeKind.UPDATED)
        return fresh

    def delete(self, period_id: int, expected_version: int) -> None:
        self._delete(period_id, expected_version, "holiday")


# --------------------------------------------------------------------------- presences


class SqlPresenceRepository(VersionedRepository, PresenceRepository):
    entity = "presence"
    record_type = PresenceRecord

    def add(self, entry: PolicyPresence) -> PolicyPresence:
        presence = entry.presence
        record = PresenceRecord(
            policy_id=entry.policy_id,
            country=presence.country,
            subdivision=presence.subdivision or "",
        )
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError:
            raise DuplicateError(
                f"{entry.policy_id} has the presence {presence.code} already"
            ) from None
        self.uow.record("presence", record.id, ChangeKind.CREATED)
        return presence_from(record)

    def list(self, policy_id: str | None = None) -> list[PolicyPresence]:
        statement = select(PresenceRecord)
        if policy_id is not None:
            statement = statement.where(PresenceRecord.policy_id == policy_id)
        found = [presence_from(r) for r in self.session.scalars(statement)]
        # Sorted here: collations differ between databases (a few rows at most).
        return sorted(found, key=lambda p: (p.policy_id, *p.presence.order))

    def _fresh(self, key: int) -> PolicyPresence | None:
        self.session.expire_all()
        record = self.session.get(PresenceRecord, key)
        return presence_from(record) if record is not None else None

    def delete(self, presence_id: int, expected_version: int) -> None:
        self._delete(presence_id, expected_version, "presence")


# --------------------------------------------------------------------------- handovers


class SqlHandoverRepository(VersionedRepository, HandoverRepository):
    entity = "handover"
    record_type = HandoverRecord

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
        return handover_from(record)

    def get(self, handover_id: int) -> Handover:
        record = self.session.get(HandoverRecord, handover_id)
        if record is None:
            raise NotFoundError("handover", handover_id)
        return handover_from(record)

    def latest(self) -> Handover | None:
        record = self.session.scalars(
            select(HandoverRecord).order_by(
                HandoverRecord.created_at.desc(), HandoverRecord.id.desc()
            )
        ).first()
        return handover_from(record) if record is not None else None

    def update(self, handover_id: int, expected_version: int, **changes: Any) -> Handover:
        check_fields("handover", changes, HANDOVER_FIELDS)
        values = {k: (dict(v) if k == "ticket_notes" else v) for k, v in changes.items()}
        self._update(HandoverRecord.id == handover_id, handover_id, expected_version, values)
        self.uow.record("handover", handover_id, ChangeKind.UPDATED)
        return self.get(handover_id)

    def _fresh(self, key: int) -> Handover | None:
        self.session.expire_all()
        record = self.session.get(HandoverRecord, key)
        return handover_from(record) if record is not None else None


# --------------------------------------------------------------------------- changes


class SqlChangeFeed(SqlRepository, ChangeFeed):
    def since(self, cursor: int, limit: int = 10_000) -> list[Change]:
        statement = (
            select(ChangeRecord)
            .where(ChangeRecord.seq > cursor)
            .order_by(ChangeRecord.seq)
            .limit(limit)
        )
        return _changes(self.session.scalars(statement))

    def among(self, seqs: Sequence[int]) -> list[Change]:
        """The changes of these numbers that are there (committed) now."""
        if not seqs:
            return []
        statement = (
            select(ChangeRecord).where(ChangeRecord.seq.in_(seqs)).order_by(ChangeRecord.seq)
        )
        return _changes(self.session.scalars(statement))

    def latest(self) -> int:
        return int(self.session.scalar(select(func.max(ChangeRecord.seq))) or 0)


_KINDS = {kind.value: kind for kind in ChangeKind}
_WARNED: set[int] = set()


def _changes(records: Iterable[ChangeRecord]) -> list[Change]:
    """The feed's entries; one of a kind this console does not know (written by a newer
    version, or by hand) is read as an update of its entity, so nothing stops on it."""
    found = []
    for r in records:
        kind = _KINDS.get(r.kind)
        if kind is None:
            if r.seq not in _WARNED:  # once: a follower may read it again
                _WARNED.add(r.seq)
                log.warning(
                    "change %s of %s %s has an unknown kind %r", r.seq, r.entity, r.key, r.kind
                )
            kind = ChangeKind.UPDATED
        found.append(Change(r.seq, r.at, r.entity, r.key, kind))
    return found
