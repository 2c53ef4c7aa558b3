"""The team database trusts no console: logins write only through the command functions
(PostgreSQL; see console.adapters.pg_commands). SQLite is unchanged.

Where roles were granted already, the groups lose every INSERT, UPDATE and DELETE here;
`support-console db grant` (run once more, for any login) hands the functions to their owner
role and grants EXECUTE, after which logins write again, through the functions.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from console.adapters.pg_commands import install

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    install(bind)
    op.execute(
        "DO $$ DECLARE g text; BEGIN "
        "FOREACH g IN ARRAY ARRAY['console_agent', 'console_lead'] LOOP "
        "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN "
        "EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA "
        "public FROM %I', g); "
        "EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', g); "
        "END IF; END LOOP; END $$"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SCHEMA IF EXISTS console_api CASCADE")
