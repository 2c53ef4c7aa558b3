"""``support-console report``: the report window's figures for scripts, as CSV or JSON, to
standard output or a file; bad options are usage errors naming the option."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import FakeTime
from console.adapters.database import Database
from console.adapters.sql import SqlUnitOfWork
from console.cli import main
from console.domain.policy import load_policies
from console.services.demo import load_demo
from console.services.report import sla_report_from_histories, write_report_csv
from console.services.tickets import PolicyBook

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'demo.sqlite3'}"
    database = Database.open(url)
    database.upgrade()
    book = PolicyBook(load_policies())
    load_demo(SqlUnitOfWork(database, now=FakeTime(NOW)), book, tickets=200, seed=4, now=NOW)
    database.dispose()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected_csv(url: str, first: str, last: str) -> str:
    """The report of the days in UTC, computed from every history."""
    since = datetime.fromisoformat(first).replace(tzinfo=UTC)
    until = datetime.fromisoformat(last).replace(tzinfo=UTC) + timedelta(days=1)
    database = Database.open(url)
    try:
        with SqlUnitOfWork(database, write=False) as uow:
            book = PolicyBook(load_policies()).current(uow)
            lines = sla_report_from_histories(uow, book, since, until, datetime.now(UTC))
    finally:
        database.dispose()
    stream = io.StringIO()
    write_report_csv(lines, stream)
    return stream.getvalue()


def test_the_csv_report_is_the_windows_export(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = (NOW - timedelta(days=30)).date().isoformat(), NOW.date().isoformat()
    code, out, err = run(
        capsys, "--db", demo_url, "report", "--since", first, "--until", last,
        "--zone", "UTC", "--format", "csv",
    )  # fmt: skip
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 10
    assert sum(int(r["met"]) + int(r["breached"]) + int(r["pending"]) for r in rows) > 200
    # Pending clocks may turn breached between the two reads; everything else is equal.
    assert _decided(out) == _decided(expected_csv(demo_url, first, last))


def _decided(text: str) -> list[tuple[str, ...]]:
    return [
        (r["policy"], r["plan"], r["severity"], r["metric"], r["met"], r["median_first_response_s"])
        for r in csv.DictReader(io.StringIO(text))
    ]


def test_json_to_a_file_for_one_policy(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "zitadel.json"
    code, out, _ = run(
        capsys, "--db", demo_url, "report", "--policy", "zitadel", "--format", "json",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0
    assert out.startswith(f"{target}: ")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["lines"]
    assert {line["policy"] for line in document["lines"]} == {"zitadel"}
    assert [t["policy"] for t in document["totals"]] == ["zitadel"]
    total = document["totals"][0]
    assert total["met"] == sum(line["met"] for line in document["lines"])
    for line in document["lines"]:
        decided = line["met"] + line["breached"]
        if decided:
            assert line["success_pct"] == pytest.approx(
                int(line["met"] * 10_000 / decided) / 100, abs=1e-9
            )
        else:
            assert line["success_pct"] is None
    last = date_of(document["last_day"])
    assert (last - date_of(document["first_day"])).days == 29


def date_of(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--since", "2026-13-01"], "--since '2026-13-01' is not a day"),
        (["--until", "yesterday"], "--until 'yesterday' is not a day"),
        (["--since", "2026-11-30", "--until", "2026-11-01"], "is before --since"),
        (["--policy", "nope"], "--policy 'nope' is not a policy"),
        (["--zone", "Mars/Base"], "--zone 'Mars/Base' is not an IANA time zone"),
    ],
)
def test_bad_options_are_usage_errors(
    demo_url: str, argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", demo_url, "report", *argv, "--format", "csv")
    assert code == 2
    assert says in err
    assert out == ""
    assert "Traceback" not in err
