"""Database records (SQLAlchemy 2 typed mapping). Only the adapters see these; repositories
turn them into domain objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Integer on SQLite so the key is the rowid (auto-incrementing); BIGINT elsewhere.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC: ``timestamptz`` on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"{value!r} is naive: instants must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "sqlite":
            # SQLite keeps ISO text; parsing it directly is several times faster than the
            # dialect's regular expression (a queue load reads 200,000 instants).
            return _sqlite_instant
        return super().result_processor(dialect, coltype)


def _sqlite_instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        # Naive UTC text as written: parsed with its offset, it comes out in UTC at once (a
        # tenth of the time of parsing it naive and replacing its zone).
        parsed = datetime.fromisoformat(value + "+00:00")
    except ValueError:  # text written with an offset of its own
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed if parsed.tzinfo is UTC else parsed.replace(tzinfo=UTC)  # a date alone


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class AgentRecord(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CustomerRecord(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(100), default="")
    escalation_contact: Mapped[str] = mapped_column(String(200), default="")
    overrides: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TicketRecord(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    severity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    submitted_at: Mapped[datetime]
    waivers: Mapped[list[str]] = mapped_column(default=list)
    next_due_at: Mapped[datetime | None]
    # The leading clock's summary, cached with next_due_at (see QueueSummary).
    clock_kind: Mapped[str] = mapped_column(String(16), default="done")
    clock_metric: Mapped[str | None] = mapped_column(String(32))
    clock_calendar: Mapped[str | None] = mapped_column(String(64))
    clock_target_s: Mapped[int | None] = mapped_column(Integer)
    clock_paused_left_s: Mapped[int | None] = mapped_column(Integer)
    clock_paused_by: Mapped[str | None] = mapped_column(String(32))
    # How to recompute the above without the history (JSON, see sql.projection_text).
    clock_plan: Mapped[str | None] = mapped_column(Text)
    # The instant and effective policy the clock_outcomes rows were computed for (NULL: never).
    outcomes_at: Mapped[datetime | None]
    outcomes_basis: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_tickets_status_next_due_at", "status", "next_due_at"),
        Index("ix_tickets_outcomes_at", "outcomes_at"),
    )


class TicketEventRecord(Base):
    """Append-only: triggers in the database refuse UPDATE and DELETE (see the migrations)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(String(63))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    recorded_at: Mapped[datetime]


class ClockOutcomeRecord(Base):
    """A clock of a ticket as the SLA report counts it (see
    :class:`console.domain.model.ClockOutcome`), kept with the ticket's derived state: one row
    per clock held to a timed target, as of ``tickets.outcomes_at``. ``customer_id`` and
    ``submitted_at`` repeat the ticket's, so the report reads this table alone."""

    __tablename__ = "clock_outcomes"

    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"), primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    # The customer's policy and plan when stored (a plan changed since changes the basis,
    # so those rows are not read): the report's lines, without a join.
    policy_id: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime]
    severity: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    response_us: Mapped[int | None] = mapped_column(BigInteger)
    credit_days: Mapped[int] = mapped_column(Integer, default=0)
    grows: Mapped[bool] = mapped_column(default=False)
    # The ticket's outcomes_at and outcomes_basis again, so the report needs no join.
    as_of: Mapped[datetime]
    basis: Mapped[str] = mapped_column(String(32))

    __table_args__ = (
        # The report's counts read this index alone, in its order (no sort).
        Index(
            "ix_clock_outcomes_report",
            "customer_id",
            "basis",
            "severity",
            "metric",
            "state",
            "submitted_at",
            "due_at",
            "grows",
            "credit_days",
            "response_us",
        ),
        # The first response times of a report line, in order: a percentile is an offset.
        # Not a partial index: a dialect's own arguments (sqlite_where ...) would make
        # SQLAlchemy import every dialect when this module is imported, a tenth of a second
        # of every start.
        Index(
            "ix_clock_outcomes_responses",
            "metric",
            "policy_id",
            "plan",
            "severity",
            "response_us",
            "submitted_at",
            # Read from the index too, so no table row is read: covering.
            "customer_id",
            "basis",
            "ticket_id",
        ),
        Index("ix_clock_outcomes_grows_due_at", "grows", "due_at"),
    )


class HolidayPeriodRecord(Base):
    __tablename__ = "holiday_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(64), index=True)
    first: Mapped[date] = mapped_column(Date)
    last: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PresenceRecord(Base):
    """A presence a lead named for a policy. ``subdivision`` is empty for a whole country,
    so that the unique constraint holds for it too (NULLs never collide)."""

    __tablename__ = "presences"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(8))
    subdivision: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("policy_id", "country", "subdivision"),)


class HandoverRecord(Base):
    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(63))
    created_at: Mapped[datetime]
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    ticket_notes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    acknowledged_by: Mapped[str | None] = mapped_column(String(63))
    acknowledged_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ChangeRecord(Base):
    """The change feed: ``seq`` is assigned in commit order (see unit of work)."""

    __tablename__ = "changes"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime]
    entity: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))


class MailSettingsRecord(Base):
    """The team mailbox of this database (one row, id 1): see
    :class:`console.domain.mail.MailboxSettings`. ``token`` names this database in the
    Message-IDs of its replies."""

    __tablename__ = "mail_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    token: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)


class MailContactRecord(Base):
    """An address (``someone@example.com``) or a whole domain (``@example.com``) whose new
    mail opens tickets for a customer."""

    __tablename__ = "mail_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))


class MailMessageRecord(Base):
    """A message intake read from the mailbox, once: imported into a ticket (``outcome``
    message or opened), left for a lead (triage, aside), or not answered (automatic, own).
    ``raw`` keeps the message as received for triage and those kept aside."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    folder: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime]
    imported_at: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    attachments: Mapped[list[str]] = mapped_column(default=list)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("folder", "uidvalidity", "uid"),)


class MailOutboxRecord(Base):
    """A public reply by e-mail, written in the reply's transaction, that the mail worker
    sends: ``state`` pending, sending (an attempt under way: confirmed by the team's own copy,
    or tried again), sent or failed."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    event_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    recipients: Mapped[list[str]] = mapped_column(default=list)
    last_error: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_mail_outbox_state_next_attempt_at", "state", "next_attempt_at"),)


class MailWorkerRecord(Base):
    """The mail worker of this database (one row, id 1): who holds the mailbox until when
    (two workers never both work), and what it last saw, for the consoles' status bar."""

    __tablename__ = "mail_worker"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    lease_until: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    connected: Mapped[bool] = mapped_column(default=False)
    last_message_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None]
