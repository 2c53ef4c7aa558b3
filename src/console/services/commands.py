"""Every user action as a frozen command object (cosmicpython's ``commands.py``).

A command says what the user wants done, with the version of each row as the user saw it;
who sends it and when it happens are not part of it: the bus stamps the actor it was given
(on PostgreSQL, the login) and the instant from the unit of work's clock. Each command has
exactly one handler in :mod:`console.services.handlers`, which runs in one transaction.

Retrying after a conflict is sending the same command again against the row's new
version: :meth:`TicketCommand.on` builds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import ClassVar, Self

from console.domain.mail import MailboxSettings
from console.domain.model import Channel, HolidayPeriod, Presence, Status, Ticket
from console.services import words


@dataclass(frozen=True, slots=True)
class Command:
    """Base of every command. ``action`` names it in messages ("Take", "Waive"): marked for
    translation, shown with ``words.tr(command.action)``."""

    action: ClassVar[str] = words.QT_TR_NOOP("Change")


@dataclass(frozen=True, slots=True)
class TicketCommand(Command):
    """An action on one ticket as the user saw it: ``key`` at ``version``."""

    key: str
    version: int

    def on(self, current: Ticket) -> Self:
        """The same action on the ticket as it is now (a retry after a conflict)."""
        return replace(self, version=current.version)


@dataclass(frozen=True, slots=True)
class TextCommand(TicketCommand):
    """An action on a ticket that carries a text (to the customer, or a note)."""

    text: str = ""


@dataclass(frozen=True, slots=True)
class AssignTicket(TicketCommand):
    """Give the ticket to ``assignee`` (None: unassign). Taking it is assigning it to oneself;
    taking it from someone else is for team leads."""

    action: ClassVar[str] = words.QT_TR_NOOP("Assign")
    assignee: str | None = None


@dataclass(frozen=True, slots=True)
class RecordResponse(TextCommand):
    """A (non-automated) public reply to the customer, with what was said and by which
    channel (None: written here): stops the initial response clock."""

    action: ClassVar[str] = words.QT_TR_NOOP("Reply")
    channel: Channel | None = None


@dataclass(frozen=True, slots=True)
class SendUpdate(TextCommand):
    """A status update to the customer: re-arms the periodic update clock."""

    action: ClassVar[str] = words.QT_TR_NOOP("Send update")
    channel: Channel | None = None


@dataclass(frozen=True, slots=True)
class RecordCustomerMessage(TextCommand):
    """What the customer said (a call, a mail taken by hand): no clock moves by itself."""

    action: ClassVar[str] = words.QT_TR_NOOP("Customer message")
    channel: Channel | None = None


@dataclass(frozen=True, slots=True)
class SetStatus(TicketCommand):
    action: ClassVar[str] = words.QT_TR_NOOP("Set status")
    status: Status = Status.OPEN


@dataclass(frozen=True, slots=True)
class Escalate(TicketCommand):
    action: ClassVar[str] = words.QT_TR_NOOP("Escalate")
    urgent: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class AnswerEscalation(TextCommand):
    """A manager's answer to an escalation: stops the escalation response clock."""

    action: ClassVar[str] = words.QT_TR_NOOP("Answer escalation")


@dataclass(frozen=True, slots=True)
class DeliverRca(TextCommand):
    """The preliminary root-cause analysis was delivered."""

    action: ClassVar[str] = words.QT_TR_NOOP("RCA delivered")


@dataclass(frozen=True, slots=True)
class Waive(TicketCommand):
    """Lift the ticket's targets under one of its policy's waivers, with a reason."""

    action: ClassVar[str] = words.QT_TR_NOOP("Waive")
    waiver: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AddNote(TextCommand):
    """An internal note: no clock moves."""

    action: ClassVar[str] = words.QT_TR_NOOP("Add note")


@dataclass(frozen=True, slots=True)
class ChangeSeverity(Command):
    """A lead's change of the severity of one or more tickets of one policy, each as seen at
    its version: all change, or none."""

    action: ClassVar[str] = words.QT_TR_NOOP("Change severity")
    tickets: tuple[tuple[str, int], ...]  # (key, version)
    to: int
    reason: str
    customer_notified: bool = False

    def on(self, current: Ticket) -> Self:
        return replace(
            self,
            tickets=tuple(
                (key, current.version if key == current.key else version)
                for key, version in self.tickets
            ),
        )


@dataclass(frozen=True, slots=True)
class OpenTicket(Command):
    """A new ticket of ``customer`` submitted at ``submitted_at``."""

    action: ClassVar[str] = words.QT_TR_NOOP("New ticket")
    key: str
    title: str
    customer: str
    severity: int
    submitted_at: datetime
    assignee: str | None = None
    channel: Channel | None = None
    description: str = ""  # the customer's words: the ticket's first message


@dataclass(frozen=True, slots=True)
class EditHolidayPeriods(Command):
    """A lead's edit of one policy's company holiday periods: the periods ``removed`` (each
    as seen at its version) go, those ``added`` come, and every due instant they move is
    recomputed, all in one transaction."""

    action: ClassVar[str] = words.QT_TR_NOOP("Company holiday periods")
    policy_id: str
    added: tuple[HolidayPeriod, ...] = ()
    removed: tuple[HolidayPeriod, ...] = ()


@dataclass(frozen=True, slots=True)
class SetPresences(Command):
    """A lead names one policy's presences: their public holidays close the calendars that
    take company holidays, instead of those the policy file names (none: the file's again).
    ``seen`` are the presences as the lead saw them (None: whatever is stored); when others
    are stored by now, nothing changes. Every due instant they move is recomputed, all in one
    transaction."""

    action: ClassVar[str] = words.QT_TR_NOOP("Presences")
    policy_id: str
    presences: tuple[Presence, ...] = ()
    seen: tuple[Presence, ...] | None = None


@dataclass(frozen=True, slots=True)
class RecomputeDue(Command):
    """Recompute every cached due instant (of one policy) after a policy file changed."""

    action: ClassVar[str] = words.QT_TR_NOOP("Recompute due instants")
    policy_id: str | None = None


@dataclass(frozen=True, slots=True)
class HandOver(Command):
    """The outgoing engineer's handover of the window ``[start, end)`` with notes."""

    action: ClassVar[str] = words.QT_TR_NOOP("Hand over")
    start: datetime
    end: datetime
    note: str = ""
    ticket_notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticket_notes", MappingProxyType(dict(self.ticket_notes)))


@dataclass(frozen=True, slots=True)
class AcknowledgeHandover(Command):
    """The incoming engineer accepts the handover ``handover_id`` seen at ``version``."""

    action: ClassVar[str] = words.QT_TR_NOOP("Acknowledge handover")
    handover_id: int
    version: int


@dataclass(frozen=True, slots=True)
class ConfigureMailbox(Command):
    """A lead sets the team mailbox (``version`` as seen; 0 when there is none yet)."""

    action: ClassVar[str] = words.QT_TR_NOOP("Configure the mailbox")
    settings: MailboxSettings
    version: int


@dataclass(frozen=True, slots=True)
class SetMailContact(Command):
    """A lead names the customer of a mail address or domain (``@example.com``); None
    forgets it. Triage's messages from it open their tickets then."""

    action: ClassVar[str] = words.QT_TR_NOOP("Name a mail contact")
    address: str
    customer: str | None


@dataclass(frozen=True, slots=True)
class DiscardMail(Command):
    """A lead puts a message of Triage (or one kept aside) aside for good."""

    action: ClassVar[str] = words.QT_TR_NOOP("Discard a message")
    message_id: int
    version: int


TICKET_COMMANDS = (
    AssignTicket,
    RecordResponse,
    SendUpdate,
    SetStatus,
    Escalate,
    AnswerEscalation,
    DeliverRca,
    Waive,
    AddNote,
)
