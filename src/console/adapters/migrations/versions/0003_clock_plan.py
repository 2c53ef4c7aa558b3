"""Each ticket's clock plan, so a calendar change recomputes due instants without histories.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("clock_plan", sa.Text(), nullable=True))
    # Tickets without a plan are recomputed from their histories (which writes the plan).
    if op.get_bind().dialect.name == "postgresql":
        # Agents write the plan with every event: extend their column grant if it exists.
        op.execute(
            "DO $$ BEGIN "
            "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'console_agent') THEN "
            "GRANT UPDATE (clock_plan) ON tickets TO console_agent; "
            "END IF; END $$"
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("clock_plan")
