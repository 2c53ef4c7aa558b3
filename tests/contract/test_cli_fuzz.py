"""Fuzzing the command line in-process: ``due --batch`` files, argument vectors and corrupt
SQLite files. Whatever comes in, ``main`` returns a documented exit status, prints no
traceback, raises nothing and finishes each case within a few seconds.

Seeded (``derandomize=True``): a run generates the same 1,100 inputs each time, so a
failure reproduces. Paths are confined to a temporary folder that is also the working
directory, and generated tokens hold no ``/`` or ``~``, so nothing is written elsewhere.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import MAX_LINE_BYTES, main
from console.cli_errors import ExitStatus
from console.domain.model import Metric
from console.domain.policy import default_policy_dir, load_policies

DOCUMENTED = {int(status) for status in ExitStatus}
CASE_SECONDS = 20  # a case that runs longer is a hang (a busy SQLite waits 1 s at most)
TRACEBACK = "Traceback (most recent call last)"
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class CaseTimeoutError(BaseException):
    """Raised by the alarm; a BaseException, so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise CaseTimeoutError(f"a case ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_case_that_runs_too_long_is_stopped() -> None:
    with pytest.raises(CaseTimeoutError), bounded(0.05):
        while True:
            pass


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def run(argv: list[str]) -> Outcome:
    """``main(argv)`` with standard output and error captured; fails on anything undocumented."""
    out, err = io.StringIO(), io.StringIO()
    with bounded(CASE_SECONDS), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)  # an exception escaping main fails the test here
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    assert TRACEBACK not in outcome.err, (argv, outcome.err)
    assert code in DOCUMENTED, (argv, code, outcome.err)
    assert code != ExitStatus.UNEXPECTED, (argv, outcome.err)
    return outcome


# --------------------------------------------------------------------------- workspace


@dataclass
class Workspace:
    root: Path
    names: Iterator[int]
    demo_db: Path  # upgraded, with demo tickets
    demo_bytes: bytes

    def fresh(self, suffix: str) -> Path:
        return self.root / f"case-{next(self.names)}{suffix}"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("XDG_STATE_HOME", str(root / "state"))
        patch.setenv("SUPPORT_CONSOLE_DB", str(root / "default.sqlite3"))
        patch.setenv("SUPPORT_CONSOLE_SQLITE_BUSY_SECONDS", "1")
        patch.delenv("SUPPORT_CONSOLE_POLICIES", raising=False)
        demo = root / "demo.sqlite3"
        assert main(["--db", str(demo), "demo", "--tickets", "60", "--seed", "3"]) == 0
        assert main(["--db", str(demo), "export", str(root / "exported.csv")]) == 0
        _prepare_files(root)
        yield Workspace(root, itertools.count(), demo, demo.read_bytes())


def _prepare_files(root: Path) -> None:
    policies = default_policy_dir()
    broken = root / "policies-broken"
    shutil.copytree(policies, broken)
    moboom = broken / "moboom.toml"
    moboom.write_text(moboom.read_text().replace('duration = "4h"', 'duration = "4 hrs"'))
    (root / "policies-empty").mkdir()
    (root / "folder").mkdir()
    (root / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (root / "utf16.csv").write_text("key,title\nA,b\n", encoding="utf-16")
    (root / "good.jsonl").write_text(
        json.dumps(
            {
                "policy": "laioutr",
                "plan": "standard",
                "severity": 1,
                "metric": "initial_response",
                "start": "2026-10-01T09:00Z",
            }
        )
        + "\n"
    )
    (root / "deep.jsonl").write_bytes(b"[" * 3000 + b"\n" + b"9" * 5000 + b"\n")
    lines = (root / "exported.csv").read_text().splitlines()
    (root / "new.csv").write_text(
        "\n".join(
            [lines[0], *(f"NEW-{n}{line[line.index(',') :]}" for n, line in enumerate(lines[1:]))]
        )
    )


# --------------------------------------------------------------------------- due --batch

KEYS = ["policy", "plan", "severity", "metric", "start", "urgent"]
ZONES = [
    UTC,
    timezone(timedelta(hours=14)),
    timezone(-timedelta(hours=12)),
    ZoneInfo("Europe/Zurich"),
]
INSTANTS = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 1),
        max_value=datetime(9999, 12, 31, 23, 59, 59),
        timezones=st.sampled_from(ZONES),
    ).map(lambda moment: moment.isoformat()),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30)).map(
        lambda moment: moment.isoformat()
    ),
    st.sampled_from(
        [
            "2026-02-29T00:00Z",
            "2399-12-31T23:59Z",
            "1901-01-01T00:00Z",
            "9999-12-31T23:59-12:00",
            "0001-01-01T00:00+14:00",
            "Z",
            "",
        ]
    ),
    st.text(max_size=30),
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(
        ["layer0", "laioutr", "moboom", "zitadel", "liveperson", "enterprise", "standard"]
    ),
    st.sampled_from(["initial_response", "periodic_update", "escalation_response", "custom"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
# Policy, plan, severity and metric that the policies know, so that the start decides.
KNOWN = [
    (policy.id, plan, severity.level, metric.value)
    for policy in load_policies().values()
    for plan in policy.plans
    for severity in policy.severities
    for metric in Metric
]
WELL_FORMED = st.tuples(
    st.sampled_from(KNOWN) | st.tuples(VALUES, VALUES, VALUES, VALUES),
    INSTANTS,
    st.none() | st.booleans(),
).map(
    lambda q: {
        **dict(zip(["policy", "plan", "severity", "metric"], q[0], strict=True)),
        "start": q[1],
        **({} if q[2] is None else {"urgent": q[2]}),
    }
)


def _one_line(data: bytes) -> bytes:
    return data.replace(b"\n", b" ")


LINES = st.one_of(
    WELL_FORMED.map(lambda query: json.dumps(query).encode()),
    st.dictionaries(st.sampled_from([*KEYS, "x"]), VALUES).map(lambda q: json.dumps(q).encode()),
    st.integers(1, 5000).flatmap(lambda n: st.sampled_from([b"[" * n, b'{"a":' * n, b"[{" * n])),
    st.integers(15, 6000).map(lambda n: b'{"severity": -' + b"9" * n + b"}"),
    st.integers(15, 400).map(lambda n: b'{"severity": 1.' + b"5" * n + b"e999}"),
    st.binary(max_size=200),
    st.text(max_size=60).flatmap(
        lambda text: st.sampled_from(
            [
                text.encode("utf-16"),
                text.encode("latin-1", "replace"),
                text.encode("utf-8", "surrogatepass"),
                text.encode("utf-8"),
            ]
        )
    ),
    st.sampled_from([b"", b"   ", b"\t", b"\xef\xbb\xbf", b"\x00", b"null", b"[]", b"{}"]),
).map(_one_line)
LONG_LINE = st.integers(MAX_LINE_BYTES - 2, MAX_LINE_BYTES + 3000).map(lambda n: b"x" * n)


def _blank(line: bytes, first: bool) -> bool:
    """Whether the console skips the line (a line that cannot be decoded is not blank)."""
    if first:
        line = line.removeprefix(b"\xef\xbb\xbf")
    if len(line) > MAX_LINE_BYTES:
        return False
    try:
        return not line.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False


@settings(FUZZ, max_examples=500)
@given(
    lines=st.lists(LINES, max_size=8) | st.lists(LINES | LONG_LINE, max_size=3),
    bom=st.booleans(),
    separator=st.sampled_from([b"\n", b"\r\n"]),
    ending=st.booleans(),
)
def test_due_batch_answers_every_line(
    workspace: Workspace, lines: list[bytes], bom: bool, separator: bytes, ending: bool
) -> None:
    path = workspace.fresh(".jsonl")
    data = (b"\xef\xbb\xbf" if bom else b"") + separator.join(lines)
    path.write_bytes(data + (separator if ending and lines else b""))
    outcome = run(["due", "--batch", str(path)])
    assert outcome.err == ""
    start = b"\xef\xbb\xbf" if bom else b""
    numbered = [
        n
        for n, line in enumerate(lines, start=1)
        if not _blank(start + line if n == 1 else line, first=n == 1)
    ]
    answers = [json.loads(text) for text in outcome.out.splitlines()]
    assert len(answers) == len(numbered)
    for number, answer in zip(numbered, answers, strict=True):
        if "error" in answer:
            assert answer["error"].startswith(f"line {number}: ")
        else:
            assert set(answer) >= {"due", "target", "calendar", "best_effort"}
    failed = any("error" in answer for answer in answers)
    assert outcome.code == (1 if failed else 0)
    path.unlink()


# --------------------------------------------------------------------------- argument vectors

# No "/" or "~": a generated path stays inside the working directory.
TOKEN = st.text(
    st.characters(blacklist_characters="/~\\", blacklist_categories=("Cs",)), max_size=12
)
NUMBER = st.one_of(
    st.integers(-(10**6), 10**7).map(str),
    st.sampled_from(["0", "-1", "1", "2", "168", "169", "1901", "2399", "2400", "1000001"]),
    st.integers(10, 6000).map(lambda n: "9" * n),
    TOKEN,
)
INSTANT_ARG = INSTANTS.filter(lambda text: "/" not in text and "~" not in text)


def _options(*pairs: tuple[str, st.SearchStrategy[str]]) -> st.SearchStrategy[list[str]]:
    chosen = st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))
    return chosen.flatmap(
        lambda options: st.tuples(
            *(value.map(lambda v, o=option: [o, v]) for option, value in options)
        )
    ).map(lambda parts: [token for part in parts for token in part])


def argument_vectors(workspace: Workspace) -> st.SearchStrategy[list[str]]:
    root = workspace.root
    files = (
        st.sampled_from(
            [
                str(root / "new.csv"),
                str(root / "exported.csv"),
                str(root / "binary.bin"),
                str(root / "utf16.csv"),
                str(root / "good.jsonl"),
                str(root / "deep.jsonl"),
                str(root / "folder"),
                str(root / "missing.csv"),
                "nested-missing-folder/x.csv",
            ]
        )
        | TOKEN
    )
    outputs = st.sampled_from([str(root / "folder"), "out.csv", "no-such-folder/out.csv"]) | TOKEN
    databases = st.sampled_from(
        [str(workspace.demo_db), str(root / "folder"), "scratch.sqlite3", str(root / "binary.bin")]
    )
    policy_dirs = st.sampled_from(
        [
            str(root / "policies-broken"),
            str(root / "policies-empty"),
            str(root / "missing"),
            str(root / "binary.bin"),
        ]
    )
    ids = st.sampled_from(["layer0", "zitadel", "liveperson", "acme"]) | TOKEN
    known_due = st.tuples(st.sampled_from(KNOWN), INSTANT_ARG, st.booleans()).map(
        lambda t: [
            "due",
            *itertools.chain(
                *zip(["--policy", "--plan", "--severity", "--metric"], map(str, t[0]), strict=True)
            ),
            "--start",
            t[1],
            *(["--urgent"] if t[2] else []),
        ]
    )
    commands = st.one_of(
        known_due,
        _options(
            ("--policy", ids),
            ("--plan", st.sampled_from(["enterprise", "extended", "standard"]) | TOKEN),
            ("--severity", NUMBER),
            ("--metric", st.sampled_from(["initial_response", "escalation_response"]) | TOKEN),
            ("--start", INSTANT_ARG),
        ).flatmap(
            lambda options: st.lists(st.sampled_from(["--json", "--urgent"]), unique=True).map(
                lambda flags: ["due", *options, *flags]
            )
        ),
        files.map(lambda file: ["due", "--batch", file]),
        st.tuples(ids, _options(("--year", NUMBER))).map(lambda t: ["policy", "show", t[0], *t[1]]),
        st.lists(files, max_size=2).map(lambda chosen: ["policy", "check", *chosen]),
        _options(
            ("--hours", NUMBER),
            ("--zone", st.sampled_from(["Europe/Zurich", "UTC", "Mars/Olympus", ".."]) | TOKEN),
        ).flatmap(
            lambda options: st.tuples(st.sampled_from(["csv", "html"]), outputs).map(
                lambda rest: ["handover", *options, "--format", rest[0], "-o", rest[1]]
            )
        ),
        st.tuples(st.sampled_from(["EMEA", "amer", "Mars"]) | TOKEN, outputs).map(
            lambda t: ["handover", "--shift", t[0], "--format", "csv", "-o", t[1]]
        ),
        _options(
            ("--tickets", st.sampled_from(["0", "-1", "1", "2", "1000001", "9" * 5000, "x"])),
            ("--seed", NUMBER),
            ("--now", INSTANT_ARG),
        ).map(lambda options: ["demo", *options]),
        _options(
            ("--since", st.sampled_from(["2026-11-01", "2026-13-01", "x", ""]) | TOKEN),
            ("--until", st.sampled_from(["2026-11-30", "2025-01-01", "31.12.2026"]) | TOKEN),
            ("--policy", ids),
            ("--zone", st.sampled_from(["Europe/Zurich", "Mars/Base", ""]) | TOKEN),
        ).flatmap(
            lambda options: st.tuples(st.sampled_from(["csv", "json", "xml"]), outputs).map(
                lambda rest: ["report", *options, "--format", rest[0], "-o", rest[1]]
            )
        ),
        files.map(lambda file: ["import", file]),
        outputs.map(lambda file: ["export", file]),
        st.sampled_from([["db", "status"], ["db", "upgrade"], ["db", "recompute"]]),
        ids.map(lambda policy: ["db", "recompute", "--policy", policy]),
        st.tuples(TOKEN, st.sampled_from(["agent", "lead", "boss"])).map(
            lambda t: ["db", "grant", t[0], "--role", t[1]]
        ),
        st.sampled_from([["mail", "status"], ["mail", "contacts"], ["mail", "triage"]]),
        st.tuples(TOKEN, st.sampled_from(["Alder Home Pty Ltd", "Nobody"]) | TOKEN).map(
            lambda t: ["mail", "contact", t[0], t[1], "--as", "claire.dubois"]
        ),
        NUMBER.map(lambda n: ["mail", "discard", n, "--as", "claire.dubois"]),
        st.tuples(
            st.sampled_from(["support@example.test", "no-at", ""]) | TOKEN,
            st.sampled_from(["imap.example.test", "h:99999", "h:x", ""]) | TOKEN,
            st.sampled_from(["tls", "starttls", "none", "ssl"]),
            st.sampled_from(["5", "4", "3601", "x"]),
            st.lists(ids, max_size=2),
        ).map(
            lambda t: [
                "mail",
                "configure",
                "--as",
                "claire.dubois",
                "--address",
                t[0],
                "--imap",
                t[1],
                "--imap-security",
                t[2],
                "--smtp",
                t[1],
                "--poll-seconds",
                t[3],
                *(["--acknowledge", *t[4]] if t[4] else []),
            ]
        ),
        st.tuples(
            st.sampled_from(
                ["due", "policy", "db", "demo", "import", "export", "handover", "mail", "report"]
            ),
            st.lists(TOKEN, max_size=4),
        ).map(lambda t: [t[0], *t[1]]),
    )
    global_options = _options(("--db", databases | TOKEN), ("--policies", policy_dirs | TOKEN))
    return st.tuples(global_options, commands).map(lambda t: [*t[0], *t[1]])


def _harmless(argv: list[str]) -> bool:
    """Leaves out what needs a person or a display: a password prompt, a PDF (Qt)."""
    return not any(
        token.startswith("--pa") or "pdf" in token.lower() or token.startswith("--scr")
        for token in argv
    ) and not _mail_worker(argv)


def _mail_worker(argv: list[str]) -> bool:
    """``mail run`` serves the mailbox until stopped (tests/contract/test_mail_kill.py)."""
    return "mail" in argv and "run" in argv[argv.index("mail") :]


@settings(FUZZ, max_examples=450)
@given(data=st.data())
def test_argument_vectors_give_a_documented_status(
    workspace: Workspace, data: st.DataObject
) -> None:
    argv = data.draw(argument_vectors(workspace).filter(_harmless))
    outcome = run(argv)
    if outcome.code not in (ExitStatus.OK, ExitStatus.PROBLEMS):  # problems go to stdout
        assert outcome.err.strip(), (argv, outcome.code)  # a failure always says something


# --------------------------------------------------------------------------- corrupt SQLite files


@st.composite
def corrupt_files(draw: st.DrawFn, good: bytes) -> tuple[str, bytes | None]:
    """What lies where the database should be: bytes, or None for a folder."""
    kind = draw(
        st.sampled_from(["truncated", "garbage", "header and garbage", "empty", "folder", "torn"])
    )
    if kind == "truncated":
        return kind, good[: draw(st.integers(1, len(good) - 1))]
    if kind == "garbage":
        return kind, draw(st.binary(min_size=1, max_size=20_000))
    if kind == "header and garbage":
        pages = draw(st.integers(1, 6))
        noise = draw(st.binary(min_size=64, max_size=64)) * (pages * 4096 // 64)
        return kind, good[:100] + noise
    if kind == "torn":  # whole pages of the file overwritten with noise
        page = draw(st.integers(0, len(good) // 4096 - 1))
        noise = draw(st.binary(min_size=64, max_size=64)) * 64
        return kind, good[: page * 4096] + noise + good[(page + 1) * 4096 :]
    return kind, (b"" if kind == "empty" else None)


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_corrupt_sqlite_files_are_storage_failures(
    workspace: Workspace, data: st.DataObject
) -> None:
    kind, content = data.draw(corrupt_files(workspace.demo_bytes))
    path = workspace.fresh(".sqlite3")
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    command = data.draw(
        st.sampled_from(
            [
                ["db", "status"],
                ["db", "upgrade"],
                ["db", "recompute"],
                ["export", str(workspace.fresh(".csv"))],
                ["import", str(workspace.root / "new.csv")],
                ["demo", "--tickets", "2"],
                ["handover", "--hours", "8", "--format", "csv", "-o", str(workspace.fresh(".csv"))],
            ]
        )
    )
    outcome = run(["--db", str(path), *command])
    # Storage (4) or, where the damage missed what the command reads, its own answer: done,
    # a bad CSV (3), or demo data refused because the tickets are still there (2).
    assert outcome.code != ExitStatus.DATABASE, (kind, command, outcome)
    if outcome.code == ExitStatus.STORAGE:
        assert str(path) in outcome.err
        if content is not None:
            assert path.read_bytes() == content, "a failed command changed the file"
    if content is None:
        path.rmdir()
    else:
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
