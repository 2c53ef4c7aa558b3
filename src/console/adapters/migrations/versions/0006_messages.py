"""Messages: the customer's words (customer_message events) and the channel of a message,
and new tickets opened with their channel and description (PostgreSQL's command functions
and rules are installed again; where `db grant` ran before, they go to their owner and
groups at once). SQLite is unchanged: events are JSON.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from console.adapters.pg_commands import install

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        install(bind)


def downgrade() -> None:
    """The rules and functions of 0005 come back with the code of 0005."""
