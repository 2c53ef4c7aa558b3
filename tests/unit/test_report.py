"""The SLA compliance report (console.services.report): hand-built histories with counts
worked out by hand from the policy files, and a smoke test on demo data.

The hand-built tickets, all submitted in November 2026 (``NOW`` is Fri 20 Nov 14:30 UTC):

* Layer0 enterprise, Sev 1 (30 min on 24x7): answered after 10, 20, 45 and exactly 30 min
  (met: a clock breaches only *after* its due instant), one resolved after 5 min with no
  response (met, no response time), one raised 10 min before ``NOW`` (pending), and one from
  31 October (outside the range). One Sev 1 ticket breached at 30 min, was lowered to Sev 2
  (1 business hour) at 35 min and answered at 40 min: met under Sev 2, yet breached.
* LivePerson standard, Sev 1 (response 1 h, updates every 2 h on 24x7, preliminary RCA
  within 3 business days): one ticket with a late second update and its RCA in time, one
  fresh ticket whose update and RCA clocks still run.
* ZITADEL extended, Sev 2 (2 business hours, 08:00-17:00 Zurich): answered 16 min late
  (2 credit days: one per started 15 minutes), and one in time whose urgent escalation
  (2 business hours) was answered 1 min late (1 credit day). A ZITADEL default ticket is
  best effort: no line.
* Laioutr standard, Sev 1 (1 h on 24x7): one answered in 30 min, one waived (not counted).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import FakeTime
from console.adapters.fake import FakeStore, FakeUnitOfWork
from console.domain.model import Customer, EventKind, Metric, Status, Ticket, TicketEvent
from console.domain.policy import load_policies
from console.domain.sla import ClockState
from console.services.demo import load_demo
from console.services.report import (
    CSV_COLUMNS,
    PolicyTotals,
    ReportLine,
    nearest_rank,
    percent_text,
    sla_report,
    totals,
    write_report_csv,
)
from console.services.tickets import PolicyBook
from history import within

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 11, 21, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")
POLICIES = load_policies()

IR = Metric.INITIAL_RESPONSE
PU = Metric.PERIODIC_UPDATE
RCA = Metric.PRELIMINARY_RCA
ESC = Metric.ESCALATION_RESPONSE

BLUEFIN = Customer("Bluefin Retail Inc.", "layer0", "enterprise", "AMER")
NORTHWIND = Customer("Northwind Health LLC", "liveperson", "standard", "AMER")
KESTREL = Customer("Kestrel Labs AG", "zitadel", "extended", "EMEA")
MOONSTONE = Customer("Moonstone Media SA", "zitadel", "default", "EMEA")
JUNIPER = Customer("Juniper Apparel GmbH", "laioutr", "standard", "EMEA")


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[arg-type,misc]


def zurich(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZURICH).astimezone(UTC)  # type: ignore[arg-type,misc]


def ev(kind: EventKind, at: datetime, **data: Any) -> TicketEvent:
    return TicketEvent(kind, at, data)


def created(at: datetime, severity: int) -> TicketEvent:
    return ev(EventKind.CREATED, at, severity=severity, status=Status.OPEN.value)


def responded(at: datetime) -> TicketEvent:
    return ev(EventKind.RESPONDED, at)


def add(store: FakeStore, key: str, customer: Customer, *events: TicketEvent) -> None:
    """Store a ticket with its history; its fields are what the history implies."""
    severity = int(events[0].data["severity"])
    status = Status.OPEN
    for event in events:
        if event.kind is EventKind.SEVERITY_CHANGED:
            severity = int(event.data["to"])
        elif event.kind is EventKind.STATUS_CHANGED:
            status = Status(event.data["status"])
    ticket = Ticket(key, f"Ticket {key}", customer.name, severity, status, events[0].at)
    with FakeUnitOfWork(store, now=FakeTime(NOW)) as uow:
        uow.tickets.add(ticket, events)
        uow.commit()


def layer0_sev1(store: FakeStore, key: str, day: int, answer: float | None) -> datetime:
    """A Layer0 Sev 1 ticket submitted on ``day`` November 18:00 UTC (10:00 in Los Angeles),
    answered ``answer`` minutes later (None: not yet)."""
    at = utc(2026, 11, day, 18)
    events = [created(at, 1)]
    if answer is not None:
        events.append(responded(at + minutes(answer)))
    add(store, key, BLUEFIN, *events)
    return at


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    with FakeUnitOfWork(store, now=FakeTime(NOW)) as uow:
        for customer in (BLUEFIN, NORTHWIND, KESTREL, MOONSTONE, JUNIPER):
            uow.customers.add(customer)
        uow.commit()

    # Layer0 enterprise, Sev 1: 30 minutes on 24x7.
    layer0_sev1(store, "L0-1", 2, 10)  # met
    layer0_sev1(store, "L0-2", 3, 20)  # met
    layer0_sev1(store, "L0-3", 4, 45)  # breached (15 min over)
    layer0_sev1(store, "L0-4", 5, 30)  # met: answered at the due instant itself
    add(store, "L0-5", BLUEFIN, created(NOW - minutes(10), 1))  # pending
    at = utc(2026, 11, 6, 18)  # resolved in 5 minutes, nobody responded: met, no time
    add(
        store,
        "L0-6",
        BLUEFIN,
        created(at, 1),
        ev(EventKind.STATUS_CHANGED, at + minutes(5), status=Status.RESOLVED.value),
    )
    add(store, "L0-0", BLUEFIN, created(utc(2026, 10, 31, 23), 1), responded(utc(2026, 11, 1, 2)))
    # Mon 9 Nov 10:00 in Los Angeles: breached at 30 min under Sev 1, lowered to Sev 2
    # (1 business hour, 09:00-18:00 Los Angeles) at 35 min, answered at 40 min.
    at = utc(2026, 11, 9, 18)
    add(
        store,
        "L0-8",
        BLUEFIN,
        created(at, 1),
        ev(
            EventKind.SEVERITY_CHANGED,
            at + minutes(35),
            reason="reassessed",
            **{"from": 1, "to": 2},
        ),
        responded(at + minutes(40)),
    )

    # LivePerson standard, Sev 1: response 1 h and updates every 2 h on 24x7, RCA 3 days.
    at = utc(2026, 11, 12, 10)  # Thursday
    add(
        store,
        "LP-1",
        NORTHWIND,
        created(at, 1),
        responded(at + minutes(30)),  # response met; updates due every 2 h from here
        ev(EventKind.UPDATE_SENT, utc(2026, 11, 12, 12)),  # after 1 h 30: met
        ev(EventKind.UPDATE_SENT, utc(2026, 11, 12, 14, 30)),  # after 2 h 30: breached
        ev(EventKind.UPDATE_SENT, utc(2026, 11, 12, 16)),  # after 1 h 30: met
        ev(EventKind.STATUS_CHANGED, utc(2026, 11, 12, 17), status=Status.RESOLVED.value),
        ev(EventKind.RCA_DELIVERED, utc(2026, 11, 13, 9)),  # within 3 business days
    )
    at = utc(2026, 11, 20, 13)
    add(store, "LP-2", NORTHWIND, created(at, 1), responded(at + minutes(20)))

    # ZITADEL extended, Sev 2: 2 business hours, 08:00-17:00 Zurich.
    add(
        store,
        "ZIT-1",
        KESTREL,
        created(zurich(2026, 11, 10, 9), 2),  # Tuesday
        responded(zurich(2026, 11, 10, 11, 16)),  # 16 min over: 2 credit days
    )
    add(
        store,
        "ZIT-2",
        KESTREL,
        created(zurich(2026, 11, 11, 9), 2),
        responded(zurich(2026, 11, 11, 9, 30)),
        ev(EventKind.ESCALATED, zurich(2026, 11, 11, 10), urgent=True),  # 2 business hours
        ev(EventKind.ESCALATION_ANSWERED, zurich(2026, 11, 11, 12, 1)),  # 1 min over: 1 day
    )
    add(  # best effort: not in the report
        store,
        "ZIT-3",
        MOONSTONE,
        created(zurich(2026, 11, 11, 9), 1),
        responded(zurich(2026, 11, 12, 9)),
    )

    # Laioutr standard, Sev 1: 1 hour on 24x7.
    at = utc(2026, 11, 16, 8)
    add(store, "LTR-1", JUNIPER, created(at, 1), responded(at + minutes(30)))
    add(  # waived, never answered: not counted
        store,
        "LTR-2",
        JUNIPER,
        created(at, 1),
        ev(EventKind.WAIVED, at + minutes(5), waiver="status_page", reason="on the status page"),
    )
    return store


def report(store: FakeStore, since: datetime = SINCE, until: datetime = UNTIL) -> list[ReportLine]:
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))
    return within(uow, sla_report, PolicyBook(POLICIES), since, until, NOW)


def line(**values: Any) -> ReportLine:
    defaults: dict[str, Any] = {
        "met": 0,
        "breached": 0,
        "pending": 0,
        "median_first_response": None,
        "p90_first_response": None,
        "credit_days": 0,
    }
    return ReportLine(**{**defaults, **values})


EXPECTED = [
    line(
        policy_id="laioutr",
        vendor="Laioutr",
        plan="standard",
        severity=1,
        severity_name="S1: Critical Incident",
        metric=IR,
        met=1,
        median_first_response=minutes(30),
        p90_first_response=minutes(30),
    ),
    line(
        policy_id="layer0",
        vendor="Layer0",
        plan="enterprise",
        severity=1,
        severity_name="Sev 1",
        metric=IR,
        met=4,  # 10, 20 and 30 min; resolved in 5 min
        breached=1,  # 45 min
        pending=1,  # raised 10 min ago
        median_first_response=minutes(20),  # nearest rank 2 of [10, 20, 30, 45]
        p90_first_response=minutes(45),  # nearest rank 4 of 4
    ),
    line(
        policy_id="layer0",
        vendor="Layer0",
        plan="enterprise",
        severity=2,
        severity_name="Sev 2",
        metric=IR,
        breached=1,  # under Sev 1, before the change
        median_first_response=minutes(40),
        p90_first_response=minutes(40),
    ),
    line(
        policy_id="liveperson",
        vendor="LivePerson",
        plan="standard",
        severity=1,
        severity_name="Severity 1",
        metric=IR,
        met=2,
        median_first_response=minutes(20),  # nearest rank 1 of [20, 30]
        p90_first_response=minutes(30),
    ),
    line(
        policy_id="liveperson",
        vendor="LivePerson",
        plan="standard",
        severity=1,
        severity_name="Severity 1",
        metric=PU,
        breached=1,  # LP-1's second update was late; its last cycle met does not undo it
        pending=1,  # LP-2's first update is not due yet
    ),
    line(
        policy_id="liveperson",
        vendor="LivePerson",
        plan="standard",
        severity=1,
        severity_name="Severity 1",
        metric=RCA,
        met=1,
        pending=1,
    ),
    line(
        policy_id="zitadel",
        vendor="ZITADEL",
        plan="extended",
        severity=2,
        severity_name="Severity 2: Core functionality unavailable or severely degraded",
        metric=IR,
        met=1,
        breached=1,
        median_first_response=minutes(30),
        p90_first_response=minutes(136),
        credit_days=2,
    ),
    line(
        policy_id="zitadel",
        vendor="ZITADEL",
        plan="extended",
        severity=2,
        severity_name="Severity 2: Core functionality unavailable or severely degraded",
        metric=ESC,
        breached=1,
        credit_days=1,
    ),
]


# --------------------------------------------------------------------------- the report


def test_hand_counted_report(store: FakeStore) -> None:
    assert report(store) == EXPECTED


def test_success_is_met_over_decided(store: FakeStore) -> None:
    lines = {(x.policy_id, x.severity, x.metric): x for x in report(store)}
    layer0 = lines["layer0", 1, IR]
    assert layer0.success == pytest.approx(0.8)  # 4 / (4 + 1): the pending one is not in it
    assert layer0.success_text == "80.0 %"
    assert layer0.clocks == 6
    assert lines["layer0", 2, IR].success == 0.0
    assert lines["liveperson", 1, PU].success_text == "0.0 %"
    assert lines["liveperson", 1, RCA].success == 1.0


def test_a_breach_before_a_severity_change_stays_a_breach(store: FakeStore) -> None:
    """L0-8 met its Sev 2 target, but it had breached under Sev 1: breached, reported
    under the ticket's current severity (2)."""
    with FakeUnitOfWork(store) as uow:
        events = uow.tickets.events_of(["L0-8"])["L0-8"]
    (clock,) = PolicyBook(POLICIES).clocks(BLUEFIN, events, NOW)
    assert clock.state is ClockState.MET and clock.severity == 2
    assert [b.severity for b in clock.breaches] == [1]
    sev2 = [x for x in report(store) if x.policy_id == "layer0" and x.severity == 2]
    assert [(x.met, x.breached, x.pending) for x in sev2] == [(0, 1, 0)]


def test_zitadel_credit_days_count_each_started_quarter_hour(store: FakeStore) -> None:
    zitadel = [x for x in report(store) if x.policy_id == "zitadel"]
    assert {x.metric: x.credit_days for x in zitadel} == {IR: 2, ESC: 1}
    assert all(x.plan == "extended" for x in zitadel)  # the default plan is best effort


def test_the_date_range_is_half_open(store: FakeStore) -> None:
    """[since, until): L0-1 submitted at ``since`` is in, L0-4 submitted at ``until`` is out."""
    lines = report(store, utc(2026, 11, 2, 18), utc(2026, 11, 5, 18))
    assert [(x.policy_id, x.severity, x.met, x.breached, x.pending) for x in lines] == [
        ("layer0", 1, 2, 1, 0)  # L0-1, L0-2 met; L0-3 breached
    ]
    # From 31 October, L0-0 (answered 3 hours late) joins the Sev 1 line.
    lines = report(store, utc(2026, 10, 31), UNTIL)
    sev1 = next(x for x in lines if x.policy_id == "layer0" and x.severity == 1)
    assert (sev1.met, sev1.breached, sev1.pending) == (4, 2, 1)
    assert report(store, UNTIL, UNTIL) == []


def test_clocks_are_read_at_now(store: FakeStore) -> None:
    """At 13:10 LP-2 had no response: its response clock pends; no update clock yet."""
    uow = FakeUnitOfWork(store, now=FakeTime(NOW))
    early = utc(2026, 11, 20, 13, 10)
    lines = within(
        uow, sla_report, PolicyBook(POLICIES), utc(2026, 11, 20), utc(2026, 11, 20, 14), early
    )
    assert [(x.policy_id, x.metric, x.met, x.breached, x.pending) for x in lines] == [
        ("liveperson", IR, 0, 0, 1),
        ("liveperson", RCA, 0, 0, 1),
    ]


def test_naive_or_reversed_ranges_are_refused(store: FakeStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        report(store, datetime(2026, 11, 1), UNTIL)
    with pytest.raises(ValueError, match="before it starts"):
        report(store, UNTIL, SINCE)


# --------------------------------------------------------------------------- helpers


def test_nearest_rank_on_known_values() -> None:
    values = [minutes(n) for n in (7, 1, 5, 3, 9, 2, 10, 4, 8, 6)]  # 1..10, shuffled
    assert nearest_rank(values, 50) == minutes(5)  # rank ceil(5.0) = 5
    assert nearest_rank(values, 90) == minutes(9)  # rank ceil(9.0) = 9
    assert nearest_rank(values, 100) == minutes(10)
    assert nearest_rank(values[:5], 50) == minutes(5)  # [1, 3, 5, 7, 9]: rank 3
    assert nearest_rank(values[:5], 90) == minutes(9)  # rank ceil(4.5) = 5
    assert nearest_rank(values[:4], 50) == minutes(3)  # [1, 3, 5, 7]: rank 2, no averaging
    assert nearest_rank([minutes(1)], 90) == minutes(1)
    assert nearest_rank([], 50) is None
    with pytest.raises(ValueError):
        nearest_rank(values, 0)


def test_percentages_round_down() -> None:
    assert percent_text(16, 1) == "94.1 %"  # 94.117…
    assert percent_text(9_996, 4) == "99.9 %"  # 99.96: not shown as 100.0
    assert percent_text(19, 1) == "95.0 %"
    assert percent_text(0, 3) == "0.0 %"
    assert percent_text(0, 0) == "—"
    assert (
        line(policy_id="p", vendor="V", plan="x", severity=1, severity_name="S", metric=IR).success
        is None
    )


def test_totals_per_policy_and_per_metric(store: FakeStore) -> None:
    lines = report(store)
    assert totals(lines) == [
        PolicyTotals("laioutr", "Laioutr", None, 1, 0, 0, 0),
        PolicyTotals("layer0", "Layer0", None, 4, 2, 1, 0),
        PolicyTotals("liveperson", "LivePerson", None, 3, 1, 2, 0),
        PolicyTotals("zitadel", "ZITADEL", None, 1, 2, 0, 3),
    ]
    by_metric = totals(lines, by_metric=True)
    assert [(t.label, t.met, t.breached, t.pending) for t in by_metric] == [
        ("Laioutr · Initial response", 1, 0, 0),
        ("Layer0 · Initial response", 4, 2, 1),
        ("LivePerson · Initial response", 2, 0, 0),
        ("LivePerson · Periodic update", 0, 1, 1),
        ("LivePerson · Preliminary RCA", 1, 0, 1),
        ("ZITADEL · Initial response", 1, 1, 0),
        ("ZITADEL · Escalation response", 0, 1, 0),
    ]
    assert by_metric[1].success_text == "66.6 %"
    assert totals([]) == []


def test_csv_export(store: FakeStore) -> None:
    stream = io.StringIO()
    assert write_report_csv(report(store), stream) == len(EXPECTED)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    layer0 = rows[1]
    assert layer0["vendor"] == "Layer0" and layer0["metric"] == "initial_response"
    assert (layer0["met"], layer0["breached"], layer0["pending"]) == ("4", "1", "1")
    assert layer0["success_pct"] == "80.00"
    assert (layer0["median_first_response_s"], layer0["p90_first_response_s"]) == (
        "1200",
        "2700",
    )
    zitadel = rows[-2]
    assert zitadel["severity_name"].startswith("Severity 2: Core functionality")
    assert (zitadel["success_pct"], zitadel["credit_days"]) == ("50.00", "2")
    escalation = rows[-1]
    assert escalation["median_first_response_s"] == "" and escalation["success_pct"] == "0.00"
    pending_only = line(
        policy_id="p", vendor="V", plan="x", severity=1, severity_name="S", metric=IR, pending=2
    )
    stream = io.StringIO()
    write_report_csv([pending_only], stream)
    assert stream.getvalue().splitlines()[1].split(",")[9] == ""


# --------------------------------------------------------------------------- demo data


def test_demo_data_counts_every_timed_clock_once() -> None:
    store = FakeStore()
    book = PolicyBook(POLICIES)
    load_demo(FakeUnitOfWork(store, now=FakeTime(NOW)), book, tickets=400, seed=5, now=NOW)
    since, until = NOW - timedelta(days=10), NOW
    lines = within(FakeUnitOfWork(store, now=FakeTime(NOW)), sla_report, book, since, until, NOW)

    timed = breached = responses = 0
    customers = {c.name: c for c in store.customers.values()}
    for key, ticket in store.tickets.items():
        if not since <= ticket.submitted_at < until:
            continue
        for clock in book.clocks(customers[ticket.customer], store.events[key], NOW):
            if clock.state is ClockState.WAIVED:
                continue
            if clock.ever_breached or (clock.target is not None and clock.target.is_timed):
                timed += 1
                breached += clock.ever_breached
    assert timed > 100
    assert sum(x.met + x.breached + x.pending for x in lines) == timed
    assert sum(x.breached for x in lines) == breached
    assert 0 < breached < timed
    assert all(x.success is None or 0 <= x.success <= 1 for x in lines)
    responses = sum(x.median_first_response is not None for x in lines)
    assert responses > 0 and all(x.median_first_response is None or x.metric is IR for x in lines)
    keys = [(x.vendor.casefold(), x.plan, x.severity, list(Metric).index(x.metric)) for x in lines]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert sum(t.credit_days for t in totals(lines)) == sum(x.credit_days for x in lines)


def test_a_severity_the_policy_lacks_is_read_as_the_clocks_read_it(store: FakeStore) -> None:
    """A severity change to a level Layer0 does not have (written by hand: the rules allow
    levels 1-9 and only the console checks the policy's) is left out, as the clocks leave
    it out: the ticket stays in its Sev 1 line and the report does not fail."""
    at = utc(2026, 11, 3, 18)
    add(
        store,
        "L0-99",
        BLUEFIN,
        created(at, 1),
        ev(EventKind.SEVERITY_CHANGED, at + minutes(5), **{"from": 1, "to": 9, "reason": "x"}),
        responded(at + minutes(10)),
    )
    lines = [x for x in report(store) if x.policy_id == "layer0" and x.severity == 9]
    assert lines == []
    sev1 = [x for x in report(store) if x.policy_id == "layer0" and x.severity == 1]
    assert sum(x.met + x.breached + x.pending for x in sev1) >= 1
