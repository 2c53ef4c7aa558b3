"""Threshold notifications: one per clock per threshold, only for my tickets (DESIGN.md,
"Warnings"), checked against demo queue rows while ``now`` moves on."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from console.domain.model import Metric
from console.domain.policy import CompanyPeriod, load_policies
from console.domain.queue import DEFAULT_THRESHOLDS, ClockState
from console.qt.notifications import MAX_SEPARATE, ThresholdNotifier
from console.services.demo import DemoData, generate
from console.services.queue import QueueRow, make_row
from console.services.tickets import PolicyBook

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


class Collector:
    """An injected ``show``: keeps (title, message, level)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, int]] = []

    def __call__(self, title: str, message: str, level: int) -> None:
        self.shown.append((title, message, level))

    def take(self) -> list[tuple[str, str, int]]:
        shown, self.shown = self.shown, []
        return shown


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate(PolicyBook(load_policies()), tickets=300, seed=5, now=NOW)


@pytest.fixture(scope="module")
def rows(demo: DemoData) -> list[QueueRow]:
    """Open demo tickets as queue rows, with a book that knows the demo's company holidays
    (as one loaded from the database would)."""
    periods: dict[str, tuple[CompanyPeriod, ...]] = {}
    for p in demo.holiday_periods:
        periods[p.policy_id] = (
            *periods.get(p.policy_id, ()),
            CompanyPeriod(p.first, p.last, p.reason),
        )
    book = PolicyBook(load_policies(), periods)
    customers = {c.name: c for c in demo.customers}
    return [make_row(book, t, customers[t.customer]) for t, _ in demo.tickets if t.is_open]


def fresh_row(rows: list[QueueRow], metric: Metric | None = None) -> QueueRow:
    """An assigned ticket whose clock runs at NOW with under half its target used."""
    for row in rows:
        cd = row.countdown(NOW)
        if (
            row.ticket.assignee is not None
            and cd.state is ClockState.RUNNING
            and cd.fraction is not None
            and cd.fraction < 0.3
            and row.calendar is not None
            and row.ticket.summary.target is not None
            and (metric is None or row.ticket.summary.metric is metric)
        ):
            return row
    raise AssertionError("the demo has no such row")


def at_fraction(
    row: QueueRow, fraction: float, margin: timedelta = timedelta(seconds=1)
) -> datetime:
    """The instant ``margin`` of business time after the clock reaches ``fraction``."""
    cd = row.countdown(NOW)
    target = row.ticket.summary.target
    assert row.calendar is not None and target is not None and cd.fraction is not None
    return row.calendar.add(NOW, (fraction - cd.fraction) * target + margin)


def others(rows: list[QueueRow], me: str) -> list[QueueRow]:
    return [r for r in rows if r.ticket.assignee != me]


def test_each_level_fires_once_per_clock(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    me = row.ticket.assignee
    assert me is not None
    show = Collector()
    notifier = ThresholdNotifier(me, DEFAULT_THRESHOLDS, show)
    watched = [row, *others(rows, me)]
    key = row.key

    assert notifier.check(watched, NOW) == []
    expected = {0.5: "50", 0.75: "75", 0.9: "90"}
    for level, (fraction, percent) in enumerate(expected.items(), start=1):
        before = at_fraction(row, fraction, -MINUTE)
        assert notifier.check(watched, before) == []
        after = at_fraction(row, fraction)
        assert row.countdown(after).level() == level
        raised = notifier.check(watched, after)
        assert [title for title, _ in raised] == [f"{key} at {percent} % of its target"]
        assert show.take() == [(*raised[0], level)]
        message = raised[0][1]
        assert message.startswith(row.ticket.title[:40])
        assert " · " in message and message.endswith(" left (business time)")
        # the same level again, a moment or much later: quiet
        assert notifier.check(watched, after) == []
        assert notifier.check(watched, at_fraction(row, fraction, 2 * MINUTE)) == []

    due = row.ticket.next_due_at
    assert due is not None
    assert notifier.check(watched, due) == []  # due is the last instant before the breach
    raised = notifier.check(watched, due + 12 * MINUTE)
    assert raised == [(f"{key} breached", raised[0][1])]
    assert raised[0][1].endswith("overdue 12m (business time)")
    assert show.take() == [(*raised[0], 4)]
    assert notifier.check(watched, due + timedelta(days=30)) == []
    assert show.shown == []


def test_metric_label_in_message(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows, Metric.INITIAL_RESPONSE)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    ((_, message),) = notifier.check([row], at_fraction(row, 0.5))
    assert " · initial response · " in message


def test_a_jump_announces_only_the_highest_level(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    assert notifier.check([row], at_fraction(row, 0.8)) == [
        (f"{row.key} at 75 % of its target", show.shown[0][1])
    ]
    assert notifier.check([row], at_fraction(row, 0.85)) == []
    assert len(notifier.check([row], at_fraction(row, 0.9))) == 1


def test_others_tickets_never_notify(qtbot: QtBot, rows: list[QueueRow]) -> None:
    me = fresh_row(rows).ticket.assignee
    assert me is not None
    show = Collector()
    notifier = ThresholdNotifier(me, DEFAULT_THRESHOLDS, show)
    theirs = others(rows, me)
    assert any(r.countdown(NOW + timedelta(days=10)).level() for r in theirs)
    for hours in range(0, 24 * 10, 6):
        assert notifier.check(theirs, NOW + timedelta(hours=hours)) == []
    assert show.shown == []
    nobody = ThresholdNotifier(None, DEFAULT_THRESHOLDS, show)
    assert nobody.check(rows, NOW + timedelta(days=10)) == []
    assert show.shown == []


def test_over_time_each_clock_level_fires_at_most_once(qtbot: QtBot, rows: list[QueueRow]) -> None:
    """Walking ``now`` in 10-minute steps over 5 days, for every agent in turn."""
    agents = {r.ticket.assignee for r in rows} - {None}
    mine_notified = 0
    for me in sorted(a for a in agents if a is not None):
        show = Collector()
        notifier = ThresholdNotifier(me, DEFAULT_THRESHOLDS, show)
        mine = {r.key for r in rows if r.ticket.assignee == me}
        levels: Counter[tuple[str, int]] = Counter()
        first = notifier.check(rows, NOW)  # start-up: what is already crossed, summarised
        assert len(first) <= MAX_SEPARATE
        show.take()
        for step in range(1, 6 * 24 * 5):
            notifier.check(rows, NOW + step * 10 * MINUTE)
            for title, _, level in show.take():
                key = title.split()[0]
                assert key in mine, title
                levels[(key, level)] += 1
        assert all(count == 1 for count in levels.values()), levels
        mine_notified += len(levels)
    assert mine_notified > 20


def test_a_burst_becomes_one_summary(qtbot: QtBot, rows: list[QueueRow]) -> None:
    me = fresh_row(rows).ticket.assignee
    mine = [r for r in rows if r.ticket.assignee == me]
    later = NOW + timedelta(days=30)
    due = [r for r in mine if r.countdown(later).state is ClockState.BREACHED]
    assert len(due) > MAX_SEPARATE
    counting = (ClockState.RUNNING, ClockState.WAITING, ClockState.BREACHED)
    crossed = [
        r for r in mine if r.countdown(later).state in counting and r.countdown(later).level()
    ]
    show = Collector()
    notifier = ThresholdNotifier(me, DEFAULT_THRESHOLDS, show)
    ((title, message),) = notifier.check(mine, later)
    assert title == f"{len(crossed)} of your tickets need attention"
    assert all(f"{r.key} breached" in message for r in due)
    assert show.take() == [(title, message, 4)]
    assert notifier.check(mine, later + MINUTE) == []


def test_a_new_leading_clock_is_a_new_clock(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    assert len(notifier.check([row], at_fraction(row, 0.6))) == 1
    other = next(m for m in Metric if m is not row.ticket.summary.metric)
    moved = replace(
        row, ticket=replace(row.ticket, summary=replace(row.ticket.summary, metric=other))
    )
    raised = notifier.check([moved], at_fraction(row, 0.6))
    assert [t for t, _ in raised] == [f"{row.key} at 50 % of its target"]
    assert notifier.check([moved], at_fraction(row, 0.7)) == []


def test_a_restarted_periodic_update_is_a_new_clock(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows, Metric.PERIODIC_UPDATE)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    sent = at_fraction(row, 0.8)
    assert len(notifier.check([row], sent)) == 1
    # An update is sent: the clock starts again, due one target of business time later.
    assert row.calendar is not None and row.ticket.summary.target is not None
    restarted = replace(
        row,
        ticket=replace(row.ticket, next_due_at=row.calendar.add(sent, row.ticket.summary.target)),
    )
    assert notifier.check([restarted], sent + MINUTE) == []
    half = row.calendar.add(sent, row.ticket.summary.target * 0.5 + MINUTE)
    raised = notifier.check([restarted], half)
    assert [t for t, _ in raised] == [f"{row.key} at 50 % of its target"]


def test_a_recurring_clock_pushed_later_is_the_same_clock(
    qtbot: QtBot, rows: list[QueueRow]
) -> None:
    """A due instant that moves later without the level falling (a calendar change) is no
    restart: nothing is announced again."""
    row = fresh_row(rows, Metric.PERIODIC_UPDATE)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    at_60 = at_fraction(row, 0.6)
    assert len(notifier.check([row], at_60)) == 1
    assert row.ticket.next_due_at is not None
    pushed = replace(row, ticket=replace(row.ticket, next_due_at=row.ticket.next_due_at + MINUTE))
    assert pushed.countdown(at_60 + MINUTE).level() == 1
    assert notifier.check([pushed], at_60 + MINUTE) == []


def test_a_level_that_drops_does_not_fire_again(qtbot: QtBot, rows: list[QueueRow]) -> None:
    """A severity downgrade gives the same clock a longer target: the levels it had reached
    fall, and reaching them again says nothing; a level never reached still fires."""
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    at_80 = at_fraction(row, 0.8)
    assert len(notifier.check([row], at_80)) == 1  # 75 %
    assert row.calendar is not None and row.ticket.summary.target is not None
    assert row.ticket.next_due_at is not None
    target = row.ticket.summary.target
    ticket = replace(
        row.ticket,
        severity=row.ticket.severity + 1,
        next_due_at=row.calendar.add(row.ticket.next_due_at, target),
        summary=replace(row.ticket.summary, target=2 * target),
    )
    downgraded = replace(row, ticket=ticket)  # same start, twice the target
    assert downgraded.countdown(at_80).level() == 0
    assert notifier.check([downgraded], at_80) == []
    for fraction in (0.5, 0.75, 0.8):
        assert notifier.check([downgraded], at_fraction(downgraded, fraction)) == []
    raised = notifier.check([downgraded], at_fraction(downgraded, 0.9))
    assert [t for t, _ in raised] == [f"{row.key} at 90 % of its target"]


def test_disabled_raises_nothing(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    notifier.set_enabled(False)
    assert not notifier.enabled
    for fraction in (0.5, 0.75, 0.9, 2.0):
        assert notifier.check(rows, at_fraction(row, fraction)) == []
    assert show.shown == []
    # On again: what was crossed meanwhile stays quiet, what comes next is announced.
    notifier.set_enabled(True)
    assert notifier.check([row], at_fraction(row, 0.8)) == []
    assert len(notifier.check([row], at_fraction(row, 0.9))) == 1


def test_new_thresholds_start_quiet(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS, show)
    assert len(notifier.check([row], at_fraction(row, 0.6))) == 1
    notifier.set_thresholds((0.4, 0.65, 0.8))
    assert notifier.thresholds == (0.4, 0.65, 0.8)
    assert notifier.check([row], at_fraction(row, 0.6)) == []
    raised = notifier.check([row], at_fraction(row, 0.7))
    assert [t for t, _ in raised] == [f"{row.key} at 65 % of its target"]
    with pytest.raises(ValueError, match="thresholds"):
        notifier.set_thresholds((0.8, 0.5, 0.9))


def test_set_me_watches_someone_else(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    show = Collector()
    notifier = ThresholdNotifier("somebody.else", DEFAULT_THRESHOLDS, show)
    assert notifier.check([row], at_fraction(row, 0.6)) == []
    notifier.set_me(row.ticket.assignee)
    assert notifier.me == row.ticket.assignee
    assert len(notifier.check([row], at_fraction(row, 0.6))) == 1


def test_without_a_tray_the_default_show_does_nothing(qtbot: QtBot, rows: list[QueueRow]) -> None:
    row = fresh_row(rows)
    notifier = ThresholdNotifier(row.ticket.assignee, DEFAULT_THRESHOLDS)
    raised = notifier.check([row], at_fraction(row, 0.5))  # offscreen: no system tray
    assert [t for t, _ in raised] == [f"{row.key} at 50 % of its target"]
