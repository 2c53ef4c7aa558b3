"""One handler per command, and the bus that runs them (cosmicpython's ``handlers.py`` and
``messagebus.py``).

:func:`handle` opens the one unit of work of an action, runs the command's handler inside
it and commits: the permission check, the write, the recompute of derived state and the
change feed land together, or nothing does. Handlers never open or commit a unit of work
themselves. The actor is the person the console (or the database login) speaks for; the
instant of every event is the unit of work's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from console.adapters.repository import UnitOfWork
from console.domain.calendar_spec import check_presence
from console.domain.errors import ConcurrentEditError, NotFoundError, PermissionDeniedError
from console.domain.mail import Outcome, check_mailbox
from console.domain.model import (
    Agent,
    Channel,
    EventKind,
    Handover,
    HolidayPeriod,
    PolicyPresence,
    Presence,
    Role,
    Status,
    Ticket,
    TicketEvent,
)
from console.domain.policy import Policy
from console.domain.rules import check_new_ticket
from console.services import commands as c
from console.services.tickets import (
    PolicyBook,
    apply_event,
    holidays_moved,
    recompute_due,
    refresh_outcomes,
    store_unsettled_outcomes,
)


def handle(command: c.Command, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Any:
    """Run ``command`` for ``actor`` in one transaction of ``uow``; its handler's result."""
    handler = HANDLERS[type(command)]
    with uow:
        result = handler(command, uow, book.current(uow), actor)
        uow.commit()
    return result


# --------------------------------------------------------------------------- shared checks


def _person(uow: UnitOfWork, actor: str | None) -> Agent:
    if actor is None:
        raise PermissionDeniedError("choose who you are (Settings) before changing anything")
    try:
        return uow.agents.get(actor)
    except NotFoundError:
        raise PermissionDeniedError(
            f"{actor} is not an agent of this database: ask a team lead to add you; "
            "nothing was saved"
        ) from None


def require_lead(uow: UnitOfWork, actor: str | None, doing: str) -> Agent:
    """The actor, if a team lead; else :class:`PermissionDeniedError` saying who and what."""
    agent = _person(uow, actor)
    if agent.role is not Role.LEAD:
        raise PermissionDeniedError(
            f"{doing} is for team leads: {agent.display_name} ({agent.name}) is an agent"
        )
    return agent


def _seen(uow: UnitOfWork, key: str, version: int) -> Ticket:
    """The ticket with its history, if it is still at the version the user saw."""
    ticket = uow.tickets.get(key)
    if ticket.version != version:
        raise ConcurrentEditError("ticket", key, version, ticket, {})
    return ticket


def _append(
    uow: UnitOfWork,
    book: PolicyBook,
    actor: str | None,
    command: c.TicketCommand,
    kind: EventKind,
    *,
    ticket: Ticket | None = None,
    **data: object,
) -> Ticket:
    """Append an event of ``kind`` by ``actor`` now to the ticket ``command`` names (already
    read as ``ticket``, or read here)."""
    _person(uow, actor)
    seen = ticket if ticket is not None else _seen(uow, command.key, command.version)
    return apply_event(uow, book, seen, TicketEvent(kind, uow.now(), data, actor))


# --------------------------------------------------------------------------- tickets


def assign(cmd: c.AssignTicket, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    """Nothing is written when the ticket is the assignee's already (taking one's own
    ticket is no change)."""
    _person(uow, actor)
    ticket = _seen(uow, cmd.key, cmd.version)
    if cmd.assignee == ticket.assignee:
        return ticket
    if ticket.assignee is not None and ticket.assignee != actor:
        require_lead(uow, actor, f"Reassigning {ticket.key} from {ticket.assignee}")
    if cmd.assignee is not None:
        uow.agents.get(cmd.assignee)
    return _append(uow, book, actor, cmd, EventKind.ASSIGNED, ticket=ticket, assignee=cmd.assignee)


def _said(text: str, channel: Channel | None) -> dict[str, Any]:
    """The payload of a message: its text, and its channel when not written here."""
    said: dict[str, Any] = {"text": text.strip()}
    if channel is not None:
        said["channel"] = channel.value
    return said


def respond(cmd: c.RecordResponse, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    return _append(uow, book, actor, cmd, EventKind.RESPONDED, **_said(cmd.text, cmd.channel))


def send_update(cmd: c.SendUpdate, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    return _append(uow, book, actor, cmd, EventKind.UPDATE_SENT, **_said(cmd.text, cmd.channel))


def customer_message(
    cmd: c.RecordCustomerMessage, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> Ticket:
    if not cmd.text.strip():
        raise ValueError("a customer message needs the customer's words")
    said = _said(cmd.text, cmd.channel)
    return _append(uow, book, actor, cmd, EventKind.CUSTOMER_MESSAGE, **said)


def set_status(cmd: c.SetStatus, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    ticket = _seen(uow, cmd.key, cmd.version)
    if cmd.status == ticket.status:
        raise ValueError(f"{ticket.key} is already {cmd.status.label}")
    return _append(
        uow, book, actor, cmd, EventKind.STATUS_CHANGED, ticket=ticket, status=cmd.status.value
    )


def escalate(cmd: c.Escalate, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    return _append(uow, book, actor, cmd, EventKind.ESCALATED, urgent=cmd.urgent, text=cmd.text)


def answer_escalation(
    cmd: c.AnswerEscalation, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> Ticket:
    return _append(uow, book, actor, cmd, EventKind.ESCALATION_ANSWERED, text=cmd.text)


def deliver_rca(cmd: c.DeliverRca, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    return _append(uow, book, actor, cmd, EventKind.RCA_DELIVERED, text=cmd.text)


def waive(cmd: c.Waive, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    if not cmd.reason.strip():
        raise ValueError("a waiver needs a reason")
    ticket = _seen(uow, cmd.key, cmd.version)
    book.policy_for(uow.customers.get(ticket.customer)).waiver(cmd.waiver)
    return _append(
        uow,
        book,
        actor,
        cmd,
        EventKind.WAIVED,
        ticket=ticket,
        waiver=cmd.waiver,
        reason=cmd.reason.strip(),
    )


def add_note(cmd: c.AddNote, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    if not cmd.text.strip():
        raise ValueError("a note needs some text")
    return _append(uow, book, actor, cmd, EventKind.NOTE, text=cmd.text.strip())


def _is_are(keys: list[str]) -> str:
    return "is" if len(keys) == 1 else "are"


def change_severity(
    cmd: c.ChangeSeverity, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> list[Ticket]:
    """All the tickets change, or none (a ticket changed meanwhile refuses the whole change).
    Tickets already at the new severity are left out (the preview says so); refused when
    every one is, for agents, without a reason, or when the policy demands a notice to the
    customer that was not given."""
    require_lead(uow, actor, "Changing a ticket's severity")
    if not cmd.reason.strip():
        raise ValueError("a severity change needs a reason")
    if not cmd.tickets:
        raise ValueError("no tickets chosen")
    when = uow.now()
    changed = []
    seen = [_seen(uow, key, version) for key, version in cmd.tickets]
    already = [t.key for t in seen if t.severity == cmd.to]
    if len(already) == len(seen):
        raise ValueError(f"{', '.join(already)} {_is_are(already)} already at severity {cmd.to}")
    for ticket in seen:
        if ticket.severity == cmd.to:  # left out of a bulk change, as its preview says
            continue
        policy = book.policy_for(uow.customers.get(ticket.customer))
        policy.severity(cmd.to)
        if policy.severity_change.notify_customer and not cmd.customer_notified:
            raise ValueError(
                f"{policy.vendor}'s policy requires notifying the customer of a severity "
                f"change ({policy.severity_change.source.clause}): confirm the customer was "
                "notified"
            )
        data = {
            "from": ticket.severity,
            "to": cmd.to,
            "reason": cmd.reason.strip(),
            "customer_notified": cmd.customer_notified,
        }
        event = TicketEvent(EventKind.SEVERITY_CHANGED, when, data, actor)
        changed.append(apply_event(uow, book, ticket, event))
    return changed


def open_ticket(cmd: c.OpenTicket, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    """A new ticket with its ``created`` event (and ``assigned``, when given one)."""
    _person(uow, actor)
    check_new_ticket(cmd.key, cmd.title, cmd.severity, cmd.submitted_at, uow.now())
    return new_ticket(cmd, uow, book, actor)


def new_ticket(cmd: c.OpenTicket, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Ticket:
    """The ticket of ``cmd`` written with its first events, whatever its key and instant (an
    import's, or a test's; :func:`open_ticket` checks them first)."""
    buyer = uow.customers.get(cmd.customer)
    book.policy_for(buyer).severity(cmd.severity)
    if cmd.assignee is not None:
        uow.agents.get(cmd.assignee)
    first: dict[str, object] = {"severity": cmd.severity, "status": Status.OPEN.value}
    if cmd.channel is not None:
        first["channel"] = cmd.channel.value
    created = TicketEvent(EventKind.CREATED, cmd.submitted_at, first, actor)
    events = [created]
    if cmd.assignee:
        events.append(
            TicketEvent(EventKind.ASSIGNED, cmd.submitted_at, {"assignee": cmd.assignee}, actor)
        )
    if cmd.description.strip():
        said = _said(cmd.description, cmd.channel)
        events.append(TicketEvent(EventKind.CUSTOMER_MESSAGE, cmd.submitted_at, said, actor))
    due, summary = book.queue_state(buyer, events, max(uow.now(), cmd.submitted_at))
    ticket = Ticket(
        cmd.key,
        cmd.title,
        cmd.customer,
        cmd.severity,
        Status.OPEN,
        cmd.submitted_at,
        cmd.assignee,
        next_due_at=due,
        summary=summary,
    )
    return uow.tickets.add(ticket, events)


# --------------------------------------------------------------------------- calendars


def _company_calendars(book: PolicyBook, policy_id: str, what: str) -> Policy:
    """The policy, if some of its calendars take company holidays (and so ``what``)."""
    policy = book.policies.get(policy_id)
    if policy is None:
        raise KeyError(f"no policy {policy_id!r}")
    if not policy.accepts_company_holidays:
        raise ValueError(f"{policy.vendor}'s calendars take no {what}")
    return policy


def edit_holiday_periods(
    cmd: c.EditHolidayPeriods, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> int:
    """The periods removed and added, and the due instants they move recomputed; how many
    moved."""
    require_lead(uow, actor, "Editing calendars")
    policy = _company_calendars(book, cmd.policy_id, "company holiday periods")
    for period in cmd.removed:
        if period.id is None or period.policy_id != cmd.policy_id:
            raise ValueError(f"{period.first}-{period.last} is not a stored {policy.vendor} period")
        uow.holidays.delete(period.id, period.version)
    for period in cmd.added:
        if period.last < period.first:
            raise ValueError(f"a holiday period ends ({period.last}) before it starts")
        uow.holidays.add(
            HolidayPeriod(None, cmd.policy_id, period.first, period.last, period.reason)
        )
    current = book.current(uow)
    moved = recompute_due(uow, current, policy_id=cmd.policy_id)
    edited = (*cmd.removed, *cmd.added)
    if edited:
        dates = [(p.first, p.last) for p in edited]
        refresh_outcomes(uow, current, policy_id=cmd.policy_id, dates=dates)
    return moved


def _codes(presences: Iterable[Presence]) -> str:
    return ", ".join(p.code for p in presences)


def set_presences(cmd: c.SetPresences, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> int:
    """The policy's presences made those of the command (each checked against the holidays
    package), and the due instants they move recomputed; how many moved."""
    require_lead(uow, actor, "Editing calendars")
    policy = _company_calendars(book, cmd.policy_id, "company holidays, so no presences")
    wanted = sorted({check_presence(p) for p in cmd.presences}, key=lambda p: p.order)
    stored = uow.presences.list(cmd.policy_id)
    before = book.current(uow)
    current = {entry.presence for entry in stored}
    if cmd.seen is not None and current != set(cmd.seen):
        now_text = _codes(sorted(current, key=lambda p: p.order)) or "none, the default"
        raise ConcurrentEditError(
            "presences of",
            cmd.policy_id,
            0,  # a set compared by what it holds has no version
            tuple(stored),
            {"presences": _codes(wanted)},
            message=(
                f"{policy.vendor}'s presences were changed by someone else (they are now "
                f"{now_text}); nothing was saved"
            ),
        )
    if current == set(wanted):
        return 0
    for entry in stored:
        if entry.presence not in wanted:
            assert entry.id is not None
            uow.presences.delete(entry.id, entry.version)
    for presence in wanted:
        if presence not in current:
            uow.presences.add(PolicyPresence(None, cmd.policy_id, presence))
    changed = book.current(uow)
    moved = recompute_due(uow, changed, policy_id=cmd.policy_id)
    # The days whose public holidays differ, from the first ticket's submission to two
    # years ahead (the latest a counting clock's due instant can reach, with room).
    today = uow.now().date()
    first = uow.tickets.first_submitted()
    start = first.date() if first is not None else today
    days = holidays_moved(before, changed, cmd.policy_id, start, today + timedelta(days=730))
    if days:
        refresh_outcomes(uow, changed, policy_id=cmd.policy_id, dates=days)
    return moved


def recompute(cmd: c.RecomputeDue, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> int:
    if cmd.policy_id is not None and cmd.policy_id not in book.policies:
        raise KeyError(f"no policy {cmd.policy_id!r}")
    moved = recompute_due(uow, book, policy_id=cmd.policy_id)
    store_unsettled_outcomes(uow, book, policy_id=cmd.policy_id)
    return moved


# --------------------------------------------------------------------------- handovers


def hand_over(cmd: c.HandOver, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> Handover:
    author = _person(uow, actor).name
    if cmd.end <= cmd.start:
        raise ValueError("a handover window ends after it starts")
    notes = {k: v.strip() for k, v in cmd.ticket_notes.items() if v.strip()}
    for key in notes:
        uow.tickets.get(key, with_events=False)
    return uow.handovers.add(
        Handover(None, author, uow.now(), cmd.start, cmd.end, cmd.note.strip(), notes)
    )


def acknowledge(
    cmd: c.AcknowledgeHandover, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> Handover:
    who = _person(uow, actor).name
    handover = uow.handovers.get(cmd.handover_id)
    if handover.version != cmd.version:
        raise ConcurrentEditError("handover", cmd.handover_id, cmd.version, handover, {})
    if handover.acknowledged_by is not None:
        raise ValueError(f"this handover was acknowledged by {handover.acknowledged_by} already")
    if who == handover.author:
        raise ValueError("a handover is acknowledged by someone else than its author")
    return uow.handovers.update(
        cmd.handover_id, cmd.version, acknowledged_by=who, acknowledged_at=uow.now()
    )


Handler = Callable[[Any, UnitOfWork, PolicyBook, "str | None"], Any]

# --------------------------------------------------------------------------- the mailbox


def _mail_store(uow: UnitOfWork) -> Any:
    store = getattr(uow, "mail", None)
    if store is None:
        raise ValueError("this database keeps no mail")
    return store


def configure_mailbox(
    cmd: c.ConfigureMailbox, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> int:
    require_lead(uow, actor, "Configuring the team mailbox")
    check_mailbox(cmd.settings, book.policies)
    return int(_mail_store(uow).configure(cmd.settings, cmd.version))


def set_mail_contact(
    cmd: c.SetMailContact, uow: UnitOfWork, book: PolicyBook, actor: str | None
) -> None:
    require_lead(uow, actor, "Naming the customer of a mail address")
    if cmd.customer is not None:
        uow.customers.get(cmd.customer)
    _mail_store(uow).set_contact(cmd.address, cmd.customer)


def discard_mail(cmd: c.DiscardMail, uow: UnitOfWork, book: PolicyBook, actor: str | None) -> None:
    require_lead(uow, actor, "Putting a message aside for good")
    store = _mail_store(uow)
    message = store.message(cmd.message_id)
    if message.version != cmd.version:
        raise ConcurrentEditError("message", cmd.message_id, cmd.version, message, {})
    if not message.outcome.waits_for_lead:
        raise ValueError(f"message {cmd.message_id} is {message.outcome.value}, not waiting")
    store.settle(message, Outcome.DISCARDED, reason=f"put aside for good by {actor}")


HANDLERS: dict[type[c.Command], Handler] = {
    c.AssignTicket: assign,
    c.RecordResponse: respond,
    c.SendUpdate: send_update,
    c.SetStatus: set_status,
    c.Escalate: escalate,
    c.AnswerEscalation: answer_escalation,
    c.DeliverRca: deliver_rca,
    c.Waive: waive,
    c.AddNote: add_note,
    c.RecordCustomerMessage: customer_message,
    c.ChangeSeverity: change_severity,
    c.OpenTicket: open_ticket,
    c.EditHolidayPeriods: edit_holiday_periods,
    c.SetPresences: set_presences,
    c.RecomputeDue: recompute,
    c.HandOver: hand_over,
    c.AcknowledgeHandover: acknowledge,
    c.ConfigureMailbox: configure_mailbox,
    c.SetMailContact: set_mail_contact,
    c.DiscardMail: discard_mail,
}

__all__ = ["HANDLERS", "handle", "require_lead"]
