"""Ticket events in words: every field of every kind, people by name, automation said."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.domain.model import EventKind, TicketEvent
from console.domain.policy import load_policies
from console.services.event_text import (
    EventWords,
    actor_text,
    details_text,
    event_words,
    kind_label,
)
from events import FIELDS, NAMES, SAMPLES, Sample, missing

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
POLICIES = load_policies()


def test_the_samples_carry_every_field_of_every_kind() -> None:
    assert set(FIELDS) == set(EventKind)
    for kind, fields in FIELDS.items():
        carried = {name for s in SAMPLES if s.kind is kind for name in s.data}
        assert fields <= carried, kind
    for sample in SAMPLES:
        assert set(sample.reads) == set(sample.data), sample


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.kind.value}-{sorted(s.data)}")
def test_every_field_is_in_the_details(sample: Sample) -> None:
    event = sample.event(NOW)
    assert missing(details_text(event, NAMES), sample) == []
    laioutr = POLICIES["laioutr"]
    assert missing(details_text(event, NAMES, laioutr), sample, policy_known=True) == []
    assert actor_text(event, NAMES) == sample.who


def test_events_read_as_one_line() -> None:
    def words(kind: EventKind, actor: str | None = "lee.park", **data: object) -> EventWords:
        return event_words(TicketEvent(kind, NOW, data, actor), NAMES, POLICIES["laioutr"])

    change = {"from": 1, "to": 3, "reason": "Workaround", "customer_notified": True}
    assert words(EventKind.SEVERITY_CHANGED, **change).line == (
        "Lee Park · severity changed: S1 → S3; reason: Workaround; customer notified"
    )
    assert words(EventKind.CREATED, None, severity=1, status="open").line == (
        "system (automated) · created: S1; status open"
    )
    assert words(EventKind.STATUS_CHANGED, status="on_hold").summary == "status changed: on hold"
    assert words(EventKind.ASSIGNED, assignee="ana.ortiz").summary == "assigned: Ana Ortiz"
    assert words(EventKind.ASSIGNED, assignee=None).summary == "assigned: nobody"
    assert words(EventKind.ESCALATED, urgent=True, text="Down").summary == "escalated: urgent; Down"
    assert words(EventKind.WAIVED, waiver="status_page", reason="INC-7").summary == (
        "waived: Problem already communicated on the status page; reason: INC-7"
    )
    # Nothing recorded, nothing said; an empty text or reason is no field to show.
    assert words(EventKind.RCA_DELIVERED).summary == "RCA delivered"
    assert words(EventKind.UPDATE_SENT, text="  ").summary == "update sent"
    assert words(EventKind.WAIVED, waiver="gone", reason="").details == "gone"  # unknown id
    assert words(EventKind.NOTE, text="Hi", extra=None).details == "Hi; extra: none"


def test_people_are_named_when_known() -> None:
    def who(actor: str | None, **data: object) -> str:
        return actor_text(TicketEvent(EventKind.RESPONDED, NOW, data, actor), NAMES)

    assert who("ana.ortiz") == "Ana Ortiz"
    assert who("ghost.user") == "ghost.user"
    assert who(None) == "system (automated)"
    assert who("ana.ortiz", automated=True) == "Ana Ortiz (automated)"
    assert actor_text(TicketEvent(EventKind.NOTE, NOW, {}, "ana.ortiz")) == "ana.ortiz"


def test_every_kind_has_a_label() -> None:
    labels = {kind: kind_label(kind) for kind in EventKind}
    assert labels[EventKind.RCA_DELIVERED] == "RCA delivered"
    assert labels[EventKind.ESCALATION_ANSWERED] == "escalation answered"
    assert len(set(labels.values())) == len(EventKind)
