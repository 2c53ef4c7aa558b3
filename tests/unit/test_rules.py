"""The event rules: what an event may be, checked in Python (the same table is written into
PostgreSQL, where a differential test compares the two enforcers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.domain.errors import PermissionDeniedError
from console.domain.model import EventKind, Role, Status
from console.domain.rules import (
    EVENT_RULES,
    MAX_TEXT,
    OPEN_TICKET_PAST_HOURS,
    InvalidEventError,
    TicketState,
    check_event,
    check_new_ticket,
    check_payload,
)

OPEN = TicketState("ZIT-1", Status.OPEN, 3, None, open_escalation=False)
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def test_every_recordable_kind_has_a_rule_and_created_is_not_one() -> None:
    assert set(EVENT_RULES) == set(EventKind) - {EventKind.CREATED}


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("responded", {}),
        ("responded", {"automated": True, "text": "Hello"}),
        ("update_sent", {"text": "Still on it"}),
        ("status_changed", {"status": "awaiting_customer"}),
        ("severity_changed", {"from": 3, "to": 1, "reason": "Outage"}),
        ("assigned", {"assignee": "ana.ortiz"}),
        ("escalated", {"urgent": False}),
        ("rca_delivered", {}),
        ("waived", {"waiver": "status_page", "reason": "On the page"}),
        ("note", {"text": "x" * MAX_TEXT}),
    ],
)
def test_valid_events_pass(kind: str, data: dict[str, Any]) -> None:
    assert check_event(OPEN, kind, data, "claire.dubois", Role.LEAD).kind is EventKind(kind)


@pytest.mark.parametrize(
    ("kind", "data", "why"),
    [
        ("bogus", {}, "not an event one records"),
        ("created", {"severity": 1}, "not an event one records"),
        ("note", {}, "text is missing"),
        ("note", {"text": " \n"}, "cannot be empty"),
        ("note", {"text": "x" * (MAX_TEXT + 1)}, "20,001 characters"),
        ("note", {"text": "x", "at": "2020-01-01"}, "unknown field 'at'"),
        ("responded", {"automated": 1}, "true or false"),
        ("status_changed", {"status": "open"}, "status is open already"),
        ("status_changed", {"status": "reopened"}, "must be one of"),
        ("severity_changed", {"from": 2, "to": 1, "reason": "x"}, "says severity 2, it is 3"),
        ("severity_changed", {"from": 3, "to": 3, "reason": "x"}, "severity is 3 already"),
        ("severity_changed", {"from": 3, "to": 10, "reason": "x"}, "between 1 and 9"),
        ("severity_changed", {"from": 3, "to": True, "reason": "x"}, "whole number"),
        ("severity_changed", {"from": 3, "to": 1.0, "reason": "x"}, "whole number"),
        ("assigned", {"assignee": None}, "assignee is nobody already"),
        ("assigned", {"assignee": ""}, "agent's name or null"),
        ("escalation_answered", {}, "no escalation waiting"),
        ("waived", {"waiver": "x"}, "reason is missing"),
    ],
)
def test_invalid_events_are_refused_saying_why(kind: str, data: Any, why: str) -> None:
    with pytest.raises(InvalidEventError, match=why):
        check_event(OPEN, kind, data, "claire.dubois", Role.LEAD)


def test_states_decide_what_makes_sense() -> None:
    resolved = TicketState("ZIT-1", Status.RESOLVED, 3, None, False)
    for kind in ("responded", "update_sent", "escalated", "severity_changed", "assigned"):
        with pytest.raises(InvalidEventError, match="is resolved"):
            check_event(resolved, kind, _valid(kind), "claire.dubois", Role.LEAD)
    for kind in ("note", "rca_delivered", "waived", "status_changed"):
        check_event(resolved, kind, _valid(kind), "claire.dubois", Role.LEAD)
    waiting = TicketState("ZIT-1", Status.OPEN, 3, None, True)
    check_event(waiting, "escalation_answered", {}, "ana.ortiz", Role.AGENT)


def test_roles_decide_who_may() -> None:
    change = {"from": 3, "to": 1, "reason": "Outage"}
    with pytest.raises(PermissionDeniedError, match="for team leads"):
        check_event(OPEN, "severity_changed", change, "ana.ortiz", Role.AGENT)
    with pytest.raises(PermissionDeniedError, match="for team leads"):
        check_event(OPEN, "severity_changed", change, None, None)
    theirs = TicketState("ZIT-1", Status.OPEN, 3, "lukas.brenner", False)
    with pytest.raises(PermissionDeniedError, match=r"lukas\.brenner's"):
        check_event(theirs, "assigned", {"assignee": "ana.ortiz"}, "ana.ortiz", Role.AGENT)
    check_event(theirs, "assigned", {"assignee": "ana.ortiz"}, "claire.dubois", Role.LEAD)
    mine = TicketState("ZIT-1", Status.OPEN, 3, "ana.ortiz", False)
    check_event(mine, "assigned", {"assignee": None}, "ana.ortiz", Role.AGENT)
    check_event(OPEN, "assigned", {"assignee": "ana.ortiz"}, "ana.ortiz", Role.AGENT)


def test_payloads_name_the_kind_and_the_field() -> None:
    with pytest.raises(InvalidEventError, match=r"^waived: reason must be a text, not a number$"):
        check_payload("waived", {"waiver": "x", "reason": 5})


def _valid(kind: str) -> dict[str, Any]:
    return {
        "status_changed": {"status": "open"},
        "severity_changed": {"from": 3, "to": 1, "reason": "x"},
        "assigned": {"assignee": "ana.ortiz"},
        "waived": {"waiver": "w", "reason": "r"},
        "note": {"text": "t"},
    }.get(kind, {})


def test_a_new_ticket_is_checked() -> None:
    check_new_ticket("ZIT-9", "Outage", 1, NOW - timedelta(hours=OPEN_TICKET_PAST_HOURS), NOW)
    for key, title, severity, when, why in [
        ("ZIT 9", "Outage", 1, NOW, "not a ticket key"),
        ("", "Outage", 1, NOW, "not a ticket key"),
        ("ZIT-9", "  ", 1, NOW, "title"),
        ("ZIT-9", "x" * 501, 1, NOW, "title"),
        ("ZIT-9", "Outage", 0, NOW, "severity"),
        ("ZIT-9", "Outage", 1, NOW + timedelta(seconds=1), "future"),
        ("ZIT-9", "Outage", 1, NOW - timedelta(hours=OPEN_TICKET_PAST_HOURS, seconds=1), "past"),
    ]:
        with pytest.raises(InvalidEventError, match=why):
            check_new_ticket(key, title, severity, when, NOW)


def test_an_agent_waives_only_a_ticket_of_its_own_or_nobodys() -> None:
    waiver = {"waiver": "status_page", "reason": "On the status page"}
    theirs = TicketState("ZIT-1", Status.OPEN, 3, "lukas.brenner", False)
    with pytest.raises(PermissionDeniedError, match="a waived event on it is for team leads"):
        check_event(theirs, "waived", waiver, "ana.ortiz", Role.AGENT)
    check_event(theirs, "waived", waiver, "claire.dubois", Role.LEAD)
    check_event(theirs, "waived", waiver, "lukas.brenner", Role.AGENT)
    check_event(OPEN, "waived", waiver, "ana.ortiz", Role.AGENT)
