"""The domain's labels as the window shows them (console.services.labels): a table per enum,
each member in it, and in English exactly what the domain says, so the command line and
every English text stay as they were. (English: the command line's, and the console's when
English is chosen.)"""

from __future__ import annotations

from datetime import date, timedelta

from console.domain.mail import OutboxState, Security
from console.domain.model import Channel, ClockState, Metric, Role, Status
from console.services import labels
from console.services.texts import MONTHS, WEEKDAYS, date_text, day_text


def test_every_member_has_its_label_and_english_is_the_domains() -> None:
    assert {m: labels.metric_label(m) for m in Metric} == {m: m.label for m in Metric}
    assert {s: labels.status_label(s) for s in Status} == {s: s.label for s in Status}
    assert {c: labels.clock_state_label(c) for c in ClockState} == {c: c.label for c in ClockState}
    assert {c: labels.channel_label(c) for c in Channel} == {c: c.label for c in Channel}
    assert {o: labels.outbox_label(o) for o in OutboxState} == {o: o.label for o in OutboxState}
    assert {s: labels.security_label(s) for s in Security} == {s: s.label for s in Security}
    assert {r: labels.role_label(r) for r in Role} == {r: r.value for r in Role}


def test_a_metric_in_a_sentence_is_its_label_in_lower_case_but_rca() -> None:
    for metric in Metric:
        assert labels.metric_name(metric).lower() == metric.label.lower()
    assert labels.metric_name(Metric.PRELIMINARY_RCA) == "preliminary RCA"


def test_first_upper_keeps_the_rest() -> None:
    assert labels.first_upper("wartet auf Kunden") == "Wartet auf Kunden"
    assert labels.first_upper("") == ""


def test_weekdays_and_months_are_the_english_abbreviations() -> None:
    monday = date(2026, 11, 23)
    assert [day_text(monday + timedelta(days=n))[:3] for n in range(7)] == list(WEEKDAYS)
    assert [date_text(date(2026, m, 1)).split()[1] for m in range(1, 13)] == list(MONTHS)
