"""The mail channel: the team mailbox's settings, the addresses that name customers, the
messages intake read (each once), the outbox of replies by e-mail and the mail worker's
lease and status. On PostgreSQL the command functions are installed again (a reply by
e-mail writes its outbox row; leads configure the mailbox and its contacts), and where
`db grant` ran before, the new tables get their rights at once.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from console.adapters.pg_commands import MAIL_TABLE_RIGHTS, install
from console.adapters.records import BigId, UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "mail_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id"), nullable=False),
        sa.UniqueConstraint("address", name="uq_mail_contacts_address"),
    )
    op.create_table(
        "mail_messages",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("message_id", sa.String(998), nullable=False),
        sa.Column("folder", sa.String(200), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=True),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("message_id", name="uq_mail_messages_message_id"),
        sa.UniqueConstraint("folder", "uidvalidity", "uid", name="uq_mail_messages_folder"),
    )
    op.create_index("ix_mail_messages_ticket_id", "mail_messages", ["ticket_id"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("ticket_id", BigId, sa.ForeignKey("tickets.id"), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("attempt_at", UtcDateTime(), nullable=True),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("event_id", name="uq_mail_outbox_event_id"),
    )
    op.create_index("ix_mail_outbox_ticket_id", "mail_outbox", ["ticket_id"])
    op.create_index(
        "ix_mail_outbox_state_next_attempt_at", "mail_outbox", ["state", "next_attempt_at"]
    )
    op.create_table(
        "mail_worker",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=False),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("last_message_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", UtcDateTime(), nullable=True),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install(bind)
        # Where `db grant` ran before: both groups read the new tables (as it grants), and
        # the functions' owner writes what the functions write.
        for table, rights in MAIL_TABLE_RIGHTS.items():
            op.execute(
                "DO $$ BEGIN "
                "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_agent') THEN "
                f"GRANT SELECT ON {table} TO console_agent, console_lead; END IF; "
                "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_writer') THEN "
                f"GRANT {rights} ON {table} TO console_writer; "
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO console_writer; "
                "END IF; END $$"
            )


def downgrade() -> None:
    for table in ("mail_worker", "mail_outbox", "mail_messages", "mail_contacts", "mail_settings"):
        op.drop_table(table)
