"""Services on real databases: the cached due instants equal a recomputation from history,
company holiday periods and presences move them, and the command line works across
processes."""

from __future__ import annotations

import json
import multiprocessing
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from multiprocessing import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlTicketRepository, SqlUnitOfWork
from console.domain.errors import ConcurrentEditError
from console.domain.model import ClockProjection, EventKind, HolidayPeriod, TicketEvent
from console.domain.policy import load_policies
from console.domain.rules import InvalidEventError
from console.services.demo import load_demo
from console.services.tickets import PolicyBook
from history import (
    add_holiday_period,
    delete_holiday_period,
    recompute_due,
    record_event,
    set_presences,
)

NOW = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def book() -> PolicyBook:
    return PolicyBook(load_policies())


def cached_equals_recomputed(database: Database, book: PolicyBook, now: datetime) -> int:
    """Assert every ticket's cached next_due_at and queue summary equal its clocks now; how
    many were checked."""
    with SqlUnitOfWork(database, write=False) as uow:
        book = book.current(uow)
        customers = {c.name: c for c in uow.customers.list()}
        tickets = uow.tickets.list(open_only=False)
        histories = uow.tickets.events_of(t.key for t in tickets)
    for ticket in tickets:
        customer = customers[ticket.customer]
        expected = book.queue_state(customer, histories[ticket.key], now)
        assert (ticket.next_due_at, ticket.summary) == expected, ticket.key
    return len(tickets)


def stored_plans(database: Database) -> dict[str, ClockProjection | None]:
    with SqlUnitOfWork(database, write=False) as uow:
        return {c.key: c.projection for c in uow.tickets.cached_summaries()}


def test_cached_due_instants_equal_a_recomputation(database: Database, book: PolicyBook) -> None:
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=600, seed=3, now=NOW)
    assert cached_equals_recomputed(database, book, NOW) == 600
    assert recompute_due(SqlUnitOfWork(database, now=clock), book) == 0


def test_a_company_holiday_period_moves_due_instants(database: Database, book: PolicyBook) -> None:
    """Given Laioutr tickets waiting on their 24x5 calendar, when a lead closes the next
    two working days, their due instants move and the cache still equals the clocks."""
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=600, seed=5, now=NOW)
    with SqlUnitOfWork(database, write=False) as uow:
        before = {t.key: t.next_due_at for t in uow.tickets.list()}
    period, moved = add_holiday_period(
        SqlUnitOfWork(database, now=clock),
        book,
        "claire.dubois",
        "laioutr",
        date(2026, 12, 17),
        date(2026, 12, 18),
        "Team offsite",
    )
    assert moved > 0
    with SqlUnitOfWork(database, write=False) as uow:
        after = {t.key: t.next_due_at for t in uow.tickets.list()}
    changed = [k for k in before if before[k] != after[k]]
    assert len(changed) == moved and all(k.startswith("LTR-") for k in changed)
    assert all(after[k] > before[k] for k in changed)  # type: ignore[operator]
    cached_equals_recomputed(database, book, NOW)
    assert (
        delete_holiday_period(SqlUnitOfWork(database, now=clock), book, "claire.dubois", period)
        == moved
    )
    with SqlUnitOfWork(database, write=False) as uow:
        assert {t.key: t.next_due_at for t in uow.tickets.list()} == before


def test_a_presence_moves_due_instants(database: Database, book: PolicyBook) -> None:
    """Given Laioutr tickets on 24 / 5 on Wed 3 Jun 2026, the day before Corpus Christi,
    When a lead names Bavaria a presence, the due instants from Thursday on move later and
    the cache equals the clocks; naming Germany again (or none) gives back today's."""
    now = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)
    clock = FakeTime(now)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=600, seed=5, now=now)
    with SqlUnitOfWork(database, write=False) as uow:
        before = {t.key: t.next_due_at for t in uow.tickets.list()}
    lead = "claire.dubois"
    assert set_presences(SqlUnitOfWork(database, now=clock), book, lead, "laioutr", "DE") == 0
    moved = set_presences(SqlUnitOfWork(database, now=clock), book, lead, "laioutr", "DE-BY")
    assert moved > 0
    with SqlUnitOfWork(database, write=False) as uow:
        after = {t.key: t.next_due_at for t in uow.tickets.list()}
        assert [p.presence.code for p in uow.presences.list("laioutr")] == ["DE-BY"]
    changed = [k for k in before if before[k] != after[k]]
    assert len(changed) == moved and all(k.startswith("LTR-") for k in changed)
    corpus_christi = datetime(2026, 6, 3, 22, 0, tzinfo=UTC)  # Thu 4 Jun 00:00 in Berlin
    assert all(after[k] > before[k] >= corpus_christi for k in changed)  # type: ignore[operator]
    assert cached_equals_recomputed(database, book, now) == 600
    assert set_presences(SqlUnitOfWork(database, now=clock), book, lead, "laioutr") == moved
    with SqlUnitOfWork(database, write=False) as uow:
        assert {t.key: t.next_due_at for t in uow.tickets.list()} == before
        assert uow.presences.list() == []
    cached_equals_recomputed(database, book, now)


def test_a_calendar_change_is_recomputed_from_the_stored_plans(
    database: Database, book: PolicyBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given demo tickets, each stored with its clock plan (read back as written),
    When a company holiday period is added,
    Then the recompute reads no history, and the cache equals the clocks from history."""
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=400, seed=6, now=NOW)
    plans = stored_plans(database)
    assert plans and all(plan is not None for plan in plans.values())
    with SqlUnitOfWork(database, write=False) as uow:
        customers = {c.name: c for c in uow.customers.list()}
        histories = uow.tickets.events_of(plans)
        tickets = {t.key: t for t in uow.tickets.list(open_only=False)}
    for key, plan in plans.items():
        written = book.queue_state(customers[tickets[key].customer], histories[key], NOW)[1]
        assert plan == written.projection, key

    reads: list[str] = []
    original = SqlTicketRepository.events_of

    def counted(self: SqlTicketRepository, keys: Iterable[str]) -> object:
        wanted = list(keys)
        reads.extend(wanted)
        return original(self, wanted)

    monkeypatch.setattr(SqlTicketRepository, "events_of", counted)
    with SqlUnitOfWork(database, now=clock) as uow:
        uow.holidays.add(
            HolidayPeriod(None, "laioutr", date(2026, 12, 18), date(2026, 12, 22), "Offsite")
        )
        uow.commit()
    moved = recompute_due(SqlUnitOfWork(database, now=clock), book, policy_id="laioutr")
    monkeypatch.undo()
    assert moved > 0 and reads == []
    assert cached_equals_recomputed(database, book, NOW) == 400


def test_tickets_without_a_usable_plan_are_recomputed_from_history(
    database: Database, book: PolicyBook
) -> None:
    """Plans missing (a database from before plans) or on another basis (a changed policy
    file) are not used: the recompute reads those histories and stores new plans."""
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=200, seed=8, now=NOW)
    with SqlUnitOfWork(database, now=clock) as uow:
        uow.session.execute(text("UPDATE tickets SET clock_plan = NULL WHERE key LIKE 'LP-%'"))
        uow.commit()
    plans = stored_plans(database)
    assert any(p is None for p in plans.values()) and any(p is not None for p in plans.values())
    assert recompute_due(SqlUnitOfWork(database, now=clock), book) == 0
    restored = stored_plans(database)
    assert all(plan is not None for plan in restored.values())
    assert all(restored[k] == plans[k] for k in plans if plans[k] is not None)

    edited = {
        pid: replace(policy, digest="edited") if pid == "laioutr" else policy
        for pid, policy in book.policies.items()
    }
    changed_book = PolicyBook(edited)
    assert recompute_due(SqlUnitOfWork(database, now=clock), changed_book) == 0
    rebased = stored_plans(database)
    for key, plan in rebased.items():
        assert plan is not None
        assert (plan.basis == restored[key].basis) != key.startswith("LTR-"), key  # type: ignore[union-attr]
    cached_equals_recomputed(database, changed_book, NOW)


def test_a_stale_edit_is_refused_with_both_versions(database: Database, book: PolicyBook) -> None:
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=50, seed=2, now=NOW)
    with SqlUnitOfWork(database, write=False) as uow:
        ticket = uow.tickets.list()[0]
    note = TicketEvent(EventKind.NOTE, NOW, {"text": "first"}, "ana.ortiz")
    record_event(SqlUnitOfWork(database, now=clock), book, ticket.key, ticket.version, note)
    with pytest.raises(ConcurrentEditError) as caught:
        record_event(
            SqlUnitOfWork(database, now=clock),
            book,
            ticket.key,
            ticket.version,
            TicketEvent(EventKind.NOTE, NOW, {"text": "second"}, "lee.park"),
        )
    assert caught.value.current.version == ticket.version + 1  # type: ignore[attr-defined]
    assert "changed by someone else" in str(caught.value)
    with SqlUnitOfWork(database, write=False) as uow:
        texts = [e.data.get("text") for e in uow.tickets.get(ticket.key).events]
    assert "first" in texts and "second" not in texts


# What a console process does to a ticket, in turn: real events, so each edit recomputes
# the cached clocks (responses stop them, pauses hold them, escalations start one).
CONSOLE_EDITS: list[tuple[EventKind, dict[str, object]]] = [
    (EventKind.NOTE, {"text": "looking"}),
    (EventKind.RESPONDED, {}),
    (EventKind.STATUS_CHANGED, {"status": "awaiting_customer"}),
    (EventKind.UPDATE_SENT, {}),
    (EventKind.STATUS_CHANGED, {"status": "open"}),
    (EventKind.ESCALATED, {"urgent": False}),
    (EventKind.ESCALATION_ANSWERED, {}),
    (EventKind.STATUS_CHANGED, {"status": "on_hold"}),
    (EventKind.STATUS_CHANGED, {"status": "open"}),
]


def _console(
    url: str,
    worker: int,
    edits: int,
    keys: list[str],
    started: float,
    results: Queue[tuple[int, list[tuple[str, str]], int, int, str]],
    together: Barrier,
) -> None:
    """One console process: read a ticket's version, then record an event at it (an agent's
    action, instants on a clock shared by the processes)."""
    try:
        results.put(_edits(url, worker, edits, keys, started, together))
    except BaseException:
        results.put((worker, [], -1, -1, traceback.format_exc()))


def _edits(
    url: str, worker: int, edits: int, keys: list[str], started: float, together: Barrier
) -> tuple[int, list[tuple[str, str]], int, int, str]:
    database = Database.open(url)
    book = PolicyBook(load_policies())
    landed: list[tuple[str, str]] = []
    conflicts = refused = 0
    with SqlUnitOfWork(database, write=False) as uow:
        people = sorted(a.name for a in uow.agents.list())
    actor = people[worker % len(people)]
    for n in range(edits):
        # The first edit of every process is on the same ticket at the version they all
        # read before any of them writes: one lands and the others must be conflicts,
        # however the processes happen to be scheduled afterwards.
        key = keys[0] if n == 0 else keys[(worker * 7 + n * 3) % len(keys)]
        with SqlUnitOfWork(database, write=False) as uow:
            version = uow.tickets.get(key, with_events=False).version
        if n == 0:
            together.wait(timeout=300)
        at = NOW + timedelta(seconds=time.time() - started)
        kind, data = CONSOLE_EDITS[(worker + n) % len(CONSOLE_EDITS)]
        mark = f"mark {worker}.{n}"
        event = TicketEvent(kind, at, {**data, "text": mark}, actor)
        try:
            uow = SqlUnitOfWork(database, now=FakeTime(at))
            record_event(uow, book, key, version, event)
            landed.append((key, mark))
        except ConcurrentEditError:
            conflicts += 1
        except InvalidEventError:  # the ticket is not in a state for it (open already ...)
            refused += 1
    database.dispose()
    return worker, landed, conflicts, refused, ""


def test_eight_consoles_editing_fifty_tickets_lose_nothing(
    database: Database, book: PolicyBook, database_url: str
) -> None:
    """Given 50 tickets and 8 console processes making 500 edits each on them,
    Then every edit either landed (its event is on its ticket exactly once, its version
    counted) or was reported as a conflict, and every cached due instant and queue summary
    equals a recomputation from history."""
    load_demo(SqlUnitOfWork(database, now=FakeTime(NOW)), book, tickets=50, seed=9, now=NOW)
    with SqlUnitOfWork(database, write=False) as uow:
        before = {t.key: t.version for t in uow.tickets.list(open_only=False)}
    keys = sorted(before)
    assert len(keys) == 50
    context = multiprocessing.get_context("spawn")
    results: Queue[tuple[int, list[tuple[str, str]], int, int, str]] = context.Queue()
    workers, edits = 8, 500
    together = context.Barrier(workers)
    started = time.time()
    processes = [
        context.Process(
            target=_console, args=(database_url, w, edits, keys, started, results, together)
        )
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    failures = [o[4] for o in outcomes if o[4]]
    assert not failures, failures[0]
    landed = [edit for _, edits_landed, _, _, _ in outcomes for edit in edits_landed]
    conflicts = sum(o[2] for o in outcomes)
    refused = sum(o[3] for o in outcomes)
    assert len(landed) + conflicts + refused == workers * edits
    assert len(landed) > workers * edits // 10 and conflicts >= workers - 1

    with SqlUnitOfWork(database, write=False) as uow:
        after = {t.key: t.version for t in uow.tickets.list(open_only=False)}
        histories = uow.tickets.events_of(keys)
    marks = sorted(
        (key, text)
        for key in keys
        for e in histories[key]
        if (text := str(e.data.get("text", ""))).startswith("mark ")
    )
    assert marks == sorted(landed)
    assert sum(after[k] - before[k] for k in keys) == len(landed)
    end = NOW + timedelta(seconds=time.time() - started + 1)
    assert cached_equals_recomputed(database, book, end) == 50
    assert recompute_due(SqlUnitOfWork(database, now=FakeTime(end)), book) == 0


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_demo_in_one_process_is_seen_by_another(database_url: str, tmp_path: Path) -> None:
    """Given `demo` run by one process, a second process exports the same tickets; a write
    based on a stale version is refused with a clear message."""
    assert run_cli("--db", database_url, "db", "upgrade").returncode == 0
    loaded = run_cli(
        "--db",
        database_url,
        "demo",
        "--tickets",
        "400",
        "--seed",
        "9",
        "--now",
        "2026-11-20T14:30Z",
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "400 tickets" in loaded.stdout
    exported = run_cli("--db", database_url, "export", str(tmp_path / "all.csv"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "all.csv").read_text().count("\n") == 401
    again = run_cli("--db", database_url, "demo", "--tickets", "10")
    assert again.returncode == 2 and "ticket(s) already" in again.stderr

    code = (
        "import sys\n"
        "from console.adapters.database import Database\n"
        "from console.adapters.sql import SqlUnitOfWork\n"
        "from console.domain.errors import ConcurrentEditError\n"
        "db = Database.open(sys.argv[1])\n"
        "with SqlUnitOfWork(db, write=False) as uow:\n"
        "    t = uow.tickets.list()[0]\n"
        "with SqlUnitOfWork(db) as uow:\n"
        "    uow.tickets.update(t.key, t.version, title='first writer'); uow.commit()\n"
        "try:\n"
        "    with SqlUnitOfWork(db) as uow:\n"
        "        uow.tickets.update(t.key, t.version, title='second writer'); uow.commit()\n"
        "except ConcurrentEditError as error:\n"
        "    print(error)\n"
    )
    stale = subprocess.run(
        [sys.executable, "-c", code, database_url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "was changed by someone else" in stale.stdout and "nothing was saved" in stale.stdout


def test_db_commands(sqlite_url: str) -> None:
    missing = run_cli("--db", sqlite_url, "db", "status")  # reads: makes no empty database
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()
    upgrade = run_cli("--db", sqlite_url, "db", "upgrade")  # builds one, on purpose
    head = Database.open(sqlite_url).head_revision()
    assert upgrade.returncode == 0 and f"empty -> {head}" in upgrade.stdout
    assert "already up to date" in run_cli("--db", sqlite_url, "db", "upgrade").stdout
    recompute = run_cli("--db", sqlite_url, "db", "recompute", "--policy", "laioutr")
    assert recompute.returncode == 0 and "0 due instant(s) changed" in recompute.stdout
    unknown = run_cli("--db", sqlite_url, "db", "recompute", "--policy", "acme")
    assert unknown.returncode == 2 and "no policy 'acme'" in unknown.stderr


def test_presences_command(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`presences show` and `presences set` on a database: a lead names them (``--as`` on
    SQLite, which has no logins), a bad code or policy is a usage error naming it and
    changes nothing."""
    from console.cli import main

    def cli(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", sqlite_url, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    assert cli("demo", "--tickets", "200", "--seed", "3", "--now", "2026-06-03T10:00Z")[0] == 0
    code, out, _ = cli("presences", "show")
    assert code == 0
    assert out.splitlines()[1:] == ["  laioutr (Laioutr): DE (Germany), the policy file's default"]

    code, out, err = cli("presences", "set", "laioutr", "de-by", "AT-9", "--as", "claire.dubois")
    assert code == 0, err
    assert re.fullmatch(
        r".*: laioutr presences: AT-9 \(Wien, Austria\), DE-BY \(Bayern, Germany\); "
        r"\d+ due instant\(s\) moved\n",
        out,
    )
    code, out, _ = cli("presences", "show", "laioutr")
    assert out.splitlines()[1:] == [
        "  laioutr (Laioutr): AT-9 (Wien, Austria), DE-BY (Bayern, Germany)"
    ]

    refused = [
        (
            ("laioutr", "DE-XX", "--as", "claire.dubois"),
            2,
            "presences: unknown subdivision 'XX' of DE",
        ),
        (("laioutr", "XX", "--as", "claire.dubois"), 2, "presences: unknown country 'XX'"),
        (("acme", "DE", "--as", "claire.dubois"), 2, "no policy 'acme'"),
        (("zitadel", "CH", "--as", "claire.dubois"), 2, "ZITADEL's calendars take no company"),
        (("laioutr", "DE"), 2, "say which team lead names them with --as NAME"),
        (("laioutr", "DE", "--as", "marcus.reed"), 1, "is for team leads"),
    ]
    for argv, status, message in refused:
        code, _, err = cli("presences", "set", *argv)
        assert (code, err.startswith("support-console: ")) == (status, True), argv
        assert message in err and "Traceback" not in err, err
    assert (
        cli("presences", "show", "laioutr")[1].splitlines()[1].endswith("DE-BY (Bayern, Germany)")
    )

    code, out, _ = cli("presences", "set", "laioutr", "--as", "claire.dubois")
    assert code == 0 and "DE (Germany), the policy file's default;" in out
    assert cli("presences", "show")[1].splitlines()[1].endswith("the policy file's default")


def test_unreachable_postgres_is_a_clear_error() -> None:
    result = run_cli("--db", "postgresql://nobody@127.0.0.1:9/none", "export", "/dev/null")
    assert result.returncode == 5
    assert "cannot reach postgresql+psycopg://nobody@127.0.0.1:9/none" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    exports = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        assert (
            run_cli(
                "--db", url, "demo", "--tickets", "200", "--seed", "4", "--now", "2026-11-20T14:30Z"
            ).returncode
            == 0
        )
        assert run_cli("--db", url, "export", str(tmp_path / f"{name}.csv")).returncode == 0
        exports.append((tmp_path / f"{name}.csv").read_text())
    assert exports[0] == exports[1]
    assert json.dumps(exports[0]).count("LP-") > 0


def test_later_submission_than_now_is_computed_at_submission(
    database: Database, book: PolicyBook
) -> None:
    clock = FakeTime(NOW)
    load_demo(SqlUnitOfWork(database, now=clock), book, tickets=30, seed=1, now=NOW)
    earlier = FakeTime(NOW - timedelta(days=30))
    assert recompute_due(SqlUnitOfWork(database, now=earlier), book) >= 0


@pytest.mark.postgres
def test_db_grant_command(postgres_url: str, sqlite_url: str) -> None:
    assert run_cli("--db", postgres_url, "db", "upgrade").returncode == 0
    granted = run_cli("--db", postgres_url, "db", "grant", "ana.ortiz", "--role", "agent")
    assert granted.returncode == 0, granted.stderr
    assert "ana.ortiz has the agent rights" in granted.stdout
    assert run_cli("--db", sqlite_url, "db", "upgrade").returncode == 0
    refused = run_cli("--db", sqlite_url, "db", "grant", "ana.ortiz", "--role", "agent")
    assert refused.returncode == 1 and "SQLite has no users" in refused.stderr


def test_handover_command_writes_the_board(sqlite_url: str, tmp_path: Path) -> None:
    """`handover --hours 8 --format pdf` on demo data lists the board's tickets, and only open
    tickets; CSV and HTML work too."""
    from pypdf import PdfReader

    assert run_cli("--db", sqlite_url, "demo", "--tickets", "300").returncode == 0
    pdf = tmp_path / "h.pdf"
    result = run_cli(
        "--db", sqlite_url, "handover", "--hours", "8", "--format", "pdf", "-o", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    database = Database.open(sqlite_url)
    with SqlUnitOfWork(database, write=False) as uow:
        open_keys = {t.key for t in uow.tickets.list()}
        all_keys = {t.key for t in uow.tickets.list(open_only=False)}
    database.dispose()
    shown = set(re.findall(r"\b(?:L0|LTR|MBM|ZIT|LP)-\d+\b", text)) & all_keys
    assert shown and shown <= open_keys
    csv_file = tmp_path / "h.csv"
    assert (
        run_cli(
            "--db",
            sqlite_url,
            "handover",
            "--shift",
            "EMEA",
            "--format",
            "csv",
            "-o",
            str(csv_file),
        ).returncode
        == 0
    )
    assert csv_file.read_text().startswith("section,key,title")
    bad = run_cli(
        "--db", sqlite_url, "handover", "--shift", "Mars", "--format", "csv", "-o", str(csv_file)
    )
    assert bad.returncode == 2 and "no shift 'Mars'" in bad.stderr
