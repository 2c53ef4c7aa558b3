"""The command line's error boundary: each kind of failure is one message on standard error
with its own exit status, a bug is logged with its traceback, and ``due --batch`` answers
every line whatever it holds."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from console import cli, cli_errors
from console.cli import main
from console.cli_errors import LOG_FILE_NAME, ExitStatus
from console.domain.policy import default_policy_dir

POLICY_DIR = default_policy_dir()
QUERY = {
    "policy": "layer0",
    "plan": "enterprise",
    "severity": 2,
    "metric": "initial_response",
    "start": "2026-11-25T17:30:00-08:00",
}
GOOD = json.dumps(QUERY).encode()
DUE = ["due", "--policy", "layer0", "--plan", "enterprise", "--severity", "2"]
DUE += ["--metric", "initial_response"]


@pytest.fixture(autouse=True)
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's log folder (platformdirs: $XDG_STATE_HOME/support-console/log)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "support-console" / "log"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


# --------------------------------------------------------------------------- usage: ranges


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["policy", "show", "zitadel", "--year", "10000"], "argument --year: '10000' is not"),
        (["policy", "show", "zitadel", "--year", "-5"], "from 1901 to 2399"),
        (["policy", "show", "zitadel", "--year", "1900"], "from 1901 to 2399"),
        (["policy", "show", "zitadel", "--year", "9" * 5000], "is not a whole number"),
        (["handover", "--hours", "100000000", "--format", "csv", "-o", "x"], "from 1 to 168"),
        (["handover", "--hours", "0", "--format", "csv", "-o", "x"], "argument --hours"),
        (["demo", "--tickets", "0"], "argument --tickets: '0' is not a whole number from 1 to"),
        (["demo", "--tickets", "1000001"], "from 1 to 1,000,000"),
        (["nonsense"], "invalid choice"),
        (["--db", "a\x00b", "db", "status"], "argument --db: 'a\\x00b' holds a NUL character"),
        (["--policies", "a\x00", "policy", "check"], "holds a NUL character"),
        (["export", "x\x00.csv"], "argument FILE.csv: 'x\\x00.csv' holds a NUL character"),
    ],
)
def test_arguments_out_of_range_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == ExitStatus.USAGE and message in err


@pytest.mark.parametrize(
    "start",
    ["9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00", "1900-12-31T23:59Z", "2400-01-01T00:00Z"],
)
def test_starts_outside_the_calendar_years_are_refused_up_front(
    capsys: pytest.CaptureFixture[str], start: str
) -> None:
    code, out, err = run(capsys, *DUE, "--start", start)
    assert code == ExitStatus.USAGE and out == ""
    assert err == f"support-console: --start {start!r} is outside the years 1901-2399\n"


@pytest.mark.parametrize("start", ["1901-01-01T00:00Z", "2399-12-31T20:00Z"])
def test_the_first_and_last_years_are_answered(
    capsys: pytest.CaptureFixture[str], start: str
) -> None:
    code, out, _ = run(capsys, *DUE, "--start", start, "--json")
    assert code == 0 and json.loads(out)["due"]


def test_a_due_instant_beyond_the_last_year_is_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The start is in range but the target runs out of calendar: said, not raised."""
    argv = ["due", "--policy", "zitadel", "--plan", "extended", "--severity", "3"]
    argv += ["--metric", "initial_response", "--start", "2399-12-31T23:00Z"]
    code, _, err = run(capsys, *argv)
    assert code == ExitStatus.USAGE
    assert err == (
        "support-console: the calendar is not open for 12:00:00 within 12 years of "
        "2399-12-31T23:00:00+00:00\n"
    )


@pytest.mark.parametrize("year", ["1901", "2399"])
def test_policy_show_answers_for_the_first_and_last_years(
    capsys: pytest.CaptureFixture[str], year: str
) -> None:
    code, out, _ = run(capsys, "policy", "show", "layer0", "--year", year)
    assert code == 0 and "Calendars" in out


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version")[0] == 0
    code, out, _ = run(capsys, "due", "--help")
    assert code == 0 and "--start" in out


# --------------------------------------------------------------------------- bad input


def test_a_broken_policy_folder_is_bad_input_with_file_and_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "moboom.toml"
    broken.write_text(
        (POLICY_DIR / "moboom.toml").read_text().replace('duration = "4h"', 'duration = "4 hrs"')
    )
    code, _, err = run(capsys, "--policies", str(tmp_path), *DUE, "--start", "2026-01-05T10:00Z")
    assert code == ExitStatus.BAD_INPUT
    assert err.splitlines()[0].startswith(
        f"{broken}: targets[1].duration: '4 hrs' is not a duration"
    )


# --------------------------------------------------------------------------- storage


def test_a_missing_batch_file_or_a_folder_is_a_storage_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "due", "--batch", str(tmp_path / "nope.jsonl"))
    assert code == ExitStatus.STORAGE and out == ""
    assert err == f"support-console: {tmp_path / 'nope.jsonl'} does not exist\n"
    code, _, err = run(capsys, "due", "--batch", str(tmp_path))
    assert code == ExitStatus.STORAGE and err.endswith("is a folder, not a file\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_disk_under_standard_output_is_a_storage_failure(tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_bytes(b"\n".join([GOOD] * 2000))
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "console", "due", "--batch", str(queries)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == ExitStatus.STORAGE
    assert result.stderr.startswith("support-console: cannot write ")
    assert "the disk is full" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- unexpected


@pytest.mark.allow_log("unexpected error in `support-console policy check`", logger="console.cli")
def test_an_unexpected_error_is_logged_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_folder: Path
) -> None:
    def broken(*_: object) -> int:
        raise RuntimeError("the policy checker broke\nover two lines")

    monkeypatch.setattr(cli, "policy_check", broken)
    code, out, err = run(capsys, "policy", "check")
    log = log_folder / LOG_FILE_NAME
    assert code == ExitStatus.UNEXPECTED and out == ""
    assert err == (
        "support-console: unexpected error (RuntimeError: the policy checker broke over two "
        f"lines); the details are in {log}\n"
    )
    written = log.read_text()
    assert "Traceback (most recent call last)" in written and "in broken" in written

    run(capsys, "policy", "check")  # appended, not overwritten
    assert log.read_text().count("Traceback (most recent call last)") == 2

    monkeypatch.setattr(cli_errors, "LOG_MAX_BYTES", 2000)  # rotated at a size
    for _ in range(6):
        run(capsys, "policy", "check")
    kept = sorted(p.name for p in log_folder.iterdir())
    assert kept == [LOG_FILE_NAME, *(f"{LOG_FILE_NAME}.{n}" for n in range(1, 4))]


@pytest.mark.allow_log("unexpected error", logger="console.cli")
def test_the_log_and_the_message_hide_database_passwords(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], log_folder: Path
) -> None:
    url = "postgresql://ana:s3cr@t@db.example/support"

    def broken(*_: object) -> int:
        raise RuntimeError(f"could not use {url}")

    monkeypatch.setattr(cli, "policy_check", broken)
    code, _, err = run(capsys, "--db", url, "policy", "check")
    assert code == ExitStatus.UNEXPECTED
    assert "postgresql://ana:***@db.example/support" in err
    logged = (log_folder / LOG_FILE_NAME).read_text()
    assert "`support-console --db postgresql://ana:***@db.example/support policy check`" in logged
    assert "Traceback" in logged and "s3cr" not in logged and "s3cr" not in err


@pytest.mark.allow_log("unexpected error", logger="console.cli")
def test_a_log_that_cannot_be_written_is_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))

    def broken(*_: object) -> int:
        raise KeyError("x")

    monkeypatch.setattr(cli, "policy_check", broken)
    code, _, err = run(capsys, "policy", "check")
    assert code == ExitStatus.UNEXPECTED
    assert "unexpected error (KeyError: 'x'); its details could not be written to " in err


def test_ctrl_c_is_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "policy_check", interrupted)
    code, _, err = run(capsys, "policy", "check")
    assert code == ExitStatus.INTERRUPTED and err == "support-console: interrupted\n"


def test_nothing_is_logged_when_all_goes_well(
    capsys: pytest.CaptureFixture[str], log_folder: Path
) -> None:
    assert run(capsys, *DUE, "--start", "2026-11-25T17:30-08:00")[0] == 0
    assert not log_folder.exists()


# --------------------------------------------------------------------------- due --batch


def batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> tuple[int, list[dict[str, str]]]:
    path = tmp_path / "queries.jsonl"
    path.write_bytes(data)
    code, out, err = run(capsys, "due", "--batch", str(path))
    assert err == ""
    return code, [json.loads(line) for line in out.splitlines()]


def test_every_line_is_answered_in_order_whatever_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        b"\xef\xbb\xbf" + GOOD,  # a byte order mark at the start of the file
        b"[" * 1000,
        b'{"severity": ' + b"9" * 5000 + b"}",
        b"\xff\xfe{}",
        b"x" * (70 * 1024),
        b"",
        "\ufeff".encode() + GOOD,  # a byte order mark elsewhere is not
        json.dumps({**QUERY, "start": "9999-12-31T23:59-12:00"}).encode(),
        json.dumps({**QUERY, "severity": 12345678901234567890}).encode(),
        json.dumps({**QUERY, "policy": "p" * 10_000}).encode(),
        GOOD + b"\r",
    ]
    code, answers = batch(tmp_path, capsys, b"\n".join(lines))
    assert code == 1
    errors = [a.get("error") for a in answers]
    assert answers[0]["due"] == answers[-1]["due"] == "2026-11-30T17:30:00+00:00"
    assert errors[1:-1] == [
        "line 2: nested deeper than 32 levels",
        "line 3: a number has more than 20 digits",
        "line 4: not UTF-8 text (byte 0xFF at column 1: invalid start byte)",
        "line 5: longer than 65,536 bytes",
        "line 7: not JSON (Expecting value at column 1)",
        "line 8: start '9999-12-31T23:59-12:00' is outside the years 1901-2399",
        "line 9: layer0 has no severity 12345678901234567890 (levels: 1, 2, 3)",
        f"line 10: no policy '{'p' * 59}\u2026' (policies: laioutr, layer0, liveperson, "
        "moboom, zitadel)",
    ]


def test_a_utf16_file_is_answered_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, answers = batch(tmp_path, capsys, (GOOD.decode() + "\n" + GOOD.decode()).encode("utf-16"))
    assert code == 1 and len(answers) == 2
    assert answers[0]["error"] == "line 1: not UTF-8 text: the file is UTF-16; save it as UTF-8"
    assert answers[1]["error"].startswith("line 2: not JSON")


def test_a_clean_batch_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, answers = batch(tmp_path, capsys, b"\r\n".join([GOOD, b"  ", GOOD]) + b"\r\n")
    assert code == 0 and len(answers) == 2


def test_a_long_line_is_skipped_without_being_read_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line of 50 MB costs no more memory than 64 KiB at a time."""
    reads: list[int] = []

    class Counting(io.BytesIO):
        def readline(self, size: int | None = -1) -> bytes:
            line = super().readline(size)
            reads.append(len(line))
            return line

    out = io.StringIO()
    source = Counting(GOOD + b"\n" + b"[" * 50_000_000 + b"\n" + GOOD)
    assert cli.due_batch(cli.load_policies(), source, out) == 1
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a.get("error") for a in answers] == [None, "line 2: longer than 65,536 bytes", None]
    assert max(reads) <= cli.MAX_LINE_BYTES + 1


def test_standard_input_is_read_as_bytes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console", "due", "--batch", "-"],
        input=GOOD + b"\n\xe9t\xe9\n" + GOOD,
        capture_output=True,
        check=False,
        timeout=60,
    )
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1 and result.stderr == b""
    assert answers[1] == {
        "error": "line 2: not UTF-8 text (byte 0xE9 at column 1: invalid continuation byte)"
    }
    assert answers[0]["due"] and answers[2]["due"]
