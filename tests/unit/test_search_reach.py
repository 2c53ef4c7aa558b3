"""Where a search's matches are, and what the line under the search box says about them:
the queue shown gives way to All open only when it lacks what was searched for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.model import Customer, QueueGroup, QueueSummary, Status, Ticket
from console.services.queue import QueueRow
from console.services.queues import QUEUE_ALL, QUEUE_MINE, QUEUE_UNASSIGNED
from console.services.search import SearchNote, search_note, search_reach

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ACME = Customer("Acme Logistics", "zitadel", "enterprise", "EMEA")
GLOBEX = Customer("Globex Retail", "zitadel", "enterprise", "EMEA")


def row(key: str, title: str, customer: Customer, assignee: str | None = None) -> QueueRow:
    ticket = Ticket(
        key, title, customer.name, 2, Status.OPEN, NOW - timedelta(days=1),
        assignee=assignee, summary=QueueSummary(QueueGroup.DUE),
    )  # fmt: skip
    policy: Any = None  # the search and the queues read the ticket and customer only
    search_text = f"{key} {customer.name} {title}".lower()
    return QueueRow(ticket, customer, policy, None, search_text)


ROWS = [
    row("ZIT-3583", "Login loop after SSO change", ACME, assignee="ana"),
    row("ZIT-3590", "Duplicate of ZIT-3583: login loop", ACME),
    row("ZIT-3601", "Audit export times out", GLOBEX),
    row("ZIT-3602", "Audit export missing events", GLOBEX, assignee="ana"),
]


def test_a_key_outside_the_queue_widens_even_when_the_queue_has_other_matches() -> None:
    reach = search_reach(ROWS, " zit-3583 ", QUEUE_UNASSIGNED, "ana", NOW)
    assert (reach.shown, reach.everywhere, reach.key, reach.key_shown) == (
        1, 2, "ZIT-3583", False,
    )  # fmt: skip
    assert reach.widens
    # In a queue that holds it, or in All open, nothing moves.
    assert not search_reach(ROWS, "ZIT-3583", QUEUE_MINE, "ana", NOW).widens
    assert not search_reach(ROWS, "ZIT-3583", QUEUE_ALL, "ana", NOW).widens


def test_a_queue_without_a_match_widens_one_with_matches_stays() -> None:
    assert search_reach(ROWS, "audit", QUEUE_MINE, "bob", NOW).widens
    stays = search_reach(ROWS, "audit", QUEUE_UNASSIGNED, "ana", NOW)
    assert not stays.widens and (stays.shown, stays.elsewhere) == (1, 1)
    nowhere = search_reach(ROWS, "invoice", QUEUE_MINE, "ana", NOW)
    assert not nowhere.widens and nowhere.everywhere == 0
    assert search_reach(ROWS, "  ", QUEUE_MINE, "ana", NOW).everywhere == 0


def test_what_the_line_under_the_box_says() -> None:
    here = search_reach(ROWS, "audit", QUEUE_UNASSIGNED, "ana", NOW)
    assert search_note(here) == SearchNote("1 more in All open", "show them", QUEUE_ALL)
    none_here = search_reach(ROWS, "audit", QUEUE_MINE, "bob", NOW)
    assert search_note(none_here) == SearchNote(
        "Nothing in My open matches; 2 in All open", "show them", QUEUE_ALL
    )
    nowhere = search_reach(ROWS, "invoice", QUEUE_MINE, "ana", NOW)
    assert search_note(nowhere) == SearchNote("No open ticket matches \u201cinvoice\u201d")
    everything = search_reach(ROWS, "audit", QUEUE_ALL, "ana", NOW)
    assert search_note(everything) is None


def test_after_a_move_to_all_open_it_says_why_and_offers_the_way_back() -> None:
    shown = search_reach(ROWS, "ZIT-3583", QUEUE_ALL, "ana", NOW)
    origin = search_reach(ROWS, "ZIT-3583", QUEUE_UNASSIGNED, "ana", NOW)
    assert search_note(shown, origin) == SearchNote(
        "ZIT-3583 is not in Unassigned: showing All open", "back to Unassigned", QUEUE_UNASSIGNED
    )
    origin = search_reach(ROWS, "audit", QUEUE_MINE, "bob", NOW)
    shown = search_reach(ROWS, "audit", QUEUE_ALL, "bob", NOW)
    assert search_note(shown, origin) == SearchNote(
        "Nothing in My open matches: showing All open", "back to My open", QUEUE_MINE
    )
    # Typing on after the move: what the queue left behind holds now.
    origin = search_reach(ROWS, "zit", QUEUE_UNASSIGNED, "ana", NOW)
    shown = search_reach(ROWS, "zit", QUEUE_ALL, "ana", NOW)
    assert search_note(shown, origin) == SearchNote(
        "2 of 4 in Unassigned: showing All open", "back to Unassigned", QUEUE_UNASSIGNED
    )
