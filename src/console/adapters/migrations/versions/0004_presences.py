"""The presences leads name per policy, whose public holidays close the calendars that take
company holidays (Laioutr's "public holidays at a given presence").

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("country", sa.String(8), nullable=False),
        sa.Column("subdivision", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_presences"),
        sa.UniqueConstraint("policy_id", "country", "subdivision", name="uq_presences_policy_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Where roles were granted already, the new table gets the rights holiday periods
        # have: both groups read it, leads write it (as `db grant` would give them).
        op.execute(
            "DO $$ DECLARE s text; BEGIN "
            "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_agent') THEN "
            "GRANT SELECT ON presences TO console_agent; "
            "END IF; "
            "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_lead') THEN "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON presences TO console_lead; "
            "s := pg_get_serial_sequence('public.presences', 'id'); "
            "EXECUTE 'GRANT USAGE, SELECT ON SEQUENCE ' || s || ' TO console_lead'; "
            "END IF; END $$"
        )


def downgrade() -> None:
    op.drop_table("presences")
