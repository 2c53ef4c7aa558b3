"""The log-fail fixture of tests/conftest.py: a test that logs a warning or an error, from
any thread, fails unless it says it expects it.

The tests below run a small test file in a pytest of its own, with tests/conftest.py loaded
as a plugin, and read which of its tests passed, failed or erred.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SOURCES = TESTS.parent / "src"

INNER = """
import logging
import threading

import pytest

log = logging.getLogger("console.inner")


def test_info_passes():
    log.info("nothing to worry about")


def test_error_fails():
    log.error("the queue could not be loaded")


def test_warning_from_another_thread_fails():
    thread = threading.Thread(target=lambda: log.warning("retrying"), name="worker")
    thread.start()
    thread.join()


def test_logged_exception_fails():
    try:
        {}["missing"]
    except KeyError:
        log.exception("following the change feed failed")


@pytest.mark.allow_log
def test_marked_passes():
    log.error("expected: the database went away")


@pytest.mark.allow_log("went away", logger="console")
def test_marked_with_a_matching_pattern_passes():
    log.warning("the database went away")


@pytest.mark.allow_log("went away")
def test_marked_with_another_pattern_fails():
    log.warning("disk full")


@pytest.mark.allow_log(logger="console.other")
def test_marked_for_another_logger_fails():
    log.warning("the database went away")


@pytest.fixture
def noisy():
    yield
    log.warning("left a thread running")


def test_a_warning_on_the_way_out_errs(noisy):
    pass


def test_an_assertion_keeps_its_own_failure():
    log.error("about to fail")
    assert 1 == 2
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """Each inner test's outcome (PASSED, FAILED or ERROR) and its summary line's text."""
    where = tmp_path_factory.mktemp("logfail")
    (where / "test_inner.py").write_text(textwrap.dedent(INNER))
    paths = os.pathsep.join([str(SOURCES), str(TESTS)])
    env = {**os.environ, "PYTHONPATH": paths, "COLUMNS": "1000"}  # whole summary lines
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-rA"),
            *("-p", "conftest", "-p", "no:cacheprovider"),
            *("--rootdir", str(where), "test_inner.py"),
        ],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found: dict[str, tuple[str, str]] = {}
    for line in done.stdout.splitlines():
        matched = re.match(r"(PASSED|FAILED|ERROR) test_inner\.py::(\w+)(?: - (.*))?$", line)
        if matched:
            outcome, name, text = matched.groups()
            found[name] = (found[name][0] + "+" + outcome if name in found else outcome, text or "")
    assert found, done.stdout + done.stderr
    return found


def test_a_test_that_logs_an_error_fails(outcomes: dict[str, tuple[str, str]]) -> None:
    """Given a test that logs an error and nothing else goes wrong,
    When it runs,
    Then it fails, naming the record."""
    outcome, text = outcomes["test_error_fails"]
    assert outcome == "FAILED"
    assert "1 unexpected log record(s)" in text


@pytest.mark.parametrize(
    "name",
    [
        "test_warning_from_another_thread_fails",
        "test_logged_exception_fails",
        "test_marked_with_another_pattern_fails",
        "test_marked_for_another_logger_fails",
    ],
)
def test_unexpected_warnings_fail_the_test(outcomes: dict[str, tuple[str, str]], name: str) -> None:
    assert outcomes[name][0] == "FAILED"


@pytest.mark.parametrize(
    "name",
    ["test_info_passes", "test_marked_passes", "test_marked_with_a_matching_pattern_passes"],
)
def test_expected_or_quiet_logs_pass(outcomes: dict[str, tuple[str, str]], name: str) -> None:
    assert outcomes[name][0] == "PASSED"


def test_a_warning_logged_by_a_fixture_on_the_way_out_errs(
    outcomes: dict[str, tuple[str, str]],
) -> None:
    outcome, text = outcomes["test_a_warning_on_the_way_out_errs"]
    assert outcome == "PASSED+ERROR"
    assert "while the test was torn down" in text


def test_a_failing_test_keeps_its_own_failure(outcomes: dict[str, tuple[str, str]]) -> None:
    outcome, text = outcomes["test_an_assertion_keeps_its_own_failure"]
    assert outcome == "FAILED"
    assert "assert 1 == 2" in text
