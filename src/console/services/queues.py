"""The queues of the sidebar, decided in one place: which rows each shows and how many.

"Breached" and "breaching within 1 h" are questions about a ticket's cached due instant, so
they are asked here, once: by the queue filter, by the counts, and by the search for rows
that crossed into a queue between two ticks. A clock is breached exactly when now is after
its due instant (DESIGN.md section 2); it is breaching soon while its due instant lies in
``[now, now + BREACHING_WINDOW]``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from operator import attrgetter

from console.domain.model import QueueGroup, Status, Ticket
from console.services import words
from console.services.queue import QueueRow

BREACHING_WINDOW = timedelta(hours=1)
_LOW, _HIGH = "", "\uffff"  # below and above every ticket key


class QueueFilter(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ALL = "all"
    BREACHING_SOON = "breaching_soon"
    BREACHED = "breached"
    PAUSED = "paused"
    POLICY = "policy"
    SEARCH = "search"


def counting_due(ticket: Ticket) -> datetime | None:
    """The due instant of the ticket's leading clock if it counts towards one, else None."""
    return ticket.next_due_at if ticket.summary.kind is QueueGroup.DUE else None


def is_breached(ticket: Ticket, now: datetime) -> bool:
    due = counting_due(ticket)
    return due is not None and now > due


def is_breaching_soon(ticket: Ticket, now: datetime) -> bool:
    due = counting_due(ticket)
    return due is not None and now <= due <= now + BREACHING_WINDOW


def is_paused(ticket: Ticket) -> bool:
    """In "Paused / awaiting customer": a paused clock, or waiting on the customer or on
    hold."""
    return ticket.summary.kind is QueueGroup.PAUSED or ticket.status in (
        Status.AWAITING_CUSTOMER,
        Status.ON_HOLD,
    )


def matches(row: QueueRow, words: Iterable[str]) -> bool:
    """The search: every word (lower case) in the key, customer or title."""
    return all(word in row.search_text for word in words)


# The standard queues' names are marked for translation: their label is said in the
# console's language; a policy's (its vendor) and a search's are shown as they are.
_NAMED = frozenset(
    {
        QueueFilter.MINE,
        QueueFilter.UNASSIGNED,
        QueueFilter.ALL,
        QueueFilter.BREACHING_SOON,
        QueueFilter.BREACHED,
        QueueFilter.PAUSED,
    }
)


@dataclass(frozen=True, slots=True)
class Queue:
    """A sidebar entry: which rows it shows. ``name`` is the English name of a standard
    queue, the vendor of a policy's, the quoted text of a search; ``label`` says it in the
    console's language."""

    kind: QueueFilter
    name: str
    argument: str = ""  # policy id, or the saved search's text

    @property
    def label(self) -> str:
        return words.tr(self.name) if self.kind in _NAMED else self.name

    def accepts(self, row: QueueRow, me: str | None, now: datetime) -> bool:
        ticket = row.ticket
        kind = self.kind
        if kind is QueueFilter.ALL:
            return True
        if kind is QueueFilter.MINE:
            return me is not None and ticket.assignee == me
        if kind is QueueFilter.UNASSIGNED:
            return ticket.assignee is None
        if kind is QueueFilter.POLICY:
            return row.customer.policy_id == self.argument
        if kind is QueueFilter.SEARCH:
            return matches(row, self.argument.lower().split())
        if kind is QueueFilter.PAUSED:
            return is_paused(ticket)
        if kind is QueueFilter.BREACHED:
            return is_breached(ticket, now)
        return is_breaching_soon(ticket, now)


QUEUE_MINE = Queue(QueueFilter.MINE, words.QT_TR_NOOP("My open"))
QUEUE_UNASSIGNED = Queue(QueueFilter.UNASSIGNED, words.QT_TR_NOOP("Unassigned"))
QUEUE_ALL = Queue(QueueFilter.ALL, words.QT_TR_NOOP("All open"))
QUEUE_BREACHING_SOON = Queue(QueueFilter.BREACHING_SOON, words.QT_TR_NOOP("Breaching within 1 h"))
QUEUE_BREACHED = Queue(QueueFilter.BREACHED, words.QT_TR_NOOP("Breached"))
QUEUE_PAUSED = Queue(QueueFilter.PAUSED, words.QT_TR_NOOP("Paused / awaiting customer"))
STANDARD_QUEUES = (
    QUEUE_MINE,
    QUEUE_UNASSIGNED,
    QUEUE_ALL,
    QUEUE_BREACHING_SOON,
    QUEUE_BREACHED,
    QUEUE_PAUSED,
)


def policy_queue(vendor: str, policy_id: str) -> Queue:
    return Queue(QueueFilter.POLICY, vendor, policy_id)


def search_queue(text: str) -> Queue:
    return Queue(QueueFilter.SEARCH, f"\u201c{text}\u201d", text)


class DueIndex:
    """The due instants of the rows whose leading clock counts, sorted: how many rows are
    breached or breaching soon, and which crossed into those queues between two instants,
    are binary searches."""

    def __init__(self) -> None:
        self._dues: list[tuple[float, str]] = []

    def clear(self) -> None:
        self._dues = []

    def fill(self, rows: Iterable[QueueRow]) -> None:
        # As _entry, inline: a load fills it with 100,000 rows.
        dues = [(k[1], k[2]) for k in map(_sort_key, rows) if k[0] == 0]
        dues.sort()  # rows in queue order give them sorted already: one pass
        self._dues = dues

    def add(self, row: QueueRow) -> None:
        entry = _entry(row)
        if entry is not None:
            insort(self._dues, entry)

    def discard(self, row: QueueRow) -> None:
        entry = _entry(row)
        if entry is not None:
            at = bisect_left(self._dues, entry)
            if at < len(self._dues) and self._dues[at] == entry:
                del self._dues[at]

    def _before(self, moment: datetime) -> int:
        """How many are due strictly before ``moment``."""
        return bisect_left(self._dues, (moment.timestamp(), _LOW))

    def _until(self, moment: datetime) -> int:
        """How many are due at or before ``moment``."""
        return bisect_right(self._dues, (moment.timestamp(), _HIGH))

    def breached(self, now: datetime) -> int:
        return self._before(now)

    def breaching_soon(self, now: datetime) -> int:
        return self._until(now + BREACHING_WINDOW) - self._before(now)

    def crossing(self, previous: datetime, now: datetime) -> set[str]:
        """Keys of the rows that joined "breached" or "breaching soon" in ``(previous,
        now]``: their due instant, or that instant less the window, was passed."""
        breached = self._dues[self._before(previous) : self._before(now)]
        window = BREACHING_WINDOW
        soon = self._dues[self._until(previous + window) : self._until(now + window)]
        return {key for _, key in breached} | {key for _, key in soon}


_sort_key = attrgetter("sort_key")


def _entry(row: QueueRow) -> tuple[float, str] | None:
    # The queue order puts the counting clocks first, as (0, due instant, key): the rows of
    # a load come in that order, so these entries come sorted.
    rank, due, key = row.sort_key
    return (due, key) if rank == 0 else None


class QueueCounts:
    """How many rows each queue holds, kept row by row for the queues that do not depend on
    time and read from a :class:`DueIndex` for those that do, so no count walks every row."""

    def __init__(self, me: str | None = None) -> None:
        self.me = me
        self._counts: dict[Queue, int] = {}

    def reset(self, rows: Iterable[QueueRow], me: str | None) -> None:
        self.me = me
        self._counts = {}
        self.add(rows, +1)

    def add(self, rows: Iterable[QueueRow], delta: int) -> None:
        """Add (``delta`` +1) or take away (-1) rows' contributions: a few comparisons a
        row, in plain integers first (100,000 rows at start)."""
        me = self.me
        total = unassigned = mine = paused = 0
        # Rows by customer first (the rows of one read share its customer object, and so its
        # policy), then by policy: no key to build for each row.
        customers: dict[int, int] = {}
        policy_of: dict[int, tuple[str, str]] = {}
        paused_kind, waiting = QueueGroup.PAUSED, (Status.AWAITING_CUSTOMER, Status.ON_HOLD)
        for row in rows:
            total += 1
            ticket = row.ticket
            assignee = ticket.assignee
            if assignee is None:
                unassigned += 1
            elif assignee == me:
                mine += 1
            if ticket.summary.kind is paused_kind or ticket.status in waiting:  # is_paused
                paused += 1
            customer = id(row.customer)  # the rows, and so their customers, outlive the loop
            number = customers.get(customer)
            if number is None:
                customers[customer] = 1
                policy_of[customer] = (row.policy.vendor, row.customer.policy_id)
            else:
                customers[customer] = number + 1
        policies: dict[tuple[str, str], int] = {}
        for customer, number in customers.items():
            policy = policy_of[customer]
            policies[policy] = policies.get(policy, 0) + number
        found = [(QUEUE_ALL, total), (QUEUE_UNASSIGNED, unassigned), (QUEUE_MINE, mine)]
        found.append((QUEUE_PAUSED, paused))
        found += [(policy_queue(*policy), number) for policy, number in policies.items()]
        for queue, number in found:
            if number:
                self._counts[queue] = self._counts.get(queue, 0) + delta * number

    def count(self, queue: Queue, dues: DueIndex, now: datetime) -> int | None:
        """The number of rows in ``queue`` (None for a saved search: not counted here)."""
        if queue.kind is QueueFilter.BREACHED:
            return dues.breached(now)
        if queue.kind is QueueFilter.BREACHING_SOON:
            return dues.breaching_soon(now)
        if queue.kind is QueueFilter.SEARCH:
            return None
        return self._counts.get(queue, 0)
