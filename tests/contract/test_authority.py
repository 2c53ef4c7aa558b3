"""The team database is the authority: what an agent's (or a lead's) own login can and
cannot do to it, tried with nothing but that login, and each attack asserted by its effect.

Controls first: everything the console does for a person works through their login and
reaches other consoles. Then the attacks of the review (forged events, backdating,
handovers signed by others, the change feed, tickets' derived columns, locks) and a few
more, each refused or without effect."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from console.adapters.database import Database
from console.adapters.grants import grant
from console.adapters.listen import ChangeFollower
from console.adapters.sql import SqlUnitOfWork, writes_through_functions
from console.domain.errors import ConcurrentEditError, PermissionDeniedError
from console.domain.model import EventKind, HolidayPeriod, Presence, Role, Status
from console.domain.policy import load_policies
from console.domain.rules import EVENT_RULES, InvalidEventError, check_event
from console.services import commands as c
from console.services.demo import load_demo
from console.services.handlers import handle
from console.services.tickets import PolicyBook, ticket_state

pytestmark = pytest.mark.postgres

AGENT, OTHER, LEAD = "ana.ortiz", "lukas.brenner", "claire.dubois"
Opener = Callable[[str], Database]


DEMO_NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def book() -> PolicyBook:
    return PolicyBook(load_policies())


@pytest.fixture
def admin(postgres_url: str, book: PolicyBook) -> Iterator[Database]:
    """The owner's view of an upgraded database with a small demo queue of today, and the
    logins of two agents and a lead (each an agent of the database)."""
    database = Database.open(postgres_url)
    database.upgrade()
    # A fixed queue (made at an instant before the server's clock): the same tickets, open
    # and unassigned ones among them, whatever the hour the tests run.
    now = DEMO_NOW
    load_demo(SqlUnitOfWork(database, now=lambda: now), book, tickets=40, seed=5, now=now)
    for name, role in ((AGENT, Role.AGENT), (OTHER, Role.AGENT), (LEAD, Role.LEAD)):
        grant(database, name, role, "pw")
    yield database
    database.dispose()


@pytest.fixture
def login(admin: Database) -> Iterator[Opener]:
    opened: list[Database] = []

    def open_as(user: str) -> Database:
        url = make_url(admin.url).set(username=user, password="pw")
        database = Database.open(url.render_as_string(hide_password=False))
        opened.append(database)
        return database

    yield open_as
    for database in opened:
        database.dispose()


def sql(database: Database, statement: str, **params: Any) -> Any:
    """Run one statement in its own transaction as the database's user; its first value."""
    with database.engine.begin() as connection:
        result = connection.execute(text(statement), params)
        return result.scalar() if result.returns_rows else None


def refused(database: Database, statement: str, **params: Any) -> str:
    """The statement fails; the server's message."""
    with pytest.raises(DBAPIError) as raised:
        sql(database, statement, **params)
    return str(raised.value.orig)


def ticket(database: Database, key: str) -> Any:
    with SqlUnitOfWork(database, write=False) as uow:
        return uow.tickets.get(key)


def open_keys(database: Database, **wanted: Any) -> list[str]:
    with SqlUnitOfWork(database, write=False) as uow:
        return [
            t.key
            for t in uow.tickets.list()
            if all(getattr(t, name) == value for name, value in wanted.items())
        ]


def send(database: Database, book: PolicyBook, actor: str, command: c.Command) -> Any:
    return handle(command, SqlUnitOfWork(database), book, actor)


def fingerprint(database: Database) -> str:
    """Everything a console reads, as one text: any change shows."""
    tables = (
        "tickets",
        "ticket_events",
        "changes",
        "handovers",
        "holiday_periods",
        "presences",
        "agents",
        "customers",
        "clock_outcomes",
    )
    with database.engine.connect() as connection:
        parts = [
            json.dumps(
                [
                    list(map(str, row))
                    for row in connection.execute(text(f"SELECT * FROM {t} ORDER BY 1"))
                ]
            )
            for t in tables
        ]
    return "\n".join(parts)


# --------------------------------------------------------------------------- controls


def test_logins_write_through_the_functions_and_the_owner_does_not(
    admin: Database, login: Opener
) -> None:
    assert writes_through_functions(login(AGENT))
    assert writes_through_functions(login(LEAD))
    assert not writes_through_functions(admin)


def test_an_agent_works_a_ticket_through_its_login(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    """Take, respond, note, status, escalate, answer: each lands signed by the login at the
    server's instant, bumps the version by one, and reaches another console's feed."""
    ana = login(AGENT)
    key = open_keys(ana, assignee=None, status=Status.OPEN)[0]
    follower = ChangeFollower(login(OTHER))
    before = ticket(ana, key)
    started = sql(admin, "SELECT now()")
    steps = [
        lambda v: c.AssignTicket(key, v, AGENT),
        lambda v: c.RecordResponse(key, v, "We are on it"),
        lambda v: c.AddNote(key, v, "Called the customer"),
        lambda v: c.Escalate(key, v, urgent=False),
        lambda v: c.AnswerEscalation(key, v, "Manager here"),
        lambda v: c.SetStatus(key, v, Status.AWAITING_CUSTOMER),
    ]
    version = before.version
    for step in steps:
        version = send(ana, book, AGENT, step(version)).version
    after = ticket(admin, key)
    assert after.version == before.version + len(steps)
    assert (after.assignee, after.status) == (AGENT, Status.AWAITING_CUSTOMER)
    new = after.events[len(before.events) :]
    assert [e.kind for e in new] == [
        EventKind.ASSIGNED,
        EventKind.RESPONDED,
        EventKind.NOTE,
        EventKind.ESCALATED,
        EventKind.ESCALATION_ANSWERED,
        EventKind.STATUS_CHANGED,
    ]
    assert {e.actor for e in new} == {AGENT}
    ended = sql(admin, "SELECT now()")
    assert all(started <= e.at <= ended for e in new)
    assert {(ch.entity, ch.key) for ch in follower.poll()} == {("ticket", key)}
    # The derived state the console computed was stored with the events.
    with SqlUnitOfWork(admin, write=False) as uow:
        customer = uow.customers.get(after.customer)
        current = book.current(uow)
    due, summary = current.queue_state(customer, after.events, ended)
    assert (after.next_due_at, after.summary.kind) == (due, summary.kind)


def test_a_lead_changes_severity_calendars_and_hands_over(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    lee = login(LEAD)
    key = open_keys(lee)[0]
    before = ticket(lee, key)
    to = 2 if before.severity != 2 else 3
    send(lee, book, LEAD, c.ChangeSeverity(((key, before.version),), to, "Outage", True))
    assert ticket(admin, key).severity == to
    assert ticket(admin, key).events[-1].actor == LEAD

    period = HolidayPeriod(None, "laioutr", date(2027, 3, 1), date(2027, 3, 3), "Offsite")
    with SqlUnitOfWork(admin, write=False) as uow:
        before_periods = uow.holidays.list("laioutr")
    send(lee, book, LEAD, c.EditHolidayPeriods("laioutr", added=(period,)))
    with SqlUnitOfWork(admin, write=False) as uow:
        added = [p for p in uow.holidays.list("laioutr") if p not in before_periods]
    assert [(p.first, p.reason) for p in added] == [(period.first, "Offsite")]
    send(lee, book, LEAD, c.EditHolidayPeriods("laioutr", removed=tuple(added)))
    send(lee, book, LEAD, c.SetPresences("laioutr", (Presence("DE", "BY"),), seen=()))
    with SqlUnitOfWork(admin, write=False) as uow:
        assert uow.holidays.list("laioutr") == before_periods
        assert [p.presence for p in uow.presences.list("laioutr")] == [Presence("DE", "BY")]

    now = datetime.now(UTC)
    handover = send(lee, book, LEAD, c.HandOver(now - timedelta(hours=8), now, "Quiet"))
    assert handover.author == LEAD
    acknowledged = send(
        login(AGENT), book, AGENT, c.AcknowledgeHandover(handover.id, handover.version)
    )
    assert acknowledged.acknowledged_by == AGENT


def test_a_stale_version_is_a_conflict_with_nothing_written(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    ana = login(AGENT)
    key = open_keys(ana, assignee=None, status=Status.OPEN)[0]
    seen = ticket(ana, key)
    stale = send(ana, book, AGENT, c.AddNote(key, seen.version, "first"))
    with pytest.raises(ConcurrentEditError) as raised:
        call(ana, key, seen.version, "note", {"text": "second"})
    assert raised.value.current.version == stale.version
    assert [e.data.get("text") for e in ticket(admin, key).events].count("second") == 0


def test_settings_naming_a_lead_does_not_make_the_login_one(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    """An agent's console that believes its person is a lead (Settings 'Who I am') passes
    the console's own checks, and the database refuses: the actor is the login."""
    ana = login(AGENT)
    key = open_keys(ana, assignee=None, status=Status.OPEN)[0]
    send(login(OTHER), book, OTHER, c.AssignTicket(key, ticket(ana, key).version, OTHER))
    seen = ticket(ana, key)
    before = fingerprint(admin)
    with pytest.raises(PermissionDeniedError):
        send(ana, book, LEAD, c.AssignTicket(key, seen.version, AGENT))
    with pytest.raises(PermissionDeniedError):
        send(ana, book, LEAD, c.ChangeSeverity(((key, seen.version),), 1, "Faster", True))
    assert fingerprint(admin) == before
    send(ana, book, LEAD, c.AddNote(key, seen.version, "signed by whom?"))
    assert ticket(admin, key).events[-1].actor == AGENT


# --------------------------------------------------------------------------- attacks


def call(
    database: Database, key: str, version: int, kind: str, data: Any, derived: Any = None
) -> Any:
    """record_event as the login, straight (no console checks); the domain's error."""
    from console.adapters.sql_api import translated

    derived = derived if derived is not None else {"clock_kind": "done"}
    with SqlUnitOfWork(database) as uow:
        try:
            value = uow.session.execute(
                text(
                    "SELECT console_api.record_event(:k, :v, :kind, CAST(:d AS jsonb), "
                    "CAST(:x AS jsonb))"
                ),
                {
                    "k": key,
                    "v": version,
                    "kind": kind,
                    "d": json.dumps(data),
                    "x": json.dumps(derived),
                },
            ).scalar()
        except DBAPIError as error:
            raise translated(error, "ticket", key, version, uow) from None
        uow.commit()
    return value


FORGERIES = [
    "INSERT INTO ticket_events (ticket_id, kind, at, actor, data, recorded_at) "
    "SELECT id, 'severity_changed', now(), 'claire.dubois', "
    '\'{"from": 3, "to": 1, "reason": "x"}\', now() FROM tickets WHERE key = :key',
    "INSERT INTO ticket_events (ticket_id, kind, at, actor, data, recorded_at) "
    "SELECT id, 'responded', now() - interval '3 days', 'ana.ortiz', '{}', now() "
    "FROM tickets WHERE key = :key",
    "INSERT INTO handovers (author, created_at, window_start, window_end, note, "
    "ticket_notes, version) VALUES ('claire.dubois', now(), now(), now(), 'x', '{}', 1)",
    "UPDATE handovers SET note = 'rewritten'",
    "UPDATE handovers SET acknowledged_by = 'lukas.brenner'",
    "INSERT INTO changes (at, entity, key, kind) VALUES (now(), 'ticket', :key, 'bogus')",
    "INSERT INTO changes (seq, at, entity, key, kind) "
    "VALUES (9223372036854775000, now(), 'ticket', :key, 'updated')",
    "UPDATE tickets SET status = 'bogus' WHERE key = :key",
    "UPDATE tickets SET version = version + 100 WHERE key = :key",
    "UPDATE tickets SET next_due_at = '2099-01-01' WHERE key = :key",
    "UPDATE tickets SET clock_plan = '[1]', clock_kind = 'due' WHERE key = :key",
    "UPDATE tickets SET assignee_id = (SELECT id FROM agents WHERE name = 'ana.ortiz')",
    "UPDATE tickets SET severity = 1 WHERE key = :key",
    "DELETE FROM ticket_events",
    "TRUNCATE ticket_events",
    "INSERT INTO holiday_periods (policy_id, first, last, reason, version) "
    "VALUES ('laioutr', '2026-12-24', '2026-12-26', 'x', 1)",
    "INSERT INTO presences (policy_id, country, subdivision, version) "
    "VALUES ('laioutr', 'DE', 'BY', 1)",
    "UPDATE agents SET role = 'lead'",
    "SELECT setval(pg_get_serial_sequence('changes', 'seq'), 1)",
    "SELECT nextval(pg_get_serial_sequence('changes', 'seq'))",
    "SET ROLE console_writer",
    "SET ROLE console_lead",
    "SELECT console_api._set_derived((SELECT id FROM tickets WHERE key = :key), "
    '\'{"clock_kind": "done"}\')',
    "SELECT console_api._feed('ticket', :key, 'bogus')",
    "DELETE FROM clock_outcomes",
    "UPDATE clock_outcomes SET state = 'met'",
    "UPDATE tickets SET outcomes_at = NULL WHERE key = :key",
    "SELECT console_api._set_outcomes((SELECT id FROM tickets WHERE key = :key), "
    '\'{"as_of": "2026-01-01T00:00:00Z", "clocks": []}\')',
    "SELECT console_api.set_derived('[]')",
    "SELECT console_api.add_holiday_period('laioutr', '2026-12-24', '2026-12-26', 'x')",
    "SELECT * FROM ticket_events FOR UPDATE",
    "LOCK TABLE tickets IN EXCLUSIVE MODE",
    "CREATE TABLE public.mine (x int)",
    "CREATE FUNCTION console_api.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
]


@pytest.mark.parametrize("statement", FORGERIES)
def test_an_agent_cannot_write_a_table(admin: Database, login: Opener, statement: str) -> None:
    """Forged events (a lead's severity change, backdated responses, notes signed by
    others), handovers, feed entries, tickets' own columns, other roles, internal
    functions: every direct write is refused, and nothing changes."""
    ana = login(AGENT)
    key = open_keys(ana)[0]
    before = fingerprint(admin)
    message = refused(ana, statement, key=key)
    assert "denied" in message or "for team leads" in message, message
    assert fingerprint(admin) == before


@pytest.mark.parametrize(
    ("kind", "data", "why"),
    [
        ("severity_changed", {"from": 3, "to": 1, "reason": "faster"}, "for team leads"),
        ("reopened", {}, "not an event one records"),
        ("bogus", {}, "not an event one records"),
        ("created", {"severity": 1}, "not an event one records"),
        ("status_changed", {"status": "open"}, "already"),
        ("status_changed", {"status": "bogus"}, "known status"),
        ("status_changed", {}, "missing"),
        ("note", {"text": "x", "at": "2020-01-01T00:00:00Z"}, "unknown field"),
        ("note", {"text": "x", "actor": "claire.dubois"}, "unknown field"),
        ("note", {"text": "   "}, "cannot be empty"),
        ("note", {"text": 5}, "must be a text"),
        ("note", {"text": "x" * 20_001}, "longer than"),
        ("note", [1, 2], "JSON object"),
        ("responded", {"automated": "yes"}, "true or false"),
        ("escalation_answered", {}, "no escalation waiting"),
        ("assigned", {"assignee": "nobody.here"}, "agent of this database"),
        ("waived", {"waiver": "", "reason": "x"}, "cannot be empty"),
    ],
)
def test_events_that_make_no_sense_are_refused(
    admin: Database, login: Opener, kind: str, data: Any, why: str
) -> None:
    ana = login(AGENT)
    key = open_keys(ana, status=Status.OPEN, assignee=None)[0]
    seen = ticket(ana, key)
    if why == "for team leads" and kind == "severity_changed":
        # A change that would make sense for a lead (whatever the demo ticket's severity).
        data = {**data, "from": seen.severity, "to": 1 if seen.severity != 1 else 2}
    before = fingerprint(admin)
    with pytest.raises((InvalidEventError, PermissionDeniedError)) as raised:
        call(ana, key, seen.version, kind, data)
    assert why in str(raised.value)
    assert fingerprint(admin) == before


def test_the_actor_and_the_instant_are_the_servers(admin: Database, login: Opener) -> None:
    """Nothing in a call names who or when: a note is the login's, now."""
    ana = login(AGENT)
    key = open_keys(ana)[0]
    seen = ticket(ana, key)
    started = sql(admin, "SELECT now()")
    call(ana, key, seen.version, "note", {"text": "hello"})
    event = ticket(admin, key).events[-1]
    assert (event.kind, event.actor) == (EventKind.NOTE, AGENT)
    assert started <= event.at <= sql(admin, "SELECT now()")


def test_an_event_that_moves_no_clock_keeps_the_derived_state(
    admin: Database, login: Opener
) -> None:
    """A note sent with a forged due instant (2099) leaves the ticket's due instant and
    summary as they were; malformed derived state is refused."""
    ana = login(AGENT)
    key = next(k for k in open_keys(ana) if ticket(ana, k).next_due_at is not None)
    seen = ticket(ana, key)
    forged = {"next_due_at": "2099-01-01T00:00:00+00:00", "clock_kind": "done"}
    call(ana, key, seen.version, "note", {"text": "nothing to see"}, forged)
    after = ticket(admin, key)
    assert (after.next_due_at, after.summary) == (seen.next_due_at, seen.summary)
    for derived in ({"clock_kind": "bogus"}, {"clock_kind": "due", "clock_target_s": -5}, []):
        with pytest.raises(InvalidEventError):
            call(ana, key, after.version, "update_sent", {}, derived)


def test_a_new_ticket_is_the_logins_and_not_too_old(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    ana = login(AGENT)
    with SqlUnitOfWork(ana, write=False) as uow:
        customer = uow.customers.list()[0].name
    now = sql(admin, "SELECT now()")
    made = send(
        ana, book, AGENT, c.OpenTicket("PHONE-1", "Outage", customer, 2, now - timedelta(hours=2))
    )
    created = ticket(admin, made.key).events[0]
    assert (created.kind, created.actor) == (EventKind.CREATED, AGENT)
    assert created.at == made.submitted_at
    for when in (now - timedelta(days=4), now + timedelta(hours=1)):
        with pytest.raises(InvalidEventError):
            send(ana, book, AGENT, c.OpenTicket("PHONE-2", "Old", customer, 2, when))
    with pytest.raises(PermissionDeniedError):
        send(ana, book, AGENT, c.OpenTicket("PHONE-3", "For Lukas", customer, 2, now, OTHER))


def test_handovers_are_signed_by_their_logins(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    ana = login(AGENT)
    now = sql(admin, "SELECT now()")
    mine = send(ana, book, LEAD, c.HandOver(now - timedelta(hours=8), now, "Quiet"))
    assert mine.author == AGENT
    with pytest.raises(InvalidEventError):  # not by its own author
        send(ana, book, OTHER, c.AcknowledgeHandover(mine.id, mine.version))
    done = send(login(OTHER), book, LEAD, c.AcknowledgeHandover(mine.id, mine.version))
    assert done.acknowledged_by == OTHER
    with pytest.raises((InvalidEventError, ValueError)):
        send(login(LEAD), book, LEAD, c.AcknowledgeHandover(mine.id, done.version))


def test_no_lock_a_login_holds_stops_the_others(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    """An agent holds the advisory lock that used to order the feed, and keeps a
    transaction open after a command of its own: other consoles still write, and their
    changes reach a follower at once; the held one arrives when it commits."""
    ana, lukas = login(AGENT), login(OTHER)
    keys = open_keys(ana, status=Status.OPEN)
    follower = ChangeFollower(login(LEAD))
    url = make_url(admin.url).set(drivername="postgresql", username=AGENT, password="pw")
    held = psycopg.connect(url.render_as_string(hide_password=False))
    try:
        held.execute("SELECT pg_advisory_lock(7340113)")
        held.execute(
            "SELECT console_api.record_event(%s, %s, 'note', '{\"text\": \"held\"}', NULL)",
            (keys[0], ticket(ana, keys[0]).version),
        )  # and the transaction stays open
        version = ticket(lukas, keys[1]).version
        landed = send(lukas, book, OTHER, c.AddNote(keys[1], version, "go"))
        assert landed.version == version + 1
        assert {(ch.entity, ch.key) for ch in follower.poll()} == {("ticket", keys[1])}
        held.commit()
        assert {(ch.entity, ch.key) for ch in follower.poll()} == {("ticket", keys[0])}
        assert follower.poll() == []
    finally:
        held.close()


# --------------------------------------------------------------------------- one rule table


FIELD_NAMES = sorted({f.name for rule in EVENT_RULES.values() for f in rule.fields})
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["open", "resolved", "awaiting_customer", "bogus", AGENT, OTHER, ""]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.lists(st.integers(), max_size=2),
)
PAYLOADS = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=5)), VALUES, max_size=4
)
KINDS = st.one_of(st.sampled_from([k.value for k in EventKind]), st.just("reopened"))


def test_python_and_postgresql_read_one_rule_table(admin: Database, login: Opener) -> None:
    """Random events on an open ticket, through the agent's login (rolled back) and through
    the Python rules: both accept, or both refuse for the same reason's kind."""
    from hypothesis import HealthCheck, example, given, settings

    ana = login(AGENT)
    key = open_keys(ana, status=Status.OPEN, assignee=None)[0]
    seen = ticket(ana, key)
    state = ticket_state(seen)
    engine = ana.engine

    def by_postgres(kind: str, data: dict[str, Any]) -> str:
        with engine.connect() as connection:
            try:
                connection.execute(
                    text(
                        "SELECT console_api.record_event(:k, :v, :kind, CAST(:d AS jsonb), "
                        "CAST(:x AS jsonb))"
                    ),
                    {
                        "k": key,
                        "v": seen.version,
                        "kind": kind,
                        "d": json.dumps(data),
                        "x": json.dumps({"clock_kind": "done"}),
                    },
                )
            except DBAPIError as error:
                state_code = getattr(error.orig, "sqlstate", "")
                return "refused" if state_code == "SC403" else "invalid"
            finally:
                connection.rollback()
        return "accepted"

    def by_python(kind: str, data: dict[str, Any]) -> str:
        try:
            check_event(state, kind, data, AGENT, Role.AGENT)
        except PermissionDeniedError:
            return "refused"
        except InvalidEventError:
            return "invalid"
        return "accepted"

    outcomes: set[str] = set()
    severity = {"from": seen.severity, "to": 1 if seen.severity != 1 else 2, "reason": "x"}

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(KINDS, PAYLOADS)
    @example("severity_changed", severity)
    @example("note", {"text": "hello"})
    @example("assigned", {"assignee": AGENT})
    @example("note", {"text": "\u00a0"})
    def agree(kind: str, data: dict[str, Any]) -> None:
        outcome = by_postgres(kind, data)
        assert outcome == by_python(kind, data), (kind, data)
        outcomes.add(outcome)

    agree()
    assert outcomes == {"accepted", "invalid", "refused"}
    assert ticket(admin, key).version == seen.version  # every call was rolled back


def test_a_phoned_in_ticket_starts_its_clocks(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    """A ticket opened with its channel and the customer's words reads back whole: its
    created event is valid and its initial response clock runs."""
    from console.domain.model import Channel, Metric

    ana = login(AGENT)
    with SqlUnitOfWork(ana, write=False) as uow:
        customer = uow.customers.list()[0].name
    now = sql(admin, "SELECT now()")
    command = c.OpenTicket(
        "PHONE-9", "Outage", customer, 1, now - timedelta(minutes=5), None, Channel.PHONE, "Down!"
    )
    send(ana, book, AGENT, command)
    stored = ticket(admin, "PHONE-9")
    assert [e.kind for e in stored.events] == [EventKind.CREATED, EventKind.CUSTOMER_MESSAGE]
    assert all(e.invalid is None for e in stored.events)
    assert stored.events[0].data["channel"] == "phone"
    with SqlUnitOfWork(admin, write=False) as uow:
        customer_row = uow.customers.get(customer)
        current = book.current(uow)
    clocks = current.clocks(customer_row, stored.events, now)
    assert any(c.metric is Metric.INITIAL_RESPONSE and c.due is not None for c in clocks)


def test_the_report_reads_the_outcomes_logins_stored(
    admin: Database, login: Opener, book: PolicyBook
) -> None:
    """Events and a calendar change sent through the logins' command functions store the
    clock outcomes with the rest of the derived state: the report from them equals the one
    from every history."""
    from console.services.report import sla_report, sla_report_from_histories

    ana, lee = login(AGENT), login(LEAD)
    for key in open_keys(ana)[:6]:
        seen = ticket(ana, key)
        if seen.assignee in (None, AGENT):
            send(ana, book, AGENT, c.RecordResponse(key, seen.version, "On it"))
    key = open_keys(lee)[0]
    seen = ticket(lee, key)
    to = 2 if seen.severity != 2 else 3
    send(lee, book, LEAD, c.ChangeSeverity(((key, seen.version),), to, "Outage", True))
    period = HolidayPeriod(None, "laioutr", date.today() - timedelta(days=10), date.today(), "Off")
    send(lee, book, LEAD, c.EditHolidayPeriods("laioutr", added=(period,)))
    now = datetime.now(UTC)
    since, until = DEMO_NOW - timedelta(days=30), now + timedelta(days=1)
    with SqlUnitOfWork(admin, write=False) as uow:
        current = book.current(uow)
        stored = sla_report(uow, current, since, until, now)
        assert stored and stored == sla_report_from_histories(uow, current, since, until, now)
        assert len(uow.tickets.unsettled_outcomes(since, until, now)) < 10
    assert sql(admin, "SELECT count(*) FROM clock_outcomes WHERE basis <> ''") > 40
