"""Writing ticket histories in tests: an event of any kind at any instant, and a new ticket,
through the same code the command handlers use, in one unit of work each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.errors import ConcurrentEditError
from console.domain.model import Ticket, TicketEvent
from console.services.commands import OpenTicket
from console.services.handlers import handle, new_ticket
from console.services.tickets import PolicyBook, apply_event


def record_event(
    uow: UnitOfWork, book: PolicyBook, key: str, version: int, event: TicketEvent
) -> Ticket:
    """Append ``event`` (as it is: its kind, instant and actor) to ticket ``key`` seen at
    ``version``, with its derived state, and commit."""
    with uow:
        ticket = uow.tickets.get(key)
        if ticket.version != version:
            raise ConcurrentEditError("ticket", key, version, ticket, {})
        updated = apply_event(uow, book.current(uow), ticket, event)
        uow.commit()
        return updated


def open_ticket(
    uow: UnitOfWork,
    book: PolicyBook,
    *,
    key: str,
    title: str,
    customer: str,
    severity: int,
    submitted_at: datetime,
    actor: str | None = None,
    assignee: str | None = None,
) -> Any:
    """A new ticket, as the ``OpenTicket`` command writes it, with any key and submitted
    instant (the command itself takes only recent ones, and keys of its own form)."""
    command = OpenTicket(key, title, customer, severity, submitted_at, assignee)
    with uow:
        made = new_ticket(command, uow, book.current(uow), actor)
        uow.commit()
    return made


def recompute_due(uow: UnitOfWork, book: PolicyBook, *, policy_id: str | None = None) -> int:
    """Every cached due instant (of one policy) recomputed, by the ``RecomputeDue`` command."""
    from console.services.commands import RecomputeDue

    changed: int = handle(RecomputeDue(policy_id), uow, book, None)
    return changed


def add_holiday_period(
    uow: UnitOfWork,
    book: PolicyBook,
    actor: str,
    policy_id: str,
    first: Any,
    last: Any,
    reason: str,
) -> tuple[Any, int]:
    """A lead adds one company holiday period (``EditHolidayPeriods``): the stored period and
    how many due instants moved."""
    from console.domain.model import HolidayPeriod
    from console.services.commands import EditHolidayPeriods

    added = HolidayPeriod(None, policy_id, first, last, reason)
    moved: int = handle(EditHolidayPeriods(policy_id, added=(added,)), uow, book, actor)
    with uow:
        stored = [p for p in uow.holidays.list(policy_id) if (p.first, p.last) == (first, last)]
    return stored[-1], moved


def delete_holiday_period(uow: UnitOfWork, book: PolicyBook, actor: str, period: Any) -> int:
    """A lead removes one company holiday period; how many due instants moved."""
    from console.services.commands import EditHolidayPeriods

    command = EditHolidayPeriods(period.policy_id, removed=(period,))
    moved: int = handle(command, uow, book, actor)
    return moved


def set_presences(
    uow: UnitOfWork, book: PolicyBook, actor: str, policy_id: str, *codes: str
) -> int:
    """A lead names a policy's presences by their codes (``SetPresences``; none: back to the
    policy file's holidays); how many due instants moved."""
    from console.domain.calendar_spec import presence_named
    from console.services.commands import SetPresences

    presences = tuple(presence_named(code) for code in codes)
    moved: int = handle(SetPresences(policy_id, presences), uow, book, actor)
    return moved


def within(uow: UnitOfWork, read: Any, book: PolicyBook, *args: Any, **kwargs: Any) -> Any:
    """``read(uow, book, *args)`` inside one unit of work of ``uow``, the book holding the
    stored company holiday periods and presences (what a query does)."""
    with uow:
        return read(uow, book.current(uow), *args, **kwargs)


# The actions of the console, as its commands (tests read better in these words).


def _ticket_command(uow: UnitOfWork, book: PolicyBook, actor: str | None, command: Any) -> Any:
    return handle(command, uow, book, actor)


class actions:  # noqa: N801 - a namespace, read as ``actions.respond(...)``
    """Each console action on a ticket seen at its version, sent as its command."""

    @staticmethod
    def assign(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, assignee: str | None
    ) -> Ticket:
        from console.services.commands import AssignTicket

        return _ticket_command(uow, book, actor, AssignTicket(ticket.key, ticket.version, assignee))

    @staticmethod
    def respond(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, text: str = ""
    ) -> Ticket:
        from console.services.commands import RecordResponse

        return _ticket_command(uow, book, actor, RecordResponse(ticket.key, ticket.version, text))

    @staticmethod
    def send_update(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, text: str = ""
    ) -> Ticket:
        from console.services.commands import SendUpdate

        return _ticket_command(uow, book, actor, SendUpdate(ticket.key, ticket.version, text))

    @staticmethod
    def set_status(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, status: Any
    ) -> Ticket:
        from console.services.commands import SetStatus

        return _ticket_command(uow, book, actor, SetStatus(ticket.key, ticket.version, status))

    @staticmethod
    def escalate(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, *, urgent: bool
    ) -> Ticket:
        from console.services.commands import Escalate

        return _ticket_command(uow, book, actor, Escalate(ticket.key, ticket.version, urgent))

    @staticmethod
    def deliver_rca(uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str) -> Ticket:
        from console.services.commands import DeliverRca

        return _ticket_command(uow, book, actor, DeliverRca(ticket.key, ticket.version))

    @staticmethod
    def waive(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, waiver: str, reason: str
    ) -> Ticket:
        from console.services.commands import Waive

        command = Waive(ticket.key, ticket.version, waiver, reason)
        return _ticket_command(uow, book, actor, command)

    @staticmethod
    def add_note(
        uow: UnitOfWork, book: PolicyBook, ticket: Ticket, actor: str, text: str
    ) -> Ticket:
        from console.services.commands import AddNote

        return _ticket_command(uow, book, actor, AddNote(ticket.key, ticket.version, text))


def change_severity_many(
    uow: UnitOfWork,
    book: PolicyBook,
    tickets: list[Ticket],
    actor: str,
    to: int,
    reason: str,
    *,
    customer_notified: bool = False,
) -> list[Ticket]:
    from console.services.commands import ChangeSeverity

    seen = tuple((t.key, t.version) for t in tickets)
    command = ChangeSeverity(seen, to, reason, customer_notified)
    changed: list[Ticket] = handle(command, uow, book, actor)
    return changed


def change_severity(
    uow: UnitOfWork,
    book: PolicyBook,
    ticket: Ticket,
    actor: str,
    to: int,
    reason: str,
    *,
    customer_notified: bool = False,
) -> Ticket:
    return change_severity_many(
        uow, book, [ticket], actor, to, reason, customer_notified=customer_notified
    )[0]


def preview_severity(uow: UnitOfWork, book: PolicyBook, ticket: Ticket, to: int) -> Any:
    from console.services.views import SeverityPreview

    return SeverityPreview(ticket.key, to).run(uow, book).changes


def hand_over(
    uow: UnitOfWork,
    author: str,
    start: datetime,
    end: datetime,
    note: str = "",
    ticket_notes: Any = None,
) -> Any:
    from console.services.commands import HandOver

    command = HandOver(start, end, note, ticket_notes or {})
    return handle(command, uow, PolicyBook({}), author)


def acknowledge(uow: UnitOfWork, handover: Any, who: str) -> Any:
    from console.services.commands import AcknowledgeHandover

    command = AcknowledgeHandover(handover.id, handover.version)
    return handle(command, uow, PolicyBook({}), who)
