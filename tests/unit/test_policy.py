"""Policy files: every file loads and traces to its source; broken files give
``file: key.path: message`` and nothing else; customer overrides."""

from __future__ import annotations

import copy
import os
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain.model import Metric, Status
from console.domain.policy import (
    CompanyPeriod,
    Policy,
    PolicyError,
    TargetKind,
    check_quotes,
    default_policy_dir,
    format_duration,
    load_policies,
    load_policy,
    parse_duration,
)

POLICY_DIR = default_policy_dir()
POLICY_FILES = sorted(POLICY_DIR.glob("*.toml"))
EXPECTED_PLANS = {
    "layer0": {"enterprise", "developer"},
    "laioutr": {"standard"},
    "moboom": {"premium-partner"},
    "zitadel": {"default", "extended", "custom"},
    "liveperson": {"standard"},
}


@pytest.fixture(scope="module")
def policies() -> dict[str, Policy]:
    return load_policies()


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --------------------------------------------------------------------------- the files


def test_every_policy_file_loads_with_the_plans_the_product_expects(
    policies: dict[str, Policy],
) -> None:
    assert [p.stem for p in POLICY_FILES] == sorted(EXPECTED_PLANS)
    assert {pid: set(p.plans) for pid, p in policies.items()} == EXPECTED_PLANS
    for policy in policies.values():
        assert (POLICY_DIR / "sources" / policy.source_file).is_file()
        assert policy.readings, f"{policy.id} states no readings"


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.stem)
def test_every_quote_is_verbatim_in_the_source(path: Path) -> None:
    policy = load_policy(path)
    assert check_quotes(path, policy.source_file) == []


def test_quote_check_catches_a_made_up_quote(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    source = POLICY_DIR / "sources" / "000_1189cd1125a17ac3.txt"
    (tmp_path / "sources" / source.name).write_text(source.read_text())
    text = (POLICY_DIR / "layer0.toml").read_text()
    changed = text.replace("Target response time: 30 mins", "Target response time: 20 mins", 1)
    assert changed != text
    (tmp_path / "layer0.toml").write_text(changed)
    problems = check_quotes(tmp_path / "layer0.toml", source.name)
    assert len(problems) == 1 and "not found verbatim" in problems[0].message
    assert problems[0].path.startswith("targets[")


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.stem)
def test_every_number_names_its_clause(path: Path) -> None:
    policy = load_policy(path)
    sourced = [
        *(t.source for t in policy.targets),
        *(e.target.source for e in policy.escalations),
        *(c.source for c in policy.calendars.values()),
        *(c.source for c in policy.service_credits),
        *(w.source for w in policy.maintenance_windows),
    ]
    for source in sourced:
        assert source is not None and source.clause and source.quote


def test_targets_follow_the_seeds(policies: dict[str, Policy]) -> None:
    def timed(pid: str, plan: str, level: int, metric: Metric = Metric.INITIAL_RESPONSE) -> Any:
        target = policies[pid].target(plan, level, metric)
        assert target is not None
        return (
            (format_duration(target.duration), target.calendar)
            if target.duration
            else (target.kind.value)
        )

    assert timed("layer0", "enterprise", 1) == ("30m", "24x7")
    assert timed("layer0", "enterprise", 2) == ("1h", "business-hours")
    assert timed("layer0", "enterprise", 3) == ("2d", "business-days")
    assert timed("layer0", "developer", 1) == "none"
    assert timed("laioutr", "standard", 2) == ("3h", "24x7")
    assert timed("laioutr", "standard", 4) == ("2d", "24x5")
    assert timed("moboom", "premium-partner", 1) == ("30m", "24x7")
    assert timed("moboom", "premium-partner", 4) == ("1d", "24x5")
    assert timed("zitadel", "default", 1) == "best_effort"
    assert timed("zitadel", "extended", 3) == ("12h", "business-hours")
    assert timed("zitadel", "custom", 1) == ("30m", "24x7")
    assert timed("liveperson", "standard", 1, Metric.PRELIMINARY_RCA) == ("3d", "business-days")
    assert timed("liveperson", "standard", 2, Metric.PERIODIC_UPDATE) == ("1d", "business-days")
    assert policies["liveperson"].target("standard", 2, Metric.PRELIMINARY_RCA) is None
    zitadel = policies["zitadel"]
    urgent = zitadel.target("default", 1, Metric.ESCALATION_RESPONSE, urgent=True)
    assert urgent is not None and urgent.duration == hours(2)
    assert policies["liveperson"].pauses_for(Metric.PERIODIC_UPDATE) == {Status.AWAITING_CUSTOMER}
    assert policies["layer0"].pauses_for(Metric.INITIAL_RESPONSE) == frozenset()
    assert {w.id for w in policies["laioutr"].waivers} == {"status_page", "personal_data"}
    assert policies["layer0"].severity_change.notify_customer


def test_a_target_is_in_days_only_where_the_file_writes_days(
    policies: dict[str, Policy],
) -> None:
    """Given the policy files, when their targets are read, then exactly those written in
    whole days ("3d": the document speaks of business days) are in days: LivePerson's "3
    business days" and "1 business day", Moboom's "1 day", ZITADEL's "one business day"
    for a manager's answer; not Layer0's "48 h during Business Days" nor ZITADEL's "24
    business hours", though both are a whole number of days long."""

    def in_days(pid: str, plan: str, level: int, metric: Metric, *, urgent: bool = False) -> bool:
        target = policies[pid].target(plan, level, metric, urgent=urgent)
        assert target is not None and target.duration is not None
        return target.in_days

    assert in_days("liveperson", "standard", 1, Metric.PRELIMINARY_RCA)
    assert in_days("liveperson", "standard", 2, Metric.PERIODIC_UPDATE)
    assert in_days("moboom", "premium-partner", 4, Metric.INITIAL_RESPONSE)
    assert in_days("zitadel", "extended", 3, Metric.ESCALATION_RESPONSE)
    assert not in_days("zitadel", "extended", 3, Metric.ESCALATION_RESPONSE, urgent=True)
    assert not in_days("layer0", "enterprise", 3, Metric.INITIAL_RESPONSE)
    assert not in_days("zitadel", "extended", 4, Metric.INITIAL_RESPONSE)
    assert not in_days("laioutr", "standard", 1, Metric.INITIAL_RESPONSE)  # "60m"
    days = {
        (p.id, t.plan, t.severity, t.metric)
        for p in policies.values()
        for t in (*p.targets, *(e.target for e in p.escalations))
        if t.in_days
    }
    assert all(
        t.duration is not None and t.duration % timedelta(days=1) == timedelta(0)
        for p in policies.values()
        for t in p.targets
        if t.in_days
    )
    assert {pid for pid, *_ in days} == {"liveperson", "moboom", "zitadel"}


def test_a_policy_knows_when_its_file_last_changed(tmp_path: Path) -> None:
    """Given a policy file written at a known instant, when it is loaded, then the policy
    carries that modification time (the Calendars dialog shows the day, not the file's
    hash-like name)."""
    path = tmp_path / "laioutr.toml"
    path.write_text((POLICY_DIR / "laioutr.toml").read_text())
    written = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)
    os.utime(path, (written.timestamp(), written.timestamp()))
    assert load_policy(path).file_changed == written


def test_unknown_plan_or_severity_is_named(policies: dict[str, Policy]) -> None:
    with pytest.raises(KeyError, match="no plan 'gold'"):
        policies["zitadel"].target("gold", 1, Metric.INITIAL_RESPONSE)
    with pytest.raises(KeyError, match="no severity 5"):
        policies["zitadel"].target("extended", 5, Metric.INITIAL_RESPONSE)


def test_service_credits_count_each_started_quarter_hour(policies: dict[str, Policy]) -> None:
    credit = policies["zitadel"].service_credit("extended", Metric.INITIAL_RESPONSE)
    assert credit is not None
    assert [credit.credits(timedelta(minutes=m)) for m in (0, 1, 15, 16, 30, 31)] == [
        0,
        1,
        1,
        2,
        2,
        3,
    ]
    assert policies["zitadel"].service_credit("default", Metric.INITIAL_RESPONSE) is None
    assert policies["zitadel"].service_credit("default", Metric.ESCALATION_RESPONSE) is not None


def test_maintenance_window_over_midnight(policies: dict[str, Policy]) -> None:
    apac = next(w for w in policies["liveperson"].maintenance_windows if w.region == "APAC")
    sunday = datetime(2026, 11, 22, tzinfo=UTC)
    ((start, end),) = apac.occurrences(sunday, sunday + timedelta(days=1))
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2026, 11, 22, 11, tzinfo=UTC),
        datetime(2026, 11, 22, 16, tzinfo=UTC),
    )


def test_company_holidays_close_only_calendars_that_accept_them(
    policies: dict[str, Policy],
) -> None:
    laioutr = policies["laioutr"]
    period = CompanyPeriod(date(2026, 12, 28), date(2026, 12, 31), "Year-end closure")
    monday = datetime(2026, 12, 28, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    assert not laioutr.calendar("24x5", [period]).is_open(monday)
    assert laioutr.calendar("24x5").is_open(monday)
    assert laioutr.calendar("24x7", [period]).is_open(monday)
    assert laioutr.calendar("24x5", [period]) is laioutr.calendar("24x5", [period])


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "value"),
    [("30m", timedelta(minutes=30)), ("4h", hours(4)), ("1h30m", hours(1.5)), ("2d", hours(48))],
)
def test_durations_round_trip(text: str, value: timedelta) -> None:
    assert parse_duration(text) == value
    assert format_duration(value) == text


@pytest.mark.parametrize("text", ["", "1", "1x", "30m1h", "1.5h", "h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


# --------------------------------------------------------------------------- errors


def write(tmp_path: Path, data: str, name: str = "layer0") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(data, encoding="utf-8")
    return path


def layer0_text() -> str:
    return (POLICY_DIR / "layer0.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ('id = "layer0"', 'id = "layer1"', "id", "must match the file name"),
        ('timezone = "America/Los_Angeles"', 'timezone = "Pacific"', "calendars.", "IANA"),
        ('["09:00-18:00"]', '["18:00-09:00"]', "calendars.business-hours.hours.", "ends before"),
        ('duration = "30m"', 'duration = "half an hour"', "targets[0].duration", "not a duration"),
        ('duration = "30m"', "duration = 30", "targets[0].duration", "expected a non-empty string"),
        ('calendar = "24x7"', 'calendar = "24x8"', "targets[0].calendar", "not a calendar"),
        ('plan = "enterprise"', 'plan = "gold"', "targets[0].plan", "not a plan"),
        ("severity = 1", "severity = 9", "targets[0].severity", "not a severity level"),
        ('metric = "initial_response"', 'metric = "resolution"', "targets[0].metric", "not one of"),
        ('kind = "none"', 'kind = "maybe"', "targets[3].kind", "not one of"),
        (
            "notify_customer = true",
            'notify_customer = "yes"',
            "severity_change.notify_customer",
            "true or false",
        ),
        ("level = 2", "level = 3", "severities[1].level", "expected 2"),
    ],
)
def test_broken_files_name_file_and_key_path(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    text = layer0_text()
    assert old in text, old
    broken = write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(PolicyError) as caught:
        load_policy(broken)
    problems = caught.value.problems
    assert any(p.path.startswith(path) and message in p.message for p in problems), problems
    for problem in problems:
        assert str(problem).startswith(f"{broken}: {problem.path}: ")


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = layer0_text().replace('plan = "enterprise"', 'plan = "gold"', 1)
    text = text.replace('duration = "60m"', 'duration = "sixty"', 1)
    text = 'colour = "blue"\n' + text
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, text))
    paths = {p.path for p in caught.value.problems}
    assert {"colour"} <= paths
    assert any(p.endswith(".plan") for p in paths) and any(p.endswith(".duration") for p in paths)


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    text = layer0_text().replace('label = "24x7x365"', 'label = "24x7x365"\nlabell = "x"', 1)
    assert "labell" in text
    with pytest.raises(PolicyError, match=r"calendars\.24x7\.labell: unknown key"):
        load_policy(write(tmp_path, text))


def test_not_toml_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(write(tmp_path, "id = \n"))
    bad = tmp_path / "layer0.toml"
    bad.write_bytes(b'id = "\xff"\n')
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(bad)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")


def test_a_bad_file_in_a_folder_fails_the_whole_load(tmp_path: Path) -> None:
    for path in POLICY_FILES:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path, "id = 3\n", name="zz")
    with pytest.raises(PolicyError) as caught:
        load_policies(tmp_path)
    assert all(p.file.endswith("zz.toml") for p in caught.value.problems)


# --------------------------------------------------------------------------- fuzzing


def _mutations(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a parsed TOML document."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _mutations(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _mutations(value, (*path, i))
    return found


def _dump(value: Any) -> str:
    """A minimal TOML writer (inline tables), enough for the fuzz test's documents."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_dump(str(k))} = {_dump(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 30),
    st.sampled_from(["", "x", "30m", "25:00-26:00", "Mars/Base", "2026-02-30", "sun", "-1h"]),
    st.lists(st.sampled_from(["a", "09:00-17:00", "1"]), max_size=2),
    st.just({"x": 1}),
)
ORIGINALS = {path.stem: tomllib.loads(path.read_text(encoding="utf-8")) for path in POLICY_FILES}


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(sorted(ORIGINALS)),
    choice=st.integers(min_value=0),
    action=st.sampled_from(["delete", "replace", "add"]),
    value=ODD_VALUES,
)
def test_broken_policy_files_always_give_a_located_error(
    tmp_path: Path, name: str, choice: int, action: str, value: Any
) -> None:
    """Given a valid file with one key deleted, replaced by an odd value or one key added,
    loading either succeeds or raises PolicyError whose every line is file: path: message."""
    data = copy.deepcopy(ORIGINALS[name])
    paths = [p for p in _mutations(data) if p]
    path = paths[choice % len(paths)]
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        if value is None:
            return
        parent[last] = value
    elif isinstance(parent, dict):
        parent["unexpected_key"] = value if value is not None else 1
    text = "\n".join(f"{_dump(k)} = {_dump(v)}" for k, v in data.items())
    target = tmp_path / f"{name}.toml"
    target.write_text(text, encoding="utf-8")
    try:
        load_policy(target)
    except PolicyError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file == str(target)
            assert str(problem).startswith(f"{target}: ")
            assert problem.message


# --------------------------------------------------------------------------- overrides


def test_custom_customer_overrides_hours_and_s1_target(policies: dict[str, Policy]) -> None:
    zitadel = policies["zitadel"]
    custom = zitadel.for_customer(
        "custom",
        {
            "calendars": {
                "support-hours": {
                    "timezone": "Europe/Zurich",
                    "hours": {d: ["06:00-22:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                }
            },
            "targets": [
                {
                    "severity": 1,
                    "metric": "initial_response",
                    "duration": "20m",
                    "calendar": "support-hours",
                    "agreement": "Contract 2026-17, annex B",
                }
            ],
        },
    )
    target = custom.target("custom", 1, Metric.INITIAL_RESPONSE)
    assert target is not None and target.duration == timedelta(minutes=20)
    assert target.calendar == "support-hours" and target.agreement == "Contract 2026-17, annex B"
    assert custom.target("custom", 2, Metric.INITIAL_RESPONSE) == zitadel.target(
        "custom", 2, Metric.INITIAL_RESPONSE
    )
    assert zitadel.target("custom", 1, Metric.INITIAL_RESPONSE).duration == timedelta(minutes=30)  # type: ignore[union-attr]
    assert zitadel.for_customer("custom", None) is zitadel


@pytest.mark.parametrize(
    ("plan", "overrides", "message"),
    [
        ("default", {"targets": []}, "takes no customer overrides"),
        (
            "custom",
            {"targets": [{"severity": 1, "metric": "initial_response"}]},
            "targets[0].duration: missing",
        ),
        (
            "custom",
            {
                "targets": [
                    {
                        "severity": 1,
                        "metric": "initial_response",
                        "duration": "1h",
                        "calendar": "nowhere",
                    }
                ]
            },
            "targets[0].calendar",
        ),
        (
            "custom",
            {"calendars": {"x": {"timezone": "UTC", "hours": {"mon": ["9-5"]}}}},
            "calendars.x.hours.mon[0]",
        ),
        ("custom", {"colour": 1}, "colour: unknown key"),
    ],
)
def test_bad_overrides_are_located(
    plan: str, overrides: dict[str, Any], message: str, policies: dict[str, Policy]
) -> None:
    with pytest.raises(
        PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")
    ) as caught:
        policies["zitadel"].for_customer(plan, overrides)
    assert all(str(p).startswith("overrides: ") for p in caught.value.problems)


def test_best_effort_and_none_targets(policies: dict[str, Policy]) -> None:
    default = policies["zitadel"].target("default", 1, Metric.INITIAL_RESPONSE)
    assert default is not None and default.kind is TargetKind.BEST_EFFORT
    developer = policies["layer0"].target("developer", 2, Metric.INITIAL_RESPONSE)
    assert developer is not None and developer.kind is TargetKind.NONE
    assert developer.channel == "Forums and Twitter"
