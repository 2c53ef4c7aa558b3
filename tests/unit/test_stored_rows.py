"""Stored rows that make no sense, read by console.adapters.sql_rows one by one: each event
judged within its history and marked with why, each ticket row and clock projection read on
its own (a projection as one JSON value of the written shape), each problem named by its
ticket and logged once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.adapters.sql_rows import (
    ProjectionReader,
    ReadProblems,
    UnreadableError,
    projection_text,
    read_history,
    readable_summary,
    summary_from,
    ticket_from,
)
from console.domain.model import (
    ClockProjection,
    EventKind,
    Metric,
    ProjectedClock,
    QueueGroup,
    QueueSummary,
    Status,
)
from console.services.event_text import event_words

# --------------------------------------------------------------------------- stored events

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
_ids = iter(range(1, 1_000_000))


def row(kind: str, minutes: int, data: Any, actor: str | None = "ana") -> Any:
    return (next(_ids), kind, AT + timedelta(minutes=minutes), json.dumps(data), actor)


CREATED = row("created", 0, {"severity": 2, "status": "open"})


def reasons(*rows: Any) -> list[str | None]:
    events = read_history("ZIT-1", [CREATED, *rows])
    return [e.invalid.reason if e.invalid else None for e in events[1:]]


def test_a_valid_history_reads_as_stored() -> None:
    problems = ReadProblems()
    stored = [
        CREATED,
        row("assigned", 1, {"assignee": "ana"}),
        row("responded", 5, {"automated": True}),
        row("status_changed", 6, {"status": "awaiting_customer"}),
        row("severity_changed", 7, {"from": 2, "to": 1, "reason": "outage", "text": ""}),
        row("status_changed", 8, {"status": "open"}),
        row("note", 9, {"text": "called"}, None),
    ]
    events = read_history("ZIT-1", stored, problems)
    assert [e.invalid for e in events] == [None] * len(stored)
    assert [e.kind.value for e in events] == [r[1] for r in stored]
    assert events[4].data == {"from": 2, "to": 1, "reason": "outage", "text": ""}
    assert events[6].actor is None and len(problems) == 0


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        (row("status_changed", 1, {"status": "open"}), "status is open already"),
        (row("status_changed", 1, {"status": "archived"}), "status_changed: status must be"),
        (row("status_changed", 1, {}), "status_changed: status is missing"),
        (row("severity_changed", 1, {"from": 2, "reason": "x"}), "to is missing"),
        (row("severity_changed", 1, {"from": 2, "to": "1", "reason": "x"}), "whole number"),
        (row("severity_changed", 1, {"from": 2, "to": 2, "reason": "x"}), "severity is 2 already"),
        (row("severity_changed", 1, {"from": 3, "to": 1, "reason": "x"}), "from says severity 3"),
        (row("severity_changed", 1, {"from": 2, "to": 1, "reason": " "}), "cannot be empty"),
        (row("assigned", 1, {"assignee": None}), "assignee is nobody already"),
        (row("responded", 1, {"automated": "yes"}), "true or false"),
        (row("responded", 1, {"mark": 1}), "unknown field 'mark'"),
        (row("note", 1, {}), "note: text is missing"),
        (row("waived", 1, {"reason": "x"}), "waiver is missing"),
        (row("merged", 1, {"into": "ZIT-2"}), "'merged' is not a kind of event"),
        (row("responded", 1, [1, 2]), "its data is [1, 2], not a JSON object"),
        (row("created", 1, {"severity": 2}), "one 'created' event; this is another"),
        (row("responded", -1, {}), "dated before the ticket was submitted"),
    ],
)
def test_each_stored_event_that_makes_no_sense_is_marked_with_why(stored: Any, why: str) -> None:
    problems = ReadProblems()
    events = read_history("ZIT-1", [CREATED, stored], problems)
    mark = events[1].invalid
    assert mark is not None and why in mark.reason, mark
    assert mark.kind == stored[1]
    assert events[0].invalid is None
    [problem] = problems
    assert problem.key == "ZIT-1" and problem.part == "event"
    assert f"event #2 (id {stored[0]}, {stored[1]} at" in problem.text and why in problem.text


def test_an_unknown_kind_reads_as_a_note_named_by_its_kind() -> None:
    [_, merged] = read_history("ZIT-1", [CREATED, row("merged", 1, {"into": "ZIT-2"})])
    assert merged.kind is EventKind.NOTE and merged.data == {"into": "ZIT-2"}
    words = event_words(merged)
    assert words.what == "merged"
    assert words.details.startswith("invalid: 'merged' is not a kind of event; into: ZIT-2")


def test_events_are_judged_in_time_order_after_the_valid_ones_before_them() -> None:
    """A change is judged against the status the history says at its instant (events in
    time order, as the clocks read them), and an invalid one changes nothing after it."""
    assert reasons(
        row("status_changed", 10, {"status": "resolved"}),
        row("status_changed", 5, {"status": "on_hold"}),  # recorded later, dated earlier
        row("status_changed", 12, {"status": "bogus"}),
        row("status_changed", 13, {"status": "resolved"}),
        row("status_changed", 14, {"status": "closed"}),
    ) == [None, None, reasons_of("bogus"), "status is resolved already", None]


def reasons_of(value: str) -> str:
    return (
        "status_changed: status must be one of open, awaiting_customer, on_hold, resolved, "
        f"closed, not {value!r}"
    )


def test_a_history_that_does_not_start_with_a_valid_created_event_is_not_read() -> None:
    for first in (
        row("created", 0, {"severity": 12}),
        row("created", 0, {"severity": 2, "status": "new"}),
        row("responded", 0, {}),
    ):
        events = read_history("ZIT-1", [first, row("responded", 3, {})])
        assert all(e.invalid is not None for e in events)
        assert "no valid 'created' event" in events[1].invalid.reason  # type: ignore[union-attr]


def test_data_that_is_not_json_is_an_invalid_event_not_a_failed_read() -> None:
    stored = (999, "responded", AT + timedelta(minutes=1), "{not json", "ana")
    [_, event] = read_history("ZIT-1", [CREATED, stored])
    assert event.invalid is not None and "not JSON" in event.invalid.reason


def test_a_flag_is_not_a_severity_even_where_they_compare_equal() -> None:
    """True == 1 in Python: the verdicts on payloads are kept by value and type."""
    assert reasons(row("responded", 1, {"automated": True})) == [None]
    assert reasons(row("responded", 1, {"automated": 1})) == [
        "responded: automated must be true or false, not a number"
    ]
    assert reasons(row("severity_changed", 1, {"from": 2, "to": True, "reason": "x"})) == [
        "severity_changed: to must be a whole number, not a boolean"
    ]


# --------------------------------------------------------------------------- ticket rows


@pytest.mark.parametrize(
    ("columns", "why"),
    [
        (("bogus", None, None, None, None, None), "clock_kind 'bogus' is not a queue group"),
        (("due", "speed", "x", 60, None, None), "clock_metric 'speed' is not a metric"),
        (("paused", "initial_response", "x", 60, 5, "nap"), "clock_paused_by 'nap'"),
        (("due", "initial_response", "x", -60, None, None), "clock_target_s is -60"),
        (("paused", "initial_response", "x", 60, -5, "on_hold"), "clock_paused_left_s is -5"),
        (("due", "initial_response", "x", 1.5, None, None), "clock_target_s is 1.5"),
    ],
)
@pytest.mark.allow_log("ticket ZIT-1: queue summary", logger="console.adapters.sql_rows")
def test_a_summary_that_cannot_be_read_says_which_column(columns: Any, why: str) -> None:
    with pytest.raises(UnreadableError, match=why):
        summary_from(*columns)
    problems = ReadProblems()
    due = datetime(2026, 11, 21, tzinfo=UTC)
    assert readable_summary("ZIT-1", columns, due, problems) == QueueSummary(QueueGroup.DUE)
    assert readable_summary("ZIT-1", columns, None, problems) == QueueSummary()
    assert [(p.key, p.part) for p in problems] == [("ZIT-1", "summary")] * 2
    assert why in next(iter(problems)).text


@pytest.mark.allow_log("ticket ZIT-1: status", logger="console.adapters.sql_rows")
def test_a_status_that_is_not_one_reads_as_open() -> None:
    problems = ReadProblems()
    columns = ("ZIT-1", "t", "Acme", 2, "archived", AT, None, [], None, 3)
    summary = ("done", None, None, None, None, None)
    ticket = ticket_from((*columns, *summary), (), problems)  # type: ignore[arg-type]
    assert ticket.status is Status.OPEN and ticket.is_open
    [problem] = problems
    assert (problem.key, problem.part) == ("ZIT-1", "status")
    assert "'archived' is not a status: read as open" in problem.text


@pytest.mark.allow_log("ticket ZIT-1: status", logger="console.adapters.sql_rows")
def test_a_problem_is_logged_once_per_database(caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(3):
        ReadProblems("sqlite:///once").add("ZIT-1", "status", "status 'x' is not a status")
    ReadProblems("sqlite:///other").add("ZIT-1", "status", "status 'x' is not a status")
    logged = [r for r in caplog.records if r.name == "console.adapters.sql_rows"]
    assert len(logged) == 2 and all("ticket ZIT-1: status 'x'" in r.getMessage() for r in logged)


# --------------------------------------------------------------------------- projections


def plan(since_us: int, *, basis: str = "c540443a088a45bc") -> str:
    clock = ProjectedClock(
        Metric.PERIODIC_UPDATE,
        "business-days",
        timedelta(days=3),
        (),
        datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=since_us),
    )
    text = projection_text(ClockProjection(datetime(2026, 11, 20, tzinfo=UTC), (clock,), basis))
    assert text is not None
    return text


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{", "not JSON"),
        (plan(1) + "," + plan(2), "more than one JSON value"),
        ('[1,5,"b",[["periodic_update","x",60,[],5,null]],[1]]', "not a list of format"),
        ('[1,5,"b",[["speed","x",60,[],5,null]]]', "'speed' is not a metric"),
        ('[1,5,"b",[["periodic_update","x",-60,[],5,null]]]', "calendar or target"),
        ('[1,5,"b",[["periodic_update","x",60,[3],5,null]]]', "not pairs of instants"),
        ('[1,5,"b",[["periodic_update","x",60,[3,2],5,null]]]', "not in order"),
        ('[1,5,"b",[["periodic_update","x",60,[],5,"on_hold"]]]', "or both"),
        ('[1,5,"b",[["periodic_update","x",60,[],null,null]]]', "neither counts"),
        ('[1,5,"b",[["periodic_update","x",60,[],5,"nap"]]]', "'nap' is not a status"),
        ('[1,5,"b",[["periodic_update","x",60,[],1e3,null]]]', "neither counts"),
        ('[1,5,"b",[["periodic_update","x",60,[],99999999999999999999,null]]]', "range"),
        ('[1,99999999999999999999,"b",[]]', "not an instant"),
        ('[1,true,"b",[]]', "not of their types"),
        ('"text"', "is not a list"),
    ],
)
def test_a_projection_that_cannot_be_read_says_why(text: str, why: str) -> None:
    with pytest.raises(UnreadableError, match=why):
        ProjectionReader().read(text)


def test_each_projection_is_read_on_its_own() -> None:
    """Texts that would shift the others in one JSON document of them all (one holding two
    values, then two that make one value together) are each unreadable; the others read
    as written."""
    good = [plan(1_000 * n) for n in range(5)]
    cut = good[4].rindex(",")
    texts = [good[0], good[1] + "," + good[2], good[3], good[4][:cut], good[4][cut + 1 :]]
    # As one document they parse into as many values as there are texts, each after the
    # second one shifted by one: a count would not notice.
    assert len(json.loads(f"[{','.join(texts)}]")) == len(texts)
    read = ProjectionReader()
    found: list[Any] = []
    for text in texts:
        try:
            found.append(read.read(text))
        except UnreadableError:
            found.append(None)
    assert found == [read.read(good[0]), None, read.read(good[3]), None, None]
