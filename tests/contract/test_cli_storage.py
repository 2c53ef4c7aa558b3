"""The command line on storage that fails for real: full, read-only, corrupt and missing SQLite
files and CSV files, and PostgreSQL servers that cannot be reached or refuse the login. Each
is one message naming the file or URL (without its password), exit 4 or 5, and nothing is
half-written."""

from __future__ import annotations

import csv
import io
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from console.adapters.database import Database
from console.cli import main
from console.cli_errors import ExitStatus
from pgserver import PostgresServer


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def demo_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A SQLite console database with 300 demo tickets (the present is now)."""
    path = tmp_path / "demo.sqlite3"
    assert run(capsys, "--db", str(path), "demo", "--tickets", "300")[0] == 0
    return path


def tickets_in(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute("SELECT count(*) FROM tickets").fetchone()[0]
    connection.close()
    return count


def new_tickets_csv(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The demo's tickets under new keys: an import the database would take."""
    exported = tmp_path / "exported.csv"
    assert run(capsys, "--db", str(demo_file), "export", str(exported))[0] == 0
    with exported.open(newline="") as stream:
        rows = list(csv.reader(stream))
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(rows[0])
    writer.writerows([f"NEW-{n}", *row[1:]] for n, row in enumerate(rows[1:]))
    fresh = tmp_path / "fresh.csv"
    fresh.write_text(out.getvalue(), newline="")
    return fresh


# --------------------------------------------------------------------------- a full disk


@contextmanager
def database_cannot_grow() -> Iterator[None]:
    """Every new SQLite connection may not add pages: SQLITE_FULL, as on a full disk."""

    def limit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={max(pages, 1)}")

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def test_an_import_into_a_full_database_saves_nothing(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = new_tickets_csv(demo_file, tmp_path, capsys)
    with database_cannot_grow():
        code, out, err = run(capsys, "--db", str(demo_file), "import", str(fresh))
    assert code == ExitStatus.STORAGE and out == ""
    assert err == (
        f"support-console: the database file {demo_file} cannot grow: the disk is full (or "
        "the file reached its size limit); nothing was saved. Free some space and try again\n"
    )
    assert tickets_in(demo_file) == 300
    assert run(capsys, "--db", str(demo_file), "import", str(fresh))[0] == 0  # room again
    assert tickets_in(demo_file) == 600


def test_demo_and_upgrade_on_a_full_disk_save_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    with database_cannot_grow():
        code, _, err = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == ExitStatus.STORAGE and "cannot grow: the disk is full" in err
    assert "schema:   empty (" in run(capsys, "--db", str(path), "db", "status")[1]

    assert run(capsys, "--db", str(path), "db", "upgrade")[0] == 0
    with database_cannot_grow():
        code, _, err = run(capsys, "--db", str(path), "demo", "--tickets", "50")
    assert code == ExitStatus.STORAGE and "cannot grow: the disk is full" in err
    assert tickets_in(path) == 0


def _limit_file_size(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG


def test_an_export_that_cannot_be_written_whole_leaves_the_old_file(
    demo_file: Path, tmp_path: Path
) -> None:
    """Given a file size limit below the export's size (as a full disk would stop it), the
    previous export stays as it was and no partial file is left: the export is written beside
    the file and renamed over it once complete."""
    target = tmp_path / "tickets.csv"
    target.write_text("the previous export\n")
    result = subprocess.run(
        [sys.executable, "-m", "console", "--db", str(demo_file), "export", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        # Above SQLite's shared-memory file (32 KiB), below the export (about 45 KB).
        preexec_fn=lambda: _limit_file_size(40_000),
    )
    assert result.returncode == ExitStatus.STORAGE, result.stderr
    assert result.stderr == (
        f"support-console: cannot write {target}: it would grow past the size allowed "
        "(File too large)\n"
    )
    assert target.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_an_export_onto_a_full_device(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(demo_file), "export", "/dev/full")
    assert code == ExitStatus.STORAGE
    assert (
        err
        == "support-console: cannot write /dev/full: the disk is full (No space left on device)\n"
    )


# --------------------------------------------------------------------------- read-only


def test_a_read_only_database_refuses_an_import(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = new_tickets_csv(demo_file, tmp_path, capsys)
    read_only = f"sqlite:///file:{demo_file}?mode=ro&uri=true"
    code, _, err = run(capsys, "--db", read_only, "import", str(fresh))
    assert code == ExitStatus.STORAGE
    assert err == (
        f"support-console: the database file {demo_file} is read-only (the file, its folder or "
        "the disk may not be written): nothing was saved\n"
    )
    assert tickets_in(demo_file) == 300


# --------------------------------------------------------------------------- missing


def test_missing_files_and_folders(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_file)]
    code, _, err = run(capsys, *db, "import", str(tmp_path / "nope.csv"))
    assert (code, err) == (
        ExitStatus.STORAGE,
        f"support-console: {tmp_path}/nope.csv does not exist\n",
    )
    code, _, err = run(capsys, *db, "export", str(tmp_path / "nowhere" / "x.csv"))
    assert code == ExitStatus.STORAGE
    assert err.endswith(f"x.csv: its folder {tmp_path / 'nowhere'} does not exist\n")
    handover = ["handover", "--format", "html", "-o", str(tmp_path / "nowhere" / "h.html")]
    code, _, err = run(capsys, *db, *handover)
    assert code == ExitStatus.STORAGE
    assert err.endswith(f"h.html: its folder {tmp_path / 'nowhere'} does not exist\n")
    code, _, err = run(capsys, *db, "export", str(tmp_path))
    assert (code, err) == (
        ExitStatus.STORAGE,
        f"support-console: {tmp_path} is a folder, not a file\n",
    )

    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    for command in (["db", "status"], ["db", "upgrade"], ["export", str(tmp_path / "e.csv")]):
        code, _, err = run(capsys, "--db", str(folder), *command)
        assert code == ExitStatus.STORAGE, command
        assert err == (
            f"support-console: the database file {folder} cannot be opened: it is a folder, "
            "not a file\n"
        )


# --------------------------------------------------------------------------- corrupt


def corrupt_copies(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    pages = {
        "garbage": bytes(range(256)) * 40,
        "truncated": data[: len(data) // 3],
        "header and garbage pages": data[:100] + bytes(reversed(range(256))) * 60,
    }
    copies = {}
    for name, content in pages.items():
        path = folder / f"{name.replace(' ', '-')}.sqlite3"
        path.write_bytes(content)
        copies[name] = path
    return copies


def test_corrupt_files_are_reported_and_left_as_they_are(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "some.csv"
    csv_file.write_text("key,title,customer,severity,submitted_at\n")
    commands = [
        ["db", "status"],
        ["db", "upgrade"],
        ["import", str(csv_file)],
        ["export", str(tmp_path / "out.csv")],
        ["demo", "--tickets", "3"],
        ["db", "recompute"],
    ]
    for name, path in corrupt_copies(demo_file, tmp_path).items():
        before = path.read_bytes()
        for command in commands:
            code, _, err = run(capsys, "--db", str(path), *command)
            assert code == ExitStatus.STORAGE, (name, command, err)
            assert err.startswith(
                f"support-console: the database file {path} is not a SQLite database, or it "
                "is damaged ("
            ), (name, command)
            assert path.read_bytes() == before, (name, command)
    assert not (tmp_path / "out.csv").exists()


def test_a_url_with_options_the_driver_does_not_know_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Database.open(str(tmp_path / "x.sqlite3")).dispose()  # the file exists: its mode is bad
    for url in (
        f"sqlite:///file:{tmp_path / 'x.sqlite3'}?mode=zz&uri=true",
        "postgresql://ana:secret@127.0.0.1:1/support?sslmode=bogus",
    ):
        code, _, err = run(capsys, "--db", url, "db", "status")
        assert code == ExitStatus.USAGE, err
        assert "is not a usable" in err and "secret" not in err


def test_a_library_warning_goes_to_the_log_not_to_standard_error(tmp_path: Path) -> None:
    """SQLAlchemy warns (with a line of its source) that it ignores a SQLite option."""
    Database.open(str(tmp_path / "x.sqlite3")).dispose()
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}?mode=ro"
    result = subprocess.run(
        [sys.executable, "-m", "console", "--db", url, "db", "status"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
    )
    assert result.returncode == 0 and result.stderr == ""
    log = tmp_path / "state" / "support-console" / "log" / "support-console.log"
    assert "SAWarning: Query string argument(s) 'mode' are not accepted" in log.read_text()


def test_recompute_of_an_unknown_policy_is_a_usage_error(
    demo_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for policy in ("acme", ""):
        code, _, err = run(capsys, "--db", str(demo_file), "db", "recompute", "--policy", policy)
        assert code == ExitStatus.USAGE and f"no policy {policy!r}" in err


def test_a_bad_csv_is_bad_input_naming_the_file_and_line(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("key,title,customer,severity,submitted_at\nX-1,t,Nobody,2,2025-01-01T00:00Z\n")
    code, _, err = run(capsys, "--db", str(demo_file), "import", str(bad))
    assert code == ExitStatus.BAD_INPUT
    assert err == f"support-console: {bad}: line 2: customer: no customer named 'Nobody'\n"
    assert tickets_in(demo_file) == 300


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def password_login(postgres_server: PostgresServer) -> Iterator[str]:
    """A login that must give its password 'right-one' (the server trusts all others)."""
    name = "cli_pw_login"
    postgres_server.execute(f"DROP ROLE IF EXISTS {name}")
    postgres_server.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'right-one'")
    hba = postgres_server.data_dir / "pg_hba.conf"
    before = hba.read_text()
    hba.write_text(f"host all {name} 127.0.0.1/32 scram-sha-256\n" + before)
    postgres_server.execute("SELECT pg_reload_conf()")
    yield name
    hba.write_text(before)
    postgres_server.execute("SELECT pg_reload_conf()")


@pytest.mark.postgres
def test_postgres_that_cannot_be_used_is_status_5(
    postgres_server: PostgresServer, password_login: str, capsys: pytest.CaptureFixture[str]
) -> None:
    port = postgres_server.port
    shown = "postgresql+psycopg://{}@127.0.0.1:{}/{}"
    cases = [
        (
            postgres_server.url().replace(f":{port}/", ":1/"),
            f"cannot reach {shown.format('postgres', 1, 'postgres')}: Connection refused",
        ),
        (
            postgres_server.url(database="no_such_db"),
            f'{shown.format("postgres", port, "no_such_db")}: database "no_such_db" does not '
            "exist: create it (createdb) and run `support-console --db URL db upgrade` once",
        ),
        (
            postgres_server.url(user="nobody_here"),
            f"{shown.format('nobody_here', port, 'postgres')} refused the login: role "
            '"nobody_here" does not exist',
        ),
        (
            postgres_server.url(user=password_login, password="wrong-one"),
            f"{shown.format(password_login + ':***', port, 'postgres')} refused the login: "
            f'password authentication failed for user "{password_login}"',
        ),
    ]
    for url, message in cases:
        for command in (["db", "status"], ["db", "upgrade"], ["export", "/dev/null"]):
            code, out, err = run(capsys, "--db", url, *command)
            assert code == ExitStatus.DATABASE, (url, command, err)
            assert err.startswith(f"support-console: {message}"), (url, command, err)
            assert "wrong-one" not in err and out == ""
