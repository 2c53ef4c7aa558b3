"""Clock outcomes for the SLA report: one row per clock held to a timed target, kept with
the ticket's other derived state, and on each ticket the instant and effective policy they
were computed for. Existing tickets have none (``outcomes_at`` NULL) until
``support-console db recompute`` stores them; until then the report computes
those tickets from their histories, as before. On PostgreSQL the command functions are
installed again (they write the rows), and where `db grant` ran before the table gets its
rights at once.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from console.adapters.pg_commands import OUTCOME_TABLE_RIGHTS, install
from console.adapters.records import BigId, UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("outcomes_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("outcomes_basis", sa.String(32), nullable=True))
    op.create_table(
        "clock_outcomes",
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), primary_key=True),
        sa.Column("metric", sa.String(32), primary_key=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("plan", sa.String(64), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("stopped_at", UtcDateTime(), nullable=True),
        sa.Column("due_at", UtcDateTime(), nullable=True),
        sa.Column("response_us", sa.BigInteger(), nullable=True),
        sa.Column("credit_days", sa.Integer(), nullable=False),
        sa.Column("grows", sa.Boolean(), nullable=False),
        sa.Column("as_of", UtcDateTime(), nullable=False),
        sa.Column("basis", sa.String(32), nullable=False),
    )
    op.create_index(
        "ix_clock_outcomes_report",
        "clock_outcomes",
        [
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
        ],
    )
    op.create_index(
        "ix_clock_outcomes_responses",
        "clock_outcomes",
        [
            "metric",
            "policy_id",
            "plan",
            "severity",
            "response_us",
            "submitted_at",
            "customer_id",
            "basis",
            "ticket_id",
        ],
    )
    op.create_index("ix_clock_outcomes_grows_due_at", "clock_outcomes", ["grows", "due_at"])
    op.create_index("ix_tickets_outcomes_at", "tickets", ["outcomes_at"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install(bind)
        for table, rights in OUTCOME_TABLE_RIGHTS.items():
            op.execute(
                "DO $$ BEGIN "
                "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_agent') THEN "
                f"GRANT SELECT ON {table} TO console_agent, console_lead; END IF; "
                "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_writer') THEN "
                f"GRANT {rights} ON {table} TO console_writer; END IF; END $$"
            )


def downgrade() -> None:
    op.drop_table("clock_outcomes")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("outcomes_basis")
        batch.drop_column("outcomes_at")
