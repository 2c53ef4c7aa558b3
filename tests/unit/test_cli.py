"""The command line: policy check / show and due, single and batch, without Qt."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import due_batch, main
from console.domain.policy import default_policy_dir, load_policies

POLICY_DIR = default_policy_dir()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_policy_check_passes_on_the_five_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "check")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 5 and all(": ok: " in line for line in lines)


def test_policy_check_fails_with_key_path_on_a_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "moboom.toml"
    broken.write_text(
        (POLICY_DIR / "moboom.toml").read_text().replace('duration = "4h"', 'duration = "4 hrs"')
    )
    good = POLICY_DIR / "laioutr.toml"
    code, out, _ = run(capsys, "policy", "check", str(broken), str(good))
    assert code == 1
    assert f"{broken}: targets[1].duration: '4 hrs' is not a duration" in out
    # The broken source copy is missing too: quotes of a loadable file are checked.
    assert f"{good}: ok: " in out


def test_policy_check_reports_missing_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "moboom.toml"
    copy.write_text((POLICY_DIR / "moboom.toml").read_text())
    code, out, _ = run(capsys, "policy", "check", str(copy))
    assert code == 1
    assert f"{copy}: source: '002_d69a6a3bad8c3095.txt' is not in" in out


def test_policy_show_lists_calendars_targets_and_readings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "policy", "show", "layer0", "--year", "2026")
    assert code == 0
    assert "business-hours: Business Hours (America/Los_Angeles)" in out
    assert "open: Mon-Fri 09:00-18:00" in out
    assert "27 Nov Friday after Thanksgiving" in out
    assert "2 Sev 2: initial response 1 business hour on Layer0 business hours" in out
    assert "3 Sev 3: initial response 48 business hours on Layer0 business days" in out
    assert "clock changes in 2026: 8 Mar (UTC-07:00), 1 Nov (UTC-08:00)" in out
    assert "the customer must be notified" in out
    assert "Readings" in out


def test_policy_show_says_credits_count_per_failure(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "show", "zitadel", "--year", "2026")
    assert code == 0
    assert "escalation response: 1 day(s) per started 15m over the target, for each failure" in out


def test_policy_show_says_which_presences_close_24x5(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "show", "laioutr", "--year", "2026")
    assert code == 0
    lines = out.splitlines()
    at = lines.index("    company holiday periods kept in the console close it too")
    assert lines[at + 1 : at + 3] == [
        "    presences: DE (Germany), the policy file's default; their public holidays close it",
        "    (a team lead can name others for a database: "
        "support-console --db URL presences set laioutr DE DE-BY)",
    ]
    assert "06 Jan" not in out  # Epiphany is Bavarian, not national
    code, out, _ = run(capsys, "policy", "show", "zitadel")
    assert code == 0 and "presences" not in out


def test_policy_show_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "policy", "show", "acme")
    assert code == 2 and "no policy 'acme'" in err and "layer0" in err


def test_due_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "due",
        "--policy",
        "layer0",
        "--plan",
        "enterprise",
        "--severity",
        "2",
        "--metric",
        "initial_response",
        "--start",
        "2026-11-25T17:30:00-08:00",
        "--json",
    )
    assert code == 0
    answer = json.loads(out)
    assert answer["due"] == "2026-11-30T17:30:00+00:00"
    assert answer["due_local"] == "2026-11-30T09:30:00-08:00"
    assert answer["target"] == "1h" and answer["calendar"] == "business-hours"
    assert answer["best_effort"] is False


def test_due_text_and_no_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "due",
        "--policy",
        "zitadel",
        "--plan",
        "extended",
        "--severity",
        "1",
        "--metric",
        "initial_response",
        "--start",
        "2026-11-20T16:30+01:00",
    )
    assert code == 0
    assert "target: 1 business hour on ZITADEL business hours" in out
    assert "start:  Fri 20 Nov 2026 16:30 CET" in out
    assert "due:    Mon 23 Nov 2026 08:30 CET (2026-11-23T07:30:00+00:00)" in out
    code, out, _ = run(
        capsys,
        "due",
        "--policy",
        "zitadel",
        "--plan",
        "default",
        "--severity",
        "1",
        "--metric",
        "initial_response",
        "--start",
        "2026-11-20T16:30+01:00",
        "--json",
    )
    assert json.loads(out)["due"] is None and json.loads(out)["best_effort"] is True


@pytest.mark.parametrize(
    ("start", "message"),
    [("2026-11-25T17:30", "has no UTC offset"), ("next tuesday", "not an ISO 8601 instant")],
)
def test_due_refuses_bad_starts(
    capsys: pytest.CaptureFixture[str], start: str, message: str
) -> None:
    code, _, err = run(
        capsys,
        "due",
        "--policy",
        "layer0",
        "--plan",
        "enterprise",
        "--severity",
        "2",
        "--metric",
        "initial_response",
        "--start",
        start,
    )
    assert code == 2 and message in err


def test_due_batch_answers_in_order_and_reports_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "policy": "layer0",
                "plan": "enterprise",
                "severity": 2,
                "metric": "initial_response",
                "start": "2026-11-25T17:30:00-08:00",
            }
        ),
        "not json",
        "",
        json.dumps(
            {
                "policy": "zitadel",
                "plan": "extended",
                "severity": 7,
                "metric": "initial_response",
                "start": "2026-11-25T10:00:00+01:00",
            }
        ),
        json.dumps(
            {
                "policy": "zitadel",
                "plan": "custom",
                "severity": 1,
                "metric": "escalation_response",
                "start": "2026-11-25T10:00:00+01:00",
                "urgent": True,
            }
        ),
        json.dumps([1, 2]),
        json.dumps(
            {
                "policy": "layer0",
                "plan": "enterprise",
                "severity": "2",
                "metric": "initial_response",
                "start": "2026-11-25T17:30:00-08:00",
            }
        ),
    ]
    out = io.StringIO()
    code = due_batch(load_policies(), lines, out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 1
    assert len(answers) == 6
    assert answers[0]["due"] == "2026-11-30T17:30:00+00:00"
    assert answers[1]["error"].startswith("line 2: not JSON")
    assert answers[2]["error"].startswith("line 4: ") and "no severity 7" in answers[2]["error"]
    assert answers[3]["due"] == "2026-11-25T11:00:00+00:00" and answers[3]["target"] == "2h"
    assert answers[4]["error"] == "line 6: expected a JSON object"
    assert answers[5]["error"] == 'line 7: severity must be an integer, not "2"'


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.dictionaries(
                st.sampled_from(["policy", "plan", "severity", "metric", "start", "urgent", "x"]),
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(-3, 9),
                    st.text(max_size=12),
                    st.sampled_from(
                        [
                            "layer0",
                            "zitadel",
                            "custom",
                            "initial_response",
                            "2026-02-29T00:00Z",
                            "2026-11-25T10:00:00+01:00",
                        ]
                    ),
                ),
            ).map(json.dumps),
        ),
        max_size=6,
    )
)
def test_due_batch_never_raises(lines: list[str]) -> None:
    """Whatever the input, each non-blank line gets an answer or an error object."""
    lines = [line.replace("\n", " ") for line in lines]
    out = io.StringIO()
    due_batch(load_policies(), lines, out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == sum(1 for line in lines if line.strip())
    for answer in answers:
        assert "error" in answer or "due" in answer


def test_due_batch_from_stdin_in_a_fresh_process(tmp_path: Path) -> None:
    """The command path imports no Qt and answers a few hundred queries quickly."""
    queries = "\n".join(
        json.dumps(
            {
                "policy": "laioutr",
                "plan": "standard",
                "severity": 1 + i % 4,
                "metric": "initial_response",
                "start": f"2026-10-{1 + i % 28:02d}T09:00Z",
            }
        )
        for i in range(300)
    )
    code = "import sys; from console.__main__ import main; sys.argv[1:] = ['due', '--batch', '-']\n"
    code += "rc = main(); assert 'PySide6' not in sys.modules, 'Qt loaded'; sys.exit(rc)"
    result = subprocess.run(
        [sys.executable, "-c", code], input=queries, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 300 and all(a["due"] for a in answers)
