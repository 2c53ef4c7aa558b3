"""Repositories for a login of a team database: every write is a call of a command function.

A login that is a console agent or lead (not the tables' owner, not a superuser) holds no
INSERT, UPDATE or DELETE: the repositories here read as the SQL ones do and write by calling
the functions of :mod:`console.adapters.pg_commands`, which stamp the actor and the instant,
validate, step the version and write the change feed. Their refusals come back as the
domain's errors (:func:`translated`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from console.adapters.pg_commands import SCHEMA
from console.adapters.sql_repositories import (
    SqlAgentRepository,
    SqlCustomerRepository,
    SqlHandoverRepository,
    SqlHolidayPeriodRepository,
    SqlPresenceRepository,
)
from console.adapters.sql_rows import batched, outcomes_json, summary_columns
from console.adapters.sql_tickets import SqlTicketRepository
from console.domain.errors import (
    ConcurrentEditError,
    DomainError,
    DuplicateError,
    NotFoundError,
    PermissionDeniedError,
)
from console.domain.model import (
    Agent,
    Customer,
    EventKind,
    Handover,
    HolidayPeriod,
    PolicyPresence,
    QueueSummary,
    Ticket,
    TicketEvent,
)
from console.domain.rules import InvalidEventError

if TYPE_CHECKING:
    from console.adapters.sql import SqlUnitOfWork

__all__ = [
    "ApiAgentRepository",
    "ApiCustomerRepository",
    "ApiHandoverRepository",
    "ApiHolidayPeriodRepository",
    "ApiPresenceRepository",
    "ApiTicketRepository",
    "derived_json",
]

OWNER_ONLY = (
    "{what} is for the database's administrator (the owner of its tables): a console login "
    "writes only through the console's commands"
)


def login_name(database: Any) -> str | None:
    """The login the database is used as (known once :func:`console.adapters.sql.
    writes_through_functions` asked)."""
    found = database.__dict__.get("_login")
    return found if isinstance(found, str) else None


def derived_json(due: datetime | None, summary: QueueSummary) -> dict[str, Any]:
    """A ticket's derived state as the command functions take it (with its clock outcomes
    when the summary carries them)."""
    derived = {
        "next_due_at": due.isoformat() if due is not None else None,
        **summary_columns(summary),
    }
    if summary.outcomes is not None:
        derived["outcomes"] = outcomes_json(summary.outcomes)
    return derived


def _refused(what: str) -> NoReturn:
    raise PermissionDeniedError(OWNER_ONLY.format(what=what))


class _Calls:
    """Calling a command function in the unit of work's transaction."""

    uow: SqlUnitOfWork

    def call(
        self, function: str, entity: str, key: object, version: int | None, /, **params: Any
    ) -> Any:
        arguments = ", ".join(
            f"CAST(:{name} AS jsonb)" if isinstance(value, dict | list) else f":{name}"
            for name, value in params.items()
        )
        values = {
            name: json.dumps(value) if isinstance(value, dict | list) else value
            for name, value in params.items()
        }
        try:
            return self.uow.session.execute(
                text(f"SELECT {SCHEMA}.{function}({arguments})"), values
            ).scalar()
        except DBAPIError as error:
            raise translated(error, entity, key, version, self.uow) from None


def translated(
    error: DBAPIError, entity: str, key: object, version: int | None, uow: SqlUnitOfWork
) -> Exception:
    """The domain's error for a command function's refusal (or ``error`` itself)."""
    orig = error.orig
    state = getattr(orig, "sqlstate", None)
    diag = getattr(orig, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(orig)).strip()
    if state == "SC409":
        return ConcurrentEditError(entity, key, version or 0, _current(uow, entity, key), {})
    if state == "SC403" or state == "42501":
        return PermissionDeniedError(message)
    if state == "SC404":
        return NotFoundError(entity, key) if "no " not in message else _NamedNotFoundError(message)
    if state == "23505":  # two consoles took one key at once
        return DuplicateError(f"{entity} {key} exists already")
    if state == "SC422" or (state or "").startswith("22"):
        return InvalidEventError(message)
    return error


class _NamedNotFoundError(NotFoundError):
    def __init__(self, message: str) -> None:
        DomainError.__init__(self, message)
        self.entity, self.key = "", message


def _current(uow: SqlUnitOfWork, entity: str, key: object) -> object | None:
    """The row as it is now, read in a transaction of its own (the failed one is over)."""
    from console.adapters.sql import SqlUnitOfWork

    try:
        with SqlUnitOfWork(uow.database, write=False) as fresh:
            if entity == "ticket":
                return fresh.tickets.get(str(key), with_events=False)
            if entity == "handover" and isinstance(key, int):
                return fresh.handovers.get(key)
            if entity == "mail settings":
                return fresh.mail.settings()[0]
            if entity == "message" and isinstance(key, int):
                return fresh.mail.message(key)
    except (NotFoundError, DBAPIError):
        return None
    return None


class ApiTicketRepository(_Calls, SqlTicketRepository):
    def record(self, seen: Ticket, event: TicketEvent, **changes: Any) -> Ticket:
        derived = derived_json(changes.get("next_due_at"), changes.get("summary", QueueSummary()))
        version = self.call(
            "record_event",
            "ticket",
            seen.key,
            seen.version,
            key=seen.key,
            version=seen.version,
            kind=event.kind.value,
            data=dict(event.data),
            derived=derived,
        )
        # What the function wrote, without reading it back: the event as the database
        # stamped it (the login, the transaction's instant, which the console's clock is).
        stamped = replace(event, actor=login_name(self.uow.database), at=self.uow.now())
        return replace(seen, version=int(version), events=(*seen.events, stamped), **changes)

    def add(self, ticket: Ticket, events: Sequence[TicketEvent]) -> Ticket:
        self.call(
            "open_ticket",
            "ticket",
            ticket.key,
            None,
            key=ticket.key,
            title=ticket.title,
            customer=ticket.customer,
            severity=ticket.severity,
            submitted=ticket.submitted_at,
            assignee=ticket.assignee,
            channel=events[0].data.get("channel") if events else None,
            description=next(
                (str(e.data["text"]) for e in events if e.kind is EventKind.CUSTOMER_MESSAGE),
                None,
            ),
            derived=derived_json(ticket.next_due_at, ticket.summary),
        )
        return self.get(ticket.key)

    def add_many(self, tickets: Iterable[tuple[Ticket, Sequence[TicketEvent]]]) -> int:
        _refused("Importing tickets")

    def append_event(self, key: str, event: TicketEvent) -> None:
        _refused("Writing an event by itself")

    def update(self, key: str, expected_version: int, **changes: Any) -> Ticket:
        _refused("Changing a ticket's row by itself")

    def set_summary(
        self, values: Mapping[str, tuple[datetime | None, QueueSummary, int]]
    ) -> list[str]:
        if not values:
            return []
        moved: list[str] = []
        for batch in batched(values.items(), 5_000):
            rows = [
                {"key": key, "version": version, "derived": derived_json(due, summary)}
                for key, (due, summary, version) in batch
            ]
            moved += self.call("set_derived", "ticket", "(several)", None, rows=rows) or []
        return moved


class ApiHolidayPeriodRepository(_Calls, SqlHolidayPeriodRepository):
    def add(self, period: HolidayPeriod) -> HolidayPeriod:
        new_id = self.call(
            "add_holiday_period",
            "holiday period",
            None,
            None,
            policy=period.policy_id,
            first=period.first,
            last=period.last,
            reason=period.reason,
        )
        return HolidayPeriod(
            int(new_id), period.policy_id, period.first, period.last, period.reason, 1
        )

    def update(self, period_id: int, expected_version: int, **changes: Any) -> HolidayPeriod:
        _refused("Changing a holiday period in place (remove it and add another)")

    def delete(self, period_id: int, expected_version: int) -> None:
        self.call(
            "delete_holiday_period",
            "holiday period",
            period_id,
            expected_version,
            id=period_id,
            version=expected_version,
        )


class ApiPresenceRepository(_Calls, SqlPresenceRepository):
    def add(self, entry: PolicyPresence) -> PolicyPresence:
        presence = entry.presence
        new_id = self.call(
            "add_presence",
            "presence",
            None,
            None,
            policy=entry.policy_id,
            country=presence.country,
            subdivision=presence.subdivision or "",
        )
        return PolicyPresence(int(new_id), entry.policy_id, presence, 1)

    def delete(self, presence_id: int, expected_version: int) -> None:
        self.call(
            "delete_presence",
            "presence",
            presence_id,
            expected_version,
            id=presence_id,
            version=expected_version,
        )


class ApiHandoverRepository(_Calls, SqlHandoverRepository):
    def add(self, handover: Handover) -> Handover:
        new_id = self.call(
            "hand_over",
            "handover",
            None,
            None,
            start=handover.window_start,
            end=handover.window_end,
            note=handover.note,
            notes=dict(handover.ticket_notes),
        )
        return self.get(int(new_id))

    def update(self, handover_id: int, expected_version: int, **changes: Any) -> Handover:
        if set(changes) != {"acknowledged_by", "acknowledged_at"}:
            _refused("Changing a handover after it was written")
        self.call(
            "acknowledge_handover",
            "handover",
            handover_id,
            expected_version,
            id=handover_id,
            version=expected_version,
        )
        self.session.expire_all()
        return self.get(handover_id)


class ApiAgentRepository(SqlAgentRepository):
    def add(self, agent: Agent) -> Agent:
        _refused("Adding an agent")

    def update(self, name: str, expected_version: int, **changes: Any) -> Agent:
        _refused("Changing an agent")


class ApiCustomerRepository(SqlCustomerRepository):
    def add(self, customer: Customer) -> Customer:
        _refused("Adding a customer")

    def update(self, name: str, expected_version: int, **changes: Any) -> Customer:
        _refused("Changing a customer")
