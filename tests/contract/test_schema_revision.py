"""The schema revision Help ▸ About names, read as the console reads everything else: through
a query in a unit of work, on SQLite, on PostgreSQL as a console login (which may read the
revision, nothing it may not), and on the fake, which has none."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.adapters.grants import grant
from console.adapters.sql import SqlUnitOfWork
from console.domain.model import Role
from console.domain.policy import load_policies
from console.services.tickets import PolicyBook
from console.services.views import SchemaRevision

BOOK = PolicyBook(load_policies())


def test_the_fake_has_no_schema_revision() -> None:
    assert SchemaRevision().run(FakeUnitOfWork(FakeStore(), now=FakeTime()), BOOK) is None


def test_the_revision_is_the_databases(database_url: str) -> None:
    database = Database.open(database_url)
    try:
        assert SchemaRevision().run(SqlUnitOfWork(database, write=False), BOOK) is None
        database.upgrade()
        revision = SchemaRevision().run(SqlUnitOfWork(database, write=False), BOOK)
        assert revision == database.head_revision() == database.current_revision()
    finally:
        database.dispose()


@pytest.mark.postgres
def test_a_login_reads_the_revision(postgres_url: str) -> None:
    admin = Database.open(postgres_url)
    admin.upgrade()
    grant(admin, "about.agent", Role.AGENT, "pw")
    url = make_url(admin.url).set(username="about.agent", password="pw")
    login = Database.open(url.render_as_string(hide_password=False))
    try:
        revision = SchemaRevision().run(SqlUnitOfWork(login, write=False), BOOK)
        assert revision == admin.head_revision()
    finally:
        login.dispose()
        admin.dispose()
