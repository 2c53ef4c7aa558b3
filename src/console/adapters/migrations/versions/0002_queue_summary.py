"""The leading clock's summary on tickets, so the queue needs no histories.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("clock_kind", sa.String(16), nullable=False, server_default="done"),
        sa.Column("clock_metric", sa.String(32), nullable=True),
        sa.Column("clock_calendar", sa.String(64), nullable=True),
        sa.Column("clock_target_s", sa.Integer(), nullable=True),
        sa.Column("clock_paused_left_s", sa.Integer(), nullable=True),
        sa.Column("clock_paused_by", sa.String(32), nullable=True),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("tickets", column)
    # Existing tickets get their summaries from `support-console db recompute`.


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for column in _columns():
            batch.drop_column(column.name)
